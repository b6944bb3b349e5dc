"""Virtual two-arm trials of antibody lowering in fibromyalgia (pure numpy and pandas).

No trial has shown that lowering antibodies helps people with fibromyalgia. This module asks
the question a trial designer would ask instead: *if* some patients' pain came from their
antibodies, how many patients would a trial need to find out?

Three pieces, each usable on its own:

* :func:`virtual_trial` simulates many two-arm parallel trials at once (every patient of every
  trial in one numpy array) and reports how often the trial comes out positive (its power),
  the mean observed difference and the share of responders in each arm.
* :func:`normal_approx_power`, :func:`n_per_arm_for_power` and :func:`detectable_effect_points`
  give the same answers from a formula, instantly, for power curves and sample sizes;
  :func:`responder_power_normal_approx` and :func:`n_per_arm_for_responder_power` do the same
  for a comparison of responder rates.
* :func:`assumed_effect` links a treatment schedule of :mod:`helpers.kinetics` to an assumed
  effect on pain. It is the weakest part of the chain and says so: no study has measured how
  a patient's pain changes when the autoantibody is lowered in fibromyalgia (cohort studies
  found only that more antibody goes with more pain across patients).

How patients are modelled (a modelling choice, stated once here and in ``data/``):

* Each patient's change in pain over the trial (0–10 scale, end minus start; negative means
  less pain) is normal with standard deviation ``sd_points``.
* **Placebo response.** Both arms share the same mean change, chosen so that a share
  ``placebo_responder_rate`` of placebo patients falls by at least ``mcid_points``:
  ``mean = −mcid_points − sd_points × z(placebo_responder_rate)``, with ``z`` the standard
  normal quantile. With the defaults (30.8% of placebo patients reach a 30% fall, Häuser 2011;
  a fall of 2 points standing in for 30%, Farrar 2001) the mean is −0.85 points.
* In the active arm each patient is antibody positive with probability ``subset_fraction``;
  only they receive the extra fall ``effect_points``. The rest respond as on placebo.
* Changes are not clipped to the 0–10 scale.

Every default comes from ``data/trial_inputs.csv``. Every output is a teaching model, never a
prediction for a real treatment.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from statistics import NormalDist
from typing import Literal

import numpy as np
import pandas as pd

from helpers.checks import check_choice, check_integer, check_number
from helpers.data import load_table
from helpers.kinetics import SIMULATION_DAYS_MAX, IgGParameters, Schedule, simulate

__all__ = [
    "ALPHA",
    "ANTIBODY_POSITIVE_FRACTION",
    "ASSESSMENT_WINDOW_DAYS",
    "EFFECT_IF_ALL_REMOVED_POINTS",
    "FM0001_ENROLLED",
    "MCID_POINTS",
    "PLACEBO_RESPONDER_RATE",
    "SD_CHANGE_POINTS",
    "TARGET_POWER",
    "AssumedEffect",
    "TrialResult",
    "assumed_effect",
    "autoantibody_recovery_day",
    "crossover_sample_size_ratio",
    "detectable_effect_points",
    "effect_for_responder_rates",
    "expected_responder_rates",
    "input_range",
    "n_per_arm_for_power",
    "n_per_arm_for_responder_power",
    "normal_approx_power",
    "placebo_mean_change_points",
    "power_curve",
    "responder_power_normal_approx",
    "t_critical_value",
    "trial_inputs",
    "virtual_trial",
]

Critical = Literal["t", "z"]
CRITICAL_VALUES: tuple[str, ...] = ("t", "z")


def trial_inputs() -> pd.DataFrame:
    """Return the table of trial inputs (``data/trial_inputs.csv``) with sources and status."""
    return load_table("trial_inputs")


_INPUTS = trial_inputs().set_index("parameter")


def _input(name: str) -> float:
    return float(_INPUTS.loc[name, "value"])


def input_range(name: str) -> tuple[float, float]:
    """Return the explorer's range ``(low, high)`` for one input of ``data/trial_inputs.csv``.

    Parameters
    ----------
    name : str
        A parameter with a range, e.g. ``"sd_change_points"``.
    """
    name = check_choice("name", name,
                        _INPUTS.index[_INPUTS["range_min"].notna()].tolist())
    return float(_INPUTS.loc[name, "range_min"]), float(_INPUTS.loc[name, "range_max"])


PLACEBO_RESPONDER_RATE = _input("placebo_responder_rate")
SD_CHANGE_POINTS = _input("sd_change_points")
MCID_POINTS = _input("mcid_points")
ALPHA = _input("alpha")
TARGET_POWER = _input("target_power")
ANTIBODY_POSITIVE_FRACTION = _input("antibody_positive_fraction")
EFFECT_IF_ALL_REMOVED_POINTS = _input("effect_if_all_removed_points")
ASSESSMENT_WINDOW_DAYS = (_input("assessment_window_start_day"),
                          _input("assessment_window_end_day"))
FM0001_ENROLLED = int(_input("fm0001_enrolled"))

# Engineering limits (not claims about trials): they keep one simulation within a few
# seconds and a few hundred megabytes.
N_PER_ARM_RANGE = (2, 5_000)
N_PER_ARM_FORMULA_MAX = 10_000_000
N_TRIALS_RANGE = (10, 100_000)
SEED_MAX = 2**32 - 1
PAIN_SCALE_POINTS = 10.0
_VALUES_PER_CHUNK = 4_000_000  # patients per arm simulated in one numpy array
_T_EXACT_MAX_DF = 1_000  # above this, the t quantile comes from its series in 1/df

_STANDARD_NORMAL = NormalDist()
_PAIN_UNIT = "points on the 0-10 pain scale"


# ------------------------------------------------------------------------ argument checks


def _check_n_per_arm(n_per_arm: object, high: int) -> int:
    return check_integer("n_per_arm", n_per_arm, unit="patients per arm",
                         low=N_PER_ARM_RANGE[0], high=high)


def _check_effect(name: str, value: object) -> float:
    return check_number(name, value, unit=_PAIN_UNIT, low=-PAIN_SCALE_POINTS,
                        high=PAIN_SCALE_POINTS)


def _check_sd(sd_points: object) -> float:
    return check_number("sd_points", sd_points, unit=_PAIN_UNIT, low=0.0,
                        high=PAIN_SCALE_POINTS, low_open=True)


def _check_fraction(subset_fraction: object) -> float:
    return check_number("subset_fraction", subset_fraction,
                        unit="(fraction of the active arm that is antibody positive)",
                        low=0.0, high=1.0, hint="Give a fraction: 0.3 for 30%.")


def _check_alpha(alpha: object) -> float:
    return check_number("alpha", alpha, unit="(two-sided significance level)", low=0.0,
                        high=0.5, low_open=True)


def _check_probability(name: str, value: object, what: str) -> float:
    return check_number(name, value, unit=f"({what})", low=0.0, high=1.0, low_open=True,
                        high_open=True, hint="Give a fraction: 0.3 for 30%.")


def _check_mcid(mcid_points: object) -> float:
    return check_number("mcid_points", mcid_points, unit=_PAIN_UNIT, low=0.0,
                        high=PAIN_SCALE_POINTS, low_open=True)


# ------------------------------------------------------------------ Student's t, no scipy


def _t_central_probability(t: float, df: int) -> float:
    """P(|T| < t) for Student's t with a whole number of degrees of freedom, t ≥ 0.

    Closed-form finite sums (Abramowitz and Stegun 26.7.3 and 26.7.4), with
    ``theta = atan(t / sqrt(df))``.
    """
    theta = math.atan(t / math.sqrt(df))
    sin, cos2 = math.sin(theta), math.cos(theta) ** 2
    if df % 2 == 0:
        k = np.arange(1, df // 2)
        return sin * (1.0 + float(np.cumprod((2 * k - 1) / (2 * k) * cos2).sum()))
    if df == 1:
        return 2.0 * theta / math.pi
    j = np.arange(1, (df - 3) // 2 + 1)
    series = 1.0 + float(np.cumprod(2 * j / (2 * j + 1) * cos2).sum())
    return 2.0 / math.pi * (theta + sin * math.cos(theta) * series)


def _t_quantile_series(probability: float, df: int) -> float:
    """Upper quantile of Student's t from its expansion in 1/df (A&S 26.7.5)."""
    z = _STANDARD_NORMAL.inv_cdf(probability)
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


