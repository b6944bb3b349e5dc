"""IgG kinetics: plasma volume, single-exchange removal and a two-compartment model.

Pure numerical layer (numpy and pandas only): no widgets, no plotting.

The two-compartment model (course sourcebook, kinetics section 6) tracks IgG in plasma
(intravascular pool, a fraction ``f_iv`` of body IgG at baseline) and in the tissues
(extravascular pool). IgG moves between the pools, is made at a constant rate into plasma,
and is catabolised from plasma at a fractional rate calibrated so that, with no exchange,
body IgG decays with the chosen whole-body half-life. During a plasma-exchange session,
plasma is removed at a constant flow and replaced by albumin (no IgG) or donor plasma
(IgG at the baseline level). A second, independent tracer follows a patient's
autoantibody: the same kinetics, but donor plasma never contains it.

Amounts are expressed as fractions of the baseline body pool, so plasma volume cancels
out of the dynamics: only the exchanged volume *in plasma volumes* matters. Use
:func:`plasma_volume_l` to convert litres.

Every output is educational, not a clinical dose.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Literal

import numpy as np
import pandas as pd

from helpers.checks import (
    ParameterError,
    check_choice,
    check_integer,
    check_number,
    check_numbers,
)
from helpers.data import load_table

__all__ = [
    "ExchangeSession",
    "IgGParameters",
    "Schedule",
    "blood_volume_l",
    "fraction_remaining",
    "plasma_volume_l",
    "session_levels",
    "simulate",
    "time_grid_days",
    "tpe_course",
    "volume_pv_for_removal",
]

Sex = Literal["female", "male"]
Method = Literal["nadler", "kaplan"]
Replacement = Literal["albumin", "plasma"]

SEXES: tuple[str, ...] = ("female", "male")
METHODS: tuple[str, ...] = ("nadler", "kaplan")
REPLACEMENTS: tuple[str, ...] = ("albumin", "plasma")

# Input domains of the public functions. These are engineering limits that keep the
# formulas inside the range where they make sense (adults and larger children), not
# physiological claims.
HEIGHT_CM_RANGE = (100.0, 230.0)
WEIGHT_KG_RANGE = (20.0, 300.0)
HEMATOCRIT_RANGE = (0.15, 0.70)
VOLUME_PV_RANGE = (0.0, 3.0)
N_SESSIONS_RANGE = (0, 30)
INTERVAL_DAYS_MAX = 60.0
START_DAY_RANGE = (0.0, 365.0)
DURATION_HOURS_RANGE = (0.5, 6.0)
SIMULATION_DAYS_MAX = 730.0
STEP_HOURS_RANGE = (0.1, 24.0)

HOURS_PER_DAY = 24.0


# --------------------------------------------------------------------------- plasma volume


def _coefficients() -> dict[tuple[str, str, str], float]:
    table = load_table("plasma_volume_coefficients")
    return {
        (row.method, row.sex, row.term): float(row.value)
        for row in table.itertuples(index=False)
    }


_PV_COEFFICIENTS = _coefficients()


def blood_volume_l(
    sex: Sex, height_cm: float, weight_kg: float, method: Method = "nadler"
) -> float:
    """Estimate total blood volume in litres.

    Parameters
    ----------
    sex : {"female", "male"}
        Selects Nadler's coefficients (Kaplan's formula ignores it).
    height_cm : float
        Height in centimetres, 100–230.
    weight_kg : float
        Body weight in kilograms, 20–300.
    method : {"nadler", "kaplan"}
        ``"nadler"``: 0.3669·H³ + 0.03219·W + 0.6041 (men) or 0.3561·H³ + 0.03308·W + 0.1833
        (women), H in metres (Nadler et al., Surgery 1962). ``"kaplan"``: 0.065 L/kg × W
        (Balogun, Kaplan et al., J Clin Apher 2010).

    Returns
    -------
    float
        Blood volume in litres.

    Raises
    ------
    ParameterError
        If an argument is of the wrong type or outside its range.
    """
    sex = check_choice("sex", sex, SEXES)  # type: ignore[assignment]
    height_cm = check_number("height_cm", height_cm, unit="cm", low=HEIGHT_CM_RANGE[0],
                             high=HEIGHT_CM_RANGE[1])
    weight_kg = check_number("weight_kg", weight_kg, unit="kg", low=WEIGHT_KG_RANGE[0],
                             high=WEIGHT_KG_RANGE[1])
    method = check_choice("method", method, METHODS)  # type: ignore[assignment]
    if method == "kaplan":
        return _PV_COEFFICIENTS[("kaplan", "any", "weight_kg")] * weight_kg
    height_m = height_cm / 100.0
    return (
        _PV_COEFFICIENTS[("nadler", sex, "height_m_cubed")] * height_m**3
        + _PV_COEFFICIENTS[("nadler", sex, "weight_kg")] * weight_kg
        + _PV_COEFFICIENTS[("nadler", sex, "intercept")]
    )


def plasma_volume_l(
    sex: Sex,
    height_cm: float,
    weight_kg: float,
    hematocrit: float,
    method: Method = "nadler",
) -> float:
    """Estimate plasma volume in litres: blood volume × (1 − haematocrit).

    Parameters
    ----------
    sex : {"female", "male"}
        Selects Nadler's coefficients (Kaplan's formula ignores it).
    height_cm : float
        Height in centimetres, 100–230.
    weight_kg : float
        Body weight in kilograms, 20–300.
    hematocrit : float
        Haematocrit as a fraction of blood volume, 0.15–0.70 (0.40, not 40).
    method : {"nadler", "kaplan"}
        Blood-volume formula; see :func:`blood_volume_l`.

    Returns
    -------
    float
        Estimated plasma volume in litres.

    Raises
    ------
    ParameterError
        If an argument is of the wrong type or outside its range.

    Examples
    --------
    >>> round(plasma_volume_l("male", 175, 70, 0.45), 2)
    2.65
    >>> round(plasma_volume_l("female", 165, 60, 0.40, method="kaplan"), 2)
    2.34
    """
    hint = "Give the haematocrit as a fraction (0.40 for 40%)." if isinstance(
        hematocrit, (int, float)) and not isinstance(hematocrit, bool) and hematocrit > 1 else ""
    hematocrit = check_number("hematocrit", hematocrit, unit="(fraction of blood volume)",
                              low=HEMATOCRIT_RANGE[0], high=HEMATOCRIT_RANGE[1], hint=hint)
    return blood_volume_l(sex, height_cm, weight_kg, method) * (1.0 - hematocrit)


# ------------------------------------------------------------------- one-compartment removal


def fraction_remaining(volume_pv: float | Sequence[float] | np.ndarray) -> float | np.ndarray:
    """Fraction of a plasma-only marker left after exchanging ``volume_pv`` plasma volumes.

    One-compartment model with instant mixing and replacement free of the marker:
    ``exp(-volume_pv)``. IgG is not plasma-only (about 55% lies outside the blood), which
    is why the two-compartment model in :func:`simulate` is needed for IgG over days.

    Parameters
    ----------
    volume_pv : float or array-like
        Exchanged volume in plasma volumes, 0–3.

    Returns
    -------
    float or numpy.ndarray
        Fraction remaining (0–1); an array if an array was given.

    Raises
    ------
    ParameterError
        If a value is not a finite number from 0 to 3.

    Examples
    --------
    >>> round(1 - fraction_remaining(1.0), 3)
    0.632
    """
    if np.ndim(volume_pv) == 0 and not isinstance(volume_pv, np.ndarray):
        volume = check_number("volume_pv", volume_pv, unit="plasma volumes",
                              low=VOLUME_PV_RANGE[0], high=VOLUME_PV_RANGE[1])
        return math.exp(-volume)
    volumes = check_numbers("volume_pv", volume_pv, unit="plasma volumes",
                            low=VOLUME_PV_RANGE[0], high=VOLUME_PV_RANGE[1])
    return np.exp(-volumes)


def volume_pv_for_removal(fraction_removed: float) -> float:
    """Plasma volumes to exchange so that a plasma-only marker falls by ``fraction_removed``.

    Inverse of :func:`fraction_remaining`: ``-ln(1 - fraction_removed)``.

    Parameters
    ----------
    fraction_removed : float
        Target fraction removed, 0–0.95 (0.95 needs 3 plasma volumes).

    Returns
    -------
    float
        Exchange volume in plasma volumes.

    Raises
    ------
    ParameterError
        If the fraction is outside 0–0.95.

    Examples
    --------
    >>> round(volume_pv_for_removal(0.9), 2)
    2.3
    """
    fraction = check_number("fraction_removed", fraction_removed, unit="(fraction)", low=0.0,
                            high=0.95)
    return -math.log1p(-fraction)


# ------------------------------------------------------------------------------ parameters


def _parameter_table() -> pd.DataFrame:
    return load_table("igg_model_parameters").set_index("parameter")


_PARAMETER_TABLE = _parameter_table()


def _default(name: str) -> float:
    return float(_PARAMETER_TABLE.loc[name, "value"])


def _range(name: str) -> tuple[float, float]:
    row = _PARAMETER_TABLE.loc[name]
    return float(row["range_min"]), float(row["range_max"])


@dataclass(frozen=True)
class IgGParameters:
    """Parameters of the two-compartment IgG model.

    Defaults and allowed ranges come from ``data/igg_model_parameters.csv``, where each row
    carries its citation and its status (measured, derived or assumption).

    Attributes
    ----------
    intravascular_fraction : float
        Share of body IgG in plasma at baseline (fraction), default 0.45, range 0.33–0.55.
        Measured: Reverberi & Reverberi, Blood Transfus 2007 (55% extravascular).
    half_life_days : float
        Whole-body IgG half-life with no exchange (days), default 21, range 12–28.
        Measured: Kaplan, Am J Kidney Dis 2008.
    return_rate_per_day : float
        Fraction of the extravascular pool returning to plasma per day (1/d), default 0.24
        (1%/h), range 0.12–0.48. Assumption: the quoted "1–2%/h" has no primary source.
    fcrn_exponent : float
        FcRn-like concentration dependence: catabolism × (C/C0)^alpha (dimensionless),
        default 0 (linear), range 0–0.85. Derived from Masson 1993 (200% IgG → 180% FCR).
    synthesis_multiplier : float
        IgG production relative to normal from day 0 (fraction of normal), default 1,
        range 0–2. Assumption (constant synthesis; Blood 1997).
    baseline_igg_g_per_l : float
        Baseline plasma IgG (g/L), used only to express levels in g/L; default 11.85,
        range 4–25. Derived: sum of mean subclass levels (Cancer Immunol Immunother 2024).
    """

    intravascular_fraction: float = field(default=_default("intravascular_fraction"))
    half_life_days: float = field(default=_default("half_life_days"))
    return_rate_per_day: float = field(default=_default("return_rate_per_day"))
    fcrn_exponent: float = field(default=_default("fcrn_exponent"))
    synthesis_multiplier: float = field(default=_default("synthesis_multiplier"))
    baseline_igg_g_per_l: float = field(default=_default("baseline_igg_g_per_l"))

    def __post_init__(self) -> None:
        for item in fields(self):
            low, high = _range(item.name)
            unit = str(_PARAMETER_TABLE.loc[item.name, "unit"])
            object.__setattr__(
                self, item.name,
                check_number(item.name, getattr(self, item.name), unit=f"({unit})", low=low,
                             high=high),
            )

    @classmethod
    def ranges(cls) -> dict[str, tuple[float, float]]:
        """Return the allowed ``(min, max)`` of each parameter, in the field's unit."""
        return {item.name: _range(item.name) for item in fields(cls)}

    @staticmethod
    def sources() -> pd.DataFrame:
        """Return the parameter table from ``data/`` (value, unit, range, status, source)."""
        return load_table("igg_model_parameters")

    @property
    def elimination_rate_per_day(self) -> float:
        """Slow (whole-body) decay rate with no exchange, ln 2 / half-life (1/d)."""
        return math.log(2.0) / self.half_life_days

    @property
    def transfer_out_rate_per_day(self) -> float:
        """Fraction of the plasma pool moving to the tissues per day, k_pe (1/d).

        Set so that the baseline split between the pools is the steady state:
        ``k_pe = k_ep · (1 − f_iv) / f_iv``.
        """
        f_iv = self.intravascular_fraction
        return self.return_rate_per_day * (1.0 - f_iv) / f_iv

    @property
    def catabolic_rate_per_day(self) -> float:
        """Fractional catabolic rate of the plasma pool, FCR (1/d), at baseline level.

        Calibrated so that the slow eigenvalue of the linear model equals ln 2 / half-life:
        ``FCR = λ (k_pe + k_ep − λ) / (k_ep − λ)`` (sourcebook, kinetics section 6.4).
        """
        slow = self.elimination_rate_per_day
        k_ep = self.return_rate_per_day
        return slow * (self.transfer_out_rate_per_day + k_ep - slow) / (k_ep - slow)

    @property
    def synthesis_per_day(self) -> float:
        """IgG production as a fraction of the baseline body pool per day."""
        return self.synthesis_multiplier * self.catabolic_rate_per_day * self.intravascular_fraction

    @property
    def fast_half_life_days(self) -> float:
        """Half-life of the fast (re-equilibration) phase of the linear model (days)."""
        rates = _eigenvalues(_rate_matrix(self, 0.0))
        return math.log(2.0) / -min(rates)


