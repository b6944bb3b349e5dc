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


def test_summary_without_sessions_has_no_recovery_and_no_course_end():
    empty = summarize_course(simulate(Schedule(), days=10), Schedule(), PARAMS, 2.5)
    assert empty.lowest_plasma_pct == pytest.approx(100) and empty.n_sessions == 0
    assert empty.recovery_day is None and not empty.fell_below_threshold
    assert empty.end_of_course_plasma_pct is None and empty.removed_pct == 0


def test_summary_of_a_course_longer_than_shown():
    long_course = tpe_course(20, 1.0, 7.0)
    result = simulate(long_course, days=30)
    summary = summarize_course(result, long_course, PARAMS, 2.5)
    assert not summary.course_complete and summary.sessions_shown == 5
    assert summary.end_of_course_plasma_pct is None and summary.recovery_day is None
    assert summary.course_end_day == pytest.approx(long_course.end_day)


def test_summary_with_donor_plasma_never_falls_below_the_mark():
    course = tpe_course(5, 1.0, 2.0, replacement="plasma")
    summary = summarize_course(simulate(course, days=60), course, PARAMS, 2.5)
    assert not summary.fell_below_threshold and summary.recovery_day is None
    assert summary.donor_igg_pct == pytest.approx(summary.removed_pct, rel=1e-6)
    assert summary.lowest_autoantibody_pct < 20  # the patient's own antibody still falls


def test_made_during_the_course_explains_removal_above_the_body_fall():
    course = tpe_course(7, 1.0, 2.0)
    result = simulate(course, days=60)
    summary = summarize_course(result, course, PARAMS, 2.5)
    assert summary.removed_pct > 100
    assert summary.made_during_course_pct == pytest.approx(
        100 * PARAMS.synthesis_per_day * course.end_day, rel=1e-3)
    # what is left = start + made - removed - broken down (mass balance at the end of the course)
    row = result.iloc[(result["day"] - course.end_day).abs().idxmin()]
    assert 100 + summary.made_during_course_pct - row["removed_pct"] - row["catabolised_pct"] \
        == pytest.approx(row["total_pct"], abs=0.2)


def test_longest_run_below_counts_continuous_time():
    course = tpe_course(10, 1.0, 2.0)
    result = simulate(course, days=60)
    assert longest_run_below_days(result, 40) >= 14
    assert longest_run_below_days(result, 1) == 0


def test_fewest_sessions_below_is_minimal():
    answer = fewest_sessions_below(40, 14, 1.0, 2.0)
    assert answer is not None
    enough = simulate(tpe_course(answer, 1.0, 2.0), days=90)
    fewer = simulate(tpe_course(answer - 1, 1.0, 2.0), days=90)
    assert longest_run_below_days(enough, 40) >= 14 > longest_run_below_days(fewer, 40)
    assert fewest_sessions_below(5, 60, 0.5, 14.0, max_sessions=3) is None


def test_claim_table_separates_plasma_fall_from_body_removal():
    table = claim_table(sessions=(1, 5), volumes_pv=(1.0,))
    one, five = table.iloc[0], table.iloc[1]
    assert one["plasma_fall_pct"] > one["body_fall_pct"]  # tissues still hold IgG
    assert five["plasma_fall_pct"] > 80 and five["body_fall_pct"] < five["plasma_fall_pct"]
    assert (table["removed_pct"] > 0).all()
    # removed counts IgG made meanwhile: removed - body fall = made - broken down < made
    assert (table["removed_pct"] - table["body_fall_pct"] < table["made_pct"]).all()
    assert five["made_pct"] == pytest.approx(100 * PARAMS.synthesis_per_day * 8 + 100 *
                                             PARAMS.synthesis_per_day * 2 / 24)


def test_claim_table_closes_the_mass_balance_with_the_simulated_breakdown():
    """fall of body IgG = removed - made + broken down, each checked against the simulation."""
    row = claim_table(sessions=(5,), volumes_pv=(1.0,)).iloc[0]
    course = tpe_course(5, 1.0, 2.0)
    result = simulate(course, days=course.end_day, step_hours=1.0)
    end = result.iloc[-1]
    assert end["day"] == pytest.approx(course.end_day)
    assert row["broken_down_pct"] == pytest.approx(end["catabolised_pct"], abs=0.05)
    assert row["made_pct"] == pytest.approx(end["synthesised_pct"], abs=0.05)
    assert row["body_fall_pct"] == pytest.approx(
        row["removed_pct"] - row["made_pct"] + row["broken_down_pct"])
    assert 0 < row["broken_down_pct"] < row["made_pct"]