@lru_cache(maxsize=4096)
def _t_critical(df: int, alpha: float) -> float:
    if df > _T_EXACT_MAX_DF:
        return _t_quantile_series(1.0 - alpha / 2.0, df)
    target = 1.0 - alpha
    low = _STANDARD_NORMAL.inv_cdf(1.0 - alpha / 2.0)  # t's quantile always lies above z's
    high = 2.0 * low
    while _t_central_probability(high, df) < target:
        low, high = high, 2.0 * high
    for _ in range(200):
        middle = 0.5 * (low + high)
        if _t_central_probability(middle, df) < target:
            low = middle
        else:
            high = middle
        if high - low < 1e-12 * high:
            break
    return 0.5 * (low + high)


def t_critical_value(df: int, alpha: float = ALPHA) -> float:
    """Two-sided critical value of Student's t test.

    Parameters
    ----------
    df : int
        Degrees of freedom, 1–20,000,000 (a two-arm trial with ``n`` per arm has
        ``2n − 2``).
    alpha : float, optional
        Two-sided significance level, greater than 0 and at most 0.5 (default 0.05).

    Returns
    -------
    float
        ``c`` such that ``P(|T| > c) = alpha``: exact sums up to 1,000 degrees of freedom,
        a series in ``1/df`` above (error below 1e-9 there).

    Examples
    --------
    >>> round(t_critical_value(40), 4)
    2.0211
    """
    df = check_integer("df", df, unit="degrees of freedom", low=1,
                       high=2 * N_PER_ARM_FORMULA_MAX)
    return _t_critical(df, _check_alpha(alpha))


# --------------------------------------------------------------------- placebo and responders


def placebo_mean_change_points(
    placebo_responder_rate: float = PLACEBO_RESPONDER_RATE,
    *,
    sd_points: float = SD_CHANGE_POINTS,
    mcid_points: float = MCID_POINTS,
) -> float:
    """Mean change in pain on placebo that gives the chosen share of placebo responders.

    Parameters
    ----------
    placebo_responder_rate : float, optional
        Share of placebo patients whose pain falls by at least ``mcid_points``, strictly
        between 0 and 1 (default 0.308, Häuser 2011).
    sd_points : float, optional
        SD of the change in pain between patients (points; default 2.3).
    mcid_points : float, optional
        Responder threshold, the minimal clinically important fall (points; default 2).

    Returns
    -------
    float
        ``−mcid_points − sd_points × z(placebo_responder_rate)`` in points (negative: pain
        falls on average).

    Examples
    --------
    >>> round(placebo_mean_change_points(), 2)
    -0.85
    """
    rate = _check_probability("placebo_responder_rate", placebo_responder_rate,
                              "share of placebo patients who respond")
    sd_points = _check_sd(sd_points)
    mcid_points = _check_mcid(mcid_points)
    return -mcid_points - sd_points * _STANDARD_NORMAL.inv_cdf(rate)