# -------------------------------------------------------------------------------- schedule


@dataclass(frozen=True)
class ExchangeSession:
    """One plasma-exchange session, modelled as a constant flow over its duration.

    Attributes
    ----------
    start_day : float
        Start time (days from the beginning of the simulation).
    duration_hours : float
        Length of the procedure (hours).
    volume_pv : float
        Plasma exchanged during the session (plasma volumes).
    replacement : {"albumin", "plasma"}
        Replacement fluid: albumin adds no IgG; donor plasma adds IgG at the baseline level
        (but none of the patient's autoantibody).
    """

    start_day: float
    duration_hours: float
    volume_pv: float
    replacement: Replacement = "albumin"

    @property
    def end_day(self) -> float:
        """End time of the session (days)."""
        return self.start_day + self.duration_hours / HOURS_PER_DAY

    @property
    def flow_pv_per_day(self) -> float:
        """Exchange flow in plasma volumes per day while the session runs."""
        return self.volume_pv / (self.duration_hours / HOURS_PER_DAY)


@dataclass(frozen=True)
class Schedule:
    """A treatment schedule: exchange sessions in time order, none overlapping.

    Build one with :func:`tpe_course`. An empty schedule (no sessions) is valid.
    """

    sessions: tuple[ExchangeSession, ...] = ()

    @property
    def n_sessions(self) -> int:
        """Number of sessions."""
        return len(self.sessions)

    @property
    def end_day(self) -> float:
        """End of the last session (days); 0 for an empty schedule."""
        return self.sessions[-1].end_day if self.sessions else 0.0

    @property
    def total_volume_pv(self) -> float:
        """Total plasma exchanged over the course (plasma volumes)."""
        return sum(session.volume_pv for session in self.sessions)


