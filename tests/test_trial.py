"""The virtual-trial engine: simulation against formulas, error rates, data and bad input."""

from __future__ import annotations

import inspect
import math
from statistics import NormalDist

import numpy as np
import pytest
from scipy import stats

from helpers import kinetics, trial
from helpers.checks import ParameterError
from helpers.data import load_table
from helpers.kinetics import Schedule, simulate, tpe_course
from helpers.trial import (
    assumed_effect,
    autoantibody_recovery_day,
    crossover_sample_size_ratio,
    detectable_effect_points,
    effect_for_responder_rates,
    expected_responder_rates,
    input_range,
    n_per_arm_for_power,
    n_per_arm_for_responder_power,
    normal_approx_power,
    placebo_mean_change_points,
    power_curve,
    responder_power_normal_approx,
    t_critical_value,
    virtual_trial,
)

INPUTS = load_table("trial_inputs").set_index("parameter")["value"]
Z = NormalDist()

# --------------------------------------------------------------------- defaults and data


def test_defaults_come_from_data():
    assert trial.PLACEBO_RESPONDER_RATE == INPUTS["placebo_responder_rate"] == 0.308
    assert trial.SD_CHANGE_POINTS == INPUTS["sd_change_points"] == 2.3
    assert trial.MCID_POINTS == INPUTS["mcid_points"] == 2.0
    assert trial.ALPHA == 0.05 and trial.TARGET_POWER == 0.8
    assert trial.FM0001_ENROLLED == 63
    signature = inspect.signature(virtual_trial)
    assert signature.parameters["sd_points"].default == 2.3
    assert signature.parameters["subset_fraction"].default == 1.0
    assert signature.parameters["n_trials"].default == 2000
    assert signature.parameters["seed"].default == 0
    assert signature.parameters["effect_points"].default is inspect.Parameter.empty


def test_derived_inputs_match_their_arithmetic():
    # Placebo mean change: -mcid - sd * z(rate), stored to 2 decimals.
    assert round(placebo_mean_change_points(), 2) == INPUTS["placebo_mean_change_points"]
    # SD of change back-calculated from Arnold 2012's means, arm sizes and p-value: 2.34.
    z = Z.inv_cdf(1 - INPUTS["arnold_2012_p_value"] / 2)
    standard_error = abs(INPUTS["arnold_2012_active_change_points"]
                         - INPUTS["arnold_2012_placebo_change_points"]) / z
    sd = standard_error / math.sqrt(1 / INPUTS["arnold_2012_active_patients"]
                                    + 1 / INPUTS["arnold_2012_placebo_patients"])
    assert round(sd, 2) == 2.34
    low, high = input_range("sd_change_points")
    assert low <= INPUTS["sd_change_points"] <= high


def test_calibrated_placebo_gives_the_published_responder_rate():
    for sd in (1.8, 2.3, 2.8):
        mean = placebo_mean_change_points(sd_points=sd)
        assert Z.cdf((-2.0 - mean) / sd) == pytest.approx(0.308, abs=1e-12)


def test_controls_have_ranges_and_defaults_inside_them():
    for name in ("placebo_responder_rate", "sd_change_points", "mcid_points",
                 "antibody_positive_fraction", "effect_if_all_removed_points"):
        low, high = input_range(name)
        assert low <= INPUTS[name] <= high
    with pytest.raises(ParameterError, match="name"):
        input_range("alpha")


# ------------------------------------------------------------------------------ formulas


@pytest.mark.parametrize("df", [1, 2, 3, 4, 7, 10, 40, 41, 263, 999, 1000, 1001, 4000, 10**6])
@pytest.mark.parametrize("alpha", [0.01, 0.05, 0.2])
def test_t_critical_value_matches_scipy(df, alpha):
    assert t_critical_value(df, alpha) == pytest.approx(stats.t.ppf(1 - alpha / 2, df),
                                                        rel=1e-9)