def expected_responder_rates(
    effect_points: float,
    *,
    sd_points: float = SD_CHANGE_POINTS,
    subset_fraction: float = 1.0,
    placebo_responder_rate: float = PLACEBO_RESPONDER_RATE,
    mcid_points: float = MCID_POINTS,
) -> tuple[float, float]:
    """Return the expected share of responders (pain down by at least the MCID) per arm.

    Parameters
    ----------
    effect_points : float
        Extra fall in pain in antibody-positive patients on the active treatment (points,
        −10 to 10; positive means less pain).
    sd_points, placebo_responder_rate, mcid_points : float, optional
        As for :func:`placebo_mean_change_points`.
    subset_fraction : float, optional
        Share of the active arm that is antibody positive, 0–1 (default 1).

    Returns
    -------
    (float, float)
        Placebo rate (``placebo_responder_rate`` itself) and active rate
        ``(1 − f) × placebo rate + f × Φ((−mcid − mean + effect) / sd)``.
    """
    effect_points = _check_effect("effect_points", effect_points)
    subset_fraction = _check_fraction(subset_fraction)
    mean = placebo_mean_change_points(placebo_responder_rate, sd_points=sd_points,
                                      mcid_points=mcid_points)
    positive_rate = _STANDARD_NORMAL.cdf((-mcid_points - mean + effect_points) / sd_points)
    placebo_rate = float(placebo_responder_rate)
    return placebo_rate, (1 - subset_fraction) * placebo_rate + subset_fraction * positive_rate


def effect_for_responder_rates(
    placebo_rate: float,
    active_rate: float,
    *,
    sd_points: float = SD_CHANGE_POINTS,
) -> float:
    """Difference between the arm averages that gives these responder rates in the model.

    In the model every patient's change is normal with the same SD, so moving the treated
    arm's mean down by ``d`` points raises its share of responders from ``placebo_rate`` to
    ``Φ(z(placebo_rate) + d / sd)``, whatever the responder threshold. Solving for ``d``
    turns a responder comparison into the comparison of means it implies, to show what
    counting responders costs.

    Parameters
    ----------
    placebo_rate, active_rate : float
        Share of responders on placebo and on treatment, each strictly between 0 and 1.
    sd_points : float, optional
        SD of the change in pain (points; default 2.3).

    Returns
    -------
    float
        ``sd_points × (z(active_rate) − z(placebo_rate))`` in points (positive: more relief
        on treatment).

    Examples
    --------
    >>> round(effect_for_responder_rates(0.308, 0.308 * 1.38), 2)
    0.72
    """
    p1 = _check_probability("placebo_rate", placebo_rate, "share of responders on placebo")
    p2 = _check_probability("active_rate", active_rate, "share of responders on treatment")
    sd_points = _check_sd(sd_points)
    return sd_points * (_STANDARD_NORMAL.inv_cdf(p2) - _STANDARD_NORMAL.inv_cdf(p1))


def crossover_sample_size_ratio(within_patient_correlation: float) -> float:
    """Patients a two-period crossover needs, as a share of a parallel trial's total.

    A crossover compares each patient with themselves. If a patient's results in the two
    periods are correlated with coefficient ``ρ`` (same SD in each), the variance of the
    treatment comparison falls by ``1 − ρ`` and every patient contributes to both arms, so
    the total number of patients is ``(1 − ρ) / 2`` of a parallel trial's (normal
    approximation; no period or carry-over effects, which a washout has to prevent).

    Parameters
    ----------
    within_patient_correlation : float
        ``ρ``, from 0 to less than 1. Not known for fibromyalgia trials: any value is an
        illustration.

    Returns
    -------
    float
        ``(1 − ρ) / 2``.

    Examples
    --------
    >>> crossover_sample_size_ratio(0.5)
    0.25
    """
    rho = check_number("within_patient_correlation", within_patient_correlation,
                       unit="(correlation between a patient's two periods)", low=0.0,
                       high=1.0, high_open=True)
    return (1.0 - rho) / 2.0


# ------------------------------------------------------------------------------ formulas


def _mean_difference_and_variance(effect_points: float, sd_points: float,
                                  subset_fraction: float) -> tuple[float, float]:
    """Return the expected benefit (points) and the summed variance of both arms."""
    difference = subset_fraction * effect_points
    variance = 2 * sd_points**2 + subset_fraction * (1 - subset_fraction) * effect_points**2
    return difference, variance


def _power(n_per_arm: int, difference: float, variance: float, alpha: float,
           critical: str) -> float:
    noncentrality = abs(difference) / math.sqrt(variance / n_per_arm)
    if critical == "z":
        cut, spread = _STANDARD_NORMAL.inv_cdf(1 - alpha / 2), 1.0
    else:
        df = 2 * n_per_arm - 2
        c = _t_critical(df, alpha)
        cut, spread = c * (1 - 1 / (4 * df)), math.sqrt(1 + c**2 / (2 * df))
    return (_STANDARD_NORMAL.cdf((noncentrality - cut) / spread)
            + _STANDARD_NORMAL.cdf((-noncentrality - cut) / spread))


