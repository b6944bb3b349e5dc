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
import math
from collections.abc import Callable
from dataclasses import dataclass
from statistics import NormalDist

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
    ALPHA,
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
    trial_inputs,
    virtual_trial,
)

__all__ = [
    "EXERCISES",
    "IDEAL",
    "TREATMENTS",
    "TreatmentOption",
    "VirtualTrialExplorer",
    "describe_washout",
    "exercise",
    "link_curves",
    "link_effects",
    "link_panels",
    "treatment_lowering",
    "virtual_trial_explorer",
]

NOTICE = ("Educational model: the effect of removing antibodies on pain is a hypothesis, not "
          "a measurement, and the model has no side effects, burdens or risks. No trial has "
          "shown that lowering antibodies helps people with fibromyalgia.")
IDEAL = "Thought experiment: all autoantibody gone for the whole trial"
SHORT_COURSE = "Short course at the start"
THROUGH_TRIAL = "Acting through the 12 weeks"


@dataclass(frozen=True)
class TreatmentOption:
    """One regimen the explorer offers: an illustration chosen for the course, not a dose.

    Attributes
    ----------
    build : callable or None
        Builds the schedule with :mod:`helpers.kinetics`; None for the thought experiment
        (no autoantibody at all, lowering 100%).
    panel : str
        Where the link figure draws it: :data:`SHORT_COURSE` or :data:`THROUGH_TRIAL`.
    washout : bool
        Whether :func:`describe_washout` gives its recovery time (treatments given
        through the 12 weeks whose effect wears off).
    key_assumption : str
        What the regimen, or the model of it, assumes that nobody has shown.
    """

    build: Callable[[], Schedule] | None
    panel: str
    washout: bool
    key_assumption: str