def tpe_course(
    n_sessions: int,
    volume_pv: float,
    interval_days: float,
    *,
    start_day: float = 0.0,
    duration_hours: float = 2.0,
    replacement: Replacement = "albumin",
) -> Schedule:
    """Build a course of equally spaced, identical plasma-exchange sessions.

    Parameters
    ----------
    n_sessions : int
        Number of sessions, 0–30 (0 gives an empty schedule).
    volume_pv : float
        Plasma exchanged per session, 0–3 plasma volumes.
    interval_days : float
        Days from the start of one session to the start of the next, greater than 0 and at
        most 60, and longer than a session so sessions do not overlap.
    start_day : float, optional
        Day the first session starts, 0–365.
    duration_hours : float, optional
        Length of each session, 0.5–6 hours (default 2).
    replacement : {"albumin", "plasma"}, optional
        Replacement fluid (default albumin).

    Returns
    -------
    Schedule
        The sessions in time order.

    Raises
    ------
    ParameterError
        If an argument is out of range, or sessions would overlap.

    Examples
    --------
    >>> course = tpe_course(5, 1.0, 2.0)
    >>> course.n_sessions, course.sessions[-1].start_day
    (5, 8.0)
    """
    n_sessions = check_integer("n_sessions", n_sessions, unit="sessions",
                               low=N_SESSIONS_RANGE[0], high=N_SESSIONS_RANGE[1])
    volume_pv = check_number("volume_pv", volume_pv, unit="plasma volumes",
                             low=VOLUME_PV_RANGE[0], high=VOLUME_PV_RANGE[1])
    interval_days = check_number("interval_days", interval_days, unit="days", low=0.0,
                                 high=INTERVAL_DAYS_MAX, low_open=True)
    start_day = check_number("start_day", start_day, unit="days", low=START_DAY_RANGE[0],
                             high=START_DAY_RANGE[1])
    duration_hours = check_number("duration_hours", duration_hours, unit="hours",
                                  low=DURATION_HOURS_RANGE[0], high=DURATION_HOURS_RANGE[1])
    replacement = check_choice("replacement", replacement, REPLACEMENTS)  # type: ignore[assignment]
    duration_days = duration_hours / HOURS_PER_DAY
    if n_sessions > 1 and interval_days < duration_days:
        raise ParameterError(
            "interval_days", interval_days,
            f"at least the session duration ({duration_hours:g} h = {duration_days:.3g} days) "
            "so that sessions do not overlap",
            "Space the sessions further apart or shorten them.",
        )
    sessions = tuple(
        ExchangeSession(start_day + index * interval_days, duration_hours, volume_pv, replacement)
        for index in range(n_sessions)
    )
    return Schedule(sessions)