def normal_approx_power(
    n_per_arm: int,
    *,
    effect_points: float,
    sd_points: float = SD_CHANGE_POINTS,
    subset_fraction: float = 1.0,
    alpha: float = ALPHA,
    critical: Critical = "t",
) -> float:
    """Power of a two-arm trial from the normal approximation (no simulation).

    The expected difference in mean change is ``D = subset_fraction × effect_points`` and
    its standard error ``SE = sqrt((2 sd² + f (1 − f) effect²) / n)``: only some patients of
    the active arm get the effect, which also spreads that arm out. With ``λ = |D| / SE``:

    * ``critical="z"``: ``Φ(λ − z) + Φ(−λ − z)``, ``z = Φ⁻¹(1 − alpha/2)``, the textbook
      formula (the course sourcebook's worked numbers use it);
    * ``critical="t"`` (default): the same with Student's critical value ``c`` for
      ``ν = 2n − 2`` degrees of freedom and the normal approximation to the noncentral t
      distribution (Abramowitz and Stegun 26.7.10): ``Φ((±λ − c(1 − 1/(4ν))) /
      sqrt(1 + c²/(2ν)))``. This matches the t test that :func:`virtual_trial` runs.

    Parameters
    ----------
    n_per_arm : int
        Patients in each arm, 2–10,000,000.
    effect_points : float
        Extra fall in pain in antibody-positive patients (points, −10 to 10).
    sd_points : float, optional
        SD of the change in pain (points, greater than 0 and at most 10; default 2.3).
    subset_fraction : float, optional
        Share of the active arm that is antibody positive, 0–1 (default 1).
    alpha : float, optional
        Two-sided significance level (default 0.05).
    critical : {"t", "z"}, optional
        Critical value used (see above).

    Returns
    -------
    float
        The chance that the trial is positive (0–1); ``alpha`` when there is no effect.

    Examples
    --------
    >>> round(normal_approx_power(21, effect_points=2.0, critical="z"), 3)
    0.804
    """
    n_per_arm = _check_n_per_arm(n_per_arm, N_PER_ARM_FORMULA_MAX)
    difference, variance = _mean_difference_and_variance(
        _check_effect("effect_points", effect_points), _check_sd(sd_points),
        _check_fraction(subset_fraction))
    critical = check_choice("critical", critical, CRITICAL_VALUES)
    return _power(n_per_arm, difference, variance, _check_alpha(alpha), critical)


def _check_power(power: object, alpha: float) -> float:
    return check_number("power", power, unit="(chance of a positive trial)", low=alpha,
                        high=1.0, low_open=True, high_open=True,
                        hint="Give a fraction: 0.8 for 80%, above the significance level.")


def _check_target(sd_points: object, subset_fraction: object, power: object, alpha: object,
                  critical: object) -> tuple[float, float, float, float, str]:
    """Check the arguments shared by the sample-size and detectable-effect functions."""
    alpha = _check_alpha(alpha)
    return (_check_sd(sd_points), _check_fraction(subset_fraction), _check_power(power, alpha),
            alpha, check_choice("critical", critical, CRITICAL_VALUES))


def n_per_arm_for_power(
    effect_points: float,
    *,
    sd_points: float = SD_CHANGE_POINTS,
    subset_fraction: float = 1.0,
    power: float = TARGET_POWER,
    alpha: float = ALPHA,
    critical: Critical = "t",
) -> int | None:
    """Patients per arm needed for a given power (normal approximation).

    Parameters
    ----------
    effect_points, sd_points, subset_fraction, alpha, critical
        As for :func:`normal_approx_power`.
    power : float, optional
        Target chance of a positive trial, above ``alpha`` and below 1 (default 0.8).

    Returns
    -------
    int or None
        The smallest ``n`` (at least 2) whose :func:`normal_approx_power` reaches ``power``;
        None when there is no effect to find (``subset_fraction × effect_points = 0``) or no
        trial of up to 10 million per arm would reach it.

    Examples
    --------
    >>> n_per_arm_for_power(2.0, critical="z"), n_per_arm_for_power(1.0, critical="z")
    (21, 84)
    """
    effect_points = _check_effect("effect_points", effect_points)
    sd_points, subset_fraction, power, alpha, critical = _check_target(
        sd_points, subset_fraction, power, alpha, critical)
    difference, variance = _mean_difference_and_variance(effect_points, sd_points,
                                                         subset_fraction)
    if difference == 0:
        return None
    z_sum = _STANDARD_NORMAL.inv_cdf(1 - alpha / 2) + _STANDARD_NORMAL.inv_cdf(power)
    n = max(2, math.ceil(z_sum**2 * variance / difference**2))
    if n > N_PER_ARM_FORMULA_MAX:
        return None
    # The textbook value ignores the far tail and (for "t") the t critical value; step to
    # the exact smallest n of this power function.
    while n > 2 and _power(n - 1, difference, variance, alpha, critical) >= power:
        n -= 1
    while _power(n, difference, variance, alpha, critical) < power:
        n += 1
        if n > N_PER_ARM_FORMULA_MAX:
            return None
    return n


