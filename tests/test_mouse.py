"""The mouse model of injected human IgG (helpers.mouse) through its public API."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from helpers.mouse import (
    HALF_LIVES_COMPARED_DAYS,
    STUDY_REGIMEN,
    compare_half_lives,
    dose_in_context,
    parameter_sources,
    simulate_passive_transfer,
    summarize_transfer,
    time_to_peak_hours,
)

SCENARIOS = [
    {},
    {"dose_mg": 20.0, "n_doses": 10, "interval_days": 0.25, "half_life_days": 2.0,
     "absorption_half_life_hours": 1.0, "bioavailability": 1.0},
    {"dose_mg": 0.5, "n_doses": 3, "interval_days": 7.0, "half_life_days": 8.0,
     "absorption_half_life_hours": 12.0, "bioavailability": 0.6,
     "distribution_volume_ml": 4.4, "days": 30.0},
]


def test_result_has_one_row_per_step_and_the_study_defaults():
    result = simulate_passive_transfer()
    assert len(result) == 21 * 24 + 1
    assert {"day", "serum_human_igg_mg_per_ml", "depot_mg", "eliminated_mg"} <= set(result)
    assert result["day"].iloc[-1] == pytest.approx(21.0)
    assert result["injected_mg"].iloc[-1] == 32.0  # 4 × 8 mg
    assert list(result.loc[result["day"].isin([0, 1, 2, 3]), "injected_mg"]) == [8, 16, 24, 32]


def test_defaults_and_statuses_come_from_data():
    table = parameter_sources().set_index("parameter")
    assert table.loc["half_life_days", "value"] == 2.9
    assert table.loc["dose_mg", "status"] == "measured"
    assert table.loc["absorption_half_life_hours", "status"] == "derived"
    assert table.loc["bioavailability", "status"] == "assumption"
    assert table.loc["distribution_volume_ml", "status"] == "assumption"
    assert table.loc["absorption_half_life_hours", "value"] == pytest.approx(
        math.log(2) / 0.25, abs=1e-3)  # k_a = 0.25/h


@pytest.mark.parametrize("kwargs", SCENARIOS)
def test_mass_balance_of_the_injected_dose(kwargs):
    result = simulate_passive_transfer(**kwargs)
    accounted = (result["depot_mg"] + result["body_human_igg_mg"] + result["eliminated_mg"]
                 + result["not_absorbed_mg"])
    assert np.allclose(accounted, result["injected_mg"], rtol=0, atol=1e-9)
    for column in ["serum_human_igg_mg_per_ml", "depot_mg", "eliminated_mg", "not_absorbed_mg"]:
        assert (result[column] >= -1e-12).all()
    assert result["eliminated_mg"].is_monotonic_increasing
    volume = kwargs.get("distribution_volume_ml", 2.5)
    assert np.allclose(result["serum_human_igg_mg_per_ml"] * volume, result["body_human_igg_mg"])
    # everything that leaves the depot splits F : (1 − F) between body and loss
    fraction = kwargs.get("bioavailability", 0.8)
    reached = result["body_human_igg_mg"] + result["eliminated_mg"]
    left_depot = result["injected_mg"] - result["depot_mg"]
    assert np.allclose(reached, fraction * left_depot, atol=1e-9)


@pytest.mark.parametrize("half_life", [2.0, 2.9, 5.0, 8.0])
def test_terminal_decline_matches_the_half_life(half_life):
    result = simulate_passive_transfer(half_life_days=half_life, days=40)
    late, later = np.interp([10.0, 10.0 + half_life], result["day"],
                            result["serum_human_igg_mg_per_ml"])
    assert later / late == pytest.approx(0.5, rel=1e-4)


@pytest.mark.parametrize("interval", [1.0, 2.5, 7.0])
def test_each_dose_is_followed_by_its_own_peak(interval):
    n_doses = 4
    result = simulate_passive_transfer(n_doses=n_doses, interval_days=interval, days=40,
                                       step_hours=0.25)
    day, serum = result["day"].to_numpy(), result["serum_human_igg_mg_per_ml"].to_numpy()
    maxima = day[1:-1][(serum[1:-1] > serum[:-2]) & (serum[1:-1] >= serum[2:])]
    assert len(maxima) == n_doses
    doses = np.arange(n_doses) * interval
    for dose_day, peak_day in zip(doses, maxima, strict=True):
        assert dose_day < peak_day < dose_day + min(interval, 1.0)
    summary = summarize_transfer(result)
    assert summary.peak_day == pytest.approx(maxima[-1])  # the last injection peaks highest
    assert summary.last_dose_day == doses[-1]


def _reference(kwargs: dict, times: np.ndarray) -> np.ndarray:
    """Integrate the sourcebook's equations (kinetics section 7) with solve_ivp."""
    k_a = math.log(2) / (kwargs["absorption_half_life_hours"] / 24)
    k_el = math.log(2) / kwargs["half_life_days"]
    fraction, volume = kwargs["bioavailability"], kwargs["distribution_volume_ml"]

    def rhs(_t, y):
        depot, body = y
        return [-k_a * depot, fraction * k_a * depot - k_el * body]

    dose_days = [i * kwargs["interval_days"] for i in range(kwargs["n_doses"])]
    edges = [*dose_days, times[-1] + 1.0]
    state = np.zeros(2)
    serum = np.zeros(times.size)
    for start, stop in itertools.pairwise(edges):
        state = state + np.array([kwargs["dose_mg"], 0.0])
        inside = (times >= start) & (times < stop)
        solution = solve_ivp(rhs, (start, stop), state, method="DOP853", rtol=1e-11,
                             atol=1e-13, t_eval=np.append(times[inside], stop))
        serum[inside] = solution.y[1, :-1] / volume
        state = solution.y[:, -1]
    return serum