@pytest.mark.parametrize("n", [6, 10, 21, 50, 120])
@pytest.mark.parametrize("effect", [0.5, 1.0, 2.0, 2.5])
def test_t_formula_matches_the_exact_noncentral_t(n, effect):
    df = 2 * n - 2
    noncentrality = effect / (2.3 * math.sqrt(2 / n))
    cut = stats.t.ppf(0.975, df)
    # P(T' > c) + P(T' < -c), the second written as a far tail of -T' (finite in scipy).
    exact = stats.nct.sf(cut, df, noncentrality) + stats.nct.sf(cut, df, -noncentrality)
    assert math.isfinite(exact)
    assert normal_approx_power(n, effect_points=effect) == pytest.approx(exact, abs=0.004)


def test_sourcebook_worked_sample_sizes():
    # Course sourcebook, alternatives section 6 (derived, normal approximation, 80%, 5%).
    for effect, n in [(2.0, 21), (1.5, 37), (1.0, 84), (0.5, 333)]:
        assert n_per_arm_for_power(effect, critical="z") == n
    for ratio, n in [(1.38, 265), (1.5, 156), (2.0, 40)]:
        assert n_per_arm_for_responder_power(0.308, 0.308 * ratio) == n


@pytest.mark.parametrize("critical", ["t", "z"])
@pytest.mark.parametrize("effect, fraction", [(2.0, 1.0), (1.0, 1.0), (3.0, 0.35),
                                              (-1.5, 0.6), (0.3, 1.0)])
def test_sample_size_is_the_smallest_that_reaches_the_target(critical, effect, fraction):
    n = n_per_arm_for_power(effect, subset_fraction=fraction, critical=critical)
    assert normal_approx_power(n, effect_points=effect, subset_fraction=fraction,
                               critical=critical) >= 0.8
    if n > 2:
        assert normal_approx_power(n - 1, effect_points=effect, subset_fraction=fraction,
                                   critical=critical) < 0.8


def test_t_test_needs_a_little_more_than_the_textbook_formula():
    for effect in (0.5, 1.0, 1.5, 2.0, 3.0):
        textbook = n_per_arm_for_power(effect, critical="z")
        assert textbook <= n_per_arm_for_power(effect) <= textbook + 2


def test_no_effect_needs_no_sample_size():
    assert n_per_arm_for_power(0.0) is None
    assert n_per_arm_for_power(2.0, subset_fraction=0.0) is None
    assert n_per_arm_for_power(1e-4, sd_points=10) is None  # beyond 10 million per arm
    assert n_per_arm_for_responder_power(0.3, 0.3) is None
    assert normal_approx_power(100, effect_points=0.0) == pytest.approx(0.05, abs=1e-3)


def test_enrichment_shrinks_the_trial():
    everyone = n_per_arm_for_power(2.0)
    subset = n_per_arm_for_power(2.0, subset_fraction=0.3)
    # Diluting the effect to 30% needs roughly (1/0.3)^2 = 11 times as many patients.
    assert 10 * everyone < subset < 14 * everyone


def test_detectable_effect_is_where_power_reaches_the_target():
    effect = detectable_effect_points(31)
    assert normal_approx_power(31, effect_points=effect) == pytest.approx(0.8, abs=1e-9)
    assert 1.5 < effect < 1.7  # sourcebook: a 63-person parallel trial finds only ~1.5+ points
    smaller = detectable_effect_points(31, subset_fraction=0.35)
    assert smaller > 3 * effect
    # With 10% antibody positive, their own spread caps what 31 per arm can show.
    assert detectable_effect_points(31, subset_fraction=0.1) is None
    assert detectable_effect_points(31, subset_fraction=0.0) is None


def test_responder_power_formula_reproduces_the_sample_size():
    n = n_per_arm_for_responder_power(0.308, 0.425)
    assert responder_power_normal_approx(n, placebo_rate=0.308, active_rate=0.425) >= 0.8
    assert responder_power_normal_approx(n - 1, placebo_rate=0.308, active_rate=0.425) < 0.8


