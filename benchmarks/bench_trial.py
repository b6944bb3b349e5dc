"""Benchmark of the virtual-trial engine against a naive per-trial loop, in the same run.

Scenarios (course sourcebook, alternatives section 6; issue 11):

* one design: 2,000 simulated trials of 265 patients per arm (the responder-endpoint sample
  size), target well under 0.5 s;
* a power curve: ten trial sizes from 10 to 600 per arm, 2,000 trials each, target under 2 s;
* the explorer of notebook 05: one control change recomputes everything it shows (its power
  curve of ten sizes, 400 trials each, up to 2,000 per arm; the student's trial, 1,000 trials;
  the formulas), target under 1 s.

The baseline simulates one trial at a time with numpy and tests it with
``scipy.stats.ttest_ind``: the obvious way to write it. Ratios compare the two in this same
run, so they travel across machines better than absolute times do. The script also prints
how well the simulation agrees with the normal-approximation formula over the grid the tests
use, and the false-positive rate with no effect.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/bench_trial.py``).
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from collections.abc import Callable

import numpy as np
from scipy import stats

from helpers.apps.trial import CURVE_SIZES as EXPLORER_SIZES
from helpers.apps.trial import CURVE_TRIALS, YOUR_TRIALS, virtual_trial_explorer
from helpers.trial import (
    normal_approx_power,
    placebo_mean_change_points,
    power_curve,
    virtual_trial,
)

N_TRIALS = 2000
N_PER_ARM = 265
EFFECT_POINTS = 0.5
SD_POINTS = 2.3
NAIVE_CURVE_SCALE = 10
CURVE_SIZES = [int(n) for n in np.geomspace(10, 600, 10).round()]
AGREEMENT_GRID = [(n, effect, sd, fraction)
                  for n in (8, 21, 60, 150)
                  for effect in (0.5, 1.2, 2.5)
                  for sd in (1.8, 2.8)
                  for fraction in (1.0, 0.5)]


def median_s(function: Callable[[], object], repeats: int, *, warm_up: bool = True) -> float:
    if warm_up:
        function()  # imports, caches
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def naive_power(n_per_arm: int, effect_points: float, n_trials: int, seed: int = 0) -> float:
    """One trial at a time: draw two arms, run scipy's t test, count significant trials."""
    rng = np.random.default_rng(seed)
    mean = placebo_mean_change_points(sd_points=SD_POINTS)
    positive = 0
    for _ in range(n_trials):
        placebo = rng.normal(mean, SD_POINTS, n_per_arm)
        active = rng.normal(mean - effect_points, SD_POINTS, n_per_arm)
        positive += stats.ttest_ind(placebo, active).pvalue < 0.05
    return positive / n_trials


def timings(repeats: int) -> list[tuple[str, float, float, float]]:
    one_engine = median_s(lambda: virtual_trial(N_PER_ARM, effect_points=EFFECT_POINTS,
                                                n_trials=N_TRIALS), repeats)
    one_naive = median_s(lambda: naive_power(N_PER_ARM, EFFECT_POINTS, N_TRIALS), 3)
    curve_engine = median_s(lambda: power_curve(CURVE_SIZES, effect_points=EFFECT_POINTS,
                                                n_trials=N_TRIALS), max(3, repeats // 5))
    # The loop's time is proportional to the number of trials: time a tenth and scale up.
    curve_naive = NAIVE_CURVE_SCALE * median_s(
        lambda: [naive_power(n, EFFECT_POINTS, N_TRIALS // NAIVE_CURVE_SCALE)
                 for n in CURVE_SIZES], 1, warm_up=False)
    formula = median_s(lambda: [normal_approx_power(n, effect_points=EFFECT_POINTS)
                                for n in range(2, 602)], repeats)
    app = virtual_trial_explorer()
    sd_values = iter(np.tile([2.2, 2.4], 1000))
    explorer = median_s(lambda: setattr(app.controls["sd_points"], "value", next(sd_values)),
                        max(3, repeats // 5))
    chosen = app.settings()
    explorer_naive = NAIVE_CURVE_SCALE * median_s(
        lambda: [naive_power(n, app.state["effect_points"] * chosen["subset_fraction"],
                             trials // NAIVE_CURVE_SCALE)
                 for n, trials in [*[(size, CURVE_TRIALS) for size in EXPLORER_SIZES],
                                   (chosen["n_per_arm"], YOUR_TRIALS)]], 1, warm_up=False)
    return [
        (f"{N_TRIALS} trials x {N_PER_ARM}/arm", one_engine, one_naive, 0.5),
        (f"power curve, {len(CURVE_SIZES)} sizes", curve_engine, curve_naive, 2.0),
        ("formula curve, 600 sizes", formula, math.nan, math.nan),
        ("explorer: one control change", explorer, explorer_naive, 1.0),
    ]


def agreement() -> tuple[float, float, float]:
    """Largest |simulated - formula| over the test grid, the MC SE there, and the largest z."""
    worst_gap = worst_z = 0.0
    se_at_worst = math.nan
    for index, (n, effect, sd, fraction) in enumerate(AGREEMENT_GRID):
        result = virtual_trial(n, effect_points=effect, sd_points=sd,
                               subset_fraction=fraction, n_trials=4000, seed=index)
        formula = normal_approx_power(n, effect_points=effect, sd_points=sd,
                                      subset_fraction=fraction)
        se = math.sqrt(max(formula * (1 - formula), 1e-4) / result.n_trials)
        gap = abs(result.power - formula)
        worst_z = max(worst_z, gap / se)
        if gap > worst_gap:
            worst_gap, se_at_worst = gap, se
    return worst_gap, se_at_worst, worst_z


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30, help="runs of the engine")
    args = parser.parse_args()
    print(f"Engine: virtual_trial (numpy, all trials at once). Baseline: a loop of "
          f"scipy.stats.ttest_ind. Effect {EFFECT_POINTS} points, SD {SD_POINTS}; curve sizes "
          f"{CURVE_SIZES} per arm.")
    print(f"{'scenario':30} {'engine s':>9} {'target s':>9} {'naive s':>9} {'ratio':>8}")
    for label, engine, naive, target in timings(args.repeats):
        ratio = f"{naive / engine:7.1f}x" if math.isfinite(naive) else "       -"
        target_text = f"{target:9.1f}" if math.isfinite(target) else "        -"
        naive_text = f"{naive:9.3f}" if math.isfinite(naive) else "        -"
        print(f"{label:30} {engine:9.4f} {target_text} {naive_text} {ratio}")
    print(f"ratio = naive median / engine median (same run); the naive curve is timed with "
          f"a tenth of the trials per size and scaled by {NAIVE_CURVE_SCALE}; the naive explorer "
          "simulates its sizes with the diluted effect given to everyone.")
    gap, se, z_score = agreement()
    print(f"Agreement over {len(AGREEMENT_GRID)} designs (4,000 trials each): largest "
          f"|simulated - formula| = {gap:.4f} (Monte-Carlo SE there {se:.4f}); largest "
          f"|difference| / SE = {z_score:.2f}")
    for n in (2, 5, 31, 265):
        result = virtual_trial(n, effect_points=0.0, n_trials=20000, seed=n)
        print(f"No effect, {n:3d}/arm, 20,000 trials: {100 * result.power:.2f}% positive "
              f"(MC SE {100 * result.power_mc_se:.2f} points; expected 5%)")


if __name__ == "__main__":
    main()
