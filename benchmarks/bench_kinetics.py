"""Benchmark of the IgG model: the exact solver against scipy's solve_ivp, in the same run.

Scenario: 10 exchange sessions of 1 plasma volume every 2 days, simulated for 120 days at
hourly resolution (2,881 output rows), as the course explorer does on every slider move.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/bench_kinetics.py``). Figures are
medians of repeated runs; ratios compare solvers measured in this same run, so they travel
across machines better than absolute times do.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from reference_ode import REFERENCE_COLUMNS, reference_states

from helpers.kinetics import IgGParameters, simulate, tpe_course

DAYS = 120.0
STEP_HOURS = 1.0
COURSE = tpe_course(10, 1.0, 2.0)
# The tolerance the tests certify solve_ivp to reach against the exact solution
# (about 1e-5 percentage points over 120 days).
IVP_TOLERANCE = {"rtol": 1e-8, "atol": 1e-10}


def median_ms(function: Callable[[], object], repeats: int) -> float:
    function()  # warm-up (imports, caches)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def run(repeats: int) -> list[dict[str, object]]:
    rows = []
    for label, params in [("linear (alpha = 0)", IgGParameters()),
                          ("FcRn option (alpha = 0.85)", IgGParameters(fcrn_exponent=0.85))]:
        result = simulate(COURSE, params=params, days=DAYS, step_hours=STEP_HOURS)
        times = result["day"].to_numpy()
        truth = reference_states(COURSE, params, times)  # rtol 1e-12: the accuracy referee
        ivp = reference_states(COURSE, params, times, **IVP_TOLERANCE)
        engine_ms = median_ms(
            lambda p=params: simulate(COURSE, params=p, days=DAYS, step_hours=STEP_HOURS),
            repeats if params.fcrn_exponent == 0 else max(5, repeats // 20))
        ivp_ms = median_ms(lambda p=params, t=times: reference_states(COURSE, p, t,
                                                                      **IVP_TOLERANCE),
                           max(5, repeats // 20))
        tight_ms = median_ms(lambda p=params, t=times: reference_states(COURSE, p, t),
                             max(3, repeats // 50))
        rows.append({
            "model": label,
            "engine_ms": engine_ms,
            "solve_ivp_ms": ivp_ms,
            "speed_up": ivp_ms / engine_ms,
            "solve_ivp_tight_ms": tight_ms,
            "engine_error_pp": float(np.abs(result[REFERENCE_COLUMNS].to_numpy() - truth).max()),
            "solve_ivp_error_pp": float(np.abs(ivp - truth).max()),
        })
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=200, help="runs of the linear solver")
    args = parser.parse_args()
    print(f"Scenario: {COURSE.n_sessions} sessions x 1 PV every 2 days, {DAYS:g} days, "
          f"{STEP_HOURS:g}-h steps; solve_ivp (DOP853) at rtol {IVP_TOLERANCE['rtol']:g}, "
          f"atol {IVP_TOLERANCE['atol']:g}")
    print(f"{'model':28} {'engine ms':>10} {'solve_ivp ms':>13} {'ratio':>8} "
          f"{'engine err':>11} {'ivp err':>9} {'ivp@1e-12 ms':>13} {'ratio':>8}")
    for row in run(args.repeats):
        print(f"{row['model']:28} {row['engine_ms']:10.2f} {row['solve_ivp_ms']:13.2f} "
              f"{row['speed_up']:7.1f}x {row['engine_error_pp']:11.1e} "
              f"{row['solve_ivp_error_pp']:9.1e} {row['solve_ivp_tight_ms']:13.2f} "
              f"{row['solve_ivp_tight_ms'] / row['engine_ms']:7.1f}x")
    print("ratio = solve_ivp median / engine median (same run); errors are the largest "
          "deviation in percentage points from solve_ivp at rtol 1e-12 (the last two columns "
          "time that accuracy referee).")


if __name__ == "__main__":
    main()