def test_effect_for_responder_rates_inverts_the_responder_model():
    for placebo_rate, active_rate, sd in ((0.308, 0.425, 2.3), (0.2, 0.5, 1.8), (0.4, 0.3, 2.8)):
        effect = effect_for_responder_rates(placebo_rate, active_rate, sd_points=sd)
        _, active = expected_responder_rates(effect, sd_points=sd,
                                             placebo_responder_rate=placebo_rate)
        assert active == pytest.approx(active_rate, abs=1e-12)
        assert (effect > 0) == (active_rate > placebo_rate)
    # The same responder gain is worth more points when patients spread more.
    assert effect_for_responder_rates(0.3, 0.4, sd_points=2.8) > \
        effect_for_responder_rates(0.3, 0.4, sd_points=1.8)


def test_counting_responders_costs_patients_against_comparing_means():
    placebo, active = 0.308, 0.308 * 1.38
    difference = effect_for_responder_rates(placebo, active)
    ratio = n_per_arm_for_responder_power(placebo, active) / n_per_arm_for_power(
        difference, critical="z")
    assert 1.4 < ratio < 1.9  # dichotomising loses information, but not tenfold


def test_crossover_ratio_halves_the_patients_with_no_correlation_and_shrinks_with_it():
    assert crossover_sample_size_ratio(0.0) == 0.5
    assert crossover_sample_size_ratio(0.5) == 0.25
    ratios = [crossover_sample_size_ratio(rho) for rho in (0.0, 0.3, 0.6, 0.9)]
    assert ratios == sorted(ratios, reverse=True)


# ---------------------------------------------------------------------------- simulation

GRID = [(n, effect, sd, fraction)
        for n in (8, 21, 60, 150)
        for effect in (0.5, 1.2, 2.5)
        for sd in (1.8, 2.8)
        for fraction in (1.0, 0.5)]


def test_simulated_power_agrees_with_the_formula_across_a_grid():
    worst = 0.0
    for index, (n, effect, sd, fraction) in enumerate(GRID):
        result = virtual_trial(n, effect_points=effect, sd_points=sd,
                               subset_fraction=fraction, n_trials=4000, seed=index)
        formula = normal_approx_power(n, effect_points=effect, sd_points=sd,
                                      subset_fraction=fraction)
        monte_carlo_se = math.sqrt(max(formula * (1 - formula), 1e-4) / result.n_trials)
        z_score = abs(result.power - formula) / monte_carlo_se
        worst = max(worst, z_score)
        assert z_score < 4, (n, effect, sd, fraction, result.power, formula)
    assert worst > 0.5  # the check is not vacuous: simulation and formula differ by noise


def test_textbook_z_formula_would_fail_the_agreement_at_small_trials():
    # The grid test can fail: the z formula overstates the t test's power for small trials.
    result = virtual_trial(8, effect_points=2.5, sd_points=1.8, n_trials=20000, seed=3)
    textbook = normal_approx_power(8, effect_points=2.5, sd_points=1.8, critical="z")
    assert (textbook - result.power) / result.power_mc_se > 6


@pytest.mark.parametrize("n", [2, 3, 5, 31, 265])
def test_no_effect_gives_five_percent_positive_trials(n):
    result = virtual_trial(n, effect_points=0.0, n_trials=20000, seed=n)
    se = math.sqrt(0.05 * 0.95 / 20000)
    assert abs(result.power - 0.05) < 4 * se
    assert abs(result.mean_difference_points) < 4 * 2.3 * math.sqrt(2 / n / 20000)


def test_an_effect_nobody_receives_is_no_effect():
    nobody = virtual_trial(40, effect_points=3.0, subset_fraction=0.0, n_trials=20000, seed=5)
    assert abs(nobody.power - 0.05) < 4 * math.sqrt(0.05 * 0.95 / 20000)


