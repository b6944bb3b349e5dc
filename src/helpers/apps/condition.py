"""Widget apps for the condition notebook (01): criteria calculator, quizzes, prevalence.

Every sentence an app writes is built from the rules in :mod:`helpers.criteria` and the
tables in ``data/``; tests/test_condition_apps.py checks the text at every setting.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from helpers.apps.common import (
    BUTTON,
    STYLE,
    WIDE,
    AnswerChecker,
    Displayable,
    Exercise,
    LiveFigure,
    build_exercise,
    fitted_column,
    html_table,
    refresh_new_view_state,
)
from helpers.checks import check_choice
from helpers.criteria import (
    AREA_LABELS,
    AREAS,
    FLAG_NAMES,
    ITEM_NAMES,
    REGION_NAMES,
    REGION_OF,
    CriteriaResult,
    acr2011,
    acr2016,
    rule_value,
    vignette_answers,
)
from helpers.data import load_table
from helpers.figures.condition import criteria_comparison_figure, criteria_highlight

__all__ = [
    "EXERCISES",
    "CaseResults",
    "CriteriaCalculator",
    "CriteriaPrevalenceApp",
    "VignetteQuiz",
    "case_results",
    "criteria_calculator",
    "criteria_prevalence_app",
    "exercise",
    "regions_text",
    "vignette_quiz",
    "working",
]

SYMPTOM_OPTIONS = [("0 – no problem", 0), ("1 – slight or mild, intermittent", 1),
                   ("2 – moderate, often present", 2), ("3 – severe, continuous", 3)]
SYMPTOM_ITEMS = dict(zip(ITEM_NAMES, ["Fatigue", "Waking unrefreshed", "Cognitive symptoms"],
                         strict=True))
SYMPTOM_FLAGS = dict(zip(FLAG_NAMES, ["Headaches", "Pain or cramps in lower abdomen",
                                      "Depression"], strict=True))
OWN_ANSWERS = "— your own answers —"
OLDER_RULES_NOTE = ("scored with the 2011 symptom items and assuming the 2016 list of 19 areas; "
                    "see the notes above the calculator")
CALCULATOR_NOTICE = ("A teaching calculator: it applies the published rules to your answers. "
                     "It is not a diagnosis: a clinician also takes a history and examines the "
                     "person, looking for other conditions that can coexist with fibromyalgia "
                     "or mimic it.")
_BANDS = load_table("fs_severity_bands")
BAND_NOTE = ("bands from a survey of {} Italian patients, reported by OnMedica; citation "
             "unconfirmed").format(
    _BANDS["source"].str.extract(r"survey of ([\d,]+) Italian")[0].iloc[0])


def _cases() -> pd.DataFrame:
    return load_table("criteria_vignettes").set_index("case", drop=False)


def _case(letter: str) -> pd.Series:
    """Return the worked case ``letter`` of ``data/criteria_vignettes.csv``."""
    cases = _cases()
    return cases.loc[check_choice("case_letter", letter, list(cases.index))]


def _first_name(case: pd.Series) -> str:
    return str(case["title"]).split(",")[0]


def regions_text(regions: frozenset[int]) -> str:
    """Write counted regions as a person would: ``none``, ``5``, ``1, 2 and 5``."""
    numbers = [str(region) for region in sorted(regions)]
    if not numbers:
        return "none"
    return numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} and {numbers[-1]}"


def _verdict(result: CriteriaResult) -> str:
    return "meets" if result.meets_criteria else "does not meet"


class CriteriaCalculator(Displayable):
    """The ACR 2016 criteria as an interactive calculator, with the 2010/2011 result beside.

    Attributes
    ----------
    case_picker : ipywidgets.Dropdown
        Loads a worked case into the form (no code needed); shows "your own answers" as
        soon as the student changes an answer.
    clear_button : ipywidgets.Button
        Clears every answer.
    areas : dict of str to ipywidgets.Checkbox
        One checkbox per WPI area, grouped by region on screen.
    items : dict of str to ipywidgets.Dropdown
        Fatigue, waking unrefreshed, cognitive symptoms (0–3).
    flags : dict of str to ipywidgets.Checkbox
        Headaches, lower abdominal pain, depression (previous 6 months).
    duration : ipywidgets.IntSlider
        Symptom duration (months).
    output : ipywidgets.HTML
        The teaching notice, WPI, SSS, regions and FS score, whether the answers satisfy the
        2016 rules (in neutral colours) and why, the severity band only when they do, and the
        2010/2011 result.
    result : helpers.criteria.CriteriaResult
        The current 2016 result.
    """

    DEFAULT_DURATION_MONTHS = 6

    def __init__(self) -> None:
        cases = _cases()
        self._loading = False
        self.case_picker = widgets.Dropdown(
            options=[(OWN_ANSWERS, None)]
            + [(f"Case {letter}: {case['title']}", letter) for letter, case in cases.iterrows()],
            value=None, description="Load a worked case", style=STYLE, layout=WIDE)
        self.clear_button = widgets.Button(description="Clear all answers", icon="eraser",
                                           layout=BUTTON)
        self.areas = {area: widgets.Checkbox(value=False, description=AREA_LABELS[area],
                                             indent=False, layout=widgets.Layout(width="18em"))
                      for area in AREAS}
        self.items = {name: widgets.Dropdown(options=SYMPTOM_OPTIONS, value=0,
                                             description=label, style=STYLE, layout=WIDE)
                      for name, label in SYMPTOM_ITEMS.items()}
        self.flags = {name: widgets.Checkbox(value=False, description=label, indent=False)
                      for name, label in SYMPTOM_FLAGS.items()}
        self.duration = widgets.IntSlider(value=self.DEFAULT_DURATION_MONTHS, min=0, max=24,
                                          description="Duration (months)", style=STYLE,
                                          layout=WIDE)
        self.output = widgets.HTML()
        region_boxes = [
            widgets.VBox([widgets.HTML(f"<b>Region {number}: {name}</b>")]
                         + [self.areas[a] for a in AREAS if REGION_OF[a] == number],
                         layout=widgets.Layout(margin="0 1.5em 0.5em 0"))
            for number, name in REGION_NAMES.items()]
        self.widget = widgets.VBox([
            widgets.HBox([self.case_picker, self.clear_button],
                         layout=widgets.Layout(flex_flow="row wrap", align_items="center")),
            widgets.HTML("<b>1. Where has there been pain in the past week?</b> "
                         "(Widespread Pain Index areas)"),
            widgets.HBox(region_boxes, layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HTML("<b>2. Symptoms in the past week</b>"),
            *self.items.values(),
            widgets.HTML("<b>3. In the previous 6 months</b>"),
            widgets.HBox(list(self.flags.values()), layout=widgets.Layout(flex_flow="row wrap")),
            self.duration,
            self.output,
        ])
        self.widget.add_class("criteria-calculator")
        self.output.add_class("criteria-result")
        for control in self._controls():
            control.observe(self._on_answer, names="value")
        self.case_picker.observe(self._on_pick, names="value")
        self.clear_button.on_click(lambda _button: self.clear())
        self.update()

    def _controls(self) -> list[widgets.ValueWidget]:
        return [*self.areas.values(), *self.items.values(), *self.flags.values(),
                self.duration]

    def _on_answer(self, _change: dict) -> None:
        self.update()
        if not self._loading:
            self.case_picker.value = None

    def _on_pick(self, change: dict) -> None:
        if change["new"] is not None:
            self.load_case(change["new"])

    def answers(self) -> tuple[list[str], dict[str, object]]:
        """Return the checked areas and the symptom answers as keyword arguments."""
        painful = [area for area, box in self.areas.items() if box.value]
        answers: dict[str, object] = {name: box.value for name, box in self.items.items()}
        answers.update({name: box.value for name, box in self.flags.items()})
        answers["duration_months"] = self.duration.value
        return painful, answers

    def load_case(self, case: str | pd.Series) -> None:
        """Fill the calculator with a worked case: its letter (``"B"``) or its data row.

        Raises
        ------
        ParameterError
            For a letter that is not one of the worked cases.
        """
        row = _case(case) if isinstance(case, str) else case
        painful, answers = vignette_answers(row)
        self._fill(painful, answers)
        self.case_picker.value = str(row["case"])

    def clear(self) -> None:
        """Untick every area and symptom and reset the duration."""
        answers: dict[str, object] = {name: 0 for name in self.items}
        answers.update({name: False for name in self.flags})
        answers["duration_months"] = self.DEFAULT_DURATION_MONTHS
        self._fill([], answers)
        self.case_picker.value = None

    def _fill(self, painful: list[str], answers: dict[str, object]) -> None:
        self._loading = True
        try:
            with self.widget.hold_sync():
                for area, box in self.areas.items():
                    box.value = area in painful
                for name, box in self.items.items():
                    box.value = answers[name]
                for name, box in self.flags.items():
                    box.value = answers[name]
                self.duration.value = int(answers["duration_months"])
        finally:
            self._loading = False

    def update(self) -> None:
        """Re-apply the criteria to the current answers."""
        painful, answers = self.answers()
        self.result = acr2016(painful, **answers)
        older = acr2011(painful, **answers)
        verdict = ("these answers satisfy the 2016 rules" if self.result.meets_criteria
                   else "these answers do not satisfy the 2016 rules")
        lines = [
            f"WPI <b>{self.result.wpi}</b>/19 · SSS <b>{self.result.sss}</b>/12 · regions "
            f"counted: <b>{regions_text(self.result.regions)}</b> · FS score "
            f"<b>{self.result.fs_score}</b>/31",
            f"<b>Result: {verdict}</b>",
        ]
        reasons = "".join(f"<li>{html.escape(reason)}</li>" for reason in self.result.reasons)
        band = (f"<p>Severity band: <b>{self.result.severity_band.lower()}</b> "
                f"({html.escape(BAND_NOTE)}).</p>" if self.result.meets_criteria else "")
        self.output.value = (
            f"<div aria-live='polite'><p><em>{html.escape(CALCULATOR_NOTICE)}</em></p>"
            + "<br>".join(lines) + f"<ul>{reasons}</ul>{band}"
            "<p>Under the 2010/2011 score and duration rules the same answers "
            f"<b>{'meet' if older.meets_criteria else 'do not meet'}</b> the "
            f"criteria ({OLDER_RULES_NOTE}).</p></div>")


def criteria_calculator() -> CriteriaCalculator:
    """Build the ACR 2016 criteria calculator (see :class:`CriteriaCalculator`)."""
    return CriteriaCalculator()


class VignetteQuiz(Displayable):
    """A worked case: the student predicts the outcome, then checks it.

    Attributes
    ----------
    prediction : ipywidgets.RadioButtons
        "Meets" or "Does not meet" the ACR 2016 criteria; nothing chosen at first.
    button : ipywidgets.Button
        "Check my prediction".
    feedback : ipywidgets.HTML
        Empty until the student checks a prediction; then right or wrong, the result with
        each rule met or not, and the case's teaching point.
    """

    def __init__(self, case: pd.Series) -> None:
        self.case = case
        name = _first_name(case)
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
                         f"{html.escape(str(case['story']))}</p>"
                         f"<p>Does {html.escape(name)} meet the ACR 2016 criteria? Predict "
                         "first, then check.</p>"),
            self.prediction, self.button, self.feedback])
        self.widget.add_class("vignette-quiz")
        self.button.on_click(lambda _button: self.check())

    def check(self) -> bool | None:
        """Show feedback; return True if the prediction is right, None if none was made."""
        if self.prediction.value is None:
            self.feedback.value = ("<p aria-live='polite'>Choose a prediction first: does "
                                   f"{html.escape(_first_name(self.case))} meet the criteria "
                                   "or not?</p>")
            return None
        painful, answers = vignette_answers(self.case)
        result = acr2016(painful, **answers)
        right = self.prediction.value == result.meets_criteria
        rules = "".join(f"<li>{html.escape(reason)}</li>" for reason in result.reasons[:3])
        self.feedback.value = (
            f"<div aria-live='polite'><p><b>{'Right' if right else 'Not quite'}.</b> "
            f"{html.escape(_first_name(self.case))} <b>{_verdict(result)}</b> the ACR 2016 "
            f"criteria.</p><p>{html.escape(working(self.case))}</p><ul>{rules}</ul>"
            f"<p>{html.escape(str(self.case['teaching_point']))}</p></div>")
        return right


def working(case: pd.Series) -> str:
    """Write the WPI and SSS of a worked case item by item, as a student would add them."""
    painful, answers = vignette_answers(case)
    areas = [AREA_LABELS[area].lower() for area in AREAS if area in painful]
    items = " + ".join(f"{SYMPTOM_ITEMS[name].lower()} {answers[name]}" for name in ITEM_NAMES)
    flags = " + ".join(f"{SYMPTOM_FLAGS[name].lower()} {int(bool(answers[name]))}"
                       for name in FLAG_NAMES)
    sss = sum(int(answers[name]) for name in ITEM_NAMES) + sum(
        bool(answers[name]) for name in FLAG_NAMES)
    return (f"WPI {len(areas)}: {', '.join(areas)}. SSS {sss} = {items} + {flags}.")


def vignette_quiz(case_letter: str) -> VignetteQuiz:
    """Build the quiz for one case of ``data/criteria_vignettes.csv``, e.g. ``"B"``.

    Raises
    ------
    ParameterError
        For a letter that is not one of the worked cases.
    """
    return VignetteQuiz(_case(case_letter))


class CaseResults(Displayable):
    """Every worked case with its result, hidden until the student asks for it.

    Attributes
    ----------
    toggle : ipywidgets.ToggleButton
        Shows or hides the table.
    table : ipywidgets.HTML
        The cases with their stories, WPI, SSS, regions, FS score and both verdicts (empty
        until shown).
    """

    def __init__(self) -> None:
        self.cases = _cases()
        self.toggle = widgets.ToggleButton(
            value=False, description=f"Show the results of all {len(self.cases)} cases",
            icon="table", layout=BUTTON)
        self.table = widgets.HTML()
        self.widget = widgets.VBox([self.toggle, self.table])
        self.widget.add_class("case-results")
        self.toggle.observe(lambda _change: self.update(), names="value")

    def rows(self) -> pd.DataFrame:
        """One row per case: scores, regions and the verdict under both sets of rules."""
        rows = []
        for letter, case in self.cases.iterrows():
            areas, answers = vignette_answers(case)
            now, before = acr2016(areas, **answers), acr2011(areas, **answers)
            rows.append({"case": f"{letter}: {case['title']}", "story": case["story"],
                         "wpi": now.wpi, "sss": now.sss,
                         "regions": regions_text(now.regions), "fs": now.fs_score,
                         "months": f"{answers['duration_months']:g}",
                         "acr2016": _verdict(now), "acr2011": _verdict(before)})
        return pd.DataFrame(rows)

    def update(self) -> None:
        """Show the table when the toggle is down, nothing when it is up."""
        self.toggle.description = (
            f"{'Hide' if self.toggle.value else 'Show'} the results of all "
            f"{len(self.cases)} cases")
        self.table.value = html_table(
            self.rows(), "The worked cases under the 2016 and the 2010/2011 rules",
            columns={"case": "Case", "story": "Story", "wpi": "WPI (0–19)",
                     "sss": "SSS (0–12)",
                     "regions": "Regions counted", "fs": "FS score (0–31)",
                     "months": "Symptoms for (months)", "acr2016": "ACR 2016",
                     "acr2011": "2010/2011 score and duration rules"},
        ) if self.toggle.value else ""


def case_results() -> CaseResults:
    """Build the hidden table of every worked case's result (see :class:`CaseResults`)."""
    return CaseResults()


