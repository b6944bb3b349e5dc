"""An independent reference for the IgG model: the equations of the course sourcebook
(kinetics section 6.2) integrated with scipy's ``solve_ivp``.

Used by the tests (agreement with the exact solver) and by the benchmark (the baseline the
exact solver is timed against). It reuses no solver code from ``helpers.kinetics``: only the
public parameter properties (rates) and the schedule's session list.
"""

from __future__ import annotations

import itertools

import numpy as np
from scipy.integrate import solve_ivp

from helpers.kinetics import IgGParameters, Schedule


def reference_states(
    schedule: Schedule,
    params: IgGParameters,
    times: np.ndarray,
    *,
    rtol: float = 1e-12,
    atol: float = 1e-14,
    method: str = "DOP853",
) -> np.ndarray:
    """Integrate the model; return plasma %, tissue %, total %, autoantibody plasma %,
    removed % and catabolised % of baseline at ``times`` (rows) as a (n, 6) array."""
    f_iv = params.intravascular_fraction
    k_pe = params.transfer_out_rate_per_day
    k_ep = params.return_rate_per_day
    fcr = params.catabolic_rate_per_day
    alpha = params.fcrn_exponent
    synthesis = params.synthesis_multiplier * fcr * f_iv  # per unit of baseline body pool

    def rhs_for(flow: float, replacement_level: float):
        def rhs(_t: float, y: np.ndarray) -> list[float]:
            a_p, a_e, b_p, b_e = y[:4]
            catabolism = fcr * (max(a_p, 0.0) / f_iv) ** alpha
            return [
                synthesis + flow * replacement_level * f_iv
                - (catabolism + k_pe + flow) * a_p + k_ep * a_e,
                k_pe * a_p - k_ep * a_e,
                synthesis - (catabolism + k_pe + flow) * b_p + k_ep * b_e,
                k_pe * b_p - k_ep * b_e,
                flow * a_p,
                catabolism * a_p,
            ]
        return rhs

    end = float(times[-1])
    edges = sorted({0.0, end, *[t for s in schedule.sessions
                                for t in (s.start_day, s.end_day) if 0.0 < t < end]})
    y = np.array([f_iv, 1 - f_iv, f_iv, 1 - f_iv, 0.0, 0.0])
    out = np.empty((times.size, 6))
    for start, stop in itertools.pairwise(edges):
        middle = 0.5 * (start + stop)
        active = [s for s in schedule.sessions if s.start_day <= middle < s.end_day]
        flow = active[0].flow_pv_per_day if active else 0.0
        level = 1.0 if active and active[0].replacement == "plasma" else 0.0
        inside = (times >= start) & (times < stop)
        solution = solve_ivp(rhs_for(flow, level), (start, stop), y, method=method, rtol=rtol,
                             atol=atol, t_eval=np.append(times[inside], stop))
        out[inside] = solution.y[:, :-1].T
        y = solution.y[:, -1]
    out[times >= end] = y
    percent = np.empty((times.size, 6))
    percent[:, 0] = 100 * out[:, 0] / f_iv
    percent[:, 1] = 100 * out[:, 1] / (1 - f_iv)
    percent[:, 2] = 100 * (out[:, 0] + out[:, 1])
    percent[:, 3] = 100 * out[:, 2] / f_iv
    percent[:, 4] = 100 * out[:, 4]
    percent[:, 5] = 100 * out[:, 5]
    return percent


REFERENCE_COLUMNS = ["plasma_pct", "extravascular_pct", "total_pct", "autoantibody_plasma_pct",
                     "removed_pct", "catabolised_pct"]
