"""Compare the IgG model with the published targets in ``data/validation_targets.csv``.

:func:`validation_table` runs every target scenario and returns the published value, the
fair tolerance, the model value and whether it fits, so notebooks can show students where the
model agrees with the literature and where it does not. Each target says whether it is an
independent comparison or holds by construction (a formula the model contains, a calibration
target, a default parameter); only the independent ones test the model.

:func:`calibration_table` re-does every calibration of ``data/`` (the FcRn exponent, the
treatment parameters) from its target, so a test can check that the stored values are the
calibrated ones.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from helpers.data import load_table
from helpers.kinetics import (
    FCRN_FREE_MULTIPLIER,
    FcRnDose,
    IgGParameters,
    ProductionChange,
    Schedule,
    blood_volume_l,
    fraction_remaining,
    immunoadsorption_course,
    ivig_course,
    reference_plasma_volume_l,
    session_levels,
    simulate,
    tpe_course,
    treatment_value,
)
from helpers.mouse import simulate_passive_transfer

__all__ = [
    "EQUILIBRIUM_GAP_PCT",
    "IMPLEMENTED_SCOPES",
    "ROLES",
    "RoleCounts",
    "calibration_table",
    "equilibrium_level",
    "fcrn_exponent_fit",
    "independent_record",
    "inside_published",
    "monthly_falls",
    "role_counts",
    "validation_table",
]

# What each row of the validation table is (column ``role`` of data/validation_targets.csv).
ROLES = {
    "measurement": "independent published measurements the model was not built from",
    "consistency": "consistency checks against a formula or a value derived from the model's "
                   "own inputs",
    "calibration": "calibration targets and default parameters (they hold by construction)",
}
# A single published figure counts as matched within 1 point for percentages and within 5%
# of the figure for other units (days, g/L).
SINGLE_FIGURE_POINTS = 1.0
SINGLE_FIGURE_SHARE = 0.05

# Scopes of validation targets that the models compute (every scope in the data).
IMPLEMENTED_SCOPES = ("plasma_volume", "single_exchange", "two_compartment", "ivig",
                      "fcrn_blocker", "immunoadsorption", "rituximab", "mouse")

# "After equilibrium" (target V4) has no published time: the model uses the first time at
# which plasma and tissue IgG, each as % of its baseline, are this close.
EQUILIBRIUM_GAP_PCT = 2.0

_DAYS_PER_MONTH = 30.0


def _course(row: pd.Series) -> Schedule:
    interval = row["interval_days"] if not pd.isna(row["interval_days"]) else 1.0
    return tpe_course(int(row["n_sessions"]), float(row["volume_pv"]), float(interval))


def _removed_one_compartment(row: pd.Series, params: IgGParameters) -> float:
    return 100.0 * (1.0 - fraction_remaining(float(row["volume_pv"])))


def _after_session(row: pd.Series, params: IgGParameters) -> float:
    levels = session_levels(_course(row), params=params).iloc[-1]
    return 100.0 * levels["plasma_pct_after"] / levels["plasma_pct_before"]


def equilibrium_level(volume_pv: float, params: IgGParameters | None = None) -> tuple[float, float]:
    """Plasma IgG after re-equilibration following one exchange.

    Parameters
    ----------
    volume_pv : float
        Plasma volumes exchanged in one 2-h session, 0–3.
    params : IgGParameters, optional
        Model parameters; defaults from ``data/``.

    Returns
    -------
    tuple of float
        ``(days_after_session, plasma_pct)``: the first time after the session at which the
        plasma and tissue levels (% of baseline) differ by less than
        :data:`EQUILIBRIUM_GAP_PCT` percentage points, and the plasma level then.
    """
    course = tpe_course(1, volume_pv, 1.0)
    result = simulate(course, params=params, days=40.0, step_hours=0.25)
    after = result[result["day"] > course.end_day]
    close = (after["extravascular_pct"] - after["plasma_pct"]).abs() < EQUILIBRIUM_GAP_PCT
    first = after[close].iloc[0]
    return float(first["day"] - course.end_day), float(first["plasma_pct"])


def _at_equilibrium(row: pd.Series, params: IgGParameters) -> float:
    return equilibrium_level(float(row["volume_pv"]), params)[1]


def _reduction_before_last(row: pd.Series, params: IgGParameters) -> float:
    return 100.0 - float(session_levels(_course(row), params=params)["plasma_pct_before"].iloc[-1])


def _reduction_after_last(row: pd.Series, params: IgGParameters) -> float:
    return 100.0 - float(session_levels(_course(row), params=params)["plasma_pct_after"].iloc[-1])


def _body_removed(row: pd.Series, params: IgGParameters) -> float:
    return float(session_levels(_course(row), params=params)["removed_pct"].iloc[-1])


def _log_slope_half_life(days: pd.Series, level: pd.Series) -> float:
    slope = np.polyfit(days, np.log(level), 1)[0]
    return math.log(2.0) / -slope


def _tracer_half_life(schedule: Schedule, params: IgGParameters, first_day: float) -> float:
    """Half-life of the autoantibody tracer from its decline over 120 days from ``first_day``.

    ``schedule`` stops the tracer's production; the slope is fitted from ``first_day + 60``
    days (after the fast phase) to ``first_day + 180``.
    """
    result = simulate(schedule, params=params, days=first_day + 180.0, step_hours=24.0)
    late = result[result["day"] >= first_day + 60.0]
    return _log_slope_half_life(late["day"], late["autoantibody_total_pct"])


def _half_life(row: pd.Series, params: IgGParameters) -> float:
    """Labelled IgG at the baseline level: the tracer's production stops, total IgG stays."""
    labelled = Schedule(production_changes=(ProductionChange(0.0, 1.0, 0.0),))
    return _tracer_half_life(labelled, params, 0.0)