class CriteriaPrevalenceApp(Displayable):
    """One population counted under three sets of criteria (Jones et al. 2015).

    Attributes
    ----------
    choice : ipywidgets.ToggleButtons
        The criteria to look at.
    figure : plotly.graph_objects.FigureWidget
        Prevalence and women per man, the chosen criteria highlighted.
    readout : ipywidgets.HTML
        What the choice means for a town of 100,000 adults, and the women-per-man ratio
        with its caveat (few cases, no interval given).
    """

    TOWN = 100_000

    def __init__(self) -> None:
        self.table = load_table("prevalence_by_criteria")
        options = list(self.table["criteria"])
        self.choice = widgets.ToggleButtons(options=options, value=options[0],
                                            description="Criteria", style=STYLE)
        self.figure = LiveFigure(criteria_comparison_figure(self.table, options[0]))
        self.readout = widgets.HTML()
        self.widget = fitted_column([self.choice, self.figure, self.readout])
        self.widget.add_class("criteria-prevalence")
        self.choice.observe(lambda _change: self.update(), names="value")
        self.update()

    def update(self) -> None:
        """Highlight the chosen criteria and rewrite the readout."""
        colours, patterns = criteria_highlight(self.table, self.choice.value)
        with self.figure.batch_update():
            for trace in self.figure.data:
                trace.marker.color = colours
                trace.marker.pattern.shape = patterns
        refresh_new_view_state(self.figure)
        row = self.table.set_index("criteria").loc[self.choice.value]
        people = row["prevalence_pct"] / 100 * self.TOWN
        self.readout.value = (
            f"<p aria-live='polite'>Under <b>{html.escape(self.choice.value)}</b>, about "
            f"<b>{people:,.0f}</b> of {self.TOWN:,} adults would count as having fibromyalgia, "
            f"with {row['women_per_man']:g} women per man in this survey (a ratio based on "
            "few cases, given without a confidence interval). Same people, different "
            "rules.</p>")