def detectable_effect_points(
    n_per_arm: int,
    *,
    sd_points: float = SD_CHANGE_POINTS,
    subset_fraction: float = 1.0,
    power: float = TARGET_POWER,
    alpha: float = ALPHA,
    critical: Critical = "t",
) -> float | None:
    """Smallest effect in antibody-positive patients that a trial of this size finds reliably.

    Parameters
    ----------
    n_per_arm : int
        Patients in each arm, 2–10,000,000.
    sd_points, subset_fraction, alpha, critical
        As for :func:`normal_approx_power`.
    power : float, optional
        Required chance of a positive trial (default 0.8).

    Returns
    -------
    float or None
        The effect (points, at most 10) at which :func:`normal_approx_power` reaches
        ``power``; None if even a 10-point effect would not (with few antibody-positive
        patients, their spread limits what any effect can show).

    Examples
    --------
    >>> round(detectable_effect_points(31), 2)
    1.66
    """
    n_per_arm = _check_n_per_arm(n_per_arm, N_PER_ARM_FORMULA_MAX)
    sd_points, subset_fraction, power, alpha, critical = _check_target(
        sd_points, subset_fraction, power, alpha, critical)

    def power_at(effect: float) -> float:
        return _power(n_per_arm, *_mean_difference_and_variance(effect, sd_points,
                                                                subset_fraction),
                      alpha, critical)

    if subset_fraction == 0 or power_at(PAIN_SCALE_POINTS) < power:
        return None
    low, high = 0.0, PAIN_SCALE_POINTS  # power rises with the effect (λ grows with it)
    for _ in range(60):
        middle = 0.5 * (low + high)
        low, high = (middle, high) if power_at(middle) < power else (low, middle)
    return high


def responder_power_normal_approx(
    n_per_arm: int,
    *,
    placebo_rate: float,
    active_rate: float,
    alpha: float = ALPHA,
) -> float:
    """Power of comparing responder rates between arms (two-proportion z test, pooled).

    Parameters
    ----------
    n_per_arm : int
        Patients in each arm, 2–10,000,000.
    placebo_rate, active_rate : float
        Expected share of responders in each arm, strictly between 0 and 1.
    alpha : float, optional
        Two-sided significance level (default 0.05).

    Returns
    -------
    float
        ``Φ((|p₂ − p₁| sqrt(n) − z sqrt(2 p̄ q̄)) / sqrt(p₁q₁ + p₂q₂))`` plus the far tail,
        with ``p̄`` the mean of the two rates.
    """
    n_per_arm = _check_n_per_arm(n_per_arm, N_PER_ARM_FORMULA_MAX)
    p1 = _check_probability("placebo_rate", placebo_rate, "share of responders on placebo")
    p2 = _check_probability("active_rate", active_rate, "share of responders on treatment")
    z = _STANDARD_NORMAL.inv_cdf(1 - _check_alpha(alpha) / 2)
    pooled = math.sqrt(2 * (p1 + p2) / 2 * (1 - (p1 + p2) / 2))
    spread = math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    shift = abs(p2 - p1) * math.sqrt(n_per_arm)
    return (_STANDARD_NORMAL.cdf((shift - z * pooled) / spread)
            + _STANDARD_NORMAL.cdf((-shift - z * pooled) / spread))


def n_per_arm_for_responder_power(
    placebo_rate: float,
    active_rate: float,
    *,
    power: float = TARGET_POWER,
    alpha: float = ALPHA,
) -> int | None:
    """Patients per arm to compare responder rates with the given power.

    Uses the pooled-variance normal formula, as the course sourcebook's worked numbers do:
    ``n = (z_α sqrt(2 p̄ q̄) + z_β sqrt(p₁q₁ + p₂q₂))² / (p₂ − p₁)²``, rounded up.

    Parameters
    ----------
    placebo_rate, active_rate : float
        Expected share of responders in each arm, strictly between 0 and 1.
    power : float, optional
        Target power (default 0.8).
    alpha : float, optional
        Two-sided significance level (default 0.05).

    Returns
    -------
    int or None
        Patients per arm; None when the rates are equal.

    Examples
    --------
    >>> n_per_arm_for_responder_power(0.308, 0.308 * 1.38)
    265
    """
    p1 = _check_probability("placebo_rate", placebo_rate, "share of responders on placebo")
    p2 = _check_probability("active_rate", active_rate, "share of responders on treatment")
    alpha = _check_alpha(alpha)
    power = _check_power(power, alpha)
    if p1 == p2:
        return None
    mean = (p1 + p2) / 2
    root = (_STANDARD_NORMAL.inv_cdf(1 - alpha / 2) * math.sqrt(2 * mean * (1 - mean))
            + _STANDARD_NORMAL.inv_cdf(power) * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2)))
    return max(2, math.ceil(root**2 / (p2 - p1) ** 2 - 1e-9))


# ---------------------------------------------------------------------------- simulation


