"""Widget apps for the plasma-exchange notebook (03): the course explorer and its helpers."""

from __future__ import annotations

import functools
import html
import math
from collections.abc import Callable, Iterator, Mapping

import ipywidgets as widgets
import pandas as pd

from helpers.apps.common import (
    BUTTON,
    NOTICE,
    STYLE,
    WIDE,
    AnswerChecker,
    Displayable,
    Exercise,
    ExplorerOutputs,
    LiveFigure,
    build_exercise,
    explorer_layout,
    fitted_column,
    html_table,
    refresh_new_view_state,
    slider,
)
from helpers.checks import ParameterError
from helpers.data import load_table
from helpers.figures.exchange import (
    autoantibody_on_plasma_line,
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
from helpers.metrics import (
    RECOVERY_THRESHOLD_PCT,
    CourseSummary,
    fewest_sessions_below,
    longest_run_below_days,
    summarize_course,
)

__all__ = [
    "EXERCISES",
    "CourseExplorer",
    "PlasmaVolumeApp",
    "SingleExchangeApp",
    "course_explorer",
    "daily_schedule_warning",
    "exercise",
    "large_volume_note",
    "plasma_volume_app",
    "shortest_interval_days",
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


INTERVAL_STEP_DAYS = 0.05
# The ASFA volume per session for myasthenia gravis (2013, reported by a secondary source;
# data/igg_model_parameters.csv, exchange_volume_pv): above its top the explorer says so.
GUIDELINE_VOLUME_PV = (1.0, 1.5)


def shortest_interval_days(duration_hours: float) -> float:
    """Shortest interval the explorer offers: one session length, rounded up to its step."""
    steps = math.ceil(duration_hours / 24.0 / INTERVAL_STEP_DAYS - 1e-9)
    return round(steps * INTERVAL_STEP_DAYS, 2)


def _warning_box(css_class: str, title: str, text: str) -> str:
    """Return a warning shown beside the explorer's controls (``text`` is HTML)."""
    return (f"<div role='note' class='{css_class}' style='border-left:4px solid #D55E00;"
            f"padding:0.3em 0.6em;margin:0.3em 0'><b>⚠ {title}</b> {text}</div>")


def daily_schedule_warning() -> str:
    """Return the warning shown when sessions are a day or less apart (text from ``data/``)."""
    risks = load_table("plasma_exchange_risks").set_index("id")
    fibrinogen = risks.loc["fibrinogen"]
    return _warning_box(
        "daily-warning", "Sessions a day or less apart.",
        f"{html.escape(fibrinogen['finding'])} (reported by "
        f"{html.escape(fibrinogen['reported_by'])}.) The model follows IgG only: it shows none "
        "of these risks. See the section <i>Risks of plasma exchange</i>.")


def large_volume_note() -> str:
    """Return the note shown when one session exchanges more than the guideline volume."""
    low, high = GUIDELINE_VOLUME_PV
    return _warning_box(
        "volume-warning", "Beyond guideline volumes.",
        f"The ASFA guideline gives {low:g}–{high:g} plasma volumes per session for myasthenia "
        "gravis (reported by a secondary source). Larger volumes mean longer sessions and more "
        "risk; the model shows none of it.")


class CourseExplorer(ExplorerOutputs):
    """The main explorer: a plasma-exchange course and modelled IgG over time.

    Attributes
    ----------
    controls : dict of str to ipywidgets.Widget
        Every control by name: ``volume_pv``, ``n_sessions``, ``interval_days``,
        ``duration_hours``, ``replacement``, ``days``, ``below_pct`` (the level whose longest
        stretch below the summary reports; text only), the patient (``sex``, ``height_cm``,
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
        volume = load_table("igg_model_parameters").set_index("parameter").loc[
            "exchange_volume_pv"]
        self.controls: dict[str, widgets.Widget] = {
            "volume_pv": slider("Volume per session (PV)", float(volume["value"]),
                                float(volume["range_min"]), float(volume["range_max"]), 0.05),
            "n_sessions": widgets.IntSlider(value=5, min=0, max=20, description="Sessions",
                                            style=STYLE, layout=WIDE),
            "interval_days": slider("Days between sessions", 2.0,
                                    shortest_interval_days(2.0), 14.0, INTERVAL_STEP_DAYS),
            "duration_hours": slider("Session length (hours)", 2.0, 1.5, 3.0, 0.25),
            "replacement": widgets.ToggleButtons(
                options=[("Albumin (no IgG)", "albumin"), ("Donor plasma", "plasma")],
                value="albumin", description="Replacement fluid", style=STYLE),
            "days": widgets.IntSlider(value=60, min=20, max=180, step=5,
                                      description="Days shown", style=STYLE, layout=WIDE),
            "below_pct": slider("Count days below (% of baseline)", 50.0, 10.0, 90.0, 5.0,
                                ".0f"),
            **_patient_controls(),
            "intravascular_fraction": slider("IgG in plasma (fraction)",
                                              defaults.intravascular_fraction,
                                              *ranges["intravascular_fraction"], 0.01),
            "return_rate_pct_per_hour": slider(
                "Return from tissues (%/h)", defaults.return_rate_per_day / 24 * 100,
                *(value / 24 * 100 for value in ranges["return_rate_per_day"]), 0.1),
            "half_life_days": slider("IgG half-life (days)", defaults.half_life_days,
                                      *ranges["half_life_days"], 0.5, ".1f"),
            "fcrn_exponent": slider("FcRn saturation α", defaults.fcrn_exponent,
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
        self.figure = LiveFigure(data=course_traces(),
                                      layout=course_layout(self.controls["days"].value))
        self._build_outputs()
        self.patient_readout = widgets.HTML()
        self.interval_note = widgets.HTML(
            "<small>Start to start. The shortest interval offered is one session length, "
            "so sessions never overlap.</small>")
        self.daily_warning = widgets.HTML(daily_schedule_warning(),
                                          layout=widgets.Layout(display="none"))
        self.volume_warning = widgets.HTML(large_volume_note(),
                                           layout=widgets.Layout(display="none"))
        self.pinned: pd.DataFrame | None = None
        self.result = pd.DataFrame()
        self._summary: CourseSummary | None = None

        advanced_names = ["intravascular_fraction", "return_rate_pct_per_hour",
                          "half_life_days", "fcrn_exponent"]
        self.advanced_box = widgets.VBox(
            [widgets.HTML("<b>Advanced model parameters</b> (defaults from the course data; "
                          "the return rate is an assumption, α is calibrated)")]
            + [self.controls[name] for name in advanced_names],
            layout=widgets.Layout(display="none"))
        c = self.controls
        course_box = widgets.VBox([
            widgets.HTML("<b>Course</b>"), c["volume_pv"], self.volume_warning, c["n_sessions"],
            c["interval_days"], self.interval_note, self.daily_warning, c["duration_hours"],
            c["replacement"], c["days"], c["below_pct"]])
        patient_box = widgets.VBox([widgets.HTML("<b>Patient</b>")] + [
            self.controls[name] for name in ["sex", "height_cm", "weight_kg", "hematocrit"]]
            + [self.patient_readout])
        self.widget = explorer_layout(
            notice=NOTICE, control_groups=[course_box, patient_box, self.advanced_box],
            figure=self.figure, under_figure=[self.message, self.summary],
            actions=[self.advanced_toggle,
                     widgets.HBox([self.pin_button, self.clear_button, self.table_toggle])],
            below=[self.description, self.table],
            css_class="course-explorer")
        self.summary.add_class("explorer-summary")

        # Registered first, so the interval's floor moves before the model re-runs.
        self.controls["duration_hours"].observe(self._on_duration, names="value")
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
            self._show_problem(self._labelled(error), "course")
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
            self.figure.data[5].x = marker_x
            self.figure.data[5].y = marker_y
            self.figure.layout.xaxis.range = [0, days]
        refresh_new_view_state(self.figure)
        # The plot goes out first; the text outputs follow.
        self._summary = summarize_course(self.result, schedule, params, plasma_volume)
        self.patient_readout.value = (
            f"Plasma volume (Nadler): <b>{plasma_volume:.2f} L</b>; one plasma volume "
            f"exchanged = {plasma_volume:.2f} L, this course = "
            f"{self._summary.exchanged_l:.1f} L in total <i>(illustrative arithmetic, not a "
            "prescription)</i>.")
        self.daily_warning.layout.display = (
            "block" if schedule.n_sessions > 1 and self.controls["interval_days"].value <= 1.0
            else "none")
        self.volume_warning.layout.display = (
            "block" if schedule.n_sessions > 0
            and self.controls["volume_pv"].value > GUIDELINE_VOLUME_PV[1] + 1e-9 else "none")
        items = self._summary_items(self._summary, self.result)
        if schedule.n_sessions > 0:
            items.append(self._days_below_item(self.controls["below_pct"].value, self.result))
        self._show_summary("Summary (model output, not a target)", items)
        self._show_description(describe_course(self.result, schedule, self._summary))
        if self.table_toggle.value:
            self._render_table()

    @staticmethod
    def _summary_items(summary: CourseSummary, result: pd.DataFrame) -> list[str]:
        """Return the live summary, one sentence per item, each true at every setting."""
        mark = f"{RECOVERY_THRESHOLD_PCT:g}%"
        if summary.n_sessions == 0:
            return ["No exchange sessions: the model stays at its steady state, with plasma "
                    "IgG, tissue IgG and the autoantibody at <b>100%</b> of baseline."]
        items = []
        if not summary.course_complete:
            items.append(f"The course runs past the {summary.days_shown:g} days shown: "
                         f"{summary.sessions_shown} of its {summary.n_sessions} sessions start "
                         "in that time. Lengthen <i>Days shown</i> to see its end.")
        if summary.lowest_plasma_pct >= 99.5:
            items.append("Plasma IgG stays at about <b>100%</b> of baseline.")
        else:
            items.append(f"Lowest plasma IgG: <b>{summary.lowest_plasma_pct:.0f}%</b> of "
                         f"baseline (day {summary.lowest_day:.1f})")
        if summary.course_complete:
            items.append(f"Just after the last session (day {summary.course_end_day:.1f}): "
                         f"plasma IgG <b>{summary.end_of_course_plasma_pct:.0f}%</b>, "
                         f"whole-body IgG {summary.end_of_course_body_pct:.0f}%")
            back = f"Plasma IgG back above {mark} of baseline"
            if not summary.fell_below_threshold:
                items.append(f"Plasma IgG never fell below {mark} of baseline")
            elif summary.recovery_day is None:
                items.append(f"{back}: not within the {summary.days_shown:g} days shown")
            else:
                items.append(f"{back}: day {summary.recovery_day:.1f}, "
                             f"{summary.recovery_day - summary.course_end_day:.1f} days after "
                             "the last session")
        sessions = "the sessions" if summary.course_complete else "the sessions shown"
        meanwhile = ("during the course" if summary.course_complete
                     else f"in the {summary.days_shown:g} days shown")
        removed = (f"IgG taken out by {sessions}: <b>{summary.removed_pct:.0f}%</b> of the "
                   f"starting body pool (about {summary.removed_g:.0f} g)")
        if summary.donor_igg_pct > 0.5:
            removed += (". Much of that is donors' IgG: the donor plasma put back "
                        f"{summary.donor_igg_pct:.0f}% as the donors' normal IgG, and each "
                        "session takes out part of what the earlier ones put in. So total IgG "
                        "hardly falls; only the patient's own IgG, the autoantibody included, "
                        "is lowered")
        elif summary.removed_pct > 100.0:
            removed += (f". That is more than the body held at the start: it made another "
                        f"{summary.made_during_course_pct:.0f}% {meanwhile}, and the "
                        "sessions took part of that new IgG out too")
        items.append(removed)
        if autoantibody_on_plasma_line(result):
            items.append(f"Lowest autoantibody level: {summary.lowest_autoantibody_pct:.0f}%, "
                         "the same as plasma IgG (with albumin it behaves like total IgG)")
        else:
            items.append(f"Lowest autoantibody level: <b>{summary.lowest_autoantibody_pct:.0f}%"
                         f"</b> (day {summary.lowest_autoantibody_day:.1f})")
        return items

    @staticmethod
    def _days_below_item(level_pct: float, result: pd.DataFrame) -> str:
        """Return the summary line on the longest stretch with plasma IgG below a level."""
        level = f"{level_pct:g}%"
        if float(result["plasma_pct"].min()) >= level_pct:
            return f"Plasma IgG never below {level} of baseline"
        days = longest_run_below_days(result, level_pct)
        item = f"Longest stretch with plasma IgG below {level} of baseline: <b>{days:.1f} days</b>"
        if float(result["plasma_pct"].iloc[-1]) < level_pct:
            item += " (still below on the last day shown)"
        return item

    def _render_table(self) -> None:
        table = course_table(self.result, pinned=self.pinned, every_days=1.0)
        self.table.value = html_table(table, "Data behind the figure, one row per day")

    # ------------------------------------------------------------------ callbacks
    def _on_change(self, _change: dict) -> None:
        self.update()

    def _on_duration(self, change: dict) -> None:
        """Keep the interval slider from offering overlapping sessions."""
        interval = self.controls["interval_days"]
        floor = shortest_interval_days(change["new"])
        if interval.value < floor:
            interval.value = floor  # re-runs the model with the new duration and interval
        interval.min = floor

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


# The removal table's rows are formula values: the ones a published table also lists are
# "checked", the others "derived" (their status in data/plasma_volume_removal.csv).
REMOVAL_STATUS_WORDS = {"measured": "formula (checked)", "derived": "formula (derived)"}


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
        self.figure = LiveFigure(removal_curve_figure(self.slider.value))
        self.readout = widgets.HTML()
        removal = load_table("plasma_volume_removal")
        table = removal[["plasma_volumes", "percent_removed", "percent_remaining"]].assign(
            status=removal["status"].map(REMOVAL_STATUS_WORDS))
        table.columns = ["Plasma volumes", "% removed", "% remaining", "Status"]
        self.table = widgets.HTML(html_table(table, "Removal table (1 − exp(−n))"))
        self.widget = fitted_column([self.slider, self.figure, self.readout, self.table])
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


class ModelMistakes(Mapping[float, str]):
    """Foreseen wrong answers whose values come from the model, computed when first needed.

    Parameters
    ----------
    build : callable
        Returns the mistakes: wrong value to the hint it gets.
    """

    def __init__(self, build: Callable[[], dict[float, str]]) -> None:
        self._build = build

    @functools.cached_property
    def _mistakes(self) -> dict[float, str]:
        return self._build()

    def __getitem__(self, value: float) -> str:
        return self._mistakes[value]

    def __iter__(self) -> Iterator[float]:
        return iter(self._mistakes)

    def __len__(self) -> int:
        return len(self._mistakes)


@functools.cache
def _one_session_end() -> pd.Series:
    """Model state at the end of one 2-h session of 1 plasma volume (albumin)."""
    result = simulate(tpe_course(1, 1.0, 1.0), days=1.0, step_hours=1.0)
    return result.iloc[int((result["day"] - 2.0 / 24.0).abs().idxmin())]


def _one_session_removed_pct() -> float:
    """IgG removed by one 2-h session of 1 plasma volume, % of the body pool (model)."""
    return float(_one_session_end()["removed_pct"])


def _one_session_explanation() -> str:
    share = IgGParameters().intravascular_fraction
    plasma_only = 100.0 * (1.0 - fraction_remaining(1.0))
    return (f"In the model, about {_one_session_removed_pct():.0f}%. Only the "
            f"{100 * share:.0f}% of the body's IgG that is in the plasma is within reach: "
            f"{share:g} × {plasma_only:.0f}% = {share * plasma_only:.0f}%, plus a little that "
            "flowed in from the tissues during the two hours. Plasma IgG falls much further "
            "than that, but only until the tissues refill it.")


def _one_session_mistakes() -> dict[float, str]:
    end = _one_session_end()
    removed = round(_one_session_removed_pct())
    return {
        round(float(end["total_pct"]), 1):
            "That is what is left in the whole body just after the session. The question asks "
            "what was removed: 100 minus what is left.",
        removed / 100.0: "That looks like a fraction. Give a percentage (a fraction × 100).",
        round(100.0 * (1.0 - fraction_remaining(1.0)), 1):
            "That is what one plasma volume removes from the plasma alone. How much of the "
            "body's IgG is in the plasma?",
        round(float(end["plasma_pct"]), 1):
            "That is plasma IgG just after the session, as % of the level before it. The "
            "question asks about the whole body: look at the whole-body column.",
    }


def _plasma_volume_mistakes() -> dict[float, str]:
    nadler = plasma_volume_l(**EXERCISE_PATIENT)
    return {
        round(plasma_volume_l(**EXERCISE_PATIENT, method="kaplan"), 2):
            "That is Kaplan's weight-only estimate; the question asks for Nadler's.",
        round(nadler / (1.0 - EXERCISE_PATIENT["hematocrit"]), 2):
            "That is the blood volume. Plasma is blood volume × (1 − haematocrit).",
    }


SESSIONS_TARGET = {"level_pct": 40.0, "hold_days": 14.0, "volume_pv": 1.0, "interval_days": 2.0}


@functools.cache
def _fewest_sessions_for_the_target() -> int:
    t = SESSIONS_TARGET
    return fewest_sessions_below(t["level_pct"], t["hold_days"], volume_pv=t["volume_pv"],
                                 interval_days=t["interval_days"])


def _days_below_target(n_sessions: int) -> float:
    t = SESSIONS_TARGET
    course = tpe_course(n_sessions, t["volume_pv"], t["interval_days"])
    result = simulate(course, days=course.end_day + t["hold_days"] + 30.0, step_hours=1.0)
    return longest_run_below_days(result, t["level_pct"])


def _sessions_mistakes() -> dict[float, str]:
    fewer = _fewest_sessions_for_the_target() - 1
    level = f"{SESSIONS_TARGET['level_pct']:g}%"
    return {
        float(fewer): f"Close: {fewer} sessions keep plasma IgG below {level} for "
                      f"{_days_below_target(fewer):.1f} days in a row, not quite two weeks.",
        5.0: f"Five sessions, the explorer's default, keep it below {level} for only "
             f"{_days_below_target(5):.1f} days in a row. Add sessions.",
    }


EXERCISE_PATIENT = {"sex": "male", "height_cm": 180, "weight_kg": 95, "hematocrit": 0.45}

EXERCISES = {
    "plasma-volume": Exercise(
        question="Use the app above: what is the plasma volume, by Nadler's formula, of a man "
                 "1.80 m tall who weighs 95 kg, with a haematocrit of 0.45 (in litres, to two "
                 "decimal places)?",
        answer=lambda: round(plasma_volume_l(**EXERCISE_PATIENT), 2), tolerance=0.02,
        unit="L",
        hint="Set Sex to Male, Height to 180 cm, Weight to 95 kg and Haematocrit to 0.45, "
             "then read the Nadler row of the table.",
        explanation="Nadler uses height as well as weight. For this fairly heavy man Kaplan's "
                    "weight-only formula gives more, because it treats all weight as equally "
                    "well supplied with blood.",
        common_mistakes=ModelMistakes(_plasma_volume_mistakes)),
    "one-session-body-removed": Exercise(
        question="In the model, what percentage of the body's IgG does one 2-hour session of "
                 "1 plasma volume remove? The table above shows what is left in the whole "
                 "body; what was removed is 100 minus that (in %, to the nearest whole "
                 "number).",
        answer=lambda: round(_one_session_removed_pct()), tolerance=1.0, unit="%",
        hint="Find the whole-body column at the end of the session (2 h) and take it from "
             "100.",
        explanation=_one_session_explanation(),
        common_mistakes=ModelMistakes(_one_session_mistakes)),
    "volume-for-90-percent": Exercise(
        question="How many plasma volumes must one session exchange to remove 90% of a "
                 "substance that stays in the plasma (to one decimal place)?",
        answer=lambda: round(volume_pv_for_removal(0.90), 1), tolerance=0.1,
        unit="plasma volumes",
        hint="The fraction left after V plasma volumes is exp(−V); solve exp(−V) = 0.10.",
        explanation=f"V = ln 10 = {volume_pv_for_removal(0.90):.1f} plasma volumes. That is a "
                    "long, demanding session, which is one reason courses use several "
                    "sessions of 1–1.5 plasma volumes instead.",
        common_mistakes={
            0.9: "0.9 is the share to remove, not the volume. Solve exp(−V) = 0.10 for V.",
            10.0: "exp(−V) = 0.10 gives V = ln 10, not 10.",
        }),
    "sessions-below-40": Exercise(
        question="In the model, what is the fewest sessions (1 plasma volume every 2 days) "
                 "that keep plasma IgG below 40% of baseline for 14 days in a row? (40% for "
                 "14 days is an arbitrary teaching target, not a treatment goal.)",
        answer=lambda: float(_fewest_sessions_for_the_target()),
        tolerance=0, unit="sessions",
        hint="In the explorer set 1 PV every 2 days and Count days below to 40%, then add "
             "sessions until the summary's longest stretch below 40% reaches 14 days. On the "
             "plot, watch the level just before each session (the top of each tooth of the "
             "sawtooth): it must stay under 40%.",
        explanation="Fewer sessions end the course too early: within days of the last one, "
                    "IgG from the tissues and new production lift plasma IgG back above 40%. "
                    "The 40% and the two weeks are arbitrary and say nothing about symptoms, "
                    "and each session is a procedure with its own risks (section 7), so a "
                    "course this long carries that many procedures' worth of risk.",
        common_mistakes=ModelMistakes(_sessions_mistakes)),
}


def exercise(name: str) -> AnswerChecker:
    """Build one of this notebook's numeric exercises by name (see :data:`EXERCISES`)."""
    return build_exercise(EXERCISES, name)