@pytest.mark.parametrize("kwargs", [
    {"dose_mg": 8.0, "n_doses": 4, "interval_days": 1.0, "half_life_days": 2.9,
     "absorption_half_life_hours": 2.773, "bioavailability": 0.8, "distribution_volume_ml": 2.5},
    {"dose_mg": 3.0, "n_doses": 6, "interval_days": 0.75, "half_life_days": 6.5,
     "absorption_half_life_hours": 9.0, "bioavailability": 0.65, "distribution_volume_ml": 4.0},
])
def test_exact_solution_agrees_with_a_reference_integration(kwargs):
    result = simulate_passive_transfer(**kwargs, days=20, step_hours=0.5)
    reference = _reference(kwargs, result["day"].to_numpy())
    assert np.allclose(result["serum_human_igg_mg_per_ml"], reference, rtol=1e-7, atol=1e-9)


def test_time_to_peak_formula_matches_a_single_dose_simulation():
    for half_life, absorption in [(2.9, 2.773), (2.0, 1.0), (8.0, 12.0)]:
        result = simulate_passive_transfer(n_doses=1, half_life_days=half_life,
                                           absorption_half_life_hours=absorption, days=5,
                                           step_hours=0.1)
        simulated = 24 * result.loc[result["serum_human_igg_mg_per_ml"].idxmax(), "day"]
        formula = time_to_peak_hours(half_life_days=half_life,
                                     absorption_half_life_hours=absorption)
        assert simulated == pytest.approx(formula, abs=0.1)



def test_summary_of_the_study_regimen():
    summary = summarize_transfer(simulate_passive_transfer(days=30))
    assert summary.injected_mg == 32 and summary.last_dose_day == 3
    # Sourcebook worked example: peak 8-10 h after the 4th injection, about 4-7 mg/mL.
    assert 8 <= 24 * (summary.peak_day - 3) <= 10
    assert 4 <= summary.peak_mg_per_ml <= 7
    # About a tenth of the peak remains 10 days after the last injection.
    assert summary.below_tenth_day == pytest.approx(13.2, abs=0.1)
    assert summary.below_half_day == pytest.approx(3.4 + 2.9, abs=0.25)


def test_summary_counts_only_the_injections_inside_the_simulated_time():
    summary = summarize_transfer(simulate_passive_transfer(
        dose_mg=20.0, n_doses=10, interval_days=2.5, days=21))
    assert summary.injections_given == 9 and summary.injected_mg == 180
    assert summary.last_dose_day == 20.0
    assert not summary.peak_reached(10)  # the 10th injection (day 22.5) is still to come
    assert summarize_transfer(simulate_passive_transfer()).injections_given == 4


@pytest.mark.parametrize(("kwargs", "rising", "reached"), [
    ({}, False, True),  # the study regimen: peak on day 3.4, falling by day 21
    ({"n_doses": 3, "interval_days": 7.0, "days": 14}, False, False),  # 3rd dose on day 14
    ({"n_doses": 3, "interval_days": 6.75, "days": 14}, True, False),  # 3rd dose still rising
    ({"n_doses": 1, "absorption_half_life_hours": 12.0, "days": 1}, True, False),
])
def test_peak_reached_only_when_the_schedule_has_peaked_inside_the_window(kwargs, rising,
                                                                         reached):
    summary = summarize_transfer(simulate_passive_transfer(**kwargs))
    assert summary.rising_at_end is rising
    assert summary.peak_reached(kwargs.get("n_doses", 4)) is reached


def test_study_regimen_and_compared_half_lives_come_from_data():
    table = parameter_sources().set_index("parameter")
    assert STUDY_REGIMEN == {"dose_mg": 8.0, "n_doses": 4, "interval_days": 1.0}
    expected = tuple(table.loc["half_life_days", ["range_min", "value", "range_max"]])
    assert expected == HALF_LIVES_COMPARED_DAYS