@pytest.mark.parametrize("n, effect", [(20, 2.0), (60, 1.5), (150, -1.0), (31, 3.0)])
def test_a_smaller_subset_never_raises_power(n, effect):
    fractions = np.linspace(0.0, 1.0, 11)
    simulated = [virtual_trial(n, effect_points=effect, subset_fraction=f, seed=11).power
                 for f in fractions]
    formula = [normal_approx_power(n, effect_points=effect, subset_fraction=f)
               for f in fractions]
    assert np.all(np.diff(simulated) >= 0), simulated
    assert np.all(np.diff(formula) > 0)
    assert simulated[-1] > simulated[0]


def test_mean_difference_estimates_the_diluted_effect():
    result = virtual_trial(50, effect_points=2.0, subset_fraction=0.4, n_trials=20000, seed=2)
    assert result.expected_difference_points == pytest.approx(0.8)
    variance = 2 * 2.3**2 + 0.4 * 0.6 * 2.0**2
    se = math.sqrt(variance / 50 / 20000)
    assert abs(result.mean_difference_points - 0.8) < 4 * se
    assert result.difference_points.shape == (20000,)
    assert result.significant.dtype == bool
    assert result.power == result.significant.mean()


@pytest.mark.parametrize("n, effect, fraction, placebo_rate", [
    (30, 2.0, 1.0, 0.308), (80, 3.0, 0.35, 0.308), (12, 1.0, 0.6, 0.2), (200, 0.0, 1.0, 0.45)])
def test_responder_rates_match_their_binomial_expectation(n, effect, fraction, placebo_rate):
    n_trials = 20000
    result = virtual_trial(n, effect_points=effect, subset_fraction=fraction,
                           placebo_responder_rate=placebo_rate, n_trials=n_trials, seed=7)
    expected = expected_responder_rates(effect, subset_fraction=fraction,
                                        placebo_responder_rate=placebo_rate)
    observed = (result.responder_rate_placebo, result.responder_rate_active)
    for p, seen in zip(expected, observed, strict=True):
        assert abs(seen - p) < 4 * math.sqrt(p * (1 - p) / (n * n_trials))


def test_responder_counts_per_trial_are_binomial():
    # The spread of each trial's responder rate is that of Binomial(n, p) / n.
    n, n_trials = 40, 20000
    rng_result = virtual_trial(n, effect_points=2.0, subset_fraction=0.5, n_trials=n_trials,
                               seed=9)
    placebo, active = expected_responder_rates(2.0, subset_fraction=0.5)
    counts = _responder_counts(n, n_trials, seed=9, effect=2.0, fraction=0.5)
    for p, count in zip((placebo, active), counts, strict=True):
        ratio = count.var(ddof=1) / (n * p * (1 - p))
        assert abs(ratio - 1) < 5 * math.sqrt(2 / n_trials)
    assert rng_result.responder_rate_active == pytest.approx(counts[1].mean() / n)


def _responder_counts(n, n_trials, *, seed, effect, fraction):
    """Per-trial responder counts, recomputed from the same random stream as the engine."""
    rng = np.random.default_rng(seed)
    chunk = trial._simulate_chunk(rng, n_trials, n, mean_change=placebo_mean_change_points(),
                                  sd_points=2.3, effect_points=effect,
                                  subset_fraction=fraction, mcid_points=2.0)
    return chunk["responders_placebo"], chunk["responders_active"]


def test_simulated_responder_power_agrees_with_its_formula():
    placebo, active = expected_responder_rates(1.2)
    result = virtual_trial(120, effect_points=1.2, n_trials=10000, seed=4)
    formula = responder_power_normal_approx(120, placebo_rate=placebo, active_rate=active)
    assert abs(result.responder_power - formula) < 4 * math.sqrt(formula * (1 - formula)
                                                                 / 10000)


