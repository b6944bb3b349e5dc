"""Widget apps for the condition notebook (01): criteria calculator, quizzes, prevalence."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from helpers.apps.common import BUTTON, STYLE, WIDE, Displayable
from helpers.checks import ParameterError
from helpers.criteria import (
    AREA_LABELS,
    AREAS,
    FLAG_NAMES,
    ITEM_NAMES,
    REGION_NAMES,
    REGION_OF,
    acr2011,
    acr2016,
    vignette_answers,
)
from helpers.data import load_table
from helpers.figures.condition import criteria_comparison_figure, criteria_highlight

__all__ = [
    "CriteriaCalculator",
    "CriteriaPrevalenceApp",
    "VignetteQuiz",
    "criteria_calculator",
    "criteria_prevalence_app",
    "vignette_quiz",
]

SYMPTOM_OPTIONS = [("0 – no problem", 0), ("1 – slight or mild, intermittent", 1),
                   ("2 – moderate, often present", 2), ("3 – severe, continuous", 3)]
SYMPTOM_ITEMS = dict(zip(ITEM_NAMES, ["Fatigue", "Waking unrefreshed", "Cognitive symptoms"],
                         strict=True))
SYMPTOM_FLAGS = dict(zip(FLAG_NAMES, ["Headaches", "Pain or cramps in lower abdomen",
                                      "Depression"], strict=True))


class CriteriaCalculator(Displayable):
    """The ACR 2016 criteria as an interactive calculator, with the 2010/2011 result beside.

    Attributes
    ----------
    areas : dict of str to ipywidgets.Checkbox
        One checkbox per WPI area, grouped by region on screen.
    items : dict of str to ipywidgets.Dropdown
        Fatigue, waking unrefreshed, cognitive symptoms (0–3).
    flags : dict of str to ipywidgets.Checkbox
        Headaches, lower abdominal pain, depression (previous 6 months).
    duration : ipywidgets.IntSlider
        Symptom duration (months).
    output : ipywidgets.HTML
        WPI, SSS, regions, generalized pain, FS score and band, the verdict and its reasons.
    result : helpers.criteria.CriteriaResult
        The current 2016 result.
    """

    def __init__(self) -> None:
        self.areas = {area: widgets.Checkbox(value=False, description=AREA_LABELS[area],
                                             indent=False, layout=widgets.Layout(width="18em"))
                      for area in AREAS}
        self.items = {name: widgets.Dropdown(options=SYMPTOM_OPTIONS, value=0,
                                             description=label, style=STYLE, layout=WIDE)
                      for name, label in SYMPTOM_ITEMS.items()}
        self.flags = {name: widgets.Checkbox(value=False, description=label, indent=False)
                      for name, label in SYMPTOM_FLAGS.items()}
        self.duration = widgets.IntSlider(value=6, min=0, max=24, description="Duration (months)",
                                          style=STYLE, layout=WIDE)
        self.output = widgets.HTML()
        region_boxes = [
            widgets.VBox([widgets.HTML(f"<b>Region {number}: {name}</b>")]
                         + [self.areas[a] for a in AREAS if REGION_OF[a] == number],
                         layout=widgets.Layout(margin="0 1.5em 0.5em 0"))
            for number, name in REGION_NAMES.items()]
        self.widget = widgets.VBox([
            widgets.HTML("<b>1. Where has there been pain in the past week?</b> "
                         "(Widespread Pain Index areas)"),
            widgets.HBox(region_boxes, layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HTML("<b>2. Symptoms in the past week</b>"),
            *self.items.values(),
            widgets.HTML("<b>3. In the previous 6 months</b>"),
            widgets.HBox(list(self.flags.values())),
            self.duration,
            self.output,
        ])
        self.widget.add_class("criteria-calculator")
        self.output.add_class("criteria-result")
        for control in [*self.areas.values(), *self.items.values(), *self.flags.values(),
                        self.duration]:
            control.observe(lambda _change: self.update(), names="value")
        self.update()

    def answers(self) -> tuple[list[str], dict[str, object]]:
        """Return the checked areas and the symptom answers as keyword arguments."""
        painful = [area for area, box in self.areas.items() if box.value]
        answers: dict[str, object] = {name: box.value for name, box in self.items.items()}
        answers.update({name: box.value for name, box in self.flags.items()})
        answers["duration_months"] = self.duration.value
        return painful, answers

    def load_case(self, case: pd.Series) -> None:
        """Fill the calculator with a worked case (a row of criteria_vignettes)."""
        painful, answers = vignette_answers(case)
        with self.widget.hold_sync():
            for area, box in self.areas.items():
                box.value = area in painful
            for name, box in self.items.items():
                box.value = answers[name]
            for name, box in self.flags.items():
                box.value = answers[name]
            self.duration.value = int(answers["duration_months"])

    def update(self) -> None:
        """Re-apply the criteria to the current answers."""
        painful, answers = self.answers()
        self.result = acr2016(painful, **answers)
        older = acr2011(painful, **answers)
        verdict = ("<span style='color:#006d4f'>meets the ACR 2016 criteria</span>"
                   if self.result.meets_criteria
                   else "<span style='color:#B00020'>does not meet the ACR 2016 criteria</span>")
        regions = ", ".join(str(r) for r in sorted(self.result.regions)) or "none"
        lines = [
            f"WPI <b>{self.result.wpi}</b>/19 · SSS <b>{self.result.sss}</b>/12 · regions "
            f"counted: <b>{regions}</b> · FS score <b>{self.result.fs_score}</b>/31 "
            f"({self.result.severity_band.lower()})",
            f"<b>Result: {verdict}</b>",
        ]
        reasons = "".join(f"<li>{html.escape(reason)}</li>" for reason in self.result.reasons)
        older_verdict = "meets" if older.meets_criteria else "does not meet"
        self.output.value = (
            "<div aria-live='polite'>" + "<br>".join(lines) + f"<ul>{reasons}</ul>"
            f"<p>Under the 2010/2011 rules the same answers <b>{older_verdict}</b> the "
            "criteria (assuming no other disorder explains the pain).</p>"
            "<p><em>A teaching calculator, not a diagnosis.</em></p></div>")


def criteria_calculator() -> CriteriaCalculator:
    """Build the ACR 2016 criteria calculator (see :class:`CriteriaCalculator`)."""
    return CriteriaCalculator()


class VignetteQuiz(Displayable):
    """A worked case: the student predicts the outcome, then checks it.

    Attributes
    ----------
    prediction : ipywidgets.RadioButtons
        "Meets" or "Does not meet" the ACR 2016 criteria.
    button : ipywidgets.Button
        "Check my prediction".
    feedback : ipywidgets.HTML
        Right or wrong, the computed result and the case's teaching point.
    """

    def __init__(self, case: pd.Series) -> None:
        self.case = case
        self.prediction = widgets.RadioButtons(
            options=[("Meets the ACR 2016 criteria", True),
                     ("Does not meet them", False)], value=None,
            description="Your prediction", style=STYLE)
        self.button = widgets.Button(description="Check my prediction", icon="check",
                                     layout=BUTTON)
        self.feedback = widgets.HTML()
        self.widget = widgets.VBox([
            widgets.HTML(f"<p><b>Case {html.escape(str(case['case']))}: "
                         f"{html.escape(str(case['title']))}.</b> "
                         f"{html.escape(str(case['story']))}</p>"),
            self.prediction, self.button, self.feedback])
        self.button.on_click(lambda _button: self.check())

    def check(self) -> bool | None:
        """Show feedback; return True if the prediction is right, None if none was made."""
        if self.prediction.value is None:
            self.feedback.value = "<p aria-live='polite'>Choose a prediction first.</p>"
            return None
        painful, answers = vignette_answers(self.case)
        result = acr2016(painful, **answers)
        right = self.prediction.value == result.meets_criteria
        verdict = "meets" if result.meets_criteria else "does not meet"
        self.feedback.value = (
            f"<p aria-live='polite'><b>{'Right' if right else 'Not quite'}.</b> The case "
            f"{verdict} the 2016 criteria: WPI {result.wpi}, SSS {result.sss}, regions "
            f"{sorted(result.regions)}. {html.escape(str(self.case['teaching_point']))}</p>")
        return right


def vignette_quiz(case_letter: str) -> VignetteQuiz:
    """Build the quiz for one case of ``data/criteria_vignettes.csv``, e.g. ``"B"``."""
    cases = load_table("criteria_vignettes").set_index("case", drop=False)
    if case_letter not in cases.index:
        raise ParameterError("case_letter", case_letter,
                             f"one of {', '.join(repr(c) for c in cases.index)}")
    return VignetteQuiz(cases.loc[case_letter])


class CriteriaPrevalenceApp(Displayable):
    """One population counted under three sets of criteria (Jones et al. 2015).

    Attributes
    ----------
    choice : ipywidgets.ToggleButtons
        The criteria to look at.
    figure : plotly.graph_objects.FigureWidget
        Prevalence and women per man, the chosen criteria highlighted.
    readout : ipywidgets.HTML
        What the choice means for a town of 100,000 adults.
    """

    TOWN = 100_000

    def __init__(self) -> None:
        self.table = load_table("prevalence_by_criteria")
        options = list(self.table["criteria"])
        self.choice = widgets.ToggleButtons(options=options, value=options[0],
                                            description="Criteria", style=STYLE)
        self.figure = go.FigureWidget(criteria_comparison_figure(self.table, options[0]))
        self.readout = widgets.HTML()
        self.widget = widgets.VBox([self.choice, self.figure, self.readout])
        self.choice.observe(lambda _change: self.update(), names="value")
        self.update()

    def update(self) -> None:
        """Highlight the chosen criteria and rewrite the readout."""
        colours, patterns = criteria_highlight(self.table, self.choice.value)
        with self.figure.batch_update():
            for trace in self.figure.data:
                trace.marker.color = colours
                trace.marker.pattern.shape = patterns
        row = self.table.set_index("criteria").loc[self.choice.value]
        people = row["prevalence_pct"] / 100 * self.TOWN
        women = people * row["women_per_man"] / (1 + row["women_per_man"])
        self.readout.value = (
            f"<p aria-live='polite'>Under <b>{html.escape(self.choice.value)}</b>, about "
            f"<b>{people:,.0f}</b> of {self.TOWN:,} adults would count as having fibromyalgia, "
            f"about {women:,.0f} women and {people - women:,.0f} men "
            f"({row['women_per_man']:g} women per man). Same people, different rules.</p>")


def criteria_prevalence_app() -> CriteriaPrevalenceApp:
    """Build the criteria-versus-prevalence app (see :class:`CriteriaPrevalenceApp`)."""
    return CriteriaPrevalenceApp()