def _tracer_half_life_full_blockade(row: pd.Series, params: IgGParameters) -> float:
    blocked = Schedule(fcrn_doses=(FcRnDose(0.0, "all FcRn", 0.0, FCRN_FREE_MULTIPLIER, 400.0),),
                       production_changes=(ProductionChange(0.0, 1.0, 0.0),))
    result = simulate(blocked, params=params, days=30.0, step_hours=6.0)
    late = result[result["day"] >= 10.0]
    return _log_slope_half_life(late["day"], late["autoantibody_total_pct"])


def _mouse_half_life(row: pd.Series, params: IgGParameters) -> float:
    """Half-life of human IgG in the mouse model, from the simulated terminal decline."""
    result = simulate_passive_transfer(n_doses=1, days=30.0, step_hours=6.0)
    late = result[result["day"] >= 10.0]
    return _log_slope_half_life(late["day"], late["serum_human_igg_mg_per_ml"])


def _mouse_time_to_peak(row: pd.Series, params: IgGParameters) -> float:
    """Hours from one injection to the simulated peak of serum human IgG (0.1-h steps)."""
    result = simulate_passive_transfer(n_doses=1, days=3.0, step_hours=0.1)
    return 24.0 * float(result.loc[result["serum_human_igg_mg_per_ml"].idxmax(), "day"])


def _nadler(row: pd.Series, params: IgGParameters) -> float:
    return blood_volume_l(row["sex"], float(row["height_cm"]), float(row["weight_kg"]))


# ---------------------------------------------------------------- treatment scenarios
# Each takes the parameter being calibrated explicitly, so the same function serves the
# validation table (value from data/) and the calibration (value searched for).


def _fcrn_doses(drug: str, n_doses: int, interval_days: float, dose_mg_per_kg: float,
                multiplier: float | None = None, action_per_mg: float | None = None) -> Schedule:
    multiplier = multiplier if multiplier is not None else treatment_value(
        "fcrn_blocker", drug, "catabolism_multiplier")
    action_per_mg = action_per_mg if action_per_mg is not None else treatment_value(
        "fcrn_blocker", drug, "action_days_per_mg_per_kg")
    return Schedule(fcrn_doses=tuple(
        FcRnDose(index * interval_days, drug, dose_mg_per_kg, multiplier,
                 action_per_mg * dose_mg_per_kg) for index in range(n_doses)))


def _fcrn_schedule(row: pd.Series, **override: float) -> Schedule:
    return _fcrn_doses(str(row["option"]), int(row["n_sessions"]), float(row["interval_days"]),
                       float(row["dose_per_kg"]), **override)


