"""Widget app for the passive-transfer notebook: human IgG in a mouse after the injections.

Follows the pattern of :mod:`helpers.apps.common`: the app object displays its ``widget``; its
controls can be driven directly by tests; the plot is one ``FigureWidget`` changed in one
``batch_update`` per control change, after which the state a new view starts from is
refreshed on the kernel side so that a page reload shows the current curve.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from helpers.apps.common import (
    BUTTON,
    STYLE,
    WIDE,
    AnswerChecker,
    Exercise,
    ExplorerOutputs,
    LiveFigure,
    build_exercise,
    explorer_layout,
    html_table,
    refresh_new_view_state,
    slider,
)
from helpers.checks import ParameterError
from helpers.data import load_table
from helpers.figures.transfer import (
    SHADED_KINDS,
    SPAN_TRACES_FROM,
    describe_transfer,
    dose_markers,
    span_heights,
    transfer_layout,
    transfer_table,
    transfer_traces,
)
from helpers.kinetics import HOURS_PER_DAY
from helpers.mouse import (
    STUDY_REGIMEN,
    TransferSummary,
    dose_in_context,
    parameter_sources,
    simulate_passive_transfer,
    summarize_transfer,
)

__all__ = ["EXERCISES", "PassiveTransferExplorer", "exercise", "passive_transfer_explorer",
           "summary_items"]

NOTICE = ("Educational model of the injected human IgG in a mouse: not a model of symptoms, "
          "and not a dose for anyone. No trial has shown that removing antibodies helps "
          "people with fibromyalgia.")
# Slider step for each model parameter (the range and default come from data/).
STEPS = {"dose_mg": 0.5, "interval_days": 0.25, "half_life_days": 0.1,
         "absorption_half_life_hours": 0.25}
LABELS = {"dose_mg": "Dose per injection (mg)", "interval_days": "Days between injections",
          "half_life_days": "Half-life in the mouse (days)",
          "absorption_half_life_hours": "Uptake half-time (hours)"}
DAYS_RANGE = (7, 60)


class PassiveTransferExplorer(ExplorerOutputs):
    """Explore the injection schedule and how fast the mouse clears the human IgG.

    Attributes
    ----------
    controls : dict of str to ipywidgets.Widget
        ``dose_mg``, ``n_doses``, ``interval_days``, ``half_life_days``,
        ``absorption_half_life_hours`` and ``days`` (days shown).
    figure : plotly.graph_objects.FigureWidget
        Traces: serum human IgG, IgG in the abdomen (right axis, hidden until its legend
        entry is clicked), the study regimen with default parameters, injection markers,
        then the shaded spans of the reported time course.
    summary, description, message, table : ipywidgets.HTML
        Live summary, generated text description, error message, data table (on request).
    result : pandas.DataFrame
        The current simulation.
    """

    def __init__(self) -> None:
        sources = parameter_sources().set_index("parameter")
        self.controls: dict[str, widgets.Widget] = {
            name: slider(LABELS[name], float(sources.loc[name, "value"]),
                          float(sources.loc[name, "range_min"]),
                          float(sources.loc[name, "range_max"]), step, ".2f")
            for name, step in STEPS.items()
        }
        self.controls["n_doses"] = widgets.IntSlider(
            value=int(sources.loc["n_doses", "value"]), min=int(sources.loc["n_doses",
                                                                            "range_min"]),
            max=int(sources.loc["n_doses", "range_max"]), description="Number of injections",
            style=STYLE, layout=WIDE)
        self.controls["days"] = widgets.IntSlider(value=21, min=DAYS_RANGE[0],
                                                  max=DAYS_RANGE[1], description="Days shown",
                                                  style=STYLE, layout=WIDE)
        self.reset_button = widgets.Button(description="Back to the study's regimen",
                                           icon="undo", layout=BUTTON)
        self.design = load_table("mouse_study_design")
        self.figure = LiveFigure(
            data=transfer_traces(self.design),
            layout=transfer_layout(self.controls["days"].value, self.design))
        self._defaults = {name: control.value for name, control in self.controls.items()}
        self.reference = simulate_passive_transfer(days=float(DAYS_RANGE[1]))
        with self.figure.batch_update():
            self.figure.data[2].x = self.reference["day"].to_numpy()
            self.figure.data[2].y = self.reference["serum_human_igg_mg_per_ml"].to_numpy()
        self._build_outputs()
        self.result = pd.DataFrame()
        order = ["dose_mg", "n_doses", "interval_days", "half_life_days",
                 "absorption_half_life_hours", "days"]
        self.widget = explorer_layout(
            notice=NOTICE,
            control_groups=[widgets.VBox([widgets.HTML("<b>Injections and the mouse</b>")]
                                         + [self.controls[name] for name in order])],
            figure=self.figure, under_figure=[self.message, self.summary],
            actions=[widgets.HBox([self.reset_button, self.table_toggle])],
            below=[self.description, self.table],
            css_class="passive-transfer-explorer")
        self.summary.add_class("transfer-summary")
        for control in self.controls.values():
            control.observe(lambda _change: self.update(), names="value")
        self.reset_button.on_click(lambda _button: self.reset())
        self.update()

    def arguments(self) -> dict[str, float]:
        """Keyword arguments of :func:`helpers.mouse.simulate_passive_transfer` now set."""
        return {name: control.value for name, control in self.controls.items()}

    def update(self) -> None:
        """Re-run the model for the current controls and update every output."""
        arguments = self.arguments()
        try:
            result = simulate_passive_transfer(**arguments, step_hours=1.0)
        except ParameterError as error:
            self._show_problem(self._labelled(error), "curve")
            return
        self.message.value = ""
        self.result = result
        summary = summarize_transfer(result)
        marker_x, marker_y = dose_markers(result)
        top = max(summary.peak_mg_per_ml, float(self.reference["serum_human_igg_mg_per_ml"]
                                                .max()))
        with self.figure.batch_update():
            day = result["day"].to_numpy()
            self.figure.data[0].x = day
            self.figure.data[0].y = result["serum_human_igg_mg_per_ml"].to_numpy()
            self.figure.data[1].x = day
            self.figure.data[1].y = result["depot_mg"].to_numpy()
            self.figure.data[3].x = marker_x
            self.figure.data[3].y = marker_y
            self.figure.layout.xaxis.range = [0, arguments["days"]]
            self.figure.layout.yaxis.range = [0, 1.1 * top]
            for offset in range(len(SHADED_KINDS)):
                self.figure.data[SPAN_TRACES_FROM + offset].y = span_heights(1.1 * top)
            self.figure.layout.yaxis2.range = [0, 1.1 * arguments["dose_mg"]]
        # Same kernel-side refresh of a new view's starting state as the course explorer.
        refresh_new_view_state(self.figure)
        self._show_summary("Summary (model output; mg/mL values are illustrative because F "
                           "and V<sub>d</sub> are assumptions)",
                           summary_items(summary, arguments))
        self._show_description(describe_transfer(
            summary, n_doses=arguments["n_doses"], dose_mg=arguments["dose_mg"],
            interval_days=arguments["interval_days"], design=self.design))
        if self.table_toggle.value:
            self._render_table()

    def _render_table(self) -> None:
        self.table.value = html_table(transfer_table(self.result, every_days=1.0),
                                       "Data behind the figure (model), one row per day")

    def reset(self) -> None:
        """Put every control back to the study's regimen and the default parameters."""
        with self.widget.hold_sync():
            for name, value in self._defaults.items():
                self.controls[name].value = value