# ------------------------------------------------------------------------- model internals


def _rate_matrix(params: IgGParameters, flow_pv_per_day: float) -> np.ndarray:
    """Linear rate matrix for the state (plasma, extravascular), amounts per day."""
    k_pe = params.transfer_out_rate_per_day
    k_ep = params.return_rate_per_day
    loss = params.catabolic_rate_per_day + k_pe + flow_pv_per_day
    return np.array([[-loss, k_ep], [k_pe, -k_ep]])


def _eigenvalues(matrix: np.ndarray) -> tuple[float, float]:
    """Both (real, distinct, negative) eigenvalues of a 2 × 2 compartmental matrix."""
    half_trace = 0.5 * (matrix[0, 0] + matrix[1, 1])
    gap = math.sqrt(0.25 * (matrix[0, 0] - matrix[1, 1]) ** 2 + matrix[0, 1] * matrix[1, 0])
    return half_trace + gap, half_trace - gap


@dataclass(frozen=True)
class _Segment:
    """An interval with constant exchange flow and replacement."""

    start: float
    end: float
    flow_pv_per_day: float
    replacement_level: float  # IgG in the replacement fluid relative to baseline plasma


def _segments(schedule: Schedule, days: float) -> list[_Segment]:
    replacement_level = _default("plasma_replacement_relative_igg")
    edges = {0.0, days}
    for session in schedule.sessions:
        edges.update(t for t in (session.start_day, session.end_day) if 0.0 < t < days)
    ordered = sorted(edges)
    segments = []
    for start, end in itertools.pairwise(ordered):
        middle = 0.5 * (start + end)
        active = [s for s in schedule.sessions if s.start_day <= middle < s.end_day]
        if active:
            session = active[0]
            level = replacement_level if session.replacement == "plasma" else 0.0
            segments.append(_Segment(start, end, session.flow_pv_per_day, level))
        else:
            segments.append(_Segment(start, end, 0.0, 0.0))
    return segments