def _plasma(schedule: Schedule, params: IgGParameters, days: float) -> pd.DataFrame:
    return simulate(schedule, params=params, days=days, step_hours=1.0)


def _cycle_fall(schedule: Schedule, params: IgGParameters) -> float:
    """Largest fall of plasma IgG between days 22 and 29 (% of baseline)."""
    result = _plasma(schedule, params, 29.0)
    return 100.0 - float(result.loc[result["day"] >= 22.0, "plasma_pct"].min())


def _fall_at_day(schedule: Schedule, params: IgGParameters, day: float) -> float:
    return 100.0 - float(_plasma(schedule, params, day)["plasma_pct"].iloc[-1])


def _steady_state_fall(schedule: Schedule, params: IgGParameters) -> float:
    """Mean fall of plasma IgG over the last dosing interval."""
    doses = schedule.fcrn_doses
    interval = doses[1].start_day - doses[0].start_day
    end = doses[-1].start_day + interval
    result = _plasma(schedule, params, end)
    return 100.0 - float(result.loc[result["day"] >= end - interval, "plasma_pct"].mean())


def _largest_fall(schedule: Schedule, params: IgGParameters) -> tuple[float, float]:
    """Largest fall of plasma IgG in 60 days (% of baseline) and its day."""
    result = _plasma(schedule, params, 60.0)
    lowest = result["plasma_pct"].idxmin()
    return 100.0 - float(result.loc[lowest, "plasma_pct"]), float(result.loc[lowest, "day"])


def _ivig(params: IgGParameters, dose_g_per_kg: float) -> pd.DataFrame:
    return simulate(ivig_course(dose_g_per_kg), params=params, days=28.0, step_hours=1.0)


def _ivig_rise(result: pd.DataFrame, params: IgGParameters) -> float:
    """Rise of plasma IgG (g/L) 14 days after the start of the infusion."""
    day_14 = result.loc[(result["day"] - 14.0).abs().idxmin(), "plasma_igg_g_per_l"]
    return float(day_14) - params.baseline_igg_g_per_l


def _ivig_autoantibody_fall(result: pd.DataFrame) -> float:
    """Largest fall of the autoantibody tracer in plasma between days 21 and 28."""
    weeks_3_4 = result.loc[result["day"] >= 21.0, "autoantibody_plasma_pct"]
    return 100.0 - float(weeks_3_4.min())


def _adsorption(column: str, n_sessions: int, volume_pv: float, interval_days: float,
                efficiency: float | None = None) -> Schedule:
    course = immunoadsorption_course(n_sessions, volume_pv, interval_days, column=column)
    if efficiency is None:
        return course
    return Schedule(adsorptions=tuple(replace(s, efficiency=efficiency)
                                      for s in course.adsorptions))


def _adsorption_fall(schedule: Schedule, params: IgGParameters) -> float:
    levels = session_levels(schedule, params=params)
    return 100.0 - 100.0 * float(levels["plasma_pct_after"].iloc[-1]) / float(
        levels["plasma_pct_before"].iloc[0])


def _row_adsorption(row: pd.Series) -> Schedule:
    return _adsorption(str(row["option"]), int(row["n_sessions"]), float(row["volume_pv"]),
                       float(row["interval_days"]))


def _extra_removal_beyond_2_l(row: pd.Series, params: IgGParameters) -> float:
    """IgG removed in one session of ``volume_pv`` compared with one of 2 L (%)."""
    two_litres = 2.0 / reference_plasma_volume_l(70.0)
    removed = [float(session_levels(_adsorption(str(row["option"]), 1, volume, 1.0),
                                    params=params)["removed_pct"].iloc[-1])
               for volume in (two_litres, float(row["volume_pv"]))]
    return 100.0 * (removed[1] / removed[0] - 1.0)


def _rituximab(total: float | None = None, autoantibody: float | None = None) -> Schedule:
    total = total if total is not None else treatment_value(
        "rituximab", "any", "total_production_fraction")
    autoantibody = autoantibody if autoantibody is not None else treatment_value(
        "rituximab", "any", "autoantibody_production_fraction")
    return Schedule(production_changes=(ProductionChange(0.0, total, autoantibody),))