def test_compare_half_lives_matches_single_simulations():
    rows = compare_half_lives()
    assert list(rows["half_life_days"]) == [2.0, 2.9, 8.0]
    for row in rows.itertuples():
        result = simulate_passive_transfer(half_life_days=row.half_life_days, days=60)
        summary = summarize_transfer(result)
        assert row.peak_mg_per_ml == summary.peak_mg_per_ml
        assert row.below_tenth_day == summary.below_tenth_day
        left = np.interp(13.0, result["day"], result["serum_human_igg_mg_per_ml"])
        assert row.left_pct == pytest.approx(100 * left / summary.peak_mg_per_ml)
    # The tail is pure elimination: 10 days after the last injection about 0.5 ** (10 / t½)
    # of the peak is left (a little more, because the peak comes a few hours after the dose).
    for row in rows.itertuples():
        assert row.left_pct / 100 == pytest.approx(0.5 ** (10 / row.half_life_days), rel=0.2)
    assert rows["left_pct"].is_monotonic_increasing
    with pytest.raises(ValueError, match="days_after_last"):
        compare_half_lives(days_after_last=-1)


def test_dose_in_context_shows_its_arithmetic():
    table = dose_in_context().set_index("quantity")
    assert table.loc["IgG per mouse over the course", "value"] == 32
    assert table.loc["Dose per kg per day (25 g mouse)", "value"] == pytest.approx(320)
    assert table.loc["Dose per kg per day (20 g mouse)", "value"] == pytest.approx(400)
    # A course is compared with a course: 4 days' dose per kg, in g/kg, beside IVIG's 2 g/kg.
    assert table.loc["Dose per kg over the course (25 g mouse)", "value"] == pytest.approx(1.28)
    assert table.loc["Dose per kg over the course (20 g mouse)", "value"] == pytest.approx(1.6)
    assert table.loc["Dose per kg over the course (25 g mouse)", "unit"] == "g/kg"
    ivig = table.loc["High-dose IVIG course in people, for comparison"]
    assert (ivig["value"], ivig["unit"], ivig["status"]) == (2, "g/kg", "published")
    assert ivig["arithmetic"] == "0.4 g/kg a day × 5 days"
    assert table.loc["Normal IgG level of adult human serum", "value"] == pytest.approx(11.85)
    assert table.loc["Human serum holding the whole course's IgG", "value"] == pytest.approx(
        32 / 11.85)
    computed = table.drop(index=["Normal IgG level of adult human serum"])
    assert computed["arithmetic"].str.contains("÷|×").all()
    assert set(table["status"]) <= {"derived", "assumption", "published"}
    assert (table.loc[table.index.str.contains("mouse\\)"), "status"] == "assumption").all()


# (keyword arguments, expected fragments of the message)
INVALID = [
    ({"dose_mg": 0}, ["dose_mg", "mg per injection", "from 0.5 to 20"]),
    ({"dose_mg": 25.0}, ["dose_mg", "from 0.5 to 20"]),
    ({"dose_mg": "8"}, ["dose_mg", "mg per injection"]),
    ({"dose_mg": math.nan}, ["dose_mg"]),
    ({"n_doses": 0}, ["n_doses", "from 1 to 10 injections"]),
    ({"n_doses": 2.5}, ["n_doses", "whole number"]),
    ({"n_doses": True}, ["n_doses"]),
    ({"interval_days": 0.1}, ["interval_days", "(d)", "from 0.25 to 7"]),
    ({"half_life_days": 21}, ["half_life_days", "(d)", "from 2 to 8"]),
    ({"half_life_days": math.inf}, ["half_life_days"]),
    ({"absorption_half_life_hours": 0.5}, ["absorption_half_life_hours", "(h)",
                                           "from 1 to 12"]),
    ({"bioavailability": 80}, ["bioavailability", "fraction of the dose", "from 0.6 to 1"]),
    ({"distribution_volume_ml": 1.0}, ["distribution_volume_ml", "(mL)", "from 2.2 to 4.4"]),
    ({"days": 0.5}, ["days", "from 1 to 90"]),
    ({"days": None}, ["days"]),
    ({"step_hours": 0.01}, ["step_hours", "hours", "from 0.1 to 24"]),
]


@pytest.mark.parametrize(("kwargs", "fragments"), INVALID,
                         ids=[f"{next(iter(k))}-{i}" for i, (k, _f) in enumerate(INVALID)])
def test_invalid_argument_gives_a_helpful_value_error(kwargs, fragments):
    with pytest.raises(ValueError) as caught:
        simulate_passive_transfer(**kwargs)
    for fragment in fragments:
        assert fragment in str(caught.value)


@pytest.mark.parametrize(("kwargs", "fragments"), [
    ({"half_life_days": 1.0}, ["half_life_days", "from 2 to 8"]),
    ({"absorption_half_life_hours": "fast"}, ["absorption_half_life_hours"]),
])
def test_time_to_peak_rejects_bad_input(kwargs, fragments):
    with pytest.raises(ValueError) as caught:
        time_to_peak_hours(**kwargs)
    for fragment in fragments:
        assert fragment in str(caught.value)