# State layout used by both solvers: total IgG (plasma, tissue), autoantibody (plasma,
# tissue), then cumulative removed, catabolised, synthesised and replaced total IgG, all as
# fractions of the baseline body pool.
_N_STATE = 8


def _initial_state(params: IgGParameters) -> np.ndarray:
    f_iv = params.intravascular_fraction
    state = np.zeros(_N_STATE)
    state[[0, 2]] = f_iv
    state[[1, 3]] = 1.0 - f_iv
    return state


def _solve_linear_segment(
    params: IgGParameters, segment: _Segment, state: np.ndarray, offsets: np.ndarray
) -> np.ndarray:
    """Exact solution over one segment at time offsets (days from its start).

    Uses ``x(t) = x* + u1·exp(λ1 t) + u2·exp(λ2 t)`` (Sylvester's formula for the 2 × 2
    matrix exponential) and integrates the same expression for the cumulative fluxes.
    """
    q = segment.flow_pv_per_day
    matrix = _rate_matrix(params, q)
    rate_fast, rate_slow = sorted(_eigenvalues(matrix))
    synthesis = params.synthesis_per_day
    replaced = q * segment.replacement_level * params.intravascular_fraction
    inflow = np.array([[synthesis + replaced, synthesis], [0.0, 0.0]])  # columns: IgG, autoAb
    steady = -np.linalg.solve(matrix, inflow)
    deviation = state[:4].reshape(2, 2, order="F") - steady
    identity = np.eye(2)
    gap = rate_slow - rate_fast
    slow_part = (matrix - rate_fast * identity) @ deviation / gap
    fast_part = -(matrix - rate_slow * identity) @ deviation / gap

    decay_slow = np.exp(rate_slow * offsets)
    decay_fast = np.exp(rate_fast * offsets)
    pools = (steady[None] + slow_part[None] * decay_slow[:, None, None]
             + fast_part[None] * decay_fast[:, None, None])
    plasma_integral = (steady[0, 0] * offsets
                       + slow_part[0, 0] * np.expm1(rate_slow * offsets) / rate_slow
                       + fast_part[0, 0] * np.expm1(rate_fast * offsets) / rate_fast)

    out = np.empty((offsets.size, _N_STATE))
    out[:, 0:2] = pools[:, :, 0]
    out[:, 2:4] = pools[:, :, 1]
    out[:, 4] = state[4] + q * plasma_integral
    out[:, 5] = state[5] + params.catabolic_rate_per_day * plasma_integral
    out[:, 6] = state[6] + synthesis * offsets
    out[:, 7] = state[7] + replaced * offsets
    return out