def _monthly_fall(schedule: Schedule, params: IgGParameters, column: str) -> float:
    """Average fall per month over the first 3 months (% per month)."""
    level = float(simulate(schedule, params=params, days=90.0, step_hours=24.0)[column].iloc[-1])
    return 100.0 * (1.0 - (level / 100.0) ** (_DAYS_PER_MONTH / 90.0))


def monthly_falls(params: IgGParameters | None = None, *, column: str = "plasma_pct",
                  months: int = 3) -> list[float]:
    """Fall of a rituximab course's level in each month (% of the level a month earlier).

    Parameters
    ----------
    params : IgGParameters, optional
        Model parameters; defaults from ``data/``.
    column : str, optional
        ``"plasma_pct"`` (total IgG) or ``"autoantibody_plasma_pct"``.
    months : int, optional
        How many 30-day months from the first dose.

    Returns
    -------
    list of float
        One fall per month; a steady fall (as published for total IgG) gives equal values.
    """
    params = params if params is not None else IgGParameters()
    result = simulate(_rituximab(), params=params, days=_DAYS_PER_MONTH * months,
                      step_hours=24.0)
    levels = [float(result.loc[(result["day"] - _DAYS_PER_MONTH * month).abs().idxmin(), column])
              for month in range(months + 1)]
    return [100.0 * (1.0 - after / before) for before, after in itertools.pairwise(levels)]


_QUANTITIES: dict[str, Callable[[pd.Series, IgGParameters], float]] = {
    "percent_removed_one_compartment": _removed_one_compartment,
    "plasma_after_session_pct_of_pre": _after_session,
    "plasma_at_equilibrium_pct_of_pre": _at_equilibrium,
    "plasma_reduction_before_last_session_pct": _reduction_before_last,
    "plasma_reduction_after_last_session_pct": _reduction_after_last,
    "body_igg_removed_pct": _body_removed,
    "tracer_half_life_days": _half_life,
    "tracer_half_life_full_blockade_days": _tracer_half_life_full_blockade,
    "nadler_blood_volume_l": _nadler,
    "mouse_half_life_days": _mouse_half_life,
    "time_to_peak_hours": _mouse_time_to_peak,
    "fcrn_cycle_fall_pct": lambda row, params: _cycle_fall(_fcrn_schedule(row), params),
    "igg_fall_day_10_pct": lambda row, params: _fall_at_day(_fcrn_schedule(row), params, 10.0),
    "steady_state_fall_pct": lambda row, params: _steady_state_fall(_fcrn_schedule(row), params),
    "largest_fall_pct": lambda row, params: _largest_fall(_fcrn_schedule(row), params)[0],
    "day_of_nadir": lambda row, params: _largest_fall(_fcrn_schedule(row), params)[1],
    "catabolism_multiplier": lambda row, params: treatment_value(
        "fcrn_blocker", str(row["option"]), "catabolism_multiplier"),
    "blockade_fall_4_weeks_pct": lambda row, params: _fall_at_day(
        Schedule(fcrn_doses=(FcRnDose(0.0, "all FcRn", 0.0, FCRN_FREE_MULTIPLIER, 28.0),)),
        params, 28.0),
    "igg_rise_day_14_g_per_l": lambda row, params: _ivig_rise(
        _ivig(params, float(row["dose_per_kg"])), params),
    "autoantibody_fall_weeks_3_4_pct": lambda row, params: _ivig_autoantibody_fall(
        _ivig(params, float(row["dose_per_kg"]))),
    "plasma_fall_after_session_pct": lambda row, params: _adsorption_fall(
        _row_adsorption(row), params),
    "plasma_fall_after_course_pct": lambda row, params: _adsorption_fall(
        _row_adsorption(row), params),
    "extra_removal_beyond_2_l_pct": _extra_removal_beyond_2_l,
    "igg_fall_per_month_pct": lambda row, params: _monthly_fall(_rituximab(), params,
                                                                "plasma_pct"),
    "igg_fall_month_3_pct": lambda row, params: monthly_falls(params)[2],
    "autoantibody_fall_per_month_pct": lambda row, params: _monthly_fall(
        _rituximab(), params, "autoantibody_plasma_pct"),
}


