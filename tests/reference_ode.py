"""An independent reference for the IgG model: the equations of the course sourcebook
(kinetics section 6.2, with the extensions of section 6.5; FcRn blockade as in the
published nipocalimab model, alternatives section 2.3) integrated with scipy's
``solve_ivp``.

Used by the tests (agreement with the engine) and by the benchmark (the baseline the engine
is timed against). It reuses no solver code from ``helpers.kinetics``: only the public
parameter properties (rates) and the schedule's public lists of sessions, infusions, doses
and production changes.
"""

from __future__ import annotations

import itertools

import numpy as np
from scipy.integrate import solve_ivp

from helpers.kinetics import FCRN_FREE_MULTIPLIER, IgGParameters, Schedule


def _edges(schedule: Schedule, end: float) -> list[float]:
    times = {0.0, end}
    for item in (*schedule.sessions, *schedule.infusions):
        times.update((item.start_day, item.end_day))
    for session in schedule.adsorptions:
        saturation = session.start_day + session.capacity_pv * session.duration_hours / 24.0 \
            / session.volume_pv if session.volume_pv > session.capacity_pv else session.end_day
        times.update((session.start_day, saturation, session.end_day))
    for dose in schedule.fcrn_doses:
        times.update((dose.start_day, dose.start_day + dose.action_days))
    times.update(change.start_day for change in schedule.production_changes)
    return sorted(t for t in times if 0.0 <= t <= end)


def _drivers(schedule: Schedule, params: IgGParameters, t: float) -> dict[str, float]:
    """Flows, infusion, FcRn multiplier and production in force at time ``t``."""
    f_iv = params.intravascular_fraction
    drivers = {"flow": 0.0, "replaced": 0.0, "adsorbed": 0.0, "infused": 0.0, "m": 1.0,
               "production": params.synthesis_multiplier,
               "auto_production": params.synthesis_multiplier}
    for s in schedule.sessions:
        if s.start_day <= t < s.end_day:
            flow = s.volume_pv / (s.duration_hours / 24.0)
            drivers["flow"] += flow
            drivers["replaced"] += flow * f_iv * (s.replacement == "plasma")
    for s in schedule.adsorptions:
        flow = s.volume_pv / (s.duration_hours / 24.0)
        processed = (t - s.start_day) * flow
        if s.start_day <= t < s.end_day and processed < s.capacity_pv:
            drivers["adsorbed"] += s.efficiency * flow
    for infusion in schedule.infusions:
        if infusion.start_day <= t < infusion.start_day + infusion.duration_days:
            body_pool_g = params.baseline_igg_g_per_l * infusion.plasma_volume_l / f_iv
            drivers["infused"] += infusion.dose_g / body_pool_g / infusion.duration_days
    for dose in schedule.fcrn_doses:
        if dose.start_day <= t < dose.start_day + dose.action_days:
            drivers["m"] = max(drivers["m"], dose.multiplier)
    for change in schedule.production_changes:
        if change.start_day <= t:
            drivers["production"] = min(drivers["production"],
                                        params.synthesis_multiplier * change.total_fraction)
            drivers["auto_production"] = min(drivers["auto_production"],
                                             params.synthesis_multiplier
                                             * change.autoantibody_fraction)
    return drivers


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
    removed %, catabolised % and infused % of baseline at ``times`` as an (n, 7) array."""
    f_iv = params.intravascular_fraction
    k_pe = params.transfer_out_rate_per_day
    k_ep = params.return_rate_per_day
    fcr = params.catabolic_rate_per_day
    alpha = params.fcrn_exponent
    synthesis = fcr * f_iv  # normal production, per unit of baseline body pool

    def rhs_for(d: dict[str, float]):
        removal = d["flow"] + d["adsorbed"]

        def rhs(_t: float, y: np.ndarray) -> list[float]:
            a_p, a_e, b_p, b_e = y[:4]
            # a share of FcRn is blocked: that share is broken down at the FcRn-free rate
            blocked = (d["m"] - 1.0) / (FCRN_FREE_MULTIPLIER - 1.0)
            catabolism = fcr * ((1.0 - blocked) * (max(a_p, 0.0) / f_iv) ** alpha
                                + blocked * FCRN_FREE_MULTIPLIER)
            return [
                synthesis * d["production"] + d["replaced"] + d["infused"]
                - (catabolism + k_pe + removal) * a_p + k_ep * a_e,
                k_pe * a_p - k_ep * a_e,
                synthesis * d["auto_production"] - (catabolism + k_pe + removal) * b_p
                + k_ep * b_e,
                k_pe * b_p - k_ep * b_e,
                removal * a_p,
                catabolism * a_p,
                d["infused"],
            ]
        return rhs

    end = float(times[-1])
    y = np.array([f_iv, 1 - f_iv, f_iv, 1 - f_iv, 0.0, 0.0, 0.0])
    out = np.empty((times.size, 7))
    for start, stop in itertools.pairwise(_edges(schedule, end)):
        rhs = rhs_for(_drivers(schedule, params, 0.5 * (start + stop)))
        inside = (times >= start) & (times < stop)
        solution = solve_ivp(rhs, (start, stop), y, method=method, rtol=rtol, atol=atol,
                             t_eval=np.append(times[inside], stop))
        out[inside] = solution.y[:, :-1].T
        y = solution.y[:, -1]
    out[times >= end] = y
    percent = np.empty((times.size, 7))
    percent[:, 0] = 100 * out[:, 0] / f_iv
    percent[:, 1] = 100 * out[:, 1] / (1 - f_iv)
    percent[:, 2] = 100 * (out[:, 0] + out[:, 1])
    percent[:, 3] = 100 * out[:, 2] / f_iv
    percent[:, 4:7] = 100 * out[:, 4:7]
    return percent


REFERENCE_COLUMNS = ["plasma_pct", "extravascular_pct", "total_pct", "autoantibody_plasma_pct",
                     "removed_pct", "catabolised_pct", "infused_pct"]