def _derivative(params: IgGParameters, segment: _Segment, y: list[float]) -> list[float]:
    f_iv = params.intravascular_fraction
    k_pe = params.transfer_out_rate_per_day
    k_ep = params.return_rate_per_day
    q = segment.flow_pv_per_day
    level = max(y[0], 0.0) / f_iv
    catabolism = params.catabolic_rate_per_day * level**params.fcrn_exponent
    synthesis = params.synthesis_per_day
    replaced = q * segment.replacement_level * f_iv
    return [
        synthesis + replaced - (catabolism + k_pe + q) * y[0] + k_ep * y[1],
        k_pe * y[0] - k_ep * y[1],
        synthesis - (catabolism + k_pe + q) * y[2] + k_ep * y[3],
        k_pe * y[2] - k_ep * y[3],
        q * y[0],
        catabolism * y[0],
        synthesis,
        replaced,
    ]


# Largest rate × step for the fixed-step RK4 used when fcrn_exponent > 0; 0.05 keeps the
# error below 1e-5 percentage points (tests check it against solve_ivp at rtol 1e-12).
_RK4_MAX_RATE_STEP = 0.05


def _advance(y: list[float], slope: list[float], h: float) -> list[float]:
    return [value + h * rate for value, rate in zip(y, slope, strict=True)]