def validation_table(
    params: IgGParameters | None = None, *, include_planned: bool = False
) -> pd.DataFrame:
    """Model values next to the published validation targets.

    Parameters
    ----------
    params : IgGParameters, optional
        Model parameters; defaults from ``data/``.
    include_planned : bool, optional
        Kept for compatibility: every target in ``data/`` is now modelled, so this changes
        nothing.

    Returns
    -------
    pandas.DataFrame
        One row per target case: ``id``, ``case``, ``model_scope``, ``scenario``,
        ``published_value``, ``tolerance`` (text), ``tolerance_low``, ``tolerance_high``,
        ``unit``, ``model_value``, ``within_tolerance``, ``comparison_kind``
        (``"independent"`` or ``"by_construction"``), ``by_construction`` (bool),
        ``comparison_note`` (why), ``role`` (see :data:`ROLES`), ``inside_published``
        (whether the model lies inside the published value itself: ``"yes"``, ``"no (above)"``,
        ``"no (below)"``, or ``""`` where the data give no number for it), ``source_kind``,
        ``status``, ``source`` and ``note``.
    """
    params = params if params is not None else IgGParameters()
    targets = load_table("validation_targets")
    rows = []
    for _, target in targets.iterrows():
        value = float(_QUANTITIES[target["quantity"]](target, params))
        low, high = float(target["tolerance_low"]), float(target["tolerance_high"])
        rows.append({
            "id": target["id"],
            "case": target["case"],
            "model_scope": target["model_scope"],
            "scenario": target["scenario"],
            "published_value": target["published_value"],
            "tolerance": f"{low:g}–{high:g}",
            "tolerance_low": low,
            "tolerance_high": high,
            "unit": target["unit"],
            "model_value": value,
            "within_tolerance": bool(low <= value <= high),
            "comparison_kind": target["comparison_kind"],
            "by_construction": target["comparison_kind"] == "by_construction",
            "comparison_note": target["comparison_note"],
            "role": target["role"],
            "inside_published": inside_published(value, target["published_low"],
                                                 target["published_high"], str(target["unit"])),
            "source_kind": target["source_kind"],
            "status": target["status"],
            "source": target["source"],
            "note": "" if pd.isna(target["note"]) else target["note"],
        })
    table = pd.DataFrame(rows)
    table["within_tolerance"] = table["within_tolerance"].astype("boolean")
    return table


def inside_published(model_value: float, low: float, high: float, unit: str) -> str:
    """Say whether a model value lies inside the published value itself (not the course's range).

    Parameters
    ----------
    model_value : float
        The model's value, in ``unit``.
    low, high : float
        The published value (a range, or a single figure with ``low == high``); NaN if the
        data give none.
    unit : str
        The unit; a single percentage counts as matched within :data:`SINGLE_FIGURE_POINTS`
        points, another single figure within :data:`SINGLE_FIGURE_SHARE` of itself.

    Returns
    -------
    str
        ``"yes"``, ``"no (above)"``, ``"no (below)"``, or ``""`` without a published number.
    """
    if pd.isna(low) or pd.isna(high):
        return ""
    low, high = float(low), float(high)
    if low == high:
        margin = SINGLE_FIGURE_POINTS if unit.startswith("%") else SINGLE_FIGURE_SHARE * abs(low)
        low, high = low - margin, high + margin
    if model_value > high:
        return "no (above)"
    return "no (below)" if model_value < low else "yes"


@dataclass(frozen=True)
class RoleCounts:
    """How the model does in one role of the validation table.

    Attributes
    ----------
    values : int
        Distinct published values (one value compared in several scenarios counts once).
    scenarios : int
        Rows (scenarios) they are compared in.
    in_range : int
        Scenarios in which the model lies inside the course's accepted range.
    in_value : int
        Scenarios in which it lies inside the published value itself.
    """

    values: int
    scenarios: int
    in_range: int
    in_value: int


def role_counts(table: pd.DataFrame) -> dict[str, RoleCounts]:
    """Count the rows of (part of) the validation table by role (see :data:`ROLES`)."""
    counts = {}
    for role in ROLES:
        rows = table[table["role"] == role]
        counts[role] = RoleCounts(
            values=len(rows.drop_duplicates(["id", "published_value"])), scenarios=len(rows),
            in_range=int(rows["within_tolerance"].sum()),
            in_value=int((rows["inside_published"] == "yes").sum()))
    return counts


