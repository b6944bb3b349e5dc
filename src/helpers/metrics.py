"""Plain numbers that summarise a simulated course (pure: numpy and pandas only).

The explorers print these as a live summary, the exercises check answers against them, and
the "80–90%" claim check tabulates them. Every value is a model output for teaching, never a
clinical target.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.checks import check_integer, check_number
from helpers.kinetics import IgGParameters, Schedule, session_levels, simulate, tpe_course

__all__ = [
    "CourseSummary",
    "claim_table",
    "fewest_sessions_below",
    "longest_run_below_days",
    "summarize_course",
]

RECOVERY_THRESHOLD_PCT = 80.0


@dataclass(frozen=True)
class CourseSummary:
    """Key numbers of one simulated course.

    Attributes
    ----------
    lowest_plasma_pct, lowest_day : float
        Lowest plasma IgG (% of baseline) and the day it occurs.
    end_of_course_plasma_pct : float
        Plasma IgG just after the last session (% of baseline), or on the last simulated day
        if the course runs longer; 100 with no sessions.
    recovery_day : float or None
        First day, from the end of the last session, on which plasma IgG is at or above 80% of
        baseline (day 0 with no sessions); None if that does not happen in the simulated time.
    removed_pct : float
        IgG removed by all sessions, % of the baseline body pool.
    removed_g : float
        The same in grams, for the given plasma volume and baseline IgG level.
    exchanged_l : float
        Plasma exchanged over the whole course (litres).
    lowest_autoantibody_pct : float
        Lowest plasma autoantibody level (% of baseline).
    days_shown : float
        Length of the simulation (days).
    """

    lowest_plasma_pct: float
    lowest_day: float
    end_of_course_plasma_pct: float
    recovery_day: float | None
    removed_pct: float
    removed_g: float
    exchanged_l: float
    lowest_autoantibody_pct: float
    days_shown: float


def summarize_course(
    result: pd.DataFrame, schedule: Schedule, params: IgGParameters, plasma_volume_l: float
) -> CourseSummary:
    """Summarise a result of :func:`helpers.kinetics.simulate`.

    Parameters
    ----------
    result : pandas.DataFrame
        Output of ``simulate(schedule, params=params, ...)``.
    schedule : Schedule
        The schedule that was simulated.
    params : IgGParameters
        The parameters that were used.
    plasma_volume_l : float
        The patient's plasma volume (litres), to express amounts in litres and grams.

    Returns
    -------
    CourseSummary
    """
    plasma_volume_l = check_number("plasma_volume_l", plasma_volume_l, unit="L", low=0.5,
                                   high=10.0)
    lowest = result["plasma_pct"].idxmin()
    # A course longer than the simulated time is summarised at the last simulated day.
    last_end = min(schedule.end_day, float(result["day"].iloc[-1]))
    at_end = result[result["day"] >= last_end - 1e-9]
    end_level = float(at_end["plasma_pct"].iloc[0]) if schedule.sessions else 100.0
    recovered = at_end[at_end["plasma_pct"] >= RECOVERY_THRESHOLD_PCT]
    recovery_day = float(recovered["day"].iloc[0]) if len(recovered) else None
    body_pool_g = params.baseline_igg_g_per_l * plasma_volume_l / params.intravascular_fraction
    removed_pct = float(result["removed_pct"].iloc[-1])
    return CourseSummary(
        lowest_plasma_pct=float(result.loc[lowest, "plasma_pct"]),
        lowest_day=float(result.loc[lowest, "day"]),
        end_of_course_plasma_pct=end_level,
        recovery_day=recovery_day,
        removed_pct=removed_pct,
        removed_g=removed_pct / 100.0 * body_pool_g,
        exchanged_l=schedule.total_volume_pv * plasma_volume_l,
        lowest_autoantibody_pct=float(result["autoantibody_plasma_pct"].min()),
        days_shown=float(result["day"].iloc[-1]),
    )


def longest_run_below_days(result: pd.DataFrame, threshold_pct: float,
                           column: str = "plasma_pct") -> float:
    """Longest continuous time (days) that ``column`` stays below ``threshold_pct``.

    Parameters
    ----------
    result : pandas.DataFrame
        Output of :func:`helpers.kinetics.simulate`.
    threshold_pct : float
        Level in % of baseline, 0–100.
    column : str
        Which level to test (default plasma IgG).

    Returns
    -------
    float
        Days, measured on the result's time grid.
    """
    threshold_pct = check_number("threshold_pct", threshold_pct, unit="% of baseline", low=0.0,
                                 high=100.0)
    below = (result[column] < threshold_pct).to_numpy()
    step = float(result["day"].iloc[1] - result["day"].iloc[0]) if len(result) > 1 else 0.0
    longest = run = 0
    for flag in below:
        run = run + 1 if flag else 0
        longest = max(longest, run)
    return max(longest - 1, 0) * step


def fewest_sessions_below(
    threshold_pct: float,
    hold_days: float,
    volume_pv: float,
    interval_days: float,
    *,
    params: IgGParameters | None = None,
    max_sessions: int = 30,
) -> int | None:
    """Fewest equally spaced sessions that keep plasma IgG below a level for a time.

    Parameters
    ----------
    threshold_pct : float
        Plasma IgG level to stay under (% of baseline), 0–100.
    hold_days : float
        How long it must stay under, 0.5–180 days, without a break.
    volume_pv, interval_days : float
        Volume per session (plasma volumes) and spacing (days), as in
        :func:`helpers.kinetics.tpe_course`.
    params : IgGParameters, optional
        Model parameters; defaults from ``data/``.
    max_sessions : int, optional
        Largest number of sessions to try, 1–30.

    Returns
    -------
    int or None
        The number of sessions, or None if even ``max_sessions`` do not achieve it.
    """
    hold_days = check_number("hold_days", hold_days, unit="days", low=0.5, high=180.0)
    max_sessions = check_integer("max_sessions", max_sessions, unit="sessions", low=1, high=30)
    for n_sessions in range(1, max_sessions + 1):
        course = tpe_course(n_sessions, volume_pv, interval_days)
        days = min(course.end_day + hold_days + 30.0, 730.0)
        result = simulate(course, params=params, days=days, step_hours=1.0)
        if longest_run_below_days(result, threshold_pct) >= hold_days:
            return n_sessions
    return None


def claim_table(
    sessions: tuple[int, ...] = (1, 3, 5, 7),
    volumes_pv: tuple[float, ...] = (1.0, 1.5),
    interval_days: float = 2.0,
    params: IgGParameters | None = None,
) -> pd.DataFrame:
    """Tabulate what courses achieve, measured three ways, to test the "80–90%" claim.

    Parameters
    ----------
    sessions : tuple of int
        Numbers of sessions to tabulate.
    volumes_pv : tuple of float
        Exchange volumes per session (plasma volumes).
    interval_days : float
        Days between sessions.
    params : IgGParameters, optional
        Model parameters; defaults from ``data/``.

    Returns
    -------
    pandas.DataFrame
        One row per course: ``sessions``, ``volume_pv``, ``plasma_fall_pct`` (fall of plasma
        IgG just after the last session), ``body_fall_pct`` (fall of whole-body IgG then),
        ``removed_pct`` (cumulative IgG removed, % of the baseline body pool) and
        ``plasma_volumes_exchanged``.
    """
    rows = []
    for volume in volumes_pv:
        for n_sessions in sessions:
            levels = session_levels(tpe_course(n_sessions, volume, interval_days), params=params)
            last = levels.iloc[-1]
            rows.append({
                "sessions": n_sessions,
                "volume_pv": volume,
                "plasma_fall_pct": 100.0 - float(last["plasma_pct_after"]),
                "body_fall_pct": 100.0 - float(last["total_pct_after"]),
                "removed_pct": float(last["removed_pct"]),
                "plasma_volumes_exchanged": n_sessions * volume,
            })
    return pd.DataFrame(rows)
