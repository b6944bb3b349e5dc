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
from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from helpers.checks import ParameterError
from helpers.data import load_table
from helpers.figures import (
    course_layout,
    course_table,
    course_traces,
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
    "PlasmaVolumeApp",
    "SingleExchangeApp",
    "answer_checker",
    "course_explorer",
    "plasma_volume_app",
    "single_exchange_app",
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


class _Displayable:
    """Mixin: display the app's ``widget`` when the app object ends a cell."""

    widget: widgets.Widget

    def _repr_mimebundle_(self, **kwargs: object) -> dict | None:
        return self.widget._repr_mimebundle_(**kwargs)


@dataclass
class _Scenario:
    """A simulated scenario kept for comparison (the pinned one)."""

    label: str
    result: pd.DataFrame


class CourseExplorer(_Displayable):
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
        self.table_toggle = widgets.ToggleButton(value=False, description="Show data table",
                                                 icon="table", layout=BUTTON)
        self.figure = go.FigureWidget(data=course_traces(),
                                      layout=course_layout(self.controls["days"].value))
        self.summary = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.description = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.message = widgets.HTML()
        self.table = widgets.HTML(layout=widgets.Layout(display="none", max_height="22em",
                                                        overflow="auto"))
        self.patient_readout = widgets.HTML()
        self.pinned: _Scenario | None = None
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
        self.table_toggle.observe(self._on_table, names="value")
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
            self.message.value = (
                "<p role='alert' style='color:#B00020'><b>Cannot run this combination:</b> "
                f"{html.escape(str(error))} The plot still shows the last valid course.</p>")
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
        self._keep_new_views_current()
        # The plot goes out first; the text outputs follow.
        self._summary = summarize_course(self.result, schedule, params, plasma_volume)
        self.patient_readout.value = (
            f"Plasma volume (Nadler): <b>{plasma_volume:.2f} L</b>; one plasma volume "
            f"exchanged = {plasma_volume:.2f} L, this course = "
            f"{self._summary.exchanged_l:.1f} L in total.")
        self.summary.value = self._summary_html(self._summary)
        self.description.value = (
            "<p class='figure-description'><b>Figure description:</b> "
            f"{html.escape(describe_course(self.result, schedule, self._summary))}</p>")
        if self.table_toggle.value:
            self._render_table()

    def _keep_new_views_current(self) -> None:
        """Refresh the state a new view starts from, without sending it to open views."""
        # traitlets keeps trait values in ``_trait_values``; writing there changes the state
        # that Widget.get_state() gives a new view, without a change notification, so
        # nothing is sent to the views that are already showing this data.
        # plotly's own current data and layout dicts are shared, not copied: get_state()
        # serialises them when a view asks.
        self.figure._trait_values["_widget_data"] = self.figure._data
        self.figure._trait_values["_widget_layout"] = self.figure._layout_obj._props

    @staticmethod
    def _summary_html(summary: CourseSummary) -> str:
        if summary.recovery_day is None:
            recovery = f"not back above 80% within the {summary.days_shown:g} days shown"
        else:
            recovery = f"back above 80% on day {summary.recovery_day:.1f}"
        items = [
            f"Lowest plasma IgG: <b>{summary.lowest_plasma_pct:.0f}%</b> of baseline "
            f"(day {summary.lowest_day:.1f})",
            f"Just after the last session: <b>{summary.end_of_course_plasma_pct:.0f}%</b>",
            f"Recovery: {recovery}",
            f"IgG removed in total: <b>{summary.removed_pct:.0f}%</b> of the starting body "
            f"pool (about {summary.removed_g:.0f} g)",
            f"Lowest autoantibody level: {summary.lowest_autoantibody_pct:.0f}%",
        ]
        return ("<div aria-live='polite'><b>Summary (model output, not a target)</b><ul>"
                + "".join(f"<li>{item}</li>" for item in items) + "</ul></div>")

    def _render_table(self) -> None:
        pinned = self.pinned.result if self.pinned else None
        table = course_table(self.result, pinned=pinned, every_days=1.0)
        self.table.value = _html_table(table, "Data behind the figure, one row per day")

    # ------------------------------------------------------------------ callbacks
    def _on_change(self, _change: dict) -> None:
        self.update()

    def _on_advanced(self, change: dict) -> None:
        self.advanced_box.layout.display = "flex" if change["new"] else "none"
        self.advanced_toggle.description = ("Hide advanced parameters" if change["new"]
                                            else "Show advanced parameters")

    def _on_table(self, change: dict) -> None:
        self.table.layout.display = "block" if change["new"] else "none"
        self.table_toggle.description = "Hide data table" if change["new"] else "Show data table"
        if change["new"]:
            self._render_table()

    def _on_pin(self, _button: widgets.Button | None = None) -> None:
        self.pinned = _Scenario("pinned", self.result.copy())
        with self.figure.batch_update():
            for index, column in [(3, "plasma_pct"), (4, "extravascular_pct")]:
                self.figure.data[index].x = self.pinned.result["day"].to_numpy()
                self.figure.data[index].y = self.pinned.result[column].to_numpy()
        self._keep_new_views_current()
        self.clear_button.disabled = False
        if self.table_toggle.value:
            self._render_table()

    def _on_clear(self, _button: widgets.Button | None = None) -> None:
        self.pinned = None
        with self.figure.batch_update():
            for index in (3, 4):
                self.figure.data[index].x = []
                self.figure.data[index].y = []
        self._keep_new_views_current()
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
