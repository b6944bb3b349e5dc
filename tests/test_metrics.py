"""Summary numbers of a simulated course."""

from __future__ import annotations

import pytest

from helpers.kinetics import IgGParameters, Schedule, simulate, tpe_course
from helpers.metrics import (
    claim_table,
    fewest_sessions_below,
    longest_run_below_days,
    summarize_course,
)

PARAMS = IgGParameters()


def test_summary_of_a_standard_course():
    course = tpe_course(5, 1.0, 2.0)
    result = simulate(course, days=60)
    summary = summarize_course(result, course, PARAMS, plasma_volume_l=2.5)
    assert summary.lowest_day == pytest.approx(course.end_day, abs=1 / 24)
    assert summary.end_of_course_plasma_pct == pytest.approx(summary.lowest_plasma_pct)
    assert course.end_day < summary.recovery_day < 60
    assert summary.exchanged_l == pytest.approx(12.5)
    body_pool_g = 11.85 * 2.5 / 0.45
    assert summary.removed_g == pytest.approx(summary.removed_pct / 100 * body_pool_g)


def test_summary_without_sessions_and_with_a_course_longer_than_shown():
    empty = summarize_course(simulate(Schedule(), days=10), Schedule(), PARAMS, 2.5)
    assert empty.lowest_plasma_pct == pytest.approx(100) and empty.recovery_day == 0.0
    long_course = tpe_course(20, 1.0, 7.0)
    result = simulate(long_course, days=30)
    summary = summarize_course(result, long_course, PARAMS, 2.5)
    assert summary.end_of_course_plasma_pct == pytest.approx(result["plasma_pct"].iloc[-1])


def test_longest_run_below_counts_continuous_time():
    course = tpe_course(9, 1.0, 2.0)
    result = simulate(course, days=60)
    assert longest_run_below_days(result, 40) >= 14
    assert longest_run_below_days(result, 1) == 0


def test_fewest_sessions_below_is_minimal():
    answer = fewest_sessions_below(40, 14, 1.0, 2.0)
    assert answer == 9
    fewer = simulate(tpe_course(answer - 1, 1.0, 2.0), days=60)
    assert longest_run_below_days(fewer, 40) < 14
    assert fewest_sessions_below(5, 60, 0.5, 14.0, max_sessions=3) is None


def test_claim_table_separates_plasma_fall_from_body_removal():
    table = claim_table(sessions=(1, 5), volumes_pv=(1.0,))
    one, five = table.iloc[0], table.iloc[1]
    assert one["plasma_fall_pct"] > one["body_fall_pct"]  # tissues still hold IgG
    assert five["plasma_fall_pct"] > 80 and five["body_fall_pct"] < five["plasma_fall_pct"]
    assert (table["removed_pct"] > 0).all()