def test_same_seed_same_trials_and_a_new_seed_new_trials():
    first = virtual_trial(30, effect_points=1.0, seed=123)
    again = virtual_trial(30, effect_points=1.0, seed=123)
    other = virtual_trial(30, effect_points=1.0, seed=124)
    assert first == again
    np.testing.assert_array_equal(first.difference_points, again.difference_points)
    assert not np.array_equal(first.difference_points, other.difference_points)


def test_large_runs_are_simulated_in_chunks_with_the_same_statistics(monkeypatch):
    monkeypatch.setattr(trial, "_VALUES_PER_CHUNK", 1000)  # 1000 // 30 = 33 trials a chunk
    chunked = virtual_trial(30, effect_points=0.0, n_trials=20000, seed=1)
    assert chunked.difference_points.shape == (20000,)
    assert abs(chunked.power - 0.05) < 4 * math.sqrt(0.05 * 0.95 / 20000)
    assert chunked == virtual_trial(30, effect_points=0.0, n_trials=20000, seed=1)


def test_power_curve_rows():
    curve = power_curve([10, 40, 160], effect_points=1.5, n_trials=500)
    assert list(curve["n_per_arm"]) == [10, 40, 160]
    assert list(curve.columns) == ["n_per_arm", "power_simulated", "power_mc_se",
                                   "power_formula", "mean_difference_points",
                                   "responder_rate_placebo", "responder_rate_active",
                                   "responder_power"]
    assert curve["power_formula"].is_monotonic_increasing
    assert (abs(curve["power_simulated"] - curve["power_formula"])
            < 4 * np.sqrt(curve["power_formula"] * (1 - curve["power_formula"]) / 500)).all()


# ------------------------------------------------------------------- link to the IgG model


def _mean_level_by_hand(schedule, start, end, step_hours=0.25):
    result = simulate(schedule, days=end, step_hours=step_hours)
    window = result[(result["day"] >= start) & (result["day"] <= end)]
    return np.trapezoid(window["autoantibody_plasma_pct"], window["day"]) / (end - start)


def test_link_averages_the_modelled_autoantibody_over_the_window():
    course = tpe_course(5, 1.0, 2.0)
    linked = assumed_effect(course, effect_if_all_removed_points=4.0, window_start_day=0,
                            window_end_day=14)
    by_hand = 1 - _mean_level_by_hand(course, 0, 14) / 100
    assert linked.mean_lowering_fraction == pytest.approx(by_hand, abs=2e-3)
    assert 0.3 < linked.mean_lowering_fraction < 0.9
    assert linked.effect_points == pytest.approx(4.0 * linked.mean_lowering_fraction)
    assert (linked.window_start_day, linked.window_end_day) == (0.0, 14.0)


def test_link_defaults_to_the_final_week_of_twelve():
    linked = assumed_effect(tpe_course(5, 1.0, 2.0))
    assert (linked.window_start_day, linked.window_end_day) == (77.0, 84.0)
    assert linked.effect_if_all_removed_points == INPUTS["effect_if_all_removed_points"]
    # A course in the first fortnight has worn off by weeks 11-12.
    assert 0 <= linked.effect_points < 0.1 * linked.effect_if_all_removed_points


def test_no_treatment_or_a_window_before_it_gives_no_effect():
    assert assumed_effect(Schedule()).effect_points == pytest.approx(0.0, abs=1e-12)
    late = tpe_course(3, 1.0, 2.0, start_day=30.0)
    assert assumed_effect(late, window_start_day=0, window_end_day=20).effect_points == \
        pytest.approx(0.0, abs=1e-12)


def test_link_is_proportional_to_the_hypothesis_and_window_ends_interpolate():
    course = tpe_course(5, 1.5, 2.0)
    base = assumed_effect(course, window_start_day=3.3, window_end_day=10.7)
    double = assumed_effect(course, effect_if_all_removed_points=6.0, window_start_day=3.3,
                            window_end_day=10.7)
    assert double.effect_points == pytest.approx(2 * base.effect_points)
    fine = assumed_effect(course, window_start_day=3.3, window_end_day=10.7, step_hours=0.2)
    assert fine.mean_lowering_fraction == pytest.approx(base.mean_lowering_fraction, abs=2e-3)