def criteria_prevalence_app() -> CriteriaPrevalenceApp:
    """Build the criteria-versus-prevalence app (see :class:`CriteriaPrevalenceApp`)."""
    return CriteriaPrevalenceApp()


# Numeric exercises: the answers are computed here from data/ and the rules, never written
# in the notebook.
PAIN_BEFORE, PAIN_AFTER = 6.5, 4.8  # one illustrative patient's pain on the 0–10 scale


def _prevalence(criteria: str) -> float:
    table = load_table("prevalence_by_criteria").set_index("criteria")
    return float(table.loc[criteria, "prevalence_pct"])


def _self_report_ratio() -> float:
    return _prevalence("modified ACR 2010") / _prevalence("ACR 2010")


def _lowest_fs_meeting_score_rule() -> float:
    return float(min(rule_value("acr2016", "wpi_high_min")
                     + rule_value("acr2016", "sss_with_high_wpi_min"),
                     rule_value("acr2016", "wpi_low_min")
                     + rule_value("acr2016", "sss_with_low_wpi_min")))


def _pain_fall_pct() -> float:
    """Return the patient's fall in pain in whole percent (the question asks for one)."""
    return float(round(100.0 * (PAIN_BEFORE - PAIN_AFTER) / PAIN_BEFORE))


def _pain_thresholds() -> tuple[float, float]:
    table = load_table("outcome_measures").set_index(["measure", "unit"])
    scale = "Pain numeric rating scale (0-10)"
    return (float(table.loc[(scale, "points"), "threshold"]),
            float(table.loc[(scale, "% reduction"), "threshold"]))


