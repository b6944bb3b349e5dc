"""Widget apps for the plasma-exchange notebook (03): the course explorer and its helpers."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from helpers.apps.common import (
    BUTTON,
    NOTICE,
    STYLE,
    WIDE,
    AnswerChecker,
    Displayable,
    Exercise,
    ExplorerOutputs,
    build_exercise,
    explorer_layout,
    html_table,
    refresh_new_view_state,
    slider,
)
from helpers.checks import ParameterError
from helpers.data import load_table
from helpers.figures.exchange import (
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
    volume_pv_for_removal,
)
from helpers.metrics import CourseSummary, fewest_sessions_below, summarize_course

__all__ = [
    "EXERCISES",
    "CourseExplorer",
    "PlasmaVolumeApp",
    "SingleExchangeApp",
    "course_explorer",
    "exercise",
    "plasma_volume_app",
    "single_exchange_app",
]

def _patient_controls() -> dict[str, widgets.Widget]:
    return {
        "sex": widgets.ToggleButtons(options=[("Female", "female"), ("Male", "male")],
                                     value="female", description="Sex (for Nadler)",
                                     style=STYLE),
        "height_cm": slider("Height (cm)", 165, 140, 200, 1, ".0f"),
        "weight_kg": slider("Weight (kg)", 70, 40, 160, 1, ".0f"),
        "hematocrit": slider("Haematocrit (fraction)", 0.40, 0.25, 0.55, 0.01),
    }


def _patient_plasma_volume(controls: dict[str, widgets.Widget], method: str = "nadler") -> float:
    return plasma_volume_l(controls["sex"].value, controls["height_cm"].value,
                           controls["weight_kg"].value, controls["hematocrit"].value, method)



class CourseExplorer(ExplorerOutputs):
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
            "volume_pv": slider("Volume per session (PV)", 1.0, 0.25, 3.0, 0.05),
            "n_sessions": widgets.IntSlider(value=5, min=0, max=20, description="Sessions",
                                            style=STYLE, layout=WIDE),
            "interval_days": slider("Days between sessions", 2.0, 0.05, 14.0, 0.05),
            "duration_hours": slider("Session length (hours)", 2.0, 1.5, 3.0, 0.25),
            "replacement": widgets.ToggleButtons(
                options=[("Albumin (no IgG)", "albumin"), ("Donor plasma", "plasma")],
                value="albumin", description="Replacement fluid", style=STYLE),
            "days": widgets.IntSlider(value=60, min=20, max=180, step=5,
                                      description="Days shown", style=STYLE, layout=WIDE),
            **_patient_controls(),
            "intravascular_fraction": slider("IgG in plasma (fraction)",
                                              defaults.intravascular_fraction,
                                              *ranges["intravascular_fraction"], 0.01),
            "return_rate_pct_per_hour": slider(
                "Return from tissues (%/h)", defaults.return_rate_per_day / 24 * 100,
                *(value / 24 * 100 for value in ranges["return_rate_per_day"]), 0.1),
            "half_life_days": slider("IgG half-life (days)", defaults.half_life_days,
                                      *ranges["half_life_days"], 0.5, ".1f"),
            "fcrn_exponent": slider("FcRn exponent α", defaults.fcrn_exponent,
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
        self.widget = explorer_layout(
            notice=NOTICE, control_groups=[course_box, patient_box, self.advanced_box],
            figure=self.figure, under_figure=[self.message, self.summary],
            below=[self.advanced_toggle, self.description,
                   widgets.HBox([self.pin_button, self.clear_button, self.table_toggle]),
                   self.table],
            css_class="course-explorer")
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
        self.table.value = html_table(table, "Data behind the figure, one row per day")

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


class PlasmaVolumeApp(Displayable):
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
            html_table(table, "Estimated plasma volume by two formulas")
            + f"<p aria-live='polite'>Kaplan's weight-only formula gives {abs(gap):.0f}% "
            f"{direction} than Nadler's for this person.</p>")


def plasma_volume_app() -> PlasmaVolumeApp:
    """Build the plasma-volume comparison app (see :class:`PlasmaVolumeApp`)."""
    return PlasmaVolumeApp()


class SingleExchangeApp(Displayable):
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
        self.slider = slider("One exchange (plasma volumes)", 1.0, 0.25, 3.0, 0.05)
        self.figure = go.FigureWidget(removal_curve_figure(self.slider.value))
        self.readout = widgets.HTML()
        removal = load_table("plasma_volume_removal")
        table = removal[["plasma_volumes", "percent_removed", "percent_remaining", "status"]]
        table.columns = ["Plasma volumes", "% removed", "% remaining", "Status"]
        self.table = widgets.HTML(html_table(table, "Removal table (1 − exp(−n))"))
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


EXERCISES = {
    "volume-for-90-percent": Exercise(
        question="How many plasma volumes must one session exchange to remove 90% of a "
                 "substance that stays in the plasma (to one decimal place)?",
        answer=lambda: round(volume_pv_for_removal(0.90), 1), tolerance=0.1,
        unit="plasma volumes",
        hint="The fraction left after V plasma volumes is exp(−V); solve exp(−V) = 0.10.",
        explanation="V = ln 10 = 2.3 plasma volumes. That is a long, demanding session, which "
                    "is one reason courses use several sessions of 1–1.5 plasma volumes "
                    "instead."),
    "sessions-below-40": Exercise(
        question="In the model, what is the fewest sessions (1 plasma volume every 2 days) "
                 "that keep plasma IgG below 40% of baseline for 14 days in a row?",
        answer=lambda: float(fewest_sessions_below(40, 14, volume_pv=1.0, interval_days=2.0)),
        tolerance=0, unit="sessions",
        hint="Use the explorer above: set 1 PV every 2 days and add sessions until the plasma "
             "curve stays under 40% for two weeks (show the data table to read it exactly).",
        explanation="Fewer sessions end the course too early: within days of the last one, "
                    "IgG from the tissues and new production lift plasma IgG back above 40%."),
}


def exercise(name: str) -> AnswerChecker:
    """Build one of this notebook's numeric exercises by name (see :data:`EXERCISES`)."""
    return build_exercise(EXERCISES, name)
