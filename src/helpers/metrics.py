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
    """Key numbers of one simulated course (model outputs, % of baseline unless stated).

    Attributes
    ----------
    n_sessions : int
        Sessions in the course.
    sessions_shown : int
        Sessions that start within the simulated time.
    course_complete : bool
        True if the last session ends within the simulated time (always True without
        sessions).
    course_end_day : float
        End of the last session (days; 0 without sessions), even beyond the simulated time.
    lowest_plasma_pct, lowest_day : float
        Lowest plasma IgG and the first day it occurs.
    end_of_course_plasma_pct, end_of_course_body_pct : float or None
        Plasma and whole-body IgG just after the last session; None without sessions or if
        the course runs past the simulated time.
    fell_below_threshold : bool
        True if plasma IgG went below :data:`RECOVERY_THRESHOLD_PCT` at any time.
    recovery_day : float or None
        First day after the last session on which plasma IgG is back at or above
        :data:`RECOVERY_THRESHOLD_PCT`. None if it never fell below that level, if the course
        runs past the simulated time, or if the level is not regained within it.
    removed_pct : float
        IgG taken out by all sessions shown, % of the baseline body pool. It counts IgG made
        during the course and, with donor plasma, the donors' IgG too, so it can exceed 100.
    made_during_course_pct : float
        IgG the body made from day 0 to the end of the course (or of the simulated time),
        % of the baseline body pool.
    donor_igg_pct : float
        Donors' IgG put in with donor-plasma replacement, % of the baseline body pool.
    removed_g : float
        ``removed_pct`` in grams, for the given plasma volume and baseline IgG level.
    exchanged_l : float
        Plasma exchanged over the whole course (litres).
    lowest_autoantibody_pct, lowest_autoantibody_day : float
        Lowest plasma autoantibody level and the first day it occurs.
    days_shown : float
        Length of the simulation (days).
    """

    n_sessions: int
    sessions_shown: int
    course_complete: bool
    course_end_day: float
    lowest_plasma_pct: float
    lowest_day: float
    end_of_course_plasma_pct: float | None
    end_of_course_body_pct: float | None
    fell_below_threshold: bool
    recovery_day: float | None
    removed_pct: float
    made_during_course_pct: float
    donor_igg_pct: float
    removed_g: float
    exchanged_l: float
    lowest_autoantibody_pct: float
    lowest_autoantibody_day: float
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
    days_shown = float(result["day"].iloc[-1])
    has_sessions = schedule.n_sessions > 0
    course_end = schedule.end_day if has_sessions else 0.0
    complete = course_end <= days_shown + 1e-9
    # Rows from the end of the course (or the last simulated day if the course runs longer).
    at_end = result[result["day"] >= min(course_end, days_shown) - 1e-9]
    end_row = at_end.iloc[0]
    lowest = result["plasma_pct"].idxmin()
    lowest_auto = result["autoantibody_plasma_pct"].idxmin()
    fell_below = bool((result["plasma_pct"] < RECOVERY_THRESHOLD_PCT).any())
    recovery_day = None
    if fell_below and complete:
        recovered = at_end[at_end["plasma_pct"] >= RECOVERY_THRESHOLD_PCT]
        recovery_day = float(recovered["day"].iloc[0]) if len(recovered) else None
    body_pool_g = params.baseline_igg_g_per_l * plasma_volume_l / params.intravascular_fraction
    removed_pct = float(result["removed_pct"].iloc[-1])
    return CourseSummary(
        n_sessions=schedule.n_sessions,
        sessions_shown=sum(s.start_day <= days_shown for s in schedule.sessions),
        course_complete=complete,
        course_end_day=course_end,
        lowest_plasma_pct=float(result.loc[lowest, "plasma_pct"]),
        lowest_day=float(result.loc[lowest, "day"]),
        end_of_course_plasma_pct=float(end_row["plasma_pct"]) if has_sessions and complete
        else None,
        end_of_course_body_pct=float(end_row["total_pct"]) if has_sessions and complete
        else None,
        fell_below_threshold=fell_below,
        recovery_day=recovery_day,
        removed_pct=removed_pct,
        made_during_course_pct=float(end_row["synthesised_pct"]),
        donor_igg_pct=float(result["replaced_pct"].iloc[-1]),
        removed_g=removed_pct / 100.0 * body_pool_g,
        exchanged_l=schedule.total_volume_pv * plasma_volume_l,
        lowest_autoantibody_pct=float(result.loc[lowest_auto, "autoantibody_plasma_pct"]),
        lowest_autoantibody_day=float(result.loc[lowest_auto, "day"]),
        days_shown=days_shown,
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
        ``removed_pct`` (cumulative IgG removed, % of the baseline body pool),
        ``made_pct`` (IgG the body made from day 0 to the end of the last session, % of the
        baseline body pool: the reason ``removed_pct`` can exceed ``body_fall_pct``),
        ``broken_down_pct`` (IgG broken down in that time, % of the baseline body pool) and
        ``plasma_volumes_exchanged``. The columns close the mass balance of the course:
        ``body_fall_pct = removed_pct - made_pct + broken_down_pct``.
    """
    params = params if params is not None else IgGParameters()
    rows = []
    for volume in volumes_pv:
        for n_sessions in sessions:
            course = tpe_course(n_sessions, volume, interval_days)
            last = session_levels(course, params=params).iloc[-1]
            body_fall = 100.0 - float(last["total_pct_after"])
            removed = float(last["removed_pct"])
            made = 100.0 * params.synthesis_per_day * course.end_day
            rows.append({
                "sessions": n_sessions,
                "volume_pv": volume,
                "plasma_fall_pct": 100.0 - float(last["plasma_pct_after"]),
                "body_fall_pct": body_fall,
                "removed_pct": removed,
                "made_pct": made,
                # Albumin replacement adds no IgG, so what is neither removed nor left over
                # from the start and the production was broken down.
                "broken_down_pct": body_fall - removed + made,
                "plasma_volumes_exchanged": n_sessions * volume,
            })
    return pd.DataFrame(rows)