def _exercises() -> dict[str, Exercise]:
    modified, acr2010 = (_prevalence("modified ACR 2010"),
                         _prevalence("ACR 2010"))
    high, with_high = rule_value("acr2016", "wpi_high_min"), rule_value(
        "acr2016", "sss_with_high_wpi_min")
    low, with_low = rule_value("acr2016", "wpi_low_min"), rule_value(
        "acr2016", "sss_with_low_wpi_min")
    points, percent = _pain_thresholds()
    fall_points = PAIN_BEFORE - PAIN_AFTER
    return {
        "self-report-ratio": Exercise(
            question="In the Scottish survey, how many times more people counted as having "
                     "fibromyalgia under the modified 2010 criteria than under the ACR 2010 "
                     "criteria? Give one decimal.",
            answer=_self_report_ratio, tolerance=0.05, unit="times",
            hint="Read both prevalences from the chart, then divide the larger by the "
                 "smaller.",
            explanation=f"{modified:g}% ÷ {acr2010:g}% = {modified / acr2010:.1f}. The same "
                        "people, counted with a different version of the criteria, give "
                        f"{modified / acr2010:.1f} times as many cases."),
        "lowest-fs": Exercise(
            question="What is the lowest FS score (WPI + SSS) a person can have and still "
                     "meet the 2016 score rule?",
            answer=_lowest_fs_meeting_score_rule, tolerance=0, unit="points",
            hint="The score rule has two branches. In each, add the smallest WPI and the "
                 "smallest SSS it allows; then take the smaller sum.",
            explanation=f"WPI {high} + SSS {with_high} = {high + with_high} in the first "
                        f"branch; WPI {low} + SSS {with_low} = {low + with_low} in the "
                        "second. So anyone who meets the score rule has an FS score of at "
                        f"least {_lowest_fs_meeting_score_rule():g}."),
        "pain-fall": Exercise(
            question=f"Ms X rates her pain on the 0–10 scale. Over a course of treatment "
                     f"it falls from {PAIN_BEFORE:g} to {PAIN_AFTER:g}. By what percentage did "
                     "her pain fall? Give a whole number.",
            answer=_pain_fall_pct, tolerance=0.6, unit="%",
            hint="Divide the fall by the starting value, then multiply by 100.",
            explanation=f"({PAIN_BEFORE:g} − {PAIN_AFTER:g}) ÷ {PAIN_BEFORE:g} = "
                        f"{_pain_fall_pct():.0f}%, a fall of {fall_points:.1f} points: short "
                        f"of both thresholds for one person's change ({points:g} points, "
                        f"{percent:g}%), so Ms X would not count as a responder. Whether the "
                        "treatment caused the fall is another question: people given a "
                        "placebo improve too, which is why trials compare a treated group "
                        "with a placebo group."),
    }


EXERCISES = _exercises()


def exercise(name: str) -> AnswerChecker:
    """Build one of this notebook's numeric exercises by name (see :data:`EXERCISES`)."""
    return build_exercise(EXERCISES, name)