def _after(day: float, last_dose_day: float, last: str) -> str:
    """``day 13.2 (10.2 days after the last injection)``, or between injections."""
    if day < last_dose_day:
        return f"day {day:.1f}, between injections (before {last}, on day {last_dose_day:g})"
    return f"day {day:.1f} ({day - last_dose_day:.1f} days after {last})"


def summary_items(summary: TransferSummary, arguments: dict[str, float]) -> list[str]:
    """Write the explorer's summary as HTML list items, true at every setting of the controls.

    Injections that fall after the days shown are named as such, not counted as injected;
    a level still rising at the end of the window is not called a peak; a day before the
    last injection is not written as a negative number of days after it.

    Parameters
    ----------
    summary : TransferSummary
        Output of :func:`helpers.mouse.summarize_transfer`.
    arguments : dict
        The explorer's settings: ``dose_mg`` and ``n_doses`` are used.
    """
    scheduled, dose = int(arguments["n_doses"]), float(arguments["dose_mg"])
    shown, days = summary.injections_given, summary.days_shown
    if scheduled == 1:
        last = "the injection"
        items = [f"Injected: <b>{dose:g} mg</b> of human IgG, once, on day 0"]
    elif shown == scheduled:
        last = "the last injection"
        items = [f"Injected: <b>{scheduled} × {dose:g} mg = {summary.injected_mg:g} mg</b> of "
                 f"human IgG, the last on day {summary.last_dose_day:g}"]
    else:
        last = "the last injection shown"
        later = scheduled - shown
        rest = "the last one" if later == 1 else f"the other {later}"
        items = [f"Injected within the {days:g} days shown: <b>{shown} of {scheduled} "
                 f"injections, {summary.injected_mg:g} mg</b>, the last on day "
                 f"{summary.last_dose_day:g}; {rest} ({later * dose:g} mg) would come after "
                 f"day {days:g}"]
    reached = summary.peak_reached(scheduled)
    peak = "the peak" if reached else "the highest level shown"
    if summary.rising_at_end and summary.peak_day >= days:
        return [*items,
                f"Highest serum human IgG shown: <b>{summary.peak_mg_per_ml:.1f} mg/mL</b> on "
                f"day {days:g}, still rising: show more days to see the peak and the fall",
                "Nothing is removed in this model: any fall is the mouse clearing the IgG."]

    def when(day: float | None) -> str:
        return (f"not within the {days:g} days shown" if day is None
                else _after(day, summary.last_dose_day, last))

    hours_after = HOURS_PER_DAY * (summary.peak_day - summary.last_dose_day)
    timing = (f"{hours_after:.0f} h after {last}" if hours_after >= 0
              else f"before {last}, on day {summary.last_dose_day:g}")
    items += [
        f"{'Peak' if reached else 'Highest'} serum human IgG"
        f"{'' if reached else ' shown'}: <b>{summary.peak_mg_per_ml:.1f} mg/mL</b> "
        f"on day {summary.peak_day:.1f} ({timing})",
        f"Below half of {peak}: {when(summary.below_half_day)}",
        f"Below a tenth of {peak}: <b>{when(summary.below_tenth_day)}</b>",
    ]
    if summary.rising_at_end:
        items.append(f"Rising again at day {days:g}, after an injection shortly before the end "
                     "of the days shown")
    return [*items, "Nothing is removed in this model: any fall is the mouse clearing the IgG."]