@dataclass(frozen=True)
class TrialResult:
    """What many simulated two-arm trials of one design found.

    Attributes
    ----------
    n_per_arm, n_trials, seed : int
        The design and the random seed.
    effect_points, sd_points, subset_fraction, placebo_responder_rate, mcid_points, alpha
        The inputs (see :func:`virtual_trial`).
    power : float
        Share of trials whose two-sided t test on the difference in mean change is
        significant at ``alpha``.
    power_mc_se : float
        Monte-Carlo standard error of ``power``: ``sqrt(power (1 − power) / n_trials)``.
    mean_difference_points : float
        Mean over trials of (mean change on placebo − mean change on treatment), in points;
        positive means more pain relief on treatment.
    responder_rate_placebo, responder_rate_active : float
        Share of patients whose pain fell by at least ``mcid_points``, over all trials.
    responder_power : float
        Share of trials whose two-proportion z test on the responder rates is significant.
    difference_points : numpy.ndarray
        The observed difference of each trial (points).
    significant : numpy.ndarray of bool
        Whether each trial's t test was significant.
    """

    n_per_arm: int
    n_trials: int
    seed: int
    effect_points: float
    sd_points: float
    subset_fraction: float
    placebo_responder_rate: float
    mcid_points: float
    alpha: float
    power: float
    power_mc_se: float
    mean_difference_points: float
    responder_rate_placebo: float
    responder_rate_active: float
    responder_power: float
    difference_points: np.ndarray = field(repr=False, compare=False)
    significant: np.ndarray = field(repr=False, compare=False)

    @property
    def expected_difference_points(self) -> float:
        """The true mean benefit the trials estimate: ``subset_fraction × effect_points``."""
        return self.subset_fraction * self.effect_points


def _simulate_chunk(rng: np.random.Generator, n_trials: int, n_per_arm: int, *,
                    mean_change: float, sd_points: float, effect_points: float,
                    subset_fraction: float, mcid_points: float) -> dict[str, np.ndarray]:
    """Simulate ``n_trials`` trials; return per-trial difference, t statistic, responders."""
    # Draw order is fixed and independent of the effect and subset, so designs that differ
    # only in those share their random numbers (common random numbers).
    placebo = mean_change + sd_points * rng.standard_normal((n_trials, n_per_arm))
    active = mean_change + sd_points * rng.standard_normal((n_trials, n_per_arm))
    active -= effect_points * (rng.random((n_trials, n_per_arm)) < subset_fraction)
    difference = placebo.mean(axis=1) - active.mean(axis=1)
    pooled_variance = 0.5 * (placebo.var(axis=1, ddof=1) + active.var(axis=1, ddof=1))
    t_statistic = difference / np.sqrt(pooled_variance * 2.0 / n_per_arm)
    return {
        "difference": difference,
        "t": t_statistic,
        "responders_placebo": np.count_nonzero(placebo <= -mcid_points, axis=1),
        "responders_active": np.count_nonzero(active <= -mcid_points, axis=1),
    }