def independent_record(table: pd.DataFrame) -> tuple[RoleCounts, RoleCounts]:
    """Count the independent measurements of (part of) the validation table, by source kind.

    Only rows with role ``"measurement"`` test the model. Those checked in the primary source
    are the "published values"; figures confirmed only in a secondary source may be shown
    only as "reported by" that source, so they are counted apart.

    Parameters
    ----------
    table : pandas.DataFrame
        Rows of :func:`validation_table`.

    Returns
    -------
    tuple of RoleCounts
        ``(published, secondary)``.
    """
    measured = table[table["role"] == "measurement"]
    secondary = measured["source_kind"] == "secondary"
    return (role_counts(measured[~secondary])["measurement"],
            role_counts(measured[secondary])["measurement"])


# ------------------------------------------------------------------------- calibration


def _bisect(function: Callable[[float], float], target: float, low: float, high: float,
            tolerance: float = 1e-6) -> float:
    """Return the argument in [low, high] at which a monotone ``function`` equals ``target``."""
    rising = function(high) > function(low)
    while high - low > tolerance:
        middle = 0.5 * (low + high)
        if (function(middle) < target) == rising:
            low = middle
        else:
            high = middle
    return 0.5 * (low + high)


def _ivig_residuals(alpha: float) -> tuple[float, float]:
    params = IgGParameters(fcrn_exponent=alpha)
    result = _ivig(params, treatment_value("ivig", "any", "standard_dose_g_per_kg"))
    return _ivig_rise(result, params), _ivig_autoantibody_fall(result)


def fcrn_exponent_fit(*, low: float = 0.3, high: float = 0.85) -> float:
    """Fit the FcRn exponent α to the IVIG targets (I1 and V15/I3), once for every scenario.

    Minimises the sum of squared residuals, each divided by half its tolerance width:
    (ΔIgG at 2 weeks − 7.8 g/L)/3 and (autoantibody fall in weeks 3–4 − 25%)/10, by golden-
    section search on ``[low, high]``.

    Returns
    -------
    float
        The fitted α (dimensionless).
    """
    def loss(alpha: float) -> float:
        rise, fall = _ivig_residuals(alpha)
        return ((rise - 7.8) / 3.0) ** 2 + ((fall - 25.0) / 10.0) ** 2

    ratio = (math.sqrt(5.0) - 1.0) / 2.0
    a, b = low, high
    while b - a > 1e-3:
        c, d = b - ratio * (b - a), a + ratio * (b - a)
        if loss(c) < loss(d):
            b = d
        else:
            a = c
    return 0.5 * (a + b)