def passive_transfer_explorer() -> PassiveTransferExplorer:
    """Build the passive-transfer explorer (see :class:`PassiveTransferExplorer`)."""
    return PassiveTransferExplorer()


def _study_summary() -> TransferSummary:
    return summarize_transfer(simulate_passive_transfer())


def _to_half_day(day: float) -> float:
    return round(day * 2) / 2


def _dose_context(quantity: str) -> float:
    """One value of :func:`helpers.mouse.dose_in_context`, by its quantity."""
    return float(dose_in_context().set_index("quantity").loc[quantity, "value"])


def _trial_input(name: str) -> float:
    return float(load_table("trial_inputs").set_index("parameter").loc[name, "value"])


# The clinically important fall in pain (Farrar 2001, data/trial_inputs.csv): about 2 points,
# anchored to individual patients rating themselves much or very much improved.
IMPORTANT_FALL_POINTS = _trial_input("mcid_points")
# The subset exercise's share of antibody-positive patients: a round number for the
# arithmetic, chosen far from any published figure (the Würzburg study's "more than 35%"
# used a different test) so that it cannot be remembered as a fact.
ILLUSTRATIVE_POSITIVE_SHARE = 0.2


def _subset_average_points() -> float:
    return ILLUSTRATIVE_POSITIVE_SHARE * IMPORTANT_FALL_POINTS