def virtual_trial(
    n_per_arm: int,
    *,
    effect_points: float,
    sd_points: float = SD_CHANGE_POINTS,
    subset_fraction: float = 1.0,
    n_trials: int = 2000,
    seed: int = 0,
    placebo_responder_rate: float = PLACEBO_RESPONDER_RATE,
    mcid_points: float = MCID_POINTS,
    alpha: float = ALPHA,
) -> TrialResult:
    """Simulate many two-arm parallel trials of change in pain, all at once.

    Each trial randomises ``n_per_arm`` patients to placebo and ``n_per_arm`` to the active
    treatment. Patients are modelled as the module docstring says: a normal change in pain
    with SD ``sd_points``, a shared placebo response calibrated to
    ``placebo_responder_rate``, and an extra fall of ``effect_points`` only in the
    antibody-positive patients of the active arm (each patient independently, with
    probability ``subset_fraction``). Each trial is analysed with Student's two-sample t test
    (pooled variance, ``2n − 2`` degrees of freedom, two-sided at ``alpha``) on the difference
    in mean change, and with a two-proportion z test on the responder rates (a responder's
    pain falls by at least ``mcid_points``).

    Parameters
    ----------
    n_per_arm : int
        Patients in each arm, 2–5,000.
    effect_points : float
        Extra fall in pain in antibody-positive patients on treatment (points, −10 to 10;
        positive means less pain). See :func:`assumed_effect` for a value linked to a
        modelled treatment.
    sd_points : float, optional
        SD of the change in pain (points, greater than 0 and at most 10; default 2.3).
    subset_fraction : float, optional
        Share of the active arm that is antibody positive, 0–1 (default 1).
    n_trials : int, optional
        Trials simulated, 10–100,000 (default 2000).
    seed : int, optional
        Seed of numpy's random generator, 0–4,294,967,295 (default 0): the same seed and
        inputs give the same result.
    placebo_responder_rate : float, optional
        Share of placebo patients whose pain falls by at least ``mcid_points`` (default
        0.308).
    mcid_points : float, optional
        Responder threshold (points; default 2).
    alpha : float, optional
        Two-sided significance level (default 0.05).

    Returns
    -------
    TrialResult
        Power with its Monte-Carlo error, mean observed difference, responder rates per arm,
        responder-test power and each trial's difference and verdict.

    Raises
    ------
    ParameterError
        If an argument is of the wrong type or out of range.

    Examples
    --------
    >>> result = virtual_trial(21, effect_points=2.0)
    >>> 0.75 < result.power < 0.83
    True
    """
    n_per_arm = _check_n_per_arm(n_per_arm, N_PER_ARM_RANGE[1])
    effect_points = _check_effect("effect_points", effect_points)
    subset_fraction = _check_fraction(subset_fraction)
    n_trials = check_integer("n_trials", n_trials, unit="trials", low=N_TRIALS_RANGE[0],
                             high=N_TRIALS_RANGE[1])
    seed = check_integer("seed", seed, unit="(random seed)", low=0, high=SEED_MAX)
    alpha = _check_alpha(alpha)
    mean_change = placebo_mean_change_points(placebo_responder_rate, sd_points=sd_points,
                                             mcid_points=mcid_points)
    rng = np.random.default_rng(seed)
    per_chunk = max(1, _VALUES_PER_CHUNK // n_per_arm)
    chunks = [
        _simulate_chunk(rng, min(per_chunk, n_trials - start), n_per_arm,
                        mean_change=mean_change, sd_points=float(sd_points),
                        effect_points=effect_points, subset_fraction=subset_fraction,
                        mcid_points=float(mcid_points))
        for start in range(0, n_trials, per_chunk)
    ]
    merged = {key: np.concatenate([chunk[key] for chunk in chunks]) for key in chunks[0]}
    significant = np.abs(merged["t"]) > _t_critical(2 * n_per_arm - 2, alpha)
    rate_placebo = merged["responders_placebo"] / n_per_arm
    rate_active = merged["responders_active"] / n_per_arm
    pooled = 0.5 * (rate_placebo + rate_active)
    spread = np.sqrt(pooled * (1 - pooled) * 2.0 / n_per_arm)
    z_cut = _STANDARD_NORMAL.inv_cdf(1 - alpha / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        responder_significant = np.abs(rate_active - rate_placebo) > z_cut * spread
    responder_significant &= spread > 0
    power = float(significant.mean())
    return TrialResult(
        n_per_arm=n_per_arm, n_trials=n_trials, seed=seed, effect_points=effect_points,
        sd_points=float(sd_points), subset_fraction=subset_fraction,
        placebo_responder_rate=float(placebo_responder_rate),
        mcid_points=float(mcid_points), alpha=alpha, power=power,
        power_mc_se=math.sqrt(power * (1 - power) / n_trials),
        mean_difference_points=float(merged["difference"].mean()),
        responder_rate_placebo=float(rate_placebo.mean()),
        responder_rate_active=float(rate_active.mean()),
        responder_power=float(responder_significant.mean()),
        difference_points=merged["difference"], significant=significant,
    )


def power_curve(
    n_per_arm_values: Sequence[int],
    *,
    effect_points: float,
    sd_points: float = SD_CHANGE_POINTS,
    subset_fraction: float = 1.0,
    n_trials: int = 2000,
    seed: int = 0,
    placebo_responder_rate: float = PLACEBO_RESPONDER_RATE,
    mcid_points: float = MCID_POINTS,
    alpha: float = ALPHA,
) -> pd.DataFrame:
    """Compute simulated and formula power over several trial sizes.

    Parameters
    ----------
    n_per_arm_values : sequence of int
        Trial sizes (patients per arm, each 2–5,000), 1–100 of them.
    effect_points, sd_points, subset_fraction, n_trials, seed, placebo_responder_rate,
    mcid_points, alpha
        As for :func:`virtual_trial` (the same seed for every size).

    Returns
    -------
    pandas.DataFrame
        One row per size: ``n_per_arm``, ``power_simulated``, ``power_mc_se``,
        ``power_formula`` (:func:`normal_approx_power`, t critical value),
        ``mean_difference_points``, ``responder_rate_placebo``, ``responder_rate_active``
        and ``responder_power``.
    """
    sizes = list(n_per_arm_values)
    check_integer("len(n_per_arm_values)", len(sizes), unit="trial sizes", low=1, high=100)
    rows = []
    for n_per_arm in sizes:
        result = virtual_trial(
            n_per_arm, effect_points=effect_points, sd_points=sd_points,
            subset_fraction=subset_fraction, n_trials=n_trials, seed=seed,
            placebo_responder_rate=placebo_responder_rate, mcid_points=mcid_points,
            alpha=alpha)
        difference, variance = _mean_difference_and_variance(
            result.effect_points, result.sd_points, result.subset_fraction)
        rows.append({
            "n_per_arm": result.n_per_arm,
            "power_simulated": result.power,
            "power_mc_se": result.power_mc_se,
            "power_formula": _power(result.n_per_arm, difference, variance, result.alpha, "t"),
            "mean_difference_points": result.mean_difference_points,
            "responder_rate_placebo": result.responder_rate_placebo,
            "responder_rate_active": result.responder_rate_active,
            "responder_power": result.responder_power,
        })
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- link to the IgG model


@dataclass(frozen=True)
class AssumedEffect:
    """An effect on pain assumed from a modelled fall in autoantibody (a hypothesis).

    Attributes
    ----------
    mean_lowering_fraction : float
        Time-averaged fall of the plasma autoantibody over the assessment window, as a
        fraction of baseline (0.6 = 60% lower on average). A model output.
    effect_if_all_removed_points : float
        The hypothesis: pain fall in an antibody-positive patient if all of the
        autoantibody were removed (points).
    effect_points : float
        ``mean_lowering_fraction × effect_if_all_removed_points``: the assumed extra fall in
        pain in antibody-positive patients, for :func:`virtual_trial`.
    window_start_day, window_end_day : float
        The assessment window (days from the first treatment).
    """

    mean_lowering_fraction: float
    effect_if_all_removed_points: float
    effect_points: float
    window_start_day: float
    window_end_day: float


def assumed_effect(
    schedule: Schedule,
    *,
    effect_if_all_removed_points: float = EFFECT_IF_ALL_REMOVED_POINTS,
    window_start_day: float = ASSESSMENT_WINDOW_DAYS[0],
    window_end_day: float = ASSESSMENT_WINDOW_DAYS[1],
    params: IgGParameters | None = None,
    step_hours: float = 1.0,
) -> AssumedEffect:
    """Turn a modelled treatment into an assumed effect on pain (a labelled hypothesis).

    The link is the weakest part of the virtual trial: **no study has measured how a
    patient's pain changes when the autoantibody is lowered in fibromyalgia.** It assumes
    that pain in an antibody-positive patient falls in proportion to how far the plasma
    autoantibody is lowered, averaged over the assessment window, with no delay:

    ``effect_points = mean fall of plasma autoantibody (fraction) × effect_if_all_removed``

    The autoantibody comes from :func:`helpers.kinetics.simulate` (column
    ``autoantibody_plasma_pct``), so any schedule that engine accepts works: plasma
    exchange, and every other treatment it models. The average is the time integral over
    the window (trapezoids between output steps, linear interpolation at the window's ends)
    divided by its length.

    Parameters
    ----------
    schedule : Schedule
        A treatment schedule from :mod:`helpers.kinetics` (e.g. ``tpe_course(5, 1.0, 2.0)``).
    effect_if_all_removed_points : float, optional
        Hypothetical pain fall if all autoantibody were removed (points, −10 to 10; default
        3, an assumption for teaching).
    window_start_day, window_end_day : float, optional
        Assessment window in days from the first treatment, ``0 ≤ start < end ≤ 730``
        (default 77–84: the final week before a 12-week endpoint, an assumption).
    params : IgGParameters, optional
        IgG model parameters (defaults from ``data/``).
    step_hours : float, optional
        Time step of the simulation the average is taken from, 0.1–24 hours (default 1).

    Returns
    -------
    AssumedEffect
        The mean lowering, the hypothesis and their product.

    Raises
    ------
    ParameterError
        If an argument is out of range (the schedule and parameters are checked by
        :func:`helpers.kinetics.simulate`).
    """
    effect_if_all_removed_points = _check_effect("effect_if_all_removed_points",
                                                 effect_if_all_removed_points)
    start = check_number("window_start_day", window_start_day, unit="days", low=0.0,
                         high=SIMULATION_DAYS_MAX, high_open=True)
    end = check_number("window_end_day", window_end_day, unit="days", low=start,
                       high=SIMULATION_DAYS_MAX, low_open=True,
                       hint="The window must end after it starts.")
    step_hours = check_number("step_hours", step_hours, unit="hours", low=0.1, high=24.0)
    days = min(end + step_hours / 24.0, SIMULATION_DAYS_MAX)
    result = simulate(schedule, params=params, days=days, step_hours=step_hours)
    grid = result["day"].to_numpy()
    level_pct = result["autoantibody_plasma_pct"].to_numpy()
    inside = (grid > start) & (grid < end)
    times = np.concatenate([[start], grid[inside], [end]])
    levels = np.interp(times, grid, level_pct)
    mean_level_pct = float(np.sum(0.5 * (levels[1:] + levels[:-1]) * np.diff(times))
                           / (end - start))
    lowering = 1.0 - mean_level_pct / 100.0
    return AssumedEffect(
        mean_lowering_fraction=lowering,
        effect_if_all_removed_points=effect_if_all_removed_points,
        effect_points=lowering * effect_if_all_removed_points,
        window_start_day=start, window_end_day=end,
    )


def autoantibody_recovery_day(
    schedule: Schedule,
    *,
    threshold_pct: float = 90.0,
    params: IgGParameters | None = None,
    days: float = 365.0,
    step_hours: float = 6.0,
) -> float | None:
    """First day after a treatment ends on which the plasma autoantibody is back near baseline.

    In a crossover trial patients receive the treatments in turn, so the first one's effect
    must have worn off before the second period starts: for antibody lowering, at least the
    time the autoantibody takes to recover (a model output).

    Parameters
    ----------
    schedule : Schedule
        A treatment schedule from :mod:`helpers.kinetics`.
    threshold_pct : float, optional
        Level counted as recovered, 50–100% of baseline (default 90).
    params : IgGParameters, optional
        IgG model parameters (defaults from ``data/``).
    days : float, optional
        Simulated time, greater than 0 and at most 730 days (default 365).
    step_hours : float, optional
        Output step, 0.1–24 hours (default 6).

    Returns
    -------
    float or None
        Days from the start of the schedule (day 0) to the first output step at or after
        the end of the treatment (``schedule.end_day``) from which the plasma autoantibody
        stays at or above ``threshold_pct`` for the rest of the simulated time; None if it
        is still below at the end (for example while production stays lowered).
    """
    threshold_pct = check_number("threshold_pct", threshold_pct, unit="% of baseline",
                                 low=50.0, high=100.0)
    result = simulate(schedule, params=params, days=days, step_hours=step_hours)
    level = result["autoantibody_plasma_pct"].to_numpy()
    day = result["day"].to_numpy()
    after = np.flatnonzero(day >= schedule.end_day)
    if after.size == 0:
        return None
    below = np.flatnonzero(level[after] < threshold_pct)
    if below.size == 0:
        return float(day[after[0]])
    last_below = after[below[-1]]
    return float(day[last_below + 1]) if last_below + 1 < day.size else None
