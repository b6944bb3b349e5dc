"""Widget app for the passive-transfer notebook: human IgG in a mouse after the injections.

Follows the pattern of :mod:`helpers.apps.common`: the app object displays its ``widget``; its
controls can be driven directly by tests; the plot is one ``FigureWidget`` changed in one
``batch_update`` per control change, after which the state a new view starts from is
refreshed on the kernel side so that a page reload shows the current curve.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from helpers.apps.common import (
    BUTTON,
    STYLE,
    WIDE,
    AnswerChecker,
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
from helpers.figures.transfer import (
    describe_transfer,
    dose_markers,
    transfer_layout,
    transfer_table,
    transfer_traces,
)
from helpers.mouse import (
    TransferSummary,
    parameter_sources,
    simulate_passive_transfer,
    summarize_transfer,
)

__all__ = ["EXERCISES", "PassiveTransferExplorer", "exercise", "passive_transfer_explorer"]

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
        self.figure = go.FigureWidget(
            data=transfer_traces(),
            layout=transfer_layout(self.controls["days"].value, load_table("mouse_study_design")))
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
            self._show_problem(error, "curve")
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
            # Head-room above the curves for the labels of the shaded spans.
            self.figure.layout.yaxis.range = [0, 1.45 * top]
            self.figure.layout.yaxis2.range = [0, 1.45 * arguments["dose_mg"]]
        # Same kernel-side refresh of a new view's starting state as the course explorer.
        refresh_new_view_state(self.figure)
        self._show_summary("Summary (model output; mg/mL values are illustrative because F "
                           "and V<sub>d</sub> are assumptions)", self._summary_items(summary))
        self._show_description(describe_transfer(summary, arguments["n_doses"],
                                                 arguments["dose_mg"]))
        if self.table_toggle.value:
            self._render_table()

    @staticmethod
    def _summary_items(summary: TransferSummary) -> list[str]:
        def when(day: float | None) -> str:
            if day is None:
                return f"not within the {summary.days_shown:g} days shown"
            return (f"day {day:.1f} ({day - summary.last_dose_day:.1f} days after the last "
                    "injection)")

        hours_after = 24 * (summary.peak_day - summary.last_dose_day)
        peak_timing = (f"{hours_after:.0f} h after the last injection" if hours_after >= 0
                       else "before the last injection")
        return [
            f"Injected in total: <b>{summary.injected_mg:g} mg</b> of human IgG",
            f"Peak serum human IgG: <b>{summary.peak_mg_per_ml:.1f} mg/mL</b> on day "
            f"{summary.peak_day:.1f} ({peak_timing})",
            f"Below half of the peak: {when(summary.below_half_day)}",
            f"Below a tenth of the peak: <b>{when(summary.below_tenth_day)}</b>",
            "Nothing is removed in this model: the fall is the mouse clearing the IgG.",
        ]

    def _render_table(self) -> None:
        self.table.value = html_table(transfer_table(self.result, every_days=1.0),
                                       "Data behind the figure (model), one row per day")

    def reset(self) -> None:
        """Put every control back to the study's regimen and the default parameters."""
        with self.widget.hold_sync():
            for name, value in self._defaults.items():
                self.controls[name].value = value


def passive_transfer_explorer() -> PassiveTransferExplorer:
    """Build the passive-transfer explorer (see :class:`PassiveTransferExplorer`)."""
    return PassiveTransferExplorer()


def _study_regimen_total_mg() -> float:
    design = load_table("mouse_model_parameters").set_index("parameter")["value"]
    return float(design["dose_mg"] * design["n_doses"])


def _below_tenth_day() -> float:
    study = summarize_transfer(simulate_passive_transfer())
    return round(study.below_tenth_day * 2) / 2


EXERCISES = {
    "injected-total": Exercise(
        question="How much human IgG, in total, was injected into each mouse (mg)?",
        answer=_study_regimen_total_mg, tolerance=0, unit="mg",
        hint="Multiply the dose per injection by the number of injections.",
        explanation="4 injections of 8 mg each. Per kilogram that is 1.3–1.6 g/kg over four "
                    "days for a 20–25 g mouse (the weight is an assumption)."),
    "below-tenth-day": Exercise(
        question="With the study regimen, on which day does the modelled human IgG fall below "
                 "10% of its peak (to the nearest half day)?",
        answer=_below_tenth_day, tolerance=0.5, unit="days",
        hint="Move nothing: read the study-regimen curve in the explorer above, or show its "
             "data table, and find where it drops under a tenth of its highest value.",
        explanation="About 10 days after the last injection: nothing was removed, the mouse "
                    "simply cleared the human IgG with a half-life of about 3 days (model)."),
    "removed-from-mouse": Exercise(
        question="How many milligrams of human IgG did the investigators remove from each "
                 "mouse?",
        answer=lambda: 0.0, tolerance=0, unit="mg",
        hint="Re-read the design: what was done to the mice after the last injection?",
        explanation="Nothing was removed. The mice received 32 mg over four days and then "
                    "cleared it themselves; the recovery followed the end of the injections."),
}


def exercise(name: str) -> AnswerChecker:
    """Build one of this notebook's numeric exercises by name (see :data:`EXERCISES`)."""
    return build_exercise(EXERCISES, name)