def _solve_nonlinear_segment(
    params: IgGParameters, segment: _Segment, state: np.ndarray, offsets: np.ndarray
) -> np.ndarray:
    """Classical RK4 with sub-steps, reporting the state at the requested offsets."""
    # Catabolism can at most double its baseline rate within the allowed ranges
    # ((2 × baseline level)^0.85 < 2), so this bounds the stiffest rate.
    max_rate = (2.0 * params.catabolic_rate_per_day + params.transfer_out_rate_per_day
                + params.return_rate_per_day + segment.flow_pv_per_day)
    out = np.empty((offsets.size, _N_STATE))
    y = [float(value) for value in state]
    now = 0.0
    for index, target in enumerate(offsets):
        span = float(target) - now
        if span > 0.0:
            n_sub = max(1, math.ceil(span * max_rate / _RK4_MAX_RATE_STEP))
            h = span / n_sub
            for _ in range(n_sub):
                k1 = _derivative(params, segment, y)
                k2 = _derivative(params, segment, _advance(y, k1, 0.5 * h))
                k3 = _derivative(params, segment, _advance(y, k2, 0.5 * h))
                k4 = _derivative(params, segment, _advance(y, k3, h))
                y = [a + h / 6.0 * (b + 2.0 * c + 2.0 * d + e)
                     for a, b, c, d, e in zip(y, k1, k2, k3, k4, strict=True)]
            now = float(target)
        out[index] = y
    return out


def _solve(schedule: Schedule, params: IgGParameters, times: np.ndarray, days: float) -> np.ndarray:
    """States at sorted ``times`` (days, within [0, days])."""
    solver = _solve_linear_segment if params.fcrn_exponent == 0.0 else _solve_nonlinear_segment
    state = _initial_state(params)
    result = np.empty((times.size, _N_STATE))
    for segment in _segments(schedule, days):
        first = np.searchsorted(times, segment.start, side="left")
        last = np.searchsorted(times, segment.end, side="left")
        offsets = np.append(times[first:last] - segment.start, segment.end - segment.start)
        solved = solver(params, segment, state, offsets)
        result[first:last] = solved[:-1]
        state = solved[-1]
    result[times >= days] = state
    return result


def _check_schedule(schedule: object) -> Schedule:
    if not isinstance(schedule, Schedule):
        raise ParameterError("schedule", schedule, "a Schedule (build one with tpe_course())")
    return schedule


def _check_params(params: object) -> IgGParameters:
    if params is None:
        return IgGParameters()
    if not isinstance(params, IgGParameters):
        raise ParameterError("params", params, "an IgGParameters instance or None")
    return params


def _percent_columns(states: np.ndarray, params: IgGParameters) -> dict[str, np.ndarray]:
    f_iv = params.intravascular_fraction
    return {
        "plasma_pct": 100.0 * states[:, 0] / f_iv,
        "extravascular_pct": 100.0 * states[:, 1] / (1.0 - f_iv),
        "total_pct": 100.0 * (states[:, 0] + states[:, 1]),
        "autoantibody_plasma_pct": 100.0 * states[:, 2] / f_iv,
        "autoantibody_total_pct": 100.0 * (states[:, 2] + states[:, 3]),
        "removed_pct": 100.0 * states[:, 4],
        "catabolised_pct": 100.0 * states[:, 5],
        "synthesised_pct": 100.0 * states[:, 6],
        "replaced_pct": 100.0 * states[:, 7],
    }


def time_grid_days(days: float, step_hours: float) -> np.ndarray:
    """Output times from day 0 to ``days`` (inclusive when it falls on a step), in days.

    Arguments are assumed already checked by the caller.
    """
    step_days = step_hours / HOURS_PER_DAY
    return np.arange(math.floor(days / step_days + 1e-9) + 1) * step_days


