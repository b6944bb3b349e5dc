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
    describe_transfer,
    dose_markers,
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
        Traces: serum human IgG, IgG in the abdomen (right axis), the study regimen with
        default parameters, injection markers. Shaded spans show the reported time course.
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
            data=transfer_traces(),
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
            below=[self.description, widgets.HBox([self.reset_button, self.table_toggle]),
                   self.table],
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


def _below_tenth_day() -> float:
    """Day on which the study regimen falls below a tenth of its peak, to the half day."""
    return round(_study_summary().below_tenth_day * 2) / 2


def _course_g_per_kg() -> tuple[float, float]:
    """Dose per kg over the whole course for the heavier and the lighter mouse (g/kg)."""
    context = dose_in_context()
    per_day = context[context["quantity"].str.startswith("Dose per kg per day")]["value"]
    return (float(per_day.min()) * STUDY_REGIMEN["n_doses"] / 1000,
            float(per_day.max()) * STUDY_REGIMEN["n_doses"] / 1000)


def _trial_input(name: str) -> float:
    return float(load_table("trial_inputs").set_index("parameter").loc[name, "value"])


# Inputs of the subset exercise (data/trial_inputs.csv): an assumed share of antibody-positive
# patients (an illustration) and the fall in pain that patients rate as important.
POSITIVE_SHARE = _trial_input("antibody_positive_fraction")
IMPORTANT_CHANGE_POINTS = _trial_input("mcid_points")


def _subset_average_points() -> float:
    return POSITIVE_SHARE * IMPORTANT_CHANGE_POINTS


_DOSE, _COUNT = STUDY_REGIMEN["dose_mg"], STUDY_REGIMEN["n_doses"]
_LOW_G_PER_KG, _HIGH_G_PER_KG = _course_g_per_kg()
_STUDY = _study_summary()
_HALF_LIFE = float(parameter_sources().set_index("parameter").loc["half_life_days", "value"])

EXERCISES = {
    "injected-total": Exercise(
        question="How much human IgG, in total, was injected into each mouse (mg)?",
        answer=lambda: _DOSE * _COUNT, tolerance=0, unit="mg",
        hint="Multiply the dose per injection by the number of injections.",
        explanation=f"{_COUNT} injections of {_DOSE:g} mg: {_COUNT} × {_DOSE:g} = "
                    f"{_DOSE * _COUNT:g} mg. Per kilogram of body weight that is about "
                    f"{_LOW_G_PER_KG:.1f}–{_HIGH_G_PER_KG:.1f} g/kg over {_COUNT} days for a "
                    "20–25 g mouse (the weight is an assumption)."),
    "below-tenth-day": Exercise(
        question="With the study regimen and the default parameters, how many days after the "
                 "first injection does the modelled serum human IgG fall below a tenth of its "
                 "peak? Answer to the nearest half day.",
        answer=_below_tenth_day, tolerance=0.5, unit="days",
        hint="Press “Back to the study's regimen” in the explorer above and read the line "
             "“Below a tenth of the peak” in the summary under the plot.",
        explanation=f"Day {_STUDY.below_tenth_day:.1f} in the model, about "
                    f"{_STUDY.below_tenth_day - _STUDY.last_dose_day:.0f} days after the last "
                    f"injection on day {_STUDY.last_dose_day:g}. Nothing was removed: the mouse "
                    f"cleared the human IgG itself, with a half-life of {_HALF_LIFE:g} days."),
    "removed-from-mouse": Exercise(
        question="How many milligrams of human IgG did the investigators remove from each "
                 "mouse?",
        answer=lambda: 0.0, tolerance=0, unit="mg",
        hint="Re-read the design in section 2: what was done to the mice after the last "
             "injection?",
        explanation=f"None. The mice received {_DOSE * _COUNT:g} mg over {_COUNT} days and "
                    "then cleared it themselves; their recovery followed the end of the "
                    "injections, not a removal."),
    "subset-average": Exercise(
        question=f"An illustration, not data: suppose a treatment lowered pain by "
                 f"{IMPORTANT_CHANGE_POINTS:g} points (0–10 scale) in every antibody-positive "
                 f"patient and not at all in the others, and {100 * POSITIVE_SHARE:.0f}% of "
                 "the patients in a trial were antibody-positive. By how many points would "
                 "pain fall on average across all the patients in the trial?",
        answer=_subset_average_points, tolerance=0.05, unit="points",
        hint="Only the antibody-positive share improves; every other patient adds a fall of "
             "zero to the average.",
        explanation=f"{POSITIVE_SHARE:g} × {IMPORTANT_CHANGE_POINTS:g} = "
                    f"{_subset_average_points():.1f} points: well below the "
                    f"{IMPORTANT_CHANGE_POINTS:g}-point change that patients rate as "
                    "important, although every antibody-positive patient improved by that "
                    "much. Mixing patients who can respond with patients who cannot dilutes "
                    f"an effect. The {100 * POSITIVE_SHARE:.0f}% is an illustration, not a "
                    "known proportion."),
}


def exercise(name: str) -> AnswerChecker:
    """Build one of this notebook's numeric exercises by name (see :data:`EXERCISES`)."""
    return build_exercise(EXERCISES, name)
