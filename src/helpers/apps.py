"""Widget apps (ipywidgets) for the plasma-exchange notebook.

Each builder returns an object whose ``widget`` attribute is what a notebook displays (the
object also displays itself), and whose controls tests can drive directly.

Figure pattern. The course explorer keeps one ``plotly.graph_objects.FigureWidget`` and
changes its data in one ``batch_update`` per control change: a single small message, no new
figure, so a slider move reaches the plot in well under the time of a re-draw. plotly keeps
a new view's starting point in a synced trait that it only refreshes when the figure itself
is displayed, so a page reload (or a second view, or Voila) would show the figure as it was
first drawn. After each update the app therefore refreshes that state on the kernel side
only, without a change notification, so no second copy of the data is sent to open views.
A reloaded page then draws the current state (checked in pytest and in the browser test).
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

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
from helpers.figures import (
    course_layout,
    course_table,
    course_traces,
    criteria_comparison_figure,
    criteria_highlight,
    describe_course,
    removal_curve_figure,
    session_markers,
)
from helpers.kinetics import (
    IgGParameters,
    Schedule,
    fraction_remaining,
    plasma_volume_l,
    simulate,
    tpe_course,
)
from helpers.metrics import CourseSummary, summarize_course

__all__ = [
    "AnswerChecker",
    "CourseExplorer",
    "CriteriaCalculator",
    "CriteriaPrevalenceApp",
    "PlasmaVolumeApp",
    "SingleExchangeApp",
    "VignetteQuiz",
    "answer_checker",
    "course_explorer",
    "criteria_calculator",
    "criteria_prevalence_app",
    "plasma_volume_app",
    "refresh_new_view_state",
    "single_exchange_app",
    "vignette_quiz",
]

STYLE = {"description_width": "17em"}
WIDE = widgets.Layout(width="40em")
BUTTON = widgets.Layout(width="fit-content")
NOTICE = ("Educational model of IgG levels, not a treatment plan. No trial has shown that "
          "lowering antibodies helps people with fibromyalgia.")


def _slider(description: str, value: float, low: float, high: float, step: float,
            readout_format: str = ".2f") -> widgets.FloatSlider:
    return widgets.FloatSlider(value=value, min=low, max=high, step=step,
                               description=description, style=STYLE, layout=WIDE,
                               readout_format=readout_format, continuous_update=True)


def _patient_controls() -> dict[str, widgets.Widget]:
    return {
        "sex": widgets.ToggleButtons(options=[("Female", "female"), ("Male", "male")],
                                     value="female", description="Sex (for Nadler)",
                                     style=STYLE),
        "height_cm": _slider("Height (cm)", 165, 140, 200, 1, ".0f"),
        "weight_kg": _slider("Weight (kg)", 70, 40, 160, 1, ".0f"),
        "hematocrit": _slider("Haematocrit (fraction)", 0.40, 0.25, 0.55, 0.01),
    }


def _patient_plasma_volume(controls: dict[str, widgets.Widget], method: str = "nadler") -> float:
    return plasma_volume_l(controls["sex"].value, controls["height_cm"].value,
                           controls["weight_kg"].value, controls["hematocrit"].value, method)


def _html_table(table: pd.DataFrame, caption: str) -> str:
    return table.to_html(index=False, border=0, classes="course-table", na_rep="–",
                         float_format=lambda value: f"{value:g}").replace(
        "<thead>", f"<caption>{html.escape(caption)}</caption><thead>", 1)


def refresh_new_view_state(figure: go.FigureWidget) -> None:
    """Make a FigureWidget's next view (page reload, second view) start from its current state.

    plotly refreshes the synced ``_widget_data``/``_widget_layout`` only when the figure
    itself is displayed; updates made afterwards reach open views as messages but not the
    state a new view is built from. traitlets keeps trait values in ``_trait_values``:
    writing there changes what ``Widget.get_state()`` gives a new view, without a change
    notification, so nothing is re-sent to the views already showing the data. plotly's own
    current data and layout dicts are shared, not copied; they are serialised when asked.

    Parameters
    ----------
    figure : plotly.graph_objects.FigureWidget
        The figure just updated.
    """
    figure._trait_values["_widget_data"] = figure._data
    figure._trait_values["_widget_layout"] = figure._layout_obj._props


class _Displayable:
    """Mixin: display the app's ``widget`` when the app object ends a cell."""

    widget: widgets.Widget

    def _repr_mimebundle_(self, **kwargs: object) -> dict | None:
        return self.widget._repr_mimebundle_(**kwargs)