_DOSE, _COUNT = STUDY_REGIMEN["dose_mg"], STUDY_REGIMEN["n_doses"]
_COURSE_MG = _DOSE * _COUNT
_MOUSE_G = float(parameter_sources().set_index("parameter").loc["body_mass_g", "value"])
_PER_KG_COURSE = _dose_context("Dose per kg over the course (25 g mouse)")
_PER_KG_COURSE_LIGHT = _dose_context("Dose per kg over the course (20 g mouse)")
_PER_KG_DAY = _dose_context("Dose per kg per day (25 g mouse)")
_IVIG_G_PER_KG = _dose_context("High-dose IVIG course in people, for comparison")
_STUDY = _study_summary()
_HALF_LIFE = float(parameter_sources().set_index("parameter").loc["half_life_days", "value"])
_SHARE_PCT = 100 * ILLUSTRATIVE_POSITIVE_SHARE

EXERCISES = {
    "course-per-kg": Exercise(
        question=f"A mouse of {_MOUSE_G:g} g (an assumed, typical weight) received "
                 f"{_COUNT} injections of {_DOSE:g} mg of human IgG. How many grams of IgG per "
                 "kilogram of body weight is that over the whole course? Give g/kg to two "
                 "decimals.",
        answer=lambda: _PER_KG_COURSE, tolerance=0.025, unit="g/kg",
        hint="Add up the injections (mg), divide by the mouse's weight in kilograms, then "
             "turn mg/kg into g/kg.",
        explanation=f"{_COUNT} × {_DOSE:g} mg = {_COURSE_MG:g} mg; {_COURSE_MG:g} mg ÷ "
                    f"{_MOUSE_G / 1000:g} kg = {1000 * _PER_KG_COURSE:,.0f} mg/kg = "
                    f"{_PER_KG_COURSE:g} g/kg over {_COUNT} days ({_PER_KG_COURSE_LIGHT:g} g/kg "
                    f"for a 20 g mouse). A high-dose IVIG course in people is "
                    f"{_IVIG_G_PER_KG:g} g/kg: per kilogram, the mice received a course of "
                    "the same order.",
        common_mistakes={
            1000 * _PER_KG_COURSE: "That is the course in mg/kg; divide by 1000 for g/kg.",
            _PER_KG_DAY / 1000: "That is one day's dose; the course had "
                                f"{_COUNT} injections.",
            _PER_KG_DAY: f"That is one day's dose in mg/kg: multiply by the {_COUNT} "
                         "injections and divide by 1000 for g/kg.",
            _COURSE_MG: "That is the milligrams per mouse; divide by the mouse's weight in "
                        "kilograms, then turn mg/kg into g/kg.",
            _PER_KG_COURSE_LIGHT: f"That is for a 20 g mouse; this mouse weighs {_MOUSE_G:g} g.",
            _PER_KG_COURSE / 1000: "That is grams per gram of mouse; a kilogram is 1000 g.",
        }),
    "below-tenth-day": Exercise(
        question="With the study regimen and the default parameters, how many days after the "
                 "first injection does the modelled serum human IgG fall below a tenth of its "
                 "peak? Answer to the nearest half day.",
        answer=lambda: _to_half_day(_STUDY.below_tenth_day), tolerance=0.5, unit="days",
        hint="Press “Back to the study's regimen” in the explorer above and read the line "
             "“Below a tenth of the peak” in the summary under the plot.",
        explanation=f"Day {_STUDY.below_tenth_day:.1f} in the model, which is day "
                    f"{_to_half_day(_STUDY.below_tenth_day):g} to the nearest half day: about "
                    f"{_STUDY.below_tenth_day - _STUDY.last_dose_day:.0f} days after the last "
                    f"injection on day {_STUDY.last_dose_day:g}. Nothing was removed: the mouse "
                    f"cleared the human IgG itself, with a half-life of {_HALF_LIFE:g} days.",
        common_mistakes={
            _to_half_day(_STUDY.below_tenth_day - _STUDY.last_dose_day):
                f"That counts from the last injection (day {_STUDY.last_dose_day:g}); the "
                "question counts from the first injection, on day 0.",
            _to_half_day(_STUDY.below_half_day):
                "That is when the level falls below half of its peak; read the line for a "
                "tenth.",
        }),
    "removed-from-mouse": Exercise(
        question="How many milligrams of human IgG did the investigators remove from each "
                 "mouse?",
        answer=lambda: 0.0, tolerance=0, unit="mg",
        hint="Re-read the design in section 2: what was done to the mice after the last "
             "injection?",
        explanation=f"None. The mice received {_COURSE_MG:g} mg over {_COUNT} days and then "
                    "cleared it themselves; their recovery followed the end of the "
                    "injections, not a removal.",
        common_mistakes={
            _COURSE_MG: "That is how much was injected. How much did the investigators take "
                        "out afterwards?",
            _DOSE: "That is one injection. How much did the investigators take out "
                   "afterwards?",
        }),
    "subset-average": Exercise(
        question=f"An illustration, not data: suppose a treatment lowered pain by "
                 f"{IMPORTANT_FALL_POINTS:g} points (0–10 scale) in every antibody-positive "
                 f"patient and not at all in the others, and {_SHARE_PCT:.0f}% of the patients "
                 "in a trial were antibody-positive (a round number for the arithmetic, not "
                 "a published proportion). By how many points would pain fall on average "
                 "across all the patients in the trial?",
        answer=_subset_average_points, tolerance=0.05, unit="points",
        hint="Only the antibody-positive share improves; every other patient adds a fall of "
             "zero to the average.",
        explanation=f"{ILLUSTRATIVE_POSITIVE_SHARE:g} × {IMPORTANT_FALL_POINTS:g} = "
                    f"{_subset_average_points():.1f} points on average, although every "
                    f"antibody-positive patient improved by {IMPORTANT_FALL_POINTS:g} points. "
                    f"The {IMPORTANT_FALL_POINTS:g}-point threshold describes one person's "
                    "change (it matched patients rating themselves much or very much "
                    "improved), not a difference between group averages, so the average alone "
                    "cannot say whether anyone improved meaningfully. What it shows is "
                    "dilution: mixing "
                    "patients who can respond with patients who cannot makes a real effect "
                    f"look small. The {_SHARE_PCT:.0f}% is an illustration, not a known "
                    "proportion.",
        common_mistakes={
            -_subset_average_points(): "The question asks how far pain falls: give the fall "
                                       "as a positive number of points, without a minus sign.",
            _SHARE_PCT: "That is the share of patients in %; the answer is in points of pain.",
            ILLUSTRATIVE_POSITIVE_SHARE: "That is the antibody-positive share as a fraction; "
                                         "multiply it by their fall in pain.",
            IMPORTANT_FALL_POINTS: "That is the fall in an antibody-positive patient; the "
                                   "others fall by zero, and the average is over everyone.",
            IMPORTANT_FALL_POINTS / ILLUSTRATIVE_POSITIVE_SHARE:
                "That divides the fall by the share; multiply them instead.",
        }),
}


def exercise(name: str) -> AnswerChecker:
    """Build one of this notebook's numeric exercises by name (see :data:`EXERCISES`)."""
    return build_exercise(EXERCISES, name)
