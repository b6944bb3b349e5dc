"""Widget app and exercises for notebook 05: the virtual trial.

Follows :mod:`helpers.apps.common`: the app object displays its ``widget``; its controls can
be driven directly by tests; the plot is one ``FigureWidget`` changed in one
``batch_update`` per control change, after which the state a new view starts from is
refreshed on the kernel side.

The explorer joins the course's pieces into one power calculation: a treatment's modelled
autoantibody lowering (notebooks 03 and 04, :mod:`helpers.kinetics`) times a hypothetical
effect of removing all of it gives the effect in antibody-positive patients; the share of
antibody-positive patients (02) dilutes it; the SD of change, the placebo response and the
clinically important change (01) come from ``data/trial_inputs.csv``.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets
import numpy as np
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
    refresh_new_view_state,
    slider,
)
from helpers.figures.trial import (
    POWER_AXIS_PER_ARM,
    describe_power,
    power_layout,
    power_table,
    power_traces,
)
from helpers.kinetics import (
    Schedule,
    combine,
    fcrn_blocker_course,
    immunoadsorption_course,
    ivig_course,
    rituximab_course,
    simulate,
    tpe_course,
)
from helpers.trial import (
    ANTIBODY_POSITIVE_FRACTION,
    ASSESSMENT_WINDOW_DAYS,
    EFFECT_IF_ALL_REMOVED_POINTS,
    FM0001_ENROLLED,
    MCID_POINTS,
    PLACEBO_RESPONDER_RATE,
    SD_CHANGE_POINTS,
    TARGET_POWER,
    assumed_effect,
    autoantibody_recovery_day,
    detectable_effect_points,
    input_range,
    n_per_arm_for_power,
    normal_approx_power,
    power_curve,
    virtual_trial,
)

__all__ = [
    "EXERCISES",
    "IDEAL",
    "TREATMENTS",
    "VirtualTrialExplorer",
    "describe_washout",
    "exercise",
    "link_curves",
    "link_effects",
    "treatment_lowering",
    "virtual_trial_explorer",
]

NOTICE = ("Educational model: the effect of removing antibodies on pain is a hypothesis, not "
          "a measurement. No trial has shown that lowering antibodies helps people with "
          "fibromyalgia.")
IDEAL = "Thought experiment: all autoantibody gone for the whole trial"
# Illustrative 12-week regimens (course choices, not any trial's protocol), each built with
# the IgG engine of helpers.kinetics. None means no schedule: the ideal case, lowering 100%.
TREATMENTS: dict[str, Callable[[], Schedule] | None] = {
    "FcRn blocker (rozanolixizumab model), 7 mg/kg weekly for 12 weeks":
        lambda: fcrn_blocker_course(12, 7.0, drug="rozanolixizumab"),
    "FcRn blocker (efgartigimod model), 10 mg/kg weekly for 12 weeks":
        lambda: fcrn_blocker_course(12, 7.0),
    "Plasma exchange, 1 plasma volume weekly for 12 weeks": lambda: tpe_course(12, 1.0, 7.0),
    "Plasma exchange, 5 × 1 plasma volume in the first 10 days":
        lambda: tpe_course(5, 1.0, 2.0),
    "Immunoadsorption (protein A), 5 daily sessions of 2.5 plasma volumes":
        lambda: immunoadsorption_course(5, 2.5, 1.0),
    "IVIG 2 g/kg every 4 weeks (3 courses)":
        lambda: combine(ivig_course(2.0), ivig_course(2.0, start_day=28.0),
                        ivig_course(2.0, start_day=56.0)),
    "Rituximab from day 0": rituximab_course,
    IDEAL: None,
}
# Trial sizes (patients per arm) the student can pick: roughly even steps on a log scale.
TRIAL_SIZES = [10, 12, 15, 20, 25, 31, 40, 50, 63, 80, 100, 125, 160, 200, 250, 320, 400, 500,
               630, 800, 1000, 1250, 1600, 2000]
CURVE_SIZES = [int(n) for n in np.unique(np.geomspace(*POWER_AXIS_PER_ARM, 10).round())]
FORMULA_SIZES = np.unique(np.geomspace(*POWER_AXIS_PER_ARM, 80).round().astype(int))
CURVE_TRIALS = 400
YOUR_TRIALS = 1000
FM0001_PER_ARM = FM0001_ENROLLED // 2
DEFAULT_SIZE = 100

_LOWERING_CACHE: dict[str, float] = {}


def treatment_lowering(label: str) -> float:
    """Modelled mean fall of the plasma autoantibody in the assessment window (fraction).

    Parameters
    ----------
    label : str
        A key of :data:`TREATMENTS`.

    Returns
    -------
    float
        1.0 for the thought experiment; otherwise the model output of
        :func:`helpers.trial.assumed_effect` (computed once per treatment).
    """
    if label not in _LOWERING_CACHE:
        builder = TREATMENTS[label]
        _LOWERING_CACHE[label] = (1.0 if builder is None
                                  else assumed_effect(builder()).mean_lowering_fraction)
    return _LOWERING_CACHE[label]


def link_effects(effect_if_all_removed_points: float = EFFECT_IF_ALL_REMOVED_POINTS
                 ) -> pd.DataFrame:
    """Every modelled treatment's lowering in the window and the assumed effect it implies.

    Returns
    -------
    pandas.DataFrame
        Columns ``treatment``, ``lowering_pct``, ``effect_if_all_removed_points``,
        ``effect_points``, ``window_start_day`` and ``window_end_day``; the thought
        experiment is left out.
    """
    rows = []
    for label, builder in TREATMENTS.items():
        if builder is None:
            continue
        lowering = treatment_lowering(label)
        rows.append({"treatment": label, "lowering_pct": 100 * lowering,
                     "effect_if_all_removed_points": effect_if_all_removed_points,
                     "effect_points": lowering * effect_if_all_removed_points,
                     "window_start_day": ASSESSMENT_WINDOW_DAYS[0],
                     "window_end_day": ASSESSMENT_WINDOW_DAYS[1]})
    return pd.DataFrame(rows)


def link_curves(days: float = ASSESSMENT_WINDOW_DAYS[1]) -> dict[str, pd.DataFrame]:
    """Modelled autoantibody of every treatment over ``days`` (for the link figure)."""
    return {label: simulate(builder(), days=days, step_hours=6.0)
            for label, builder in TREATMENTS.items() if builder is not None}


WASHOUT_TREATMENTS = [label for label in TREATMENTS if "12 weeks" in label or "IVIG" in label]
WASHOUT_THRESHOLD_PCT = 90.0


def describe_washout(threshold_pct: float = WASHOUT_THRESHOLD_PCT) -> str:
    """Say how long each maintained treatment's autoantibody lowering takes to wear off.

    For each treatment given through the 12 weeks, the modelled time from its last dose or
    session until the plasma autoantibody is back to ``threshold_pct`` of baseline: the
    shortest washout a crossover trial would need (model output).
    """
    parts = []
    for label in WASHOUT_TREATMENTS:
        schedule = TREATMENTS[label]()
        day = autoantibody_recovery_day(schedule, threshold_pct=threshold_pct)
        wait = ("not within a year" if day is None
                else f"{day - schedule.end_day:.0f} days")
        parts.append(f"{label}: {wait}")
    return (f"Modelled time from the last dose or session until the plasma autoantibody is back "
            f"to {threshold_pct:g}% of baseline: " + "; ".join(parts) + ".")


def _per_arm(n: int | None) -> str:
    if n is None:
        return "no realistic trial (more than 10 million per arm)"
    return f"about <b>{n:,} per arm</b> ({2 * n:,} patients)"


def _percent(value: float) -> str:
    return f"{100 * value:.0f}%"


class VirtualTrialExplorer(ExplorerOutputs):
    """Steer a virtual trial of antibody lowering in fibromyalgia and watch its power.

    Attributes
    ----------
    controls : dict of str to ipywidgets.Widget
        ``treatment``, ``subset_fraction``, ``effect_if_all_removed_points``,
        ``sd_points``, ``placebo_responder_pct`` and ``n_per_arm``.
    figure : plotly.graph_objects.FigureWidget
        Power against patients per arm (traces as :data:`helpers.figures.trial.POWER_TRACES`).
    summary, description, message, table : ipywidgets.HTML
        Summary in words, generated figure description, message, data table (on request).
    state : dict
        The numbers behind the current outputs (tests read them).
    """

    def __init__(self) -> None:
        fraction_range = input_range("antibody_positive_fraction")
        effect_range = input_range("effect_if_all_removed_points")
        sd_range = input_range("sd_change_points")
        placebo_range = input_range("placebo_responder_rate")
        self.controls: dict[str, widgets.Widget] = {
            "treatment": widgets.Dropdown(options=list(TREATMENTS), value=next(iter(TREATMENTS)),
                                          description="Treatment", style=STYLE, layout=WIDE),
            "subset_fraction": slider("Antibody-positive share", ANTIBODY_POSITIVE_FRACTION,
                                      *fraction_range, 0.05, ".2f"),
            "effect_if_all_removed_points": slider(
                "Pain fall if all antibody removed (points, hypothesis)",
                EFFECT_IF_ALL_REMOVED_POINTS, *effect_range, 0.25, ".2f"),
            "sd_points": slider("SD of change in pain (points)", SD_CHANGE_POINTS, *sd_range,
                                0.1, ".1f"),
            "placebo_responder_pct": widgets.IntSlider(
                value=round(100 * PLACEBO_RESPONDER_RATE), min=round(100 * placebo_range[0]),
                max=round(100 * placebo_range[1]), description="Placebo responders (%)",
                style=STYLE, layout=WIDE),
            "n_per_arm": widgets.SelectionSlider(options=TRIAL_SIZES, value=DEFAULT_SIZE,
                                                 description="Your trial: patients per arm",
                                                 style=STYLE, layout=WIDE),
        }
        self.reset_button = widgets.Button(description="Back to the defaults", icon="undo",
                                           layout=BUTTON)
        self.figure = LiveFigure(data=power_traces(), layout=power_layout())
        self._defaults = {name: control.value for name, control in self.controls.items()}
        self._build_outputs()
        self.state: dict[str, object] = {}
        self.curve = pd.DataFrame()
        groups = [
            widgets.VBox([widgets.HTML("<b>Treatment and hypothesis</b>"),
                          self.controls["treatment"], self.controls["subset_fraction"],
                          self.controls["effect_if_all_removed_points"]]),
            widgets.VBox([widgets.HTML("<b>Patients and the trial</b>"),
                          self.controls["sd_points"], self.controls["placebo_responder_pct"],
                          self.controls["n_per_arm"]]),
        ]
        self.widget = explorer_layout(
            notice=NOTICE, control_groups=groups, figure=self.figure,
            under_figure=[self.message, self.summary],
            below=[self.description, widgets.HBox([self.reset_button, self.table_toggle]),
                   self.table],
            css_class="virtual-trial-explorer")
        self.summary.add_class("trial-summary")
        for control in self.controls.values():
            control.observe(lambda _change: self.update(), names="value")
        self.reset_button.on_click(lambda _button: self.reset())
        self.update()

    def settings(self) -> dict[str, object]:
        """Return the current control values."""
        return {name: control.value for name, control in self.controls.items()}

    def compute(self) -> dict[str, object]:
        """Compute every number the outputs show, for the current controls."""
        chosen = self.settings()
        lowering = treatment_lowering(chosen["treatment"])
        effect = lowering * chosen["effect_if_all_removed_points"]
        design = {"effect_points": effect, "sd_points": chosen["sd_points"],
                  "subset_fraction": chosen["subset_fraction"]}
        placebo_rate = chosen["placebo_responder_pct"] / 100
        enriched = {**design, "subset_fraction": 1.0}
        your = virtual_trial(chosen["n_per_arm"], **design, n_trials=YOUR_TRIALS, seed=0,
                             placebo_responder_rate=placebo_rate)
        curve = power_curve(CURVE_SIZES, **design, n_trials=CURVE_TRIALS, seed=0,
                            placebo_responder_rate=placebo_rate)
        return {
            **chosen, "lowering": lowering, "effect_points": effect,
            "placebo_rate": placebo_rate,
            "mean_benefit_points": chosen["subset_fraction"] * effect,
            "n_required": n_per_arm_for_power(**design),
            "n_enriched": n_per_arm_for_power(**enriched),
            "formula": [normal_approx_power(int(n), **design) for n in FORMULA_SIZES],
            "formula_enriched": [normal_approx_power(int(n), **enriched) for n in FORMULA_SIZES],
            "curve": curve,
            "curve_enriched": [normal_approx_power(int(n), **enriched) for n in CURVE_SIZES],
            "fm0001_power": normal_approx_power(FM0001_PER_ARM, **design),
            "fm0001_detectable": detectable_effect_points(
                FM0001_PER_ARM, sd_points=chosen["sd_points"],
                subset_fraction=chosen["subset_fraction"]),
            "your": your,
        }

    def update(self) -> None:
        """Recompute for the current controls and update the figure and every text."""
        state = self.compute()
        self.state = state
        self.curve = state["curve"]
        curve = state["curve"]
        your = state["your"]
        with self.figure.batch_update():
            self.figure.data[0].x = FORMULA_SIZES
            self.figure.data[0].y = 100 * np.asarray(state["formula"])
            self.figure.data[1].x = curve["n_per_arm"].to_numpy()
            self.figure.data[1].y = 100 * curve["power_simulated"].to_numpy()
            self.figure.data[1].error_y.array = 200 * curve["power_mc_se"].to_numpy()
            self.figure.data[2].x = FORMULA_SIZES
            self.figure.data[2].y = 100 * np.asarray(state["formula_enriched"])
            self.figure.data[3].x = [FM0001_PER_ARM]
            self.figure.data[3].y = [100 * state["fm0001_power"]]
            self.figure.data[4].x = [your.n_per_arm]
            self.figure.data[4].y = [100 * your.power]
        refresh_new_view_state(self.figure)
        self.message.value = ""
        self._show_summary("What this virtual trial says (model output; the effect is a "
                           "hypothesis)", self.summary_items(state))
        self._show_description(describe_power(
            n_required=state["n_required"], n_enriched=state["n_enriched"],
            fm0001_power=state["fm0001_power"], your_n=your.n_per_arm, your_power=your.power))
        if self.table_toggle.value:
            self._render_table()

    @staticmethod
    def summary_items(state: dict[str, object]) -> list[str]:
        """Write the summary in words (HTML items), each sentence true for ``state``."""
        your = state["your"]
        share = _percent(state["subset_fraction"])
        effect = state["effect_points"]
        start, end = ASSESSMENT_WINDOW_DAYS
        if state["treatment"] == IDEAL:
            link = (f"Thought experiment: no autoantibody at all, so the effect in "
                    f"antibody-positive patients is the whole hypothesis, <b>{effect:.2f} "
                    f"points</b>.")
        else:
            link = (f"{html.escape(state['treatment'])}: modelled autoantibody "
                    f"{_percent(state['lowering'])} lower on average over days {start:g}–"
                    f"{end:g} (model) × {state['effect_if_all_removed_points']:.2f} points if "
                    f"all were removed (hypothesis) = <b>{effect:.2f} points</b> in "
                    f"antibody-positive patients.")
        if state["mean_benefit_points"] == 0:
            needed = (f"With {share} antibody-positive patients and no effect in them, there "
                      "is nothing to find: no trial size helps, and about "
                      f"{_percent(your.power)} of trials still come out positive by chance "
                      "alone.")
        else:
            needed = (f"With {share} antibody-positive patients and a {effect:.2f}-point "
                      f"effect in them (on average {state['mean_benefit_points']:.2f} points "
                      f"over all patients), {_per_arm(state['n_required'])} are needed for "
                      f"{_percent(TARGET_POWER)} power.")
        if state["effect_points"] == 0:
            enriched = "Testing for the antibody first would not help: there is no effect."
        else:
            enriched = (f"Testing for the antibody first and enrolling only positive patients: "
                        f"{_per_arm(state['n_enriched'])}.")
        detectable = state["fm0001_detectable"]
        small_trial = (f"A trial of {FM0001_ENROLLED} patients run as a parallel trial "
                       f"({FM0001_PER_ARM} per arm) has {_percent(state['fm0001_power'])} power "
                       "here; ")
        small_trial += ("it could not reliably find even a 10-point effect with this share of "
                        "antibody-positive patients." if detectable is None else
                        f"it reliably finds only effects of at least {detectable:.1f} points "
                        "in antibody-positive patients.")
        responders = (f"Your trial, {your.n_per_arm} per arm ({YOUR_TRIALS:,} simulated "
                      f"trials): positive in <b>{_percent(your.power)}</b>; mean observed "
                      f"difference {your.mean_difference_points:.2f} points; responders "
                      f"(pain down at least {MCID_POINTS:g} points) "
                      f"{_percent(your.responder_rate_placebo)} on placebo and "
                      f"{_percent(your.responder_rate_active)} on treatment.")
        return [link, needed, enriched, small_trial, responders]

    def _render_table(self) -> None:
        self.table.value = power_table(self.curve, self.state["curve_enriched"]).html

    def reset(self) -> None:
        """Put every control back to its default."""
        with self.widget.hold_sync():
            for name, value in self._defaults.items():
                self.controls[name].value = value


def virtual_trial_explorer() -> VirtualTrialExplorer:
    """Build the virtual-trial explorer (see :class:`VirtualTrialExplorer`)."""
    return VirtualTrialExplorer()


# ----------------------------------------------------------------------------- exercises


_N_ONE_POINT = n_per_arm_for_power(1.0, critical="z")
_RATIO_SUBSET = 0.3


def _enriched_ratio() -> float:
    everyone = n_per_arm_for_power(2.0, subset_fraction=_RATIO_SUBSET)
    only_positive = n_per_arm_for_power(2.0)
    return float(round(everyone / only_positive))


EXERCISES = {
    "n-for-one-point": Exercise(
        question=f"A treatment lowers pain by 1 point in every patient (SD of change "
                 f"{SD_CHANGE_POINTS:g} points). With the textbook formula (two-sided 5%, "
                 f"{_percent(TARGET_POWER)} power), how many patients per arm are needed?",
        answer=lambda: float(_N_ONE_POINT), tolerance=1, unit="patients per arm",
        hint="n = 2 × (1.96 + 0.84)² × SD² / difference², rounded up.",
        explanation=f"2 × (1.96 + 0.84)² × {SD_CHANGE_POINTS:g}² / 1² rounds up to "
                    f"{_N_ONE_POINT} per arm: a 1-point effect, half the clinically important "
                    f"change, already needs {2 * _N_ONE_POINT} patients."),
    "enrichment-ratio": Exercise(
        question=f"The effect is 2 points, but only in the {_percent(_RATIO_SUBSET)} of "
                 "patients who are antibody positive. Roughly how many times as many patients "
                 "per arm does an all-comers trial need as a trial that enrols only "
                 "antibody-positive patients (to the nearest whole number)?",
        answer=_enriched_ratio, tolerance=1, unit="times",
        hint=f"The average effect falls to {_RATIO_SUBSET:g} × 2 = {2 * _RATIO_SUBSET:g} "
             "points, and the sample size grows with 1 / difference².",
        explanation=f"Diluting the effect multiplies the sample size by about 1 / "
                    f"{_RATIO_SUBSET:g}² ≈ {1 / _RATIO_SUBSET**2:.0f}, and a little more because "
                    "the mix of patients who respond and patients who do not widens the spread. "
                    "Enrolling only antibody-positive patients needs a test that finds them, "
                    "and no such test is established."),
}


def exercise(name: str) -> AnswerChecker:
    """Build one of this notebook's numeric exercises by name (see :data:`EXERCISES`)."""
    return build_exercise(EXERCISES, name)