class _ExplorerOutputs(_Displayable):
    """Outputs shared by the explorers: summary, figure description, message, data table.

    Subclasses call :meth:`_build_outputs` in their constructor and implement
    ``_render_table``, which fills ``self.table`` when the student asks for the data.
    """

    def _build_outputs(self) -> None:
        self.table_toggle = widgets.ToggleButton(value=False, description="Show data table",
                                                 icon="table", layout=BUTTON)
        self.summary = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.description = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.message = widgets.HTML()
        self.table = widgets.HTML(layout=widgets.Layout(display="none", max_height="22em",
                                                        overflow="auto"))
        self.table_toggle.observe(self._on_table, names="value")

    def _render_table(self) -> None:
        raise NotImplementedError

    def _show_problem(self, error: ParameterError, kept: str) -> None:
        """Explain an invalid combination in the widget; the plot keeps ``kept``."""
        self.message.value = (
            "<p role='alert' style='color:#B00020'><b>Cannot run this combination:</b> "
            f"{html.escape(str(error))} The plot still shows the last valid {kept}.</p>")

    def _show_description(self, text: str) -> None:
        """Show the figure's generated text description."""
        self.description.value = ("<p class='figure-description'><b>Figure description:</b> "
                                  f"{html.escape(text)}</p>")

    def _show_summary(self, title: str, items: list[str]) -> None:
        """Show the live summary: a heading and a list of (HTML) items."""
        self.summary.value = (f"<div aria-live='polite'><b>{title}</b><ul>"
                              + "".join(f"<li>{item}</li>" for item in items) + "</ul></div>")

    def _on_table(self, change: dict) -> None:
        self.table.layout.display = "block" if change["new"] else "none"
        self.table_toggle.description = "Hide data table" if change["new"] else "Show data table"
        if change["new"]:
            self._render_table()