def simulate(
    schedule: Schedule,
    *,
    params: IgGParameters | None = None,
    days: float = 60.0,
    step_hours: float = 1.0,
) -> pd.DataFrame:
    """Simulate IgG in plasma and tissues over a treatment schedule.

    Parameters
    ----------
    schedule : Schedule
        Sessions to apply (see :func:`tpe_course`); an empty schedule stays at 100%.
    params : IgGParameters, optional
        Model parameters; defaults from ``data/`` when omitted.
    days : float, optional
        Length of the simulation, greater than 0 and at most 730 days.
    step_hours : float, optional
        Output resolution, 0.1–24 hours. The solution is exact at every output time (linear
        model) or to about 1e-5 percentage points (``fcrn_exponent > 0``, fixed-step RK4).

    Returns
    -------
    pandas.DataFrame
        One row per step from day 0, with columns:

        ``day``
            Time (days).
        ``plasma_pct``, ``extravascular_pct``, ``total_pct``
            Total IgG in plasma, in the tissues and in the whole body, each as % of its own
            baseline.
        ``autoantibody_plasma_pct``, ``autoantibody_total_pct``
            The autoantibody tracer in plasma and whole body, % of baseline.
        ``plasma_igg_g_per_l``
            Plasma IgG in g/L (baseline ``params.baseline_igg_g_per_l``).
        ``removed_pct``, ``catabolised_pct``, ``synthesised_pct``, ``replaced_pct``
            Cumulative IgG removed by exchange, catabolised, made, and given back with donor
            plasma, each as % of the baseline body pool. They close the mass balance:
            ``100 + synthesised + replaced − catabolised − removed = total``.
        ``in_session``
            True while an exchange is running.

    Raises
    ------
    ParameterError
        If an argument is of the wrong type or out of range.
    """
    schedule = _check_schedule(schedule)
    params = _check_params(params)
    days = check_number("days", days, unit="days", low=0.0, high=SIMULATION_DAYS_MAX,
                        low_open=True)
    step_hours = check_number("step_hours", step_hours, unit="hours", low=STEP_HOURS_RANGE[0],
                              high=STEP_HOURS_RANGE[1])
    times = time_grid_days(days, step_hours)
    states = _solve(schedule, params, times, days)
    columns = {"day": times, **_percent_columns(states, params)}
    columns["plasma_igg_g_per_l"] = columns["plasma_pct"] * params.baseline_igg_g_per_l / 100.0
    in_session = np.zeros(times.size, dtype=bool)
    for session in schedule.sessions:
        in_session |= (times >= session.start_day) & (times < session.end_day)
    columns["in_session"] = in_session
    return pd.DataFrame(columns)


def session_levels(schedule: Schedule, *, params: IgGParameters | None = None) -> pd.DataFrame:
    """IgG levels exactly at the start and end of each session.

    Parameters
    ----------
    schedule : Schedule
        The sessions (see :func:`tpe_course`).
    params : IgGParameters, optional
        Model parameters; defaults from ``data/`` when omitted.

    Returns
    -------
    pandas.DataFrame
        One row per session: ``session`` (1-based), ``start_day``, ``end_day``,
        ``plasma_pct_before``, ``plasma_pct_after``, ``total_pct_before``,
        ``total_pct_after`` (% of baseline) and ``removed_pct`` (cumulative IgG removed by
        the end of the session, % of the baseline body pool).
    """
    schedule = _check_schedule(schedule)
    params = _check_params(params)
    if not schedule.sessions:
        return pd.DataFrame(columns=["session", "start_day", "end_day", "plasma_pct_before",
                                     "plasma_pct_after", "total_pct_before", "total_pct_after",
                                     "removed_pct"])
    starts = np.array([session.start_day for session in schedule.sessions])
    ends = np.array([session.end_day for session in schedule.sessions])
    times = np.sort(np.concatenate([starts, ends]))
    horizon = float(times[-1]) + 1.0
    columns = _percent_columns(_solve(schedule, params, times, horizon), params)
    before = np.searchsorted(times, starts)
    after = np.searchsorted(times, ends)
    return pd.DataFrame({
        "session": np.arange(1, starts.size + 1),
        "start_day": starts,
        "end_day": ends,
        "plasma_pct_before": columns["plasma_pct"][before],
        "plasma_pct_after": columns["plasma_pct"][after],
        "total_pct_before": columns["total_pct"][before],
        "total_pct_after": columns["total_pct"][after],
        "removed_pct": columns["removed_pct"][after],
    })