def _calibrations(params: IgGParameters) -> list[tuple[str, str, str, str, Callable, float,
                                                       tuple[float, float]]]:
    """(treatment, option, parameter, target text, model(value), target value, bracket)."""
    trp_volume = treatment_value("immunoadsorption", "tryptophan", "standard_volume_pv")
    total_fraction = treatment_value("rituximab", "any", "total_production_fraction")
    return [
        ("fcrn_blocker", "efgartigimod", "catabolism_multiplier",
         "ADAPT+: 55.9% fall in days 22-29 of a 4-dose cycle",
         lambda m: _cycle_fall(_fcrn_doses("efgartigimod", 4, 7.0, 10.0, multiplier=m),
                               params), 55.9, (1.0, FCRN_FREE_MULTIPLIER)),
        ("fcrn_blocker", "rozanolixizumab", "action_days_per_mg_per_kg",
         "First-in-human: 33.4% fall at day 10 after 4 mg/kg",
         lambda a: _fall_at_day(_fcrn_doses("rozanolixizumab", 1, 7.0, 4.0, action_per_mg=a),
                                params, 10.0), 33.4, (0.01, 2.5)),
        ("fcrn_blocker", "nipocalimab", "action_days_per_mg_per_kg",
         "Valenzuela 2025: about 70% fall at steady state, 15 mg/kg every 2 weeks",
         lambda a: _steady_state_fall(_fcrn_doses("nipocalimab", 26, 14.0, 15.0,
                                                  action_per_mg=a), params),
         70.0, (0.01, 14.0 / 15.0)),
        ("fcrn_blocker", "batoclimab", "action_days_per_mg_per_kg",
         "HBM9161 phase 1: largest fall 41.2% after 680 mg",
         lambda a: _largest_fall(_fcrn_doses("batoclimab", 1, 7.0, 9.71, action_per_mg=a),
                                 params)[0], 41.2, (0.01, 3.0)),
        ("immunoadsorption", "protein_a", "efficiency",
         "Ther Apher Dial 2022: 69.9% fall in one session (2 PV assumed)",
         lambda e: _adsorption_fall(_adsorption("protein_a", 1, 2.0, 1.0, efficiency=e),
                                    params), 69.9, (0.05, 1.0)),
        ("immunoadsorption", "tryptophan", "efficiency",
         "NMOSD series: 56% fall after 5 alternate-day sessions of 2 L",
         lambda e: _adsorption_fall(_adsorption("tryptophan", 5, trp_volume, 2.0, efficiency=e),
                                    params), 56.0, (0.05, 1.0)),
        ("rituximab", "any", "total_production_fraction",
         "Cortazar 2017: total IgG about -6% per month",
         lambda f: _monthly_fall(_rituximab(f, 1.0), params, "plasma_pct"), 6.0, (0.3, 1.0)),
        ("rituximab", "any", "autoantibody_production_fraction",
         "Cortazar 2017: ANCA about -47.5% per month",
         lambda f: _monthly_fall(_rituximab(total_fraction, f), params,
                                 "autoantibody_plasma_pct"), 47.5, (0.0, 1.0)),
    ]


def calibration_table(params: IgGParameters | None = None) -> pd.DataFrame:
    """Every calibrated value of ``data/`` beside the value its target gives now.

    Parameters
    ----------
    params : IgGParameters, optional
        Model parameters; defaults from ``data/``.

    Returns
    -------
    pandas.DataFrame
        One row per calibrated value: ``treatment``, ``option``, ``parameter``, ``target``,
        ``target_value``, ``stored`` (value in ``data/``), ``calibrated`` (value found now) and
        ``model_at_stored`` (the target quantity with the stored value).
    """
    params = params if params is not None else IgGParameters()
    rows = [{
        "treatment": "all", "option": "any", "parameter": "fcrn_exponent",
        "target": "Kuitwaard 2009 +7.8 g/L at 2 weeks and Bleeker 2001 25% (joint fit)",
        "target_value": math.nan, "stored": params.fcrn_exponent,
        "calibrated": fcrn_exponent_fit(), "model_at_stored": math.nan,
    }]
    for treatment, option, parameter, target, model, value, (low, high) in _calibrations(params):
        stored = treatment_value(treatment, option, parameter)
        rows.append({"treatment": treatment, "option": option, "parameter": parameter,
                     "target": target, "target_value": value, "stored": stored,
                     "calibrated": _bisect(model, value, low, high, tolerance=1e-4),
                     "model_at_stored": model(stored)})
    return pd.DataFrame(rows)


def main() -> None:
    """Print the validation table by role, with counts (``python -m helpers.model_validation``)."""
    columns = ["id", "case", "model_scope", "published_value", "tolerance", "unit",
               "model_value", "within_tolerance", "inside_published"]
    table = validation_table()
    treatments = table[table["model_scope"].isin(["ivig", "fcrn_blocker", "immunoadsorption",
                                                  "rituximab"])]
    with pd.option_context("display.width", 240, "display.max_colwidth", 45):
        for role, description in ROLES.items():
            rows = table[table["role"] == role]
            print(f"\n{role}: {description}")
            print(rows[columns].round(2).to_string(index=False))
    for name, rows in (("all targets", table), ("notebook 04 (treatments)", treatments)):
        print(f"\nCounts, {name}:")
        for role, counts in role_counts(rows).items():
            print(f"  {role}: {counts.values} values in {counts.scenarios} scenarios; inside the "
                  f"accepted range {counts.in_range}; inside the published value itself "
                  f"{counts.in_value}")


if __name__ == "__main__":
    main()