class CourseExplorer(_ExplorerOutputs):
    """The main explorer: a plasma-exchange course and modelled IgG over time.

    Attributes
    ----------
    controls : dict of str to ipywidgets.Widget
        Every control by name: ``volume_pv``, ``n_sessions``, ``interval_days``,
        ``duration_hours``, ``replacement``, ``days``, the patient (``sex``, ``height_cm``,
        ``weight_kg``, ``hematocrit``) and the advanced parameters
        (``intravascular_fraction``, ``return_rate_pct_per_hour``, ``half_life_days``,
        ``fcrn_exponent``).
    figure : plotly.graph_objects.FigureWidget
        The plot. Traces: plasma, tissue, autoantibody, pinned plasma, pinned tissue,
        session markers.
    summary, description, message, table : ipywidgets.HTML
        Live summary, generated text description of the figure, error message, data table.
    result : pandas.DataFrame
        The current simulation.
    """

    def __init__(self) -> None:
        ranges = IgGParameters.ranges()
        defaults = IgGParameters()
        self.controls: dict[str, widgets.Widget] = {
            "volume_pv": _slider("Volume per session (PV)", 1.0, 0.25, 3.0, 0.05),
            "n_sessions": widgets.IntSlider(value=5, min=0, max=20, description="Sessions",
                                            style=STYLE, layout=WIDE),
            "interval_days": _slider("Days between sessions", 2.0, 0.05, 14.0, 0.05),
            "duration_hours": _slider("Session length (hours)", 2.0, 1.5, 3.0, 0.25),
            "replacement": widgets.ToggleButtons(
                options=[("Albumin (no IgG)", "albumin"), ("Donor plasma", "plasma")],
                value="albumin", description="Replacement fluid", style=STYLE),
            "days": widgets.IntSlider(value=60, min=20, max=180, step=5,
                                      description="Days shown", style=STYLE, layout=WIDE),
            **_patient_controls(),
            "intravascular_fraction": _slider("IgG in plasma (fraction)",
                                              defaults.intravascular_fraction,
                                              *ranges["intravascular_fraction"], 0.01),
            "return_rate_pct_per_hour": _slider(
                "Return from tissues (%/h)", defaults.return_rate_per_day / 24 * 100,
                *(value / 24 * 100 for value in ranges["return_rate_per_day"]), 0.1),
            "half_life_days": _slider("IgG half-life (days)", defaults.half_life_days,
                                      *ranges["half_life_days"], 0.5, ".1f"),
            "fcrn_exponent": _slider("FcRn exponent α", defaults.fcrn_exponent,
                                     *ranges["fcrn_exponent"], 0.05),
        }
        self.advanced_toggle = widgets.ToggleButton(
            value=False, description="Show advanced parameters", icon="sliders",
            tooltip="Model parameters: mostly measured, some assumed (see the model card)",
            layout=BUTTON)
        self.pin_button = widgets.Button(description="Pin this scenario", icon="thumb-tack",
                                         tooltip="Keep the current curves to compare",
                                         layout=BUTTON)
        self.clear_button = widgets.Button(description="Clear pin", icon="times",
                                           disabled=True, layout=BUTTON)
        self.figure = go.FigureWidget(data=course_traces(),
                                      layout=course_layout(self.controls["days"].value))
        self._build_outputs()
        self.patient_readout = widgets.HTML()
        self.pinned: pd.DataFrame | None = None
        self.result = pd.DataFrame()
        self._summary: CourseSummary | None = None

        advanced_names = ["intravascular_fraction", "return_rate_pct_per_hour",
                          "half_life_days", "fcrn_exponent"]
        self.advanced_box = widgets.VBox(
            [widgets.HTML("<b>Advanced model parameters</b> (defaults from <code>data/</code>;"
                          " the return rate is an assumption)")]
            + [self.controls[name] for name in advanced_names],
            layout=widgets.Layout(display="none"))
        course_box = widgets.VBox([widgets.HTML("<b>Course</b>")] + [
            self.controls[name] for name in ["volume_pv", "n_sessions", "interval_days",
                                             "duration_hours", "replacement", "days"]])
        patient_box = widgets.VBox([widgets.HTML("<b>Patient</b>")] + [
            self.controls[name] for name in ["sex", "height_cm", "weight_kg", "hematocrit"]]
            + [self.patient_readout])
        self.widget = widgets.VBox([
            widgets.HTML(f"<p role='note'><em>{html.escape(NOTICE)}</em></p>"),
            widgets.HBox([course_box, patient_box],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.advanced_toggle, self.advanced_box,
            self.message, self.figure, self.description, self.summary,
            widgets.HBox([self.pin_button, self.clear_button, self.table_toggle]),
            self.table,
        ])
        self.widget.add_class("course-explorer")
        self.summary.add_class("explorer-summary")

        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.advanced_toggle.observe(self._on_advanced, names="value")
        self.pin_button.on_click(self._on_pin)
        self.clear_button.on_click(self._on_clear)
        self.update()

    # ----------------------------------------------------------------- model inputs
    def parameters(self) -> IgGParameters:
        """Return the model parameters the controls currently describe."""
        c = self.controls
        return IgGParameters(
            intravascular_fraction=c["intravascular_fraction"].value,
            half_life_days=c["half_life_days"].value,
            return_rate_per_day=c["return_rate_pct_per_hour"].value / 100 * 24,
            fcrn_exponent=c["fcrn_exponent"].value,
        )

    def _schedule(self) -> Schedule:
        c = self.controls
        return tpe_course(c["n_sessions"].value, c["volume_pv"].value, c["interval_days"].value,
                          duration_hours=c["duration_hours"].value,
                          replacement=c["replacement"].value)

    # ------------------------------------------------------------------- updating
    def update(self) -> None:
        """Re-run the model for the current controls and update every output."""
        try:
            params = self.parameters()
            schedule = self._schedule()
            plasma_volume = _patient_plasma_volume(self.controls)
        except ParameterError as error:
            self._show_problem(error, "course")
            return
        self.message.value = ""
        days = float(self.controls["days"].value)
        self.result = simulate(schedule, params=params, days=days, step_hours=1.0)
        marker_x, marker_y = session_markers(schedule, days)
        with self.figure.batch_update():
            day = self.result["day"].to_numpy()
            for index, column in enumerate(["plasma_pct", "extravascular_pct",
                                            "autoantibody_plasma_pct"]):
                self.figure.data[index].x = day
                self.figure.data[index].y = self.result[column].to_numpy()
            # With albumin the autoantibody lies exactly on plasma IgG: keep it in the legend
            # (one click shows it) rather than hiding the plasma line's colour under it.
            apart = (self.result["autoantibody_plasma_pct"] - self.result["plasma_pct"]).abs()
            self.figure.data[2].visible = True if apart.max() > 0.5 else "legendonly"
            self.figure.data[5].x = marker_x
            self.figure.data[5].y = marker_y
            self.figure.layout.xaxis.range = [0, days]
        refresh_new_view_state(self.figure)
        # The plot goes out first; the text outputs follow.
        self._summary = summarize_course(self.result, schedule, params, plasma_volume)
        self.patient_readout.value = (
            f"Plasma volume (Nadler): <b>{plasma_volume:.2f} L</b>; one plasma volume "
            f"exchanged = {plasma_volume:.2f} L, this course = "
            f"{self._summary.exchanged_l:.1f} L in total.")
        self._show_summary("Summary (model output, not a target)",
                           self._summary_items(self._summary))
        self._show_description(describe_course(self.result, schedule, self._summary))
        if self.table_toggle.value:
            self._render_table()

    @staticmethod
    def _summary_items(summary: CourseSummary) -> list[str]:
        if summary.recovery_day is None:
            recovery = f"not back above 80% within the {summary.days_shown:g} days shown"
        else:
            recovery = f"back above 80% on day {summary.recovery_day:.1f}"
        return [
            f"Lowest plasma IgG: <b>{summary.lowest_plasma_pct:.0f}%</b> of baseline "
            f"(day {summary.lowest_day:.1f})",
            f"Just after the last session: <b>{summary.end_of_course_plasma_pct:.0f}%</b>",
            f"Recovery: {recovery}",
            f"IgG removed in total: <b>{summary.removed_pct:.0f}%</b> of the starting body "
            f"pool (about {summary.removed_g:.0f} g)",
            f"Lowest autoantibody level: {summary.lowest_autoantibody_pct:.0f}%",
        ]

    def _render_table(self) -> None:
        table = course_table(self.result, pinned=self.pinned, every_days=1.0)
        self.table.value = _html_table(table, "Data behind the figure, one row per day")

    # ------------------------------------------------------------------ callbacks
    def _on_change(self, _change: dict) -> None:
        self.update()

    def _on_advanced(self, change: dict) -> None:
        self.advanced_box.layout.display = "flex" if change["new"] else "none"
        self.advanced_toggle.description = ("Hide advanced parameters" if change["new"]
                                            else "Show advanced parameters")

    def _on_pin(self, _button: widgets.Button | None = None) -> None:
        self.pinned = self.result.copy()
        with self.figure.batch_update():
            for index, column in [(3, "plasma_pct"), (4, "extravascular_pct")]:
                self.figure.data[index].x = self.pinned["day"].to_numpy()
                self.figure.data[index].y = self.pinned[column].to_numpy()
        refresh_new_view_state(self.figure)
        self.clear_button.disabled = False
        if self.table_toggle.value:
            self._render_table()

    def _on_clear(self, _button: widgets.Button | None = None) -> None:
        self.pinned = None
        with self.figure.batch_update():
            for index in (3, 4):
                self.figure.data[index].x = []
                self.figure.data[index].y = []
        refresh_new_view_state(self.figure)
        self.clear_button.disabled = True
        if self.table_toggle.value:
            self._render_table()

    def pin(self) -> None:
        """Pin the current scenario for comparison (as the "Pin" button does)."""
        self._on_pin()

    def clear_pin(self) -> None:
        """Remove the pinned scenario (as the "Clear pin" button does)."""
        self._on_clear()


def course_explorer() -> CourseExplorer:
    """Build the course explorer (see :class:`CourseExplorer`)."""
    return CourseExplorer()


class PlasmaVolumeApp(_Displayable):
    """Plasma volume from sex, height, weight and haematocrit, by Nadler and by Kaplan.

    Attributes
    ----------
    controls : dict of str to ipywidgets.Widget
        ``sex``, ``height_cm``, ``weight_kg``, ``hematocrit``.
    output : ipywidgets.HTML
        Both estimates side by side and how far they disagree.
    """

    def __init__(self) -> None:
        self.controls = _patient_controls()
        self.output = widgets.HTML()
        self.widget = widgets.VBox([*list(self.controls.values()), self.output])
        for control in self.controls.values():
            control.observe(lambda _change: self.update(), names="value")
        self.update()

    def estimates(self) -> dict[str, float]:
        """Plasma volume in litres by each method for the current controls."""
        return {method: _patient_plasma_volume(self.controls, method)
                for method in ("nadler", "kaplan")}

    def update(self) -> None:
        """Recompute both estimates and the comparison text."""
        values = self.estimates()
        gap = 100.0 * (values["kaplan"] - values["nadler"]) / values["nadler"]
        direction = "more" if gap > 0 else "less"
        table = pd.DataFrame({
            "Method": ["Nadler (sex, height, weight)", "Kaplan (weight only)"],
            "Plasma volume (L)": [round(values["nadler"], 2), round(values["kaplan"], 2)],
        })
        self.output.value = (
            _html_table(table, "Estimated plasma volume by two formulas")
            + f"<p aria-live='polite'>Kaplan's weight-only formula gives {abs(gap):.0f}% "
            f"{direction} than Nadler's for this person.</p>")


def plasma_volume_app() -> PlasmaVolumeApp:
    """Build the plasma-volume comparison app (see :class:`PlasmaVolumeApp`)."""
    return PlasmaVolumeApp()


class SingleExchangeApp(_Displayable):
    """One exchange: a volume slider, the diminishing-returns curve and the removal table.

    Attributes
    ----------
    slider : ipywidgets.FloatSlider
        Exchange volume, 0.25–3 plasma volumes.
    figure : plotly.graph_objects.FigureWidget
        Trace 0: the curve; trace 1: the chosen volume.
    readout : ipywidgets.HTML
        What the chosen volume removes, in words.
    """

    def __init__(self) -> None:
        self.slider = _slider("One exchange (plasma volumes)", 1.0, 0.25, 3.0, 0.05)
        self.figure = go.FigureWidget(removal_curve_figure(self.slider.value))
        self.readout = widgets.HTML()
        removal = load_table("plasma_volume_removal")
        table = removal[["plasma_volumes", "percent_removed", "percent_remaining", "status"]]
        table.columns = ["Plasma volumes", "% removed", "% remaining", "Status"]
        self.table = widgets.HTML(_html_table(table, "Removal table (1 − exp(−n))"))
        self.widget = widgets.VBox([self.slider, self.figure, self.readout, self.table])
        self.slider.observe(lambda _change: self.update(), names="value")
        self.update()

    def update(self) -> None:
        """Move the marked point and rewrite the readout."""
        volume = self.slider.value
        removed = 100.0 * (1.0 - fraction_remaining(volume))
        with self.figure.batch_update():
            self.figure.data[1].x = [volume]
            self.figure.data[1].y = [removed]
            self.figure.data[1].text = [f"{removed:.1f}%"]
        self.readout.value = (
            f"<p aria-live='polite'>Exchanging <b>{volume:.2f}</b> plasma volumes removes "
            f"<b>{removed:.1f}%</b> of a substance that stays in the plasma, and leaves "
            f"{100 - removed:.1f}%. IgG does not stay in the plasma: see the next section."
            "</p>")


def single_exchange_app() -> SingleExchangeApp:
    """Build the single-exchange app (see :class:`SingleExchangeApp`)."""
    return SingleExchangeApp()


class AnswerChecker(_Displayable):
    """A numeric exercise: the student types an answer and gets feedback.

    Attributes
    ----------
    answer : ipywidgets.FloatText
        The student's answer.
    button : ipywidgets.Button
        "Check".
    feedback : ipywidgets.HTML
        The feedback shown after checking.
    """

    def __init__(self, question: str, correct: float, tolerance: float, unit: str,
                 explanation: str) -> None:
        self.correct = correct
        self.tolerance = tolerance
        self.unit = unit
        self.explanation = explanation
        self.answer = widgets.FloatText(description="Your answer", style=STYLE)
        self.button = widgets.Button(description="Check", icon="check")
        self.feedback = widgets.HTML()
        self.widget = widgets.VBox([widgets.HTML(f"<p>{question}</p>"),
                                    widgets.HBox([self.answer, self.button]), self.feedback])
        self.button.on_click(lambda _button: self.check())

    def check(self) -> bool:
        """Compare the answer with the model's and show feedback; return True if right."""
        right = abs(self.answer.value - self.correct) <= self.tolerance
        verdict = "Right" if right else "Not quite"
        self.feedback.value = (
            f"<p aria-live='polite'><b>{verdict}.</b> The model's answer is "
            f"{self.correct:g} {self.unit}. {html.escape(self.explanation)}</p>")
        return right


def answer_checker(question: str, correct: float, tolerance: float, unit: str,
                   explanation: str) -> AnswerChecker:
    """Build a numeric exercise with feedback (see :class:`AnswerChecker`)."""
    return AnswerChecker(question, correct, tolerance, unit, explanation)


# ------------------------------------------------------------------ the condition (notebook 01)

SYMPTOM_OPTIONS = [("0 – no problem", 0), ("1 – slight or mild, intermittent", 1),
                   ("2 – moderate, often present", 2), ("3 – severe, continuous", 3)]
SYMPTOM_ITEMS = dict(zip(ITEM_NAMES, ["Fatigue", "Waking unrefreshed", "Cognitive symptoms"],
                         strict=True))
SYMPTOM_FLAGS = dict(zip(FLAG_NAMES, ["Headaches", "Pain or cramps in lower abdomen",
                                      "Depression"], strict=True))


class CriteriaCalculator(_Displayable):
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


class VignetteQuiz(_Displayable):
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


class CriteriaPrevalenceApp(_Displayable):
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