# Illustrative 12-week regimens (course choices, not any trial's protocol), each built with
# the IgG engine of helpers.kinetics.
TREATMENTS: dict[str, TreatmentOption] = {
    "FcRn blocker (rozanolixizumab model), 7 mg/kg weekly for 12 weeks": TreatmentOption(
        lambda: fcrn_blocker_course(12, 7.0, drug="rozanolixizumab"), THROUGH_TRIAL, True,
        "Repeats weekly the highest single dose of the first-in-human study (escalation "
        "stopped there on tolerability); repeated dosing is extrapolated, and FM0001's dose "
        "is not in the records found."),
    "FcRn blocker (efgartigimod model), 10 mg/kg weekly for 12 weeks": TreatmentOption(
        lambda: fcrn_blocker_course(12, 7.0), THROUGH_TRIAL, True,
        "In myasthenia the drug is given in cycles of 4 weekly infusions; 12 weekly "
        "infusions without a break is extrapolated."),
    "Plasma exchange, 1 plasma volume weekly for 12 weeks": TreatmentOption(
        lambda: tpe_course(12, 1.0, 7.0), THROUGH_TRIAL, True,
        "A maintenance schedule chosen for this course, not a published regimen; each "
        "session is a procedure with its own risks (notebook 03)."),
    "Plasma exchange, 5 × 1 plasma volume in the first 10 days": TreatmentOption(
        lambda: tpe_course(5, 1.0, 2.0), SHORT_COURSE, False,
        "A usual short course; nothing is given after it."),
    "Immunoadsorption (protein A), 5 daily sessions of 2.5 plasma volumes": TreatmentOption(
        lambda: immunoadsorption_course(5, 2.5, 1.0), SHORT_COURSE, False,
        "A short course chosen for this course; nothing is given after it."),
    "IVIG 2 g/kg every 4 weeks (3 courses)": TreatmentOption(
        lambda: combine(ivig_course(2.0), ivig_course(2.0, start_day=28.0),
                        ivig_course(2.0, start_day=56.0)), THROUGH_TRIAL, True,
        "IVIG adds IgG and removes none: in the model it lowers the autoantibody only by "
        "saturating the FcRn receptors that recycle IgG (notebook 04)."),
    "Rituximab from day 0": TreatmentOption(
        rituximab_course, THROUGH_TRIAL, False,
        "Assumes the autoantibody, like ANCA in vasculitis, is made by short-lived cells "
        "that rituximab stops renewing. Nobody knows which cells make it in fibromyalgia, "
        "and total IgG falls far more slowly (notebook 04)."),
    IDEAL: TreatmentOption(None, THROUGH_TRIAL, False,
                           "Nothing lowers an antibody completely: an upper bound."),
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
        builder = TREATMENTS[label].build
        _LOWERING_CACHE[label] = (1.0 if builder is None
                                  else assumed_effect(builder()).mean_lowering_fraction)
    return _LOWERING_CACHE[label]


def link_effects(effect_if_all_removed_points: float = EFFECT_IF_ALL_REMOVED_POINTS
                 ) -> pd.DataFrame:
    """Every modelled treatment's lowering in the window and the assumed effect it implies.

    Returns
    -------
    pandas.DataFrame
        Columns ``treatment``, ``panel``, ``lowering_pct``,
        ``effect_if_all_removed_points``, ``effect_points``, ``key_assumption``,
        ``window_start_day`` and ``window_end_day``; the thought experiment is left out.
    """
    rows = []
    for label, option in TREATMENTS.items():
        if option.build is None:
            continue
        lowering = treatment_lowering(label)
        rows.append({"treatment": label, "panel": option.panel, "lowering_pct": 100 * lowering,
                     "effect_if_all_removed_points": effect_if_all_removed_points,
                     "effect_points": lowering * effect_if_all_removed_points,
                     "key_assumption": option.key_assumption,
                     "window_start_day": ASSESSMENT_WINDOW_DAYS[0],
                     "window_end_day": ASSESSMENT_WINDOW_DAYS[1]})
    order = {panel: index for index, panel in enumerate((SHORT_COURSE, THROUGH_TRIAL))}
    return (pd.DataFrame(rows).sort_values("panel", key=lambda column: column.map(order),
                                           kind="stable").reset_index(drop=True))


def link_curves(days: float = ASSESSMENT_WINDOW_DAYS[1]) -> dict[str, pd.DataFrame]:
    """Modelled autoantibody of every treatment over ``days`` (for the link figure)."""
    return {label: simulate(option.build(), days=days, step_hours=6.0)
            for label, option in TREATMENTS.items() if option.build is not None}


def link_panels(days: float = ASSESSMENT_WINDOW_DAYS[1]) -> dict[str, dict[str, pd.DataFrame]]:
    """Group the curves of :func:`link_curves` into the link figure's two panels."""
    curves = link_curves(days)
    return {panel: {label: curve for label, curve in curves.items()
                    if TREATMENTS[label].panel == panel}
            for panel in (SHORT_COURSE, THROUGH_TRIAL)}


WASHOUT_TREATMENTS = [label for label, option in TREATMENTS.items() if option.washout]
WASHOUT_THRESHOLD_PCT = 90.0


def describe_washout(threshold_pct: float = WASHOUT_THRESHOLD_PCT) -> str:
    """Say how long each maintained treatment's autoantibody lowering takes to wear off.

    For each treatment given through the 12 weeks, the modelled time from its last dose or
    session until the plasma autoantibody is back to ``threshold_pct`` of baseline: the
    shortest washout a crossover trial would need (model output).
    """
    parts = []
    for label in WASHOUT_TREATMENTS:
        schedule = TREATMENTS[label].build()
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
                                          description="Illustrative regimen", style=STYLE,
                                          layout=WIDE),
            "subset_fraction": slider("Antibody-positive share", ANTIBODY_POSITIVE_FRACTION,
                                      *fraction_range, 0.05, ".2f"),
            "effect_if_all_removed_points": slider(
                "Pain fall if all antibody removed (points, hypothesis)",
                EFFECT_IF_ALL_REMOVED_POINTS, *effect_range, 0.25, ".2f"),
            "sd_points": slider("SD of change in pain (points)", SD_CHANGE_POINTS, *sd_range,
                                0.1, ".1f"),
            "placebo_responder_pct": slider(
                "Placebo responders (%)", round(100 * PLACEBO_RESPONDER_RATE, 1),
                round(100 * placebo_range[0], 1), round(100 * placebo_range[1], 1), 0.1, ".1f"),
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
            widgets.VBox([widgets.HTML("<b>Treatment</b> (illustrative regimens, not doses) "
                                       "<b>and hypothesis</b>"),
                          self.controls["treatment"], self.controls["subset_fraction"],
                          self.controls["effect_if_all_removed_points"]]),
            widgets.VBox([widgets.HTML("<b>Patients and the trial</b>"),
                          self.controls["sd_points"], self.controls["placebo_responder_pct"],
                          self.controls["n_per_arm"]]),
        ]
        self.widget = explorer_layout(
            notice=NOTICE, control_groups=groups, figure=self.figure,
            under_figure=[self.message, self.summary],
            actions=[widgets.HBox([self.reset_button, self.table_toggle])],
            below=[self.description, self.table],
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
            link = (f"Thought experiment: no autoantibody at all, so if the hypothesis were "
                    f"true the effect in antibody-positive patients would be all of it, "
                    f"<b>{effect:.2f} points</b> (an assumption, not a prediction).")
        else:
            link = (f"If the hypothesis were true: {html.escape(state['treatment'])} lowers the "
                    f"modelled autoantibody by {_percent(state['lowering'])} on average over "
                    f"days {start:g}–{end:g} (assumed window; model) × "
                    f"{state['effect_if_all_removed_points']:.2f} points if all were removed "
                    f"(hypothesis) = <b>{effect:.2f} points</b> in antibody-positive patients "
                    "(an assumption, not a prediction). Key assumption of this regimen: "
                    f"{html.escape(TREATMENTS[state['treatment']].key_assumption)}")
        if state["mean_benefit_points"] == 0:
            needed = (f"With {share} antibody-positive patients and no effect in them, there "
                      "is nothing to find: no trial size helps, and about "
                      f"{_percent(your.power)} of trials still come out significant by chance "
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
                        f"{_per_arm(state['n_enriched'])}")
            if state["n_enriched"] is not None and state["subset_fraction"] > 0:
                screened = 2 * state["n_enriched"] / state["subset_fraction"]
                enriched += (f", found by testing about {screened:,.0f} people when {share} "
                             "are positive, with a test that nobody has yet shown picks the "
                             "right patients")
            enriched += "."
        detectable = state["fm0001_detectable"]
        small_trial = (f"A parallel trial of FM0001's size ({FM0001_ENROLLED} patients, "
                       f"{FM0001_PER_ARM} per arm) on a 0–10 pain-intensity scale has "
                       f"{_percent(state['fm0001_power'])} power here (not FM0001's own power: "
                       "FM0001 was a crossover measuring pain interference); ")
        small_trial += ("it could not reliably find even a 10-point effect with this share of "
                        "antibody-positive patients." if detectable is None else
                        f"it reliably finds only effects of at least {detectable:.1f} points "
                        "in antibody-positive patients.")
        responders = (f"Your trial, {your.n_per_arm} per arm ({YOUR_TRIALS:,} simulated "
                      f"trials): significant in <b>{_percent(your.power)}</b>; mean observed "
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


# The sample-size exercise asks for a difference the notebook's text does not work out.
EXERCISE_DIFFERENCE_POINTS = 1.25
Z_ALPHA = NormalDist().inv_cdf(1 - ALPHA / 2)
Z_POWER = NormalDist().inv_cdf(TARGET_POWER)


def textbook_n_per_arm(difference_points: float, *, sd_points: float = SD_CHANGE_POINTS,
                       arms_factor: float = 2.0, sd_power: float = 2.0,
                       difference_power: float = 2.0) -> float:
    """Return the textbook formula before rounding: ``2 (z_α/2 + z_β)² SD² / difference²``.

    The keyword arguments other than ``sd_points`` exist to reproduce foreseen slips (the
    2 left out, an SD or a difference not squared) for the exercise's hints.
    """
    return (arms_factor * (Z_ALPHA + Z_POWER) ** 2 * sd_points**sd_power
            / difference_points**difference_power)


def _drug_differences() -> tuple[float, float]:
    """Differences between arm averages in two fibromyalgia drug trials (points)."""
    inputs = trial_inputs().set_index("parameter")["value"]
    arnold = inputs["arnold_2012_placebo_change_points"] - inputs[
        "arnold_2012_active_change_points"]
    return float(round(arnold, 2)), float(inputs["crofford_2005_difference_points"])


_N_EXERCISE = n_per_arm_for_power(EXERCISE_DIFFERENCE_POINTS, critical="z")
_RAW_EXERCISE = textbook_n_per_arm(EXERCISE_DIFFERENCE_POINTS)
_LOW_DIFF, _HIGH_DIFF = _drug_differences()
_RATIO_SUBSET = 0.25
_RATIO_EFFECT_POINTS = 2.0


def _enriched_sizes() -> tuple[int, int]:
    everyone = n_per_arm_for_power(_RATIO_EFFECT_POINTS, subset_fraction=_RATIO_SUBSET)
    only_positive = n_per_arm_for_power(_RATIO_EFFECT_POINTS)
    return everyone, only_positive


def _enriched_ratio() -> float:
    everyone, only_positive = _enriched_sizes()
    return float(round(everyone / only_positive))


def _sample_size_mistakes() -> dict[float, str]:
    difference = f"{EXERCISE_DIFFERENCE_POINTS:g}"
    rounding = (f"Round up: {_N_EXERCISE - 1} patients per arm fall just short of "
                f"{_percent(TARGET_POWER)} power, so {_RAW_EXERCISE:.1f} becomes the next "
                "whole patient.")
    return {
        float(_N_EXERCISE - 1): rounding,
        round(_RAW_EXERCISE, 1): rounding,
        round(_RAW_EXERCISE, 2): rounding,
        float(2 * _N_EXERCISE): "That is both arms together; the question asks per arm.",
        float(n_per_arm_for_power(1.0, critical="z")):
            f"That is the answer for a 1-point difference, worked out in the text; redo it "
            f"with {difference}² in the denominator.",
        float(n_per_arm_for_power(EXERCISE_DIFFERENCE_POINTS)):
            "That is what the t test needs (one more per arm); the question asks for the "
            "textbook formula.",
        float(math.ceil(textbook_n_per_arm(EXERCISE_DIFFERENCE_POINTS, arms_factor=1.0))):
            "The formula starts with 2 ×: both arms add their spread to the comparison.",
        float(math.ceil(textbook_n_per_arm(EXERCISE_DIFFERENCE_POINTS, sd_power=1.0))):
            "Square the SD as well as the difference.",
        float(math.ceil(textbook_n_per_arm(EXERCISE_DIFFERENCE_POINTS, difference_power=1.0))):
            "Square the difference as well as the SD.",
    }


def _ratio_mistakes() -> dict[float, str]:
    everyone, only_positive = _enriched_sizes()
    per_arm = "That is a number of patients per arm; the question asks for the ratio of the two."
    return {
        1 / _RATIO_SUBSET: f"That is 1 / {_RATIO_SUBSET:g}: the sample size grows with the "
                           "square of the dilution.",
        _RATIO_SUBSET**2: f"That is {_RATIO_SUBSET:g}²; the question asks how many times larger "
                          "the trial must be, so take the inverse.",
        _RATIO_SUBSET * _RATIO_EFFECT_POINTS:
            "That is the diluted average effect in points; the sample size grows with "
            "1 / difference².",
        float(everyone): per_arm,
        float(only_positive): per_arm,
    }


EXERCISES = {
    "n-for-a-difference": Exercise(
        question=f"A treatment lowers pain by {EXERCISE_DIFFERENCE_POINTS:g} points more than "
                 f"placebo in every patient, so the arm averages differ by "
                 f"{EXERCISE_DIFFERENCE_POINTS:g} points (SD of change {SD_CHANGE_POINTS:g} "
                 f"points). With the textbook formula (two-sided {_percent(ALPHA)}, "
                 f"{_percent(TARGET_POWER)} power), how many patients per arm are needed?",
        answer=lambda: float(_N_EXERCISE), tolerance=0, unit="patients per arm",
        hint=f"n = 2 × ({Z_ALPHA:.2f} + {Z_POWER:.4f})² × SD² / difference², then round up "
             "to a whole patient.",
        explanation=f"2 × ({Z_ALPHA:.2f} + {Z_POWER:.4f})² × {SD_CHANGE_POINTS:g}² / "
                    f"{EXERCISE_DIFFERENCE_POINTS:g}² = {_RAW_EXERCISE:.1f}, rounded up to "
                    f"{_N_EXERCISE} per arm ({2 * _N_EXERCISE} patients). This is a difference "
                    f"between the arm averages. The {MCID_POINTS:g}-point clinically important "
                    "change describes one patient's change; fibromyalgia drug trials have found "
                    f"differences between arm averages of about {_LOW_DIFF:g}–{_HIGH_DIFF:g} "
                    "points.",
        common_mistakes=_sample_size_mistakes()),
    "enrichment-ratio": Exercise(
        question=f"The effect is {_RATIO_EFFECT_POINTS:g} points, but only in the "
                 f"{_percent(_RATIO_SUBSET)} of patients who are antibody positive. Roughly how "
                 "many times as many patients per arm does an all-comers trial need as a trial "
                 "that enrols only antibody-positive patients (to the nearest whole number)?",
        answer=_enriched_ratio, tolerance=1, unit="times",
        hint=f"The average effect over all patients falls to {_RATIO_SUBSET:g} × "
             f"{_RATIO_EFFECT_POINTS:g} points, and the sample size grows with "
             "1 / difference².",
        explanation=f"Diluting the effect multiplies the sample size by about 1 / "
                    f"{_RATIO_SUBSET:g}² = {1 / _RATIO_SUBSET**2:.0f}, and a little more because "
                    "the mix of patients who respond and patients who do not widens the spread "
                    f"({_enriched_sizes()[0]} against {_enriched_sizes()[1]} per arm). "
                    "Enrolling only antibody-positive patients needs a test that finds them, "
                    "and no such test is established; and each patient enrolled means testing "
                    f"about {1 / _RATIO_SUBSET:.0f} people.",
        common_mistakes=_ratio_mistakes()),
}


def exercise(name: str) -> AnswerChecker:
    """Build one of this notebook's numeric exercises by name (see :data:`EXERCISES`)."""
    return build_exercise(EXERCISES, name)