COURSE_BUILDERS = {
    "fcrn_blocker_course": lambda f: f(4, 7.0),
    "ivig_course": lambda f: f(),
    "immunoadsorption_course": lambda f: f(5, 2.0, 2.0),
    "rituximab_course": lambda f: f(),
}


@pytest.mark.parametrize("name", sorted(COURSE_BUILDERS))
def test_link_accepts_every_treatment_the_kinetics_engine_offers(name):
    builder = getattr(kinetics, name, None)
    if builder is None:
        pytest.skip(f"helpers.kinetics has no {name} yet")
    linked = assumed_effect(COURSE_BUILDERS[name](builder), window_start_day=0,
                            window_end_day=56)
    assert -0.5 < linked.mean_lowering_fraction < 1
    assert math.isfinite(linked.effect_points)


# --------------------------------------------------------------------------- bad input

GOOD = {"n_per_arm": 30, "effect_points": 1.0}
CASES = [
    (virtual_trial, {**GOOD, "n_per_arm": 1}, ["n_per_arm", "patients per arm", "from 2 to 5000"]),
    (virtual_trial, {**GOOD, "n_per_arm": 5001}, ["n_per_arm", "from 2 to 5000"]),
    (virtual_trial, {**GOOD, "n_per_arm": 30.5}, ["n_per_arm", "whole number"]),
    (virtual_trial, {**GOOD, "n_per_arm": True}, ["n_per_arm"]),
    (virtual_trial, {**GOOD, "subset_fraction": -0.1}, ["subset_fraction", "from 0 to 1",
                                                        "antibody positive"]),
    (virtual_trial, {**GOOD, "subset_fraction": 30}, ["subset_fraction", "0.3 for 30%"]),
    (virtual_trial, {**GOOD, "sd_points": 0}, ["sd_points", "greater than 0", "at most 10",
                                               "0-10 pain scale"]),
    (virtual_trial, {**GOOD, "sd_points": -2.3}, ["sd_points", "greater than 0"]),
    (virtual_trial, {**GOOD, "effect_points": 11}, ["effect_points", "from -10 to 10",
                                                    "points"]),
    (virtual_trial, {**GOOD, "effect_points": math.nan}, ["effect_points"]),
    (virtual_trial, {**GOOD, "effect_points": "2"}, ["effect_points"]),
    (virtual_trial, {**GOOD, "n_trials": 5}, ["n_trials", "trials", "from 10 to 100000"]),
    (virtual_trial, {**GOOD, "seed": -1}, ["seed", "from 0 to"]),
    (virtual_trial, {**GOOD, "alpha": 0}, ["alpha", "greater than 0", "significance level"]),
    (virtual_trial, {**GOOD, "alpha": 0.6}, ["alpha", "at most 0.5"]),
    (virtual_trial, {**GOOD, "placebo_responder_rate": 30.8}, ["placebo_responder_rate",
                                                               "less than 1", "0.3 for 30%"]),
    (virtual_trial, {**GOOD, "placebo_responder_rate": 0}, ["placebo_responder_rate",
                                                            "greater than 0"]),
    (virtual_trial, {**GOOD, "mcid_points": 0}, ["mcid_points", "greater than 0", "points"]),
    (normal_approx_power, {**GOOD, "critical": "normal"}, ["critical", "'t', 'z'"]),
    (normal_approx_power, {**GOOD, "n_per_arm": 1}, ["n_per_arm", "patients per arm"]),
    (n_per_arm_for_power, {"effect_points": 1.0, "power": 0.04}, ["power", "greater than 0.05",
                                                                  "0.8 for 80%"]),
    (n_per_arm_for_power, {"effect_points": 1.0, "power": 1.0}, ["power", "less than 1"]),
    (detectable_effect_points, {"n_per_arm": 0}, ["n_per_arm", "from 2"]),
    (responder_power_normal_approx, {"n_per_arm": 50, "placebo_rate": 0.3,
                                     "active_rate": 1.2}, ["active_rate", "less than 1"]),
    (n_per_arm_for_responder_power, {"placebo_rate": -0.1, "active_rate": 0.4},
     ["placebo_rate", "greater than 0"]),
    (t_critical_value, {"df": 0}, ["df", "degrees of freedom", "from 1"]),
    (placebo_mean_change_points, {"placebo_responder_rate": 1}, ["placebo_responder_rate"]),
    (expected_responder_rates, {"effect_points": 1.0, "subset_fraction": 2},
     ["subset_fraction", "from 0 to 1"]),
    (power_curve, {"n_per_arm_values": [], "effect_points": 1.0},
     ["n_per_arm_values", "trial sizes", "from 1 to 100"]),
    (power_curve, {"n_per_arm_values": [10, 1], "effect_points": 1.0}, ["n_per_arm"]),
    (assumed_effect, {"schedule": Schedule(), "window_start_day": 10, "window_end_day": 10},
     ["window_end_day", "greater than 10", "days", "end after it starts"]),
    (assumed_effect, {"schedule": Schedule(), "window_start_day": -1},
     ["window_start_day", "days", "at least 0"]),
    (assumed_effect, {"schedule": Schedule(), "window_end_day": 800},
     ["window_end_day", "at most 730"]),
    (assumed_effect, {"schedule": Schedule(), "effect_if_all_removed_points": 12},
     ["effect_if_all_removed_points", "from -10 to 10"]),
    (assumed_effect, {"schedule": Schedule(), "step_hours": 0}, ["step_hours", "hours"]),
    (assumed_effect, {"schedule": "five sessions"}, ["schedule"]),
    (autoantibody_recovery_day, {"schedule": Schedule(), "threshold_pct": 40},
     ["threshold_pct", "% of baseline", "from 50 to 100"]),
    (effect_for_responder_rates, {"placebo_rate": 0.3, "active_rate": 1.0},
     ["active_rate", "less than 1", "0.3 for 30%"]),
    (effect_for_responder_rates, {"placebo_rate": 0.3, "active_rate": 0.4, "sd_points": 0},
     ["sd_points", "greater than 0"]),
    (crossover_sample_size_ratio, {"within_patient_correlation": 1.0},
     ["within_patient_correlation", "less than 1", "correlation"]),
    (crossover_sample_size_ratio, {"within_patient_correlation": -0.2},
     ["within_patient_correlation", "at least 0"]),
]


@pytest.mark.parametrize("function, kwargs, fragments", CASES,
                         ids=[f"{f.__name__}-{sorted(k.items())[-1][0]}" for f, k, _ in CASES])
def test_bad_input_names_parameter_unit_and_range(function, kwargs, fragments):
    with pytest.raises(ParameterError) as caught:
        function(**kwargs)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} missing from: {message}"


def test_autoantibody_recovery_day_follows_the_modelled_curve():
    assert autoantibody_recovery_day(Schedule()) == 0.0
    course = tpe_course(5, 1.0, 2.0)
    day = autoantibody_recovery_day(course, threshold_pct=90.0, step_hours=1.0)
    result = simulate(course, days=day + 1, step_hours=1.0).set_index("day")
    assert result.loc[day, "autoantibody_plasma_pct"] >= 90.0
    assert result.loc[day - 1 / 24, "autoantibody_plasma_pct"] < 90.0
    assert day > course.end_day
    assert autoantibody_recovery_day(course, threshold_pct=95.0) > day
    assert autoantibody_recovery_day(course, threshold_pct=99.9, days=20.0) is None
