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
from collections.abc import Callable, Sequence
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
    "COLUMNS",
    "FCRN_DRUGS",
    "AdsorptionSession",
    "ExchangeSession",
    "FcRnDose",
    "IgGParameters",
    "Infusion",
    "ProductionChange",
    "Schedule",
    "blood_volume_l",
    "combine",
    "fcrn_blocker_course",
    "fcrn_dose_range",
    "fraction_remaining",
    "immunoadsorption_course",
    "ivig_course",
    "plasma_volume_l",
    "reference_plasma_volume_l",
    "rituximab_course",
    "session_levels",
    "simulate",
    "time_grid_days",
    "tpe_course",
    "treatment_value",
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
ADSORPTION_HOURS_RANGE = (0.5, 8.0)
N_DOSES_RANGE = (0, 52)
IVIG_DOSE_G_PER_KG_RANGE = (0.0, 3.0)
INFUSION_DAYS_RANGE = (0.5, 7.0)
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
        fast_rate = _modes(self.catabolic_rate_per_day, 0.0, self.transfer_out_rate_per_day,
                           self.return_rate_per_day)[1]
        return math.log(2.0) / -fast_rate


# ---------------------------------------------------------------------- treatment parameters


def _treatment_table() -> pd.DataFrame:
    return load_table("treatment_parameters")


_TREATMENT_TABLE = _treatment_table()


def treatment_value(treatment: str, option: str, parameter: str,
                    default: float | None = None) -> float:
    """Return one value from ``data/treatment_parameters.csv``.

    Parameters
    ----------
    treatment : str
        ``"fcrn_blocker"``, ``"ivig"``, ``"immunoadsorption"`` or ``"rituximab"``.
    option : str
        The drug or column (``"any"`` when the value holds for the treatment as a whole).
    parameter : str
        The parameter's name in the table.
    default : float, optional
        Returned when the table has no such row (for example no capacity limit).

    Returns
    -------
    float
        The value, in the unit given in the table.
    """
    table = _TREATMENT_TABLE
    row = table[(table["treatment"] == treatment) & (table["option"] == option)
                & (table["parameter"] == parameter)]
    if row.empty and default is not None:
        return default
    if row.empty:
        raise KeyError(f"{treatment}/{option}/{parameter} is not in treatment_parameters.csv")
    return float(row["value"].iloc[0])


def treatment_options(treatment: str) -> tuple[str, ...]:
    """Return the drugs or columns the model offers for a treatment, in table order."""
    table = _TREATMENT_TABLE
    options = table.loc[(table["treatment"] == treatment) & (table["option"] != "any"), "option"]
    return tuple(dict.fromkeys(options))


FCRN_DRUGS: tuple[str, ...] = treatment_options("fcrn_blocker")
COLUMNS: tuple[str, ...] = treatment_options("immunoadsorption")
REFERENCE_HEMATOCRIT = treatment_value("ivig", "any", "reference_hematocrit")


def reference_plasma_volume_l(weight_kg: float) -> float:
    """Plasma volume used to turn grams of IVIG (or litres of column capacity) into model units.

    Kaplan's weight-only formula, 0.065 L/kg × weight × (1 − haematocrit), with the
    reference haematocrit of ``data/treatment_parameters.csv`` (0.40).

    Parameters
    ----------
    weight_kg : float
        Body weight in kilograms, 20–300.

    Returns
    -------
    float
        Plasma volume in litres (2.73 L at 70 kg).
    """
    weight_kg = check_number("weight_kg", weight_kg, unit="kg", low=WEIGHT_KG_RANGE[0],
                             high=WEIGHT_KG_RANGE[1])
    blood_l = _PV_COEFFICIENTS[("kaplan", "any", "weight_kg")] * weight_kg
    return blood_l * (1.0 - REFERENCE_HEMATOCRIT)


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
class AdsorptionSession:
    """One immunoadsorption session: plasma passes a column that keeps part of its IgG.

    Nothing is added back: the patient's own plasma returns, minus what the column held.

    Attributes
    ----------
    start_day : float
        Start time (days).
    duration_hours : float
        Length of the procedure (hours).
    volume_pv : float
        Plasma processed through the column (plasma volumes).
    column : str
        Column type (``"protein_a"`` or ``"tryptophan"``).
    efficiency : float
        Fraction of the IgG in the plasma passing the column that the column keeps (0–1).
    capacity_pv : float
        Plasma volumes the column can treat before it is saturated (``math.inf`` for a
        column that does not saturate within a session); after that it keeps nothing.
    """

    start_day: float
    duration_hours: float
    volume_pv: float
    column: str
    efficiency: float
    capacity_pv: float

    @property
    def end_day(self) -> float:
        """End time of the session (days)."""
        return self.start_day + self.duration_hours / HOURS_PER_DAY

    @property
    def flow_pv_per_day(self) -> float:
        """Plasma flow through the column in plasma volumes per day."""
        return self.volume_pv / (self.duration_hours / HOURS_PER_DAY)

    @property
    def saturation_day(self) -> float:
        """Time at which the column is saturated (days); after the end if it never is."""
        if self.volume_pv <= self.capacity_pv:
            return self.end_day
        return self.start_day + self.capacity_pv / self.flow_pv_per_day


@dataclass(frozen=True)
class Infusion:
    """An infusion of normal IgG (IVIG) into plasma at a constant rate.

    Attributes
    ----------
    start_day : float
        Start of the infusion (days).
    duration_days : float
        Days over which the dose is given (the daily doses are spread evenly).
    dose_g : float
        Total IgG infused (grams).
    plasma_volume_l : float
        Plasma volume of the patient (litres), used to express the dose as a share of the
        body's IgG pool.
    """

    start_day: float
    duration_days: float
    dose_g: float
    plasma_volume_l: float

    @property
    def end_day(self) -> float:
        """End of the infusion (days)."""
        return self.start_day + self.duration_days


@dataclass(frozen=True)
class FcRnDose:
    """One dose of an FcRn blocker: IgG catabolism × ``multiplier`` while the dose acts.

    Attributes
    ----------
    start_day : float
        Day the dose is given (treated as an instant).
    drug : str
        Drug name.
    dose_mg_per_kg : float
        Dose (mg per kg body weight).
    multiplier : float
        Factor m ≥ 1 on the fractional catabolic rate while the dose acts.
    action_days : float
        How long the dose acts (days).
    """

    start_day: float
    drug: str
    dose_mg_per_kg: float
    multiplier: float
    action_days: float

    @property
    def end_day(self) -> float:
        """The dose is an instant: its procedure ends when it starts."""
        return self.start_day

    @property
    def action_end_day(self) -> float:
        """End of the dose's effect (days)."""
        return self.start_day + self.action_days


@dataclass(frozen=True)
class ProductionChange:
    """From ``start_day`` on, IgG production runs at a fraction of normal.

    Attributes
    ----------
    start_day : float
        Day the change starts (days); it lasts to the end of the simulation.
    total_fraction : float
        Production of all IgG relative to normal (0–1).
    autoantibody_fraction : float
        Production of the autoantibody relative to normal (0–1).
    """

    start_day: float
    total_fraction: float
    autoantibody_fraction: float

    @property
    def end_day(self) -> float:
        """A production change starts with one dose (an instant)."""
        return self.start_day


@dataclass(frozen=True)
class Schedule:
    """A treatment schedule: procedures and drug effects, in time order.

    Build one with :func:`tpe_course`, :func:`immunoadsorption_course`, :func:`ivig_course`,
    :func:`fcrn_blocker_course` or :func:`rituximab_course`, and join several with
    :func:`combine`. An empty schedule (nothing given) is valid.

    Attributes
    ----------
    sessions : tuple of ExchangeSession
        Plasma-exchange sessions.
    adsorptions : tuple of AdsorptionSession
        Immunoadsorption sessions.
    infusions : tuple of Infusion
        IVIG infusions.
    fcrn_doses : tuple of FcRnDose
        FcRn-blocker doses.
    production_changes : tuple of ProductionChange
        Lowered production (rituximab).
    """

    sessions: tuple[ExchangeSession, ...] = ()
    adsorptions: tuple[AdsorptionSession, ...] = ()
    infusions: tuple[Infusion, ...] = ()
    fcrn_doses: tuple[FcRnDose, ...] = ()
    production_changes: tuple[ProductionChange, ...] = ()

    @property
    def n_sessions(self) -> int:
        """Number of plasma-exchange sessions."""
        return len(self.sessions)

    @property
    def end_day(self) -> float:
        """End of the last procedure or infusion (days); 0 for an empty schedule.

        Doses of an FcRn blocker or rituximab count as instants at the day they are given.
        """
        return max((end for _, end, _ in self.procedures()), default=0.0)

    @property
    def total_volume_pv(self) -> float:
        """Total plasma exchanged over the course (plasma volumes)."""
        return sum(session.volume_pv for session in self.sessions)

    def procedures(self) -> list[tuple[float, float, str]]:
        """Every procedure as ``(start_day, end_day, label)``, sorted by start.

        Sessions and infusions last their duration; doses of an FcRn blocker or rituximab
        are instants (start equals end).
        """
        items = [(s.start_day, s.end_day, "plasma exchange") for s in self.sessions]
        items += [(s.start_day, s.end_day, f"immunoadsorption ({s.column.replace('_', ' ')})")
                  for s in self.adsorptions]
        items += [(s.start_day, s.end_day, "IVIG infusion") for s in self.infusions]
        items += [(s.start_day, s.end_day, f"{s.drug} dose") for s in self.fcrn_doses]
        items += [(s.start_day, s.end_day, "rituximab") for s in self.production_changes]
        return sorted(items)


def _check_no_overlap(schedule: Schedule) -> Schedule:
    """Raise if two procedures of ``schedule`` overlap in time; return it otherwise."""
    for first, second in itertools.pairwise(schedule.procedures()):
        same_instant = first[0] == second[0]
        if second[0] < first[1] or same_instant:
            raise ParameterError(
                "schedules", f"{first[2]} and {second[2]}",
                "procedures that do not overlap in time",
                f"The {first[2]} from day {first[0]:g} to day {first[1]:.3g} overlaps the "
                f"{second[2]} starting on day {second[0]:g}. Move one of them (start_day).",
            )
    return schedule


def combine(*schedules: Schedule) -> Schedule:
    """Join several schedules into one (for example plasma exchange, then an FcRn blocker).

    Parameters
    ----------
    *schedules : Schedule
        The schedules to join, each built by one of the ``*_course`` functions.

    Returns
    -------
    Schedule
        One schedule with every procedure and drug effect of the inputs, in time order.
        Drug effects may overlap (the strongest FcRn blockade and the lowest production
        apply); procedures may not.

    Raises
    ------
    ParameterError
        If an argument is not a Schedule, or two procedures overlap in time (the message
        names both and their days).

    Examples
    --------
    >>> both = combine(tpe_course(5, 1.0, 2.0), fcrn_blocker_course(4, 7.0, start_day=10.0))
    >>> both.n_sessions, len(both.fcrn_doses), round(both.end_day, 2)
    (5, 4, 31.0)
    """
    for index, schedule in enumerate(schedules):
        if not isinstance(schedule, Schedule):
            raise ParameterError(f"schedules[{index}]", schedule,
                                 "a Schedule (build one with tpe_course() or another *_course())")

    def joined(attribute: str) -> tuple:
        items = itertools.chain.from_iterable(getattr(s, attribute) for s in schedules)
        return tuple(sorted(items, key=lambda item: item.start_day))

    return _check_no_overlap(Schedule(**{item.name: joined(item.name)
                                         for item in fields(Schedule)}))


def _check_course_timing(n: int, interval_days: float, duration_hours: float,
                         start_day: float, what: str) -> tuple[float, float]:
    interval_days = check_number("interval_days", interval_days, unit="days", low=0.0,
                                 high=INTERVAL_DAYS_MAX, low_open=True)
    start_day = check_number("start_day", start_day, unit="days", low=START_DAY_RANGE[0],
                             high=START_DAY_RANGE[1])
    duration_days = duration_hours / HOURS_PER_DAY
    if n > 1 and interval_days < duration_days:
        raise ParameterError(
            "interval_days", interval_days,
            f"at least the {what} duration ({duration_hours:g} h = {duration_days:.3g} days) "
            f"so that {what}s do not overlap",
            f"Space the {what}s further apart or shorten them.",
        )
    return interval_days, start_day


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
    duration_hours = check_number("duration_hours", duration_hours, unit="hours",
                                  low=DURATION_HOURS_RANGE[0], high=DURATION_HOURS_RANGE[1])
    interval_days, start_day = _check_course_timing(n_sessions, interval_days, duration_hours,
                                                    start_day, "session")
    replacement = check_choice("replacement", replacement, REPLACEMENTS)  # type: ignore[assignment]
    sessions = tuple(
        ExchangeSession(start_day + index * interval_days, duration_hours, volume_pv, replacement)
        for index in range(n_sessions)
    )
    return Schedule(sessions)


def immunoadsorption_course(
    n_sessions: int,
    volume_pv: float,
    interval_days: float,
    *,
    start_day: float = 0.0,
    duration_hours: float = 4.0,
    column: str = "protein_a",
    weight_kg: float = 70.0,
) -> Schedule:
    """Build a course of immunoadsorption sessions (IgG removed on a column, nothing added).

    Parameters
    ----------
    n_sessions : int
        Number of sessions, 0–30.
    volume_pv : float
        Plasma processed through the column per session, 0–3 plasma volumes.
    interval_days : float
        Days between session starts, greater than 0 and at most 60, and longer than a
        session.
    start_day : float, optional
        Day the first session starts, 0–365.
    duration_hours : float, optional
        Length of each session, 0.5–8 hours (default 4).
    column : {"protein_a", "tryptophan"}, optional
        ``"protein_a"`` keeps a fixed share of the IgG passing it (column efficiency);
        ``"tryptophan"`` keeps a smaller share and saturates after about 1.75 L of plasma,
        after which it keeps nothing (``data/treatment_parameters.csv``).
    weight_kg : float, optional
        Body weight (20–300 kg), used only to turn the tryptophan column's capacity in
        litres into plasma volumes.

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
    >>> course = immunoadsorption_course(5, 2.0, 1.0, column="tryptophan")
    >>> round(course.adsorptions[0].capacity_pv, 2)
    0.64
    """
    n_sessions = check_integer("n_sessions", n_sessions, unit="sessions",
                               low=N_SESSIONS_RANGE[0], high=N_SESSIONS_RANGE[1])
    volume_pv = check_number("volume_pv", volume_pv, unit="plasma volumes",
                             low=VOLUME_PV_RANGE[0], high=VOLUME_PV_RANGE[1])
    duration_hours = check_number("duration_hours", duration_hours, unit="hours",
                                  low=ADSORPTION_HOURS_RANGE[0], high=ADSORPTION_HOURS_RANGE[1])
    interval_days, start_day = _check_course_timing(n_sessions, interval_days, duration_hours,
                                                    start_day, "session")
    column = check_choice("column", column, COLUMNS)
    weight_kg = check_number("weight_kg", weight_kg, unit="kg", low=WEIGHT_KG_RANGE[0],
                             high=WEIGHT_KG_RANGE[1])
    capacity_l = treatment_value("immunoadsorption", column, "capacity_l", default=math.inf)
    capacity_pv = capacity_l / reference_plasma_volume_l(weight_kg)
    efficiency = treatment_value("immunoadsorption", column, "efficiency")
    sessions = tuple(
        AdsorptionSession(start_day + index * interval_days, duration_hours, volume_pv, column,
                          efficiency, capacity_pv)
        for index in range(n_sessions)
    )
    return Schedule(adsorptions=sessions)


def ivig_course(
    dose_g_per_kg: float = 2.0,
    *,
    infusion_days: float = 5,
    start_day: float = 0.0,
    weight_kg: float = 70.0,
) -> Schedule:
    """Build one course of intravenous immunoglobulin (normal IgG infused into plasma).

    IVIG raises total IgG; it is not the patient's autoantibody. In the model it lowers the
    autoantibody only through FcRn saturation (``fcrn_exponent`` > 0): while total IgG is
    high, every IgG molecule, the autoantibody included, is broken down faster.

    Parameters
    ----------
    dose_g_per_kg : float, optional
        Total dose, 0–3 g per kg body weight (default 2, the usual high dose).
    infusion_days : float, optional
        Days over which the dose is given, 0.5–7 (default 5, i.e. 0.4 g/kg a day); the daily
        doses are spread evenly over the whole time.
    start_day : float, optional
        Day the infusion starts, 0–365.
    weight_kg : float, optional
        Body weight, 20–300 kg: sets the grams given and, with
        :func:`reference_plasma_volume_l`, the patient's plasma volume.

    Returns
    -------
    Schedule
        A schedule with one infusion (none if the dose is 0).

    Raises
    ------
    ParameterError
        If an argument is out of range.

    Examples
    --------
    >>> infusion = ivig_course(2.0).infusions[0]
    >>> infusion.dose_g, round(infusion.plasma_volume_l, 2), infusion.end_day
    (140.0, 2.73, 5.0)
    """
    dose_g_per_kg = check_number("dose_g_per_kg", dose_g_per_kg, unit="g/kg",
                                 low=IVIG_DOSE_G_PER_KG_RANGE[0], high=IVIG_DOSE_G_PER_KG_RANGE[1])
    infusion_days = check_number("infusion_days", infusion_days, unit="days",
                                 low=INFUSION_DAYS_RANGE[0], high=INFUSION_DAYS_RANGE[1])
    start_day = check_number("start_day", start_day, unit="days", low=START_DAY_RANGE[0],
                             high=START_DAY_RANGE[1])
    weight_kg = check_number("weight_kg", weight_kg, unit="kg", low=WEIGHT_KG_RANGE[0],
                             high=WEIGHT_KG_RANGE[1])
    if dose_g_per_kg == 0.0:
        return Schedule()
    return Schedule(infusions=(Infusion(start_day, infusion_days, dose_g_per_kg * weight_kg,
                                        reference_plasma_volume_l(weight_kg)),))


def fcrn_dose_range(drug: str) -> tuple[float, float]:
    """Doses (mg/kg) over which the model's dose–action relation of ``drug`` was calibrated."""
    drug = check_choice("drug", drug, FCRN_DRUGS)
    return (treatment_value("fcrn_blocker", drug, "dose_min_mg_per_kg"),
            treatment_value("fcrn_blocker", drug, "dose_max_mg_per_kg"))


def fcrn_blocker_course(
    n_doses: int,
    interval_days: float,
    *,
    start_day: float = 0.0,
    drug: str = "efgartigimod",
    dose_mg_per_kg: float | None = None,
) -> Schedule:
    """Build a course of an FcRn blocker: catabolism × m while each dose acts.

    Each dose multiplies the fractional catabolic rate of IgG (all IgG, the autoantibody
    included) by the drug's multiplier m for a time proportional to the dose; where the
    effects of two doses overlap, the blockade is not stronger, only longer. m and the
    action time come from ``data/treatment_parameters.csv``, each with its calibration
    target (efgartigimod: ADAPT+ 55.9%).

    Parameters
    ----------
    n_doses : int
        Number of doses, 0–52.
    interval_days : float
        Days between doses, greater than 0 and at most 60.
    start_day : float, optional
        Day of the first dose, 0–365.
    drug : str, optional
        One of :data:`FCRN_DRUGS` (default ``"efgartigimod"``).
    dose_mg_per_kg : float, optional
        Dose per infusion in mg/kg; default the drug's usual dose. Only doses inside the
        range the drug was calibrated on are accepted (:func:`fcrn_dose_range`).

    Returns
    -------
    Schedule
        The doses in time order.

    Raises
    ------
    ParameterError
        If an argument is out of range.

    Examples
    --------
    >>> cycle = fcrn_blocker_course(4, 7.0)
    >>> [dose.start_day for dose in cycle.fcrn_doses], cycle.fcrn_doses[0].action_days
    ([0.0, 7.0, 14.0, 21.0], 7.0)
    """
    n_doses = check_integer("n_doses", n_doses, unit="doses", low=N_DOSES_RANGE[0],
                            high=N_DOSES_RANGE[1])
    interval_days, start_day = _check_course_timing(n_doses, interval_days, 0.0, start_day,
                                                    "dose")
    drug = check_choice("drug", drug, FCRN_DRUGS)
    low, high = fcrn_dose_range(drug)
    if dose_mg_per_kg is None:
        dose_mg_per_kg = treatment_value("fcrn_blocker", drug, "standard_dose_mg_per_kg")
    dose_mg_per_kg = check_number("dose_mg_per_kg", dose_mg_per_kg, unit=f"mg/kg for {drug}",
                                  low=low, high=high)
    multiplier = treatment_value("fcrn_blocker", drug, "catabolism_multiplier")
    action_days = dose_mg_per_kg * treatment_value("fcrn_blocker", drug,
                                                   "action_days_per_mg_per_kg")
    doses = tuple(FcRnDose(start_day + index * interval_days, drug, dose_mg_per_kg, multiplier,
                           action_days)
                  for index in range(n_doses))
    return Schedule(fcrn_doses=doses)


def rituximab_course(*, start_day: float = 0.0) -> Schedule:
    """Build a rituximab course: production falls from ``start_day``; nothing is removed.

    Rituximab removes the B cells that renew short-lived antibody-secreting cells, so IgG
    production falls; the IgG already present is broken down at its usual pace. The model
    lowers production of all IgG and, much more, of the autoantibody, from the day of the
    first infusion to the end of the simulation (fractions calibrated on Cortazar 2017:
    total IgG about −6% and ANCA about −47% per month; ``data/treatment_parameters.csv``).

    Parameters
    ----------
    start_day : float, optional
        Day of the first infusion, 0–365.

    Returns
    -------
    Schedule
        A schedule with one production change.

    Raises
    ------
    ParameterError
        If ``start_day`` is out of range.
    """
    start_day = check_number("start_day", start_day, unit="days", low=START_DAY_RANGE[0],
                             high=START_DAY_RANGE[1])
    change = ProductionChange(
        start_day,
        treatment_value("rituximab", "any", "total_production_fraction"),
        treatment_value("rituximab", "any", "autoantibody_production_fraction"),
    )
    return Schedule(production_changes=(change,))


# ------------------------------------------------------------------------- model internals

# Between events the drivers (exchange or column flow, infusion rate, FcRn multiplier,
# production) are constant. With the catabolic rate frozen at a value c, the model is linear
# in each tracer, x' = M(c)·x + u with M = [[−(c + k_pe + removal), k_ep], [k_pe, −k_ep]], and
# is solved exactly with the 2 × 2 eigen-decomposition (Sylvester's formula), together with
# the integral of plasma IgG that gives the cumulative fluxes (:func:`_propagate`).
# With fcrn_exponent = 0, c is constant in a segment and one step covers it exactly. With
# fcrn_exponent > 0, c(t) = m·FCR·(plasma level)^α follows total IgG. Each step then uses
# the fourth-order commutator-free Magnus scheme of Blanes & Moan (two frozen half-steps
# whose rates weight c at the two Gauss points), with c(t) inside the step interpolated
# through its value at the start and at the Gauss points (quadratic in ln c) and the Gauss
# values found by fixed-point iteration. An output time inside a step is the end of a
# partial step from the step's start with the same interpolated c(t), so every output is
# as accurate as a step end; all outputs are evaluated at once (vectorised).

# State columns: total IgG (plasma, tissue), autoantibody (plasma, tissue), then cumulative
# removed, catabolised, synthesised, replaced (donor plasma) and infused (IVIG) total IgG,
# all as fractions of the baseline body pool.
_N_STATE = 9
_GAUSS = (0.5 - math.sqrt(3.0) / 6.0, 0.5 + math.sqrt(3.0) / 6.0)
_WEIGHTS = (0.25 + math.sqrt(3.0) / 6.0, 0.25 - math.sqrt(3.0) / 6.0)  # first half-step
_MAX_LOG_CHANGE = 0.3  # largest |Δ ln c| predicted over one step
_MAX_STEP_DAYS = 3.0
_MAX_CURVATURE_CHANGE = 0.05  # largest |d² ln c/dt²|·h² (from the previous step)
_FIRST_STEP_DAYS = 0.25
_ITERATIONS = 2


@dataclass(frozen=True)
class _Drivers:
    """What acts on the body during a segment of constant drivers."""

    start: float
    end: float
    removal_pv_per_day: float  # exchange flow + column efficiency × column flow
    replaced: float  # IgG given back with donor plasma (fraction of body pool per day)
    infused: float  # IVIG (fraction of body pool per day)
    multiplier: float  # FcRn blockade m
    total_production: float  # relative to normal
    autoantibody_production: float  # relative to normal


_PLASMA_REPLACEMENT_LEVEL = _default("plasma_replacement_relative_igg")
#: Catabolism with all FcRn blocked, relative to normal (m_max, ``data/``).
FCRN_FREE_MULTIPLIER = _default("fcrn_free_catabolism_multiplier")


def _segments(schedule: Schedule, params: IgGParameters, days: float) -> list[_Drivers]:
    replacement_level = _PLASMA_REPLACEMENT_LEVEL
    f_iv = params.intravascular_fraction
    pool_g_per_l = params.baseline_igg_g_per_l / f_iv  # body pool per litre of plasma
    edges = {0.0, days}
    for item in (*schedule.sessions, *schedule.infusions, *schedule.production_changes):
        edges.update((item.start_day, item.end_day))
    for session in schedule.adsorptions:
        edges.update((session.start_day, session.saturation_day, session.end_day))
    for dose in schedule.fcrn_doses:
        edges.update((dose.start_day, dose.action_end_day))
    ordered = [0.0]  # edges closer than a nanoday are merged
    for edge in sorted(t for t in edges if 0.0 < t <= days):
        if edge - ordered[-1] > 1e-9:
            ordered.append(edge)
    ordered[-1] = days
    segments = []
    for start, end in itertools.pairwise(ordered):
        middle = 0.5 * (start + end)
        removal = replaced = infused = 0.0
        for session in schedule.sessions:
            if session.start_day <= middle < session.end_day:
                removal += session.flow_pv_per_day
                if session.replacement == "plasma":
                    replaced += session.flow_pv_per_day * replacement_level * f_iv
        for session in schedule.adsorptions:
            if session.start_day <= middle < session.saturation_day:
                removal += session.efficiency * session.flow_pv_per_day
        for infusion in schedule.infusions:
            if infusion.start_day <= middle < infusion.end_day:
                body_pool_g = pool_g_per_l * infusion.plasma_volume_l
                infused += infusion.dose_g / body_pool_g / infusion.duration_days
        multiplier = max((dose.multiplier for dose in schedule.fcrn_doses
                          if dose.start_day <= middle < dose.action_end_day), default=1.0)
        changes = [c for c in schedule.production_changes if c.start_day <= middle]
        segments.append(_Drivers(
            start, end, removal, replaced, infused, multiplier,
            params.synthesis_multiplier * min((c.total_fraction for c in changes), default=1.0),
            params.synthesis_multiplier * min((c.autoantibody_fraction for c in changes),
                                              default=1.0),
        ))
    return segments


def _modes(catabolism: float, removal: float, k_pe: float, k_ep: float
           ) -> tuple[float, float, float, float, float, float]:
    """Eigenvalues (λ1 > λ2) and the projector P1 = (M − λ2 I)/(λ1 − λ2) of the rate matrix."""
    m00 = -(catabolism + k_pe + removal)
    half_trace = 0.5 * (m00 - k_ep)
    gap = math.sqrt(0.25 * (m00 + k_ep) ** 2 + k_ep * k_pe)
    lam1, lam2 = half_trace + gap, half_trace - gap
    width = 2.0 * gap
    return lam1, lam2, (m00 - lam2) / width, k_ep / width, k_pe / width, (-k_ep - lam2) / width


def _modes_array(catabolism: np.ndarray, removal: np.ndarray, k_pe: float, k_ep: float
                 ) -> tuple[np.ndarray, ...]:
    """:func:`_modes` for arrays of catabolic and removal rates."""
    m00 = -(catabolism + k_pe + removal)
    half_trace = 0.5 * (m00 - k_ep)
    gap = np.sqrt(0.25 * (m00 + k_ep) ** 2 + k_ep * k_pe)
    lam2 = half_trace - gap
    width = 2.0 * gap
    return half_trace + gap, lam2, (m00 - lam2) / width, k_ep / width, k_pe / width, \
        (-k_ep - lam2) / width


def _expm1_ratio_scalar(z: float) -> float:
    return math.expm1(z) / z if z != 0.0 else 1.0


def _second_ratio_scalar(z: float) -> float:
    if abs(z) < 1e-2:
        return 0.5 + z * (1 / 6 + z * (1 / 24 + z * (1 / 120 + z / 720)))
    return (math.expm1(z) - z) / (z * z)


def _expm1_ratio_array(z: np.ndarray) -> np.ndarray:
    safe = np.where(z == 0.0, 1.0, z)
    return np.where(z == 0.0, 1.0, np.expm1(safe) / safe)


def _second_ratio_array(z: np.ndarray) -> np.ndarray:
    small = np.abs(z) < 1e-2
    safe = np.where(small, 1.0, z)
    series = 0.5 + z * (1 / 6 + z * (1 / 24 + z * (1 / 120 + z / 720)))
    return np.where(small, series, (np.expm1(safe) - safe) / (safe * safe))


@dataclass(frozen=True)
class _Backend:
    exp: Callable
    expm1_ratio: Callable
    second_ratio: Callable


_SCALAR = _Backend(math.exp, _expm1_ratio_scalar, _second_ratio_scalar)
_VECTOR = _Backend(np.exp, _expm1_ratio_array, _second_ratio_array)


def _coefficients(modes, tau, backend: _Backend, *, integral: bool = True) -> tuple:
    """Entries of e^{M·τ}, ∫₀^τ e^{M·s} ds and the (0, 0) entry of its integral.

    Returns ``(e00, e01, e10, e11, f00, f01, f10, s00)``: ``x(τ) = E·x0 + F·(u, 0)`` and
    ``∫₀^τ x_p dt = F[0]·x0 + s00·u`` for inflow ``u`` into plasma. Works on floats
    (``_SCALAR``) or numpy arrays (``_VECTOR``); ``s00`` is 0 when ``integral`` is False.
    """
    lam1, lam2, p00, p01, p10, p11 = modes
    z1, z2 = lam1 * tau, lam2 * tau
    e1, e2 = backend.exp(z1), backend.exp(z2)
    f1, f2 = tau * backend.expm1_ratio(z1), tau * backend.expm1_ratio(z2)
    s00 = 0.0
    if integral:
        s1, s2 = tau * tau * backend.second_ratio(z1), tau * tau * backend.second_ratio(z2)
        s00 = p00 * s1 + (1 - p00) * s2
    # F(M) = P1·F(λ1) + (I − P1)·F(λ2), written out entry by entry
    return (p00 * e1 + (1 - p00) * e2, p01 * (e1 - e2), p10 * (e1 - e2),
            p11 * e1 + (1 - p11) * e2, p00 * f1 + (1 - p00) * f2, p01 * (f1 - f2),
            p10 * (f1 - f2), s00)


def _apply(coefficients, plasma, tissue, inflow):
    """One tracer after a frozen step: (plasma, tissue, ∫plasma dt)."""
    e00, e01, e10, e11, f00, f01, f10, s00 = coefficients
    return (e00 * plasma + e01 * tissue + f00 * inflow, e10 * plasma + e11 * tissue + f10 * inflow,
            f00 * plasma + f01 * tissue + s00 * inflow)


def _advance_total(rate: float, removal: float, k_pe: float, k_ep: float, plasma: float,
                   tissue: float, inflow: float, tau: float) -> tuple[float, float]:
    """Total IgG (plasma, tissue) after ``tau`` days with the catabolic rate frozen.

    The scalar fast path of ``_apply(_coefficients(_modes(...)))`` used inside the time
    stepping, written out because it runs thousands of times per simulation (the tests
    check that both give the same numbers).
    """
    m00 = -(rate + k_pe + removal)
    half_trace = 0.5 * (m00 - k_ep)
    gap = math.sqrt(0.25 * (m00 + k_ep) ** 2 + k_ep * k_pe)
    lam1, lam2 = half_trace + gap, half_trace - gap
    width = 2.0 * gap
    p00, p11 = (m00 - lam2) / width, (-k_ep - lam2) / width
    e1, e2 = math.exp(lam1 * tau), math.exp(lam2 * tau)
    f1 = math.expm1(lam1 * tau) / lam1 if lam1 * tau != 0.0 else tau
    f2 = math.expm1(lam2 * tau) / lam2
    difference = (e1 - e2) / width
    return (
        (p00 * e1 + (1 - p00) * e2) * plasma + k_ep * difference * tissue
        + (p00 * f1 + (1 - p00) * f2) * inflow,
        k_pe * difference * plasma + (p11 * e1 + (1 - p11) * e2) * tissue
        + k_pe * (f1 - f2) / width * inflow,
    )


def _log_rate_path(log_values, fraction):
    """Ln c at ``fraction`` of a step, interpolated (Lagrange) through known values.

    ``log_values`` holds ln c at the step's start and its two Gauss points, and optionally
    at its end (once the step is done).
    """
    nodes = (0.0, *_GAUSS, 1.0)[:len(log_values)]
    total = 0.0
    for i, (node, value) in enumerate(zip(nodes, log_values, strict=False)):
        weight = value
        for j, other in enumerate(nodes):
            if j != i:
                weight = weight * (fraction - other) / (node - other)
        total = total + weight
    return total


def _lagrange_weights(fraction: float) -> tuple[float, float, float]:
    """Weights of ln c at (start, Gauss 1, Gauss 2) that interpolate ln c at ``fraction``."""
    return tuple(_log_rate_path(unit, fraction)
                 for unit in ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0)))


# The predictor needs ln c at the Gauss points of the partial steps to each Gauss point.
_PREDICTOR_WEIGHTS = tuple(tuple(_lagrange_weights(outer * inner) for inner in _GAUSS)
                           for outer in _GAUSS)


def _half_step_rates(rate_g1, rate_g2):
    """Frozen rates of the two half-steps of the fourth-order Magnus scheme."""
    w_big, w_small = _WEIGHTS
    return 2.0 * (w_big * rate_g1 + w_small * rate_g2), 2.0 * (w_small * rate_g1 + w_big * rate_g2)


def _two_half_steps(rates, removal, k_pe, k_ep, plasma, tissue, inflow, tau):
    """Total IgG after ``tau`` days as two frozen half-steps with ``rates``."""
    plasma, tissue = _advance_total(rates[0], removal, k_pe, k_ep, plasma, tissue, inflow,
                                    0.5 * tau)
    return _advance_total(rates[1], removal, k_pe, k_ep, plasma, tissue, inflow, 0.5 * tau)


@dataclass
class _Steps:
    """What each step needs to be re-evaluated at any time inside it (lists, one per step)."""

    start: list[float] = field(default_factory=list)
    length: list[float] = field(default_factory=list)
    plasma: list[float] = field(default_factory=list)  # total IgG at the start of the step
    tissue: list[float] = field(default_factory=list)
    log_rates: list[tuple[float, float, float]] = field(default_factory=list)
    drivers: list[tuple[float, ...]] = field(default_factory=list)


def _step_through(schedule: Schedule, params: IgGParameters, days: float) -> _Steps:
    """March total IgG through time, choosing steps and their catabolic-rate paths."""
    f_iv = params.intravascular_fraction
    k_pe, k_ep = params.transfer_out_rate_per_day, params.return_rate_per_day
    fcr, alpha = params.catabolic_rate_per_day, params.fcrn_exponent
    normal_synthesis = fcr * f_iv
    plasma, tissue = f_iv, 1.0 - f_iv
    steps = _Steps()
    for seg in _segments(schedule, params, days):
        synthesis = normal_synthesis * seg.total_production
        inflow = synthesis + seg.replaced + seg.infused
        drivers = (seg.removal_pv_per_day, synthesis, seg.replaced, seg.infused,
                   normal_synthesis * seg.autoantibody_production)
        removal = seg.removal_pv_per_day
        # catabolic rate c(level) = FCR·((1 − b)·level^α + b·m_max): a share b of FcRn is
        # blocked, so m = 1 + b·(m_max − 1) at the baseline level
        blocked = (seg.multiplier - 1.0) / (FCRN_FREE_MULTIPLIER - 1.0)
        free_weight, blocked_rate = fcr * (1.0 - blocked), fcr * blocked * FCRN_FREE_MULTIPLIER

        def log_rate(plasma_pool: float, free_weight=free_weight, blocked_rate=blocked_rate):
            return math.log(free_weight * (plasma_pool / f_iv) ** alpha + blocked_rate)

        now = seg.start
        # |d² ln c/dt²| seen in the previous step; unknown at a segment's start, where the
        # drivers have just changed, so the first step is short
        curvature = _MAX_CURVATURE_CHANGE / _FIRST_STEP_DAYS**2
        while now < seg.end:
            h = seg.end - now
            log_c = log_g1 = log_g2 = log_rate(plasma)
            if alpha:
                # d ln c/dt = α·(share of c that depends on the level)·d ln(plasma IgG)/dt
                saturable = 1.0 - blocked_rate / math.exp(log_c)
                drift = alpha * saturable * ((inflow + k_ep * tissue) / plasma - math.exp(log_c)
                                             - k_pe - removal)
                h = min(h, _MAX_STEP_DAYS, _MAX_LOG_CHANGE / (abs(drift) + 1e-300),
                        math.sqrt(_MAX_CURVATURE_CHANGE / (curvature + 1e-300)))
                # first guess: ln c changes at its initial rate; then fixed-point iterations
                log_g1, log_g2 = (log_c + drift * g * h for g in _GAUSS)
                # first iteration: one frozen step to each Gauss point at the rate of its
                # midpoint (third order); second: the fourth-order scheme to each point
                log_g1, log_g2 = (
                    log_rate(_advance_total(
                        math.exp(log_c + 0.5 * (log_gauss - log_c)), removal, k_pe, k_ep,
                        plasma, tissue, inflow, gauss * h)[0])
                    for gauss, log_gauss in zip(_GAUSS, (log_g1, log_g2), strict=True))
                for _ in range(_ITERATIONS - 1):
                    log_g1, log_g2 = (
                        log_rate(_two_half_steps(
                            _half_step_rates(*(math.exp(w0 * log_c + w1 * log_g1 + w2 * log_g2)
                                               for w0, w1, w2 in weights)),
                            removal, k_pe, k_ep, plasma, tissue, inflow, gauss * h)[0])
                        for gauss, weights in zip(_GAUSS, _PREDICTOR_WEIGHTS, strict=True))
                # departure from the straight first guess at the second Gauss point
                curvature = 2.0 * abs(log_g2 - log_c - drift * _GAUSS[1] * h) / (
                    _GAUSS[1] * h) ** 2
            steps.start.append(now)
            steps.length.append(h)
            steps.plasma.append(plasma)
            steps.tissue.append(tissue)
            steps.drivers.append(drivers)
            plasma, tissue = _two_half_steps(_half_step_rates(math.exp(log_g1), math.exp(log_g2)),
                                             removal, k_pe, k_ep, plasma, tissue, inflow, h)
            log_end = log_rate(plasma)
            steps.log_rates.append((log_c, log_g1, log_g2, log_end))
            now = now + h if now + h < seg.end else seg.end
    return steps


def _partial_steps(steps: _Steps, index: np.ndarray, tau: np.ndarray, k_pe: float, k_ep: float
                   ) -> tuple[list[tuple[np.ndarray, tuple]], np.ndarray, np.ndarray]:
    """Frozen half-steps that take step ``index`` from its start to ``tau`` days later.

    Returns ``[(rate, coefficients), …]`` for the two half-steps (see :func:`_coefficients`),
    the inflow of total IgG and the inflow of autoantibody, one entry per row.
    """
    fraction = tau / np.asarray(steps.length)[index]
    log_values = tuple(np.asarray(steps.log_rates)[index].T)
    removal, synthesis, replaced, infused, auto_inflow = np.asarray(steps.drivers)[index].T
    rates = _half_step_rates(*(np.exp(_log_rate_path(log_values, fraction * g))
                               for g in _GAUSS))
    halves = [(rate, _coefficients(_modes_array(rate, removal, k_pe, k_ep), 0.5 * tau, _VECTOR))
              for rate in rates]
    return halves, synthesis + replaced + infused, auto_inflow


def _solve(schedule: Schedule, params: IgGParameters, times: np.ndarray, days: float) -> np.ndarray:
    """States at sorted ``times`` (days, within [0, days]), shape ``(len(times), 9)``."""
    f_iv = params.intravascular_fraction
    k_pe, k_ep = params.transfer_out_rate_per_day, params.return_rate_per_day
    steps = _step_through(schedule, params, days)
    n_steps = len(steps.start)
    every, length = np.arange(n_steps), np.asarray(steps.length)
    removal, synthesis, replaced, infused, _ = np.asarray(steps.drivers).T

    # Whole steps: the flux integrals of total IgG, and the autoantibody at each step start
    # (stepped through the same frozen systems; its catabolic rate follows total IgG).
    halves, inflow, auto_inflow = _partial_steps(steps, every, length, k_pe, k_ep)
    plasma, tissue = np.asarray(steps.plasma), np.asarray(steps.tissue)
    integral = catabolised = 0.0
    maps = []  # the autoantibody's affine map B -> E·B + F·u for each half-step
    for rate, coefficients in halves:
        plasma, tissue, part = _apply(coefficients, plasma, tissue, inflow)
        integral, catabolised = integral + part, catabolised + rate * part
        maps.append(np.column_stack([*coefficients[:4], coefficients[4] * auto_inflow,
                                     coefficients[6] * auto_inflow]).tolist())
    begin = np.empty((n_steps, 4))
    begin[:, 0], begin[:, 1] = steps.plasma, steps.tissue
    auto_plasma, auto_tissue = f_iv, 1.0 - f_iv
    for row, halves_of_row in enumerate(zip(*maps, strict=True)):
        begin[row, 2], begin[row, 3] = auto_plasma, auto_tissue
        for e00, e01, e10, e11, in_p, in_e in halves_of_row:
            auto_plasma, auto_tissue = (e00 * auto_plasma + e01 * auto_tissue + in_p,
                                        e10 * auto_plasma + e11 * auto_tissue + in_e)
    fluxes = np.column_stack([removal * integral, catabolised, synthesis * length,
                              replaced * length, infused * length])
    cumulative = np.vstack([np.zeros(5), np.cumsum(fluxes, axis=0)[:-1]])

    # Every output time: a partial step from the start of its step.
    index = np.clip(np.searchsorted(steps.start, times, side="right") - 1, 0, n_steps - 1)
    tau = times - np.asarray(steps.start)[index]
    halves, inflow, auto_inflow = _partial_steps(steps, index, tau, k_pe, k_ep)
    a_p, a_e, b_p, b_e = begin[index].T
    integral = catabolised = 0.0
    for rate, coefficients in halves:
        a_p, a_e, part = _apply(coefficients, a_p, a_e, inflow)
        b_p, b_e, _ = _apply(coefficients, b_p, b_e, auto_inflow)
        integral, catabolised = integral + part, catabolised + rate * part
    out = np.empty((times.size, _N_STATE))
    out[:, :4] = np.column_stack([a_p, a_e, b_p, b_e])
    out[:, 4:] = cumulative[index]
    out[:, 4] += removal[index] * integral
    out[:, 5] += catabolised
    out[:, 6:] += np.column_stack([synthesis, replaced, infused])[index] * tau[:, None]
    return out


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
        "infused_pct": 100.0 * states[:, 8],
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
        Procedures and drug effects (see :func:`tpe_course`, :func:`combine` and the other
        ``*_course`` functions); an empty schedule stays at 100%.
    params : IgGParameters, optional
        Model parameters; defaults from ``data/`` when omitted.
    days : float, optional
        Length of the simulation, greater than 0 and at most 730 days.
    step_hours : float, optional
        Output resolution, 0.1–24 hours. With ``fcrn_exponent`` = 0 the solution is exact at
        every output time; with ``fcrn_exponent`` > 0 (the default) it agrees with a
        high-precision ODE solver to about 1e-4 percentage points.

    Returns
    -------
    pandas.DataFrame
        One row per step from day 0, with columns:

        ``day``
            Time (days).
        ``plasma_pct``, ``extravascular_pct``, ``total_pct``
            Total IgG in plasma, in the tissues and in the whole body, each as % of its own
            baseline. IVIG can take them above 100%.
        ``autoantibody_plasma_pct``, ``autoantibody_total_pct``
            The autoantibody tracer in plasma and whole body, % of baseline.
        ``removed_pct``, ``catabolised_pct``, ``synthesised_pct``, ``replaced_pct``, \
``infused_pct``
            Cumulative IgG removed (by exchange or a column), catabolised, made, given back
            with donor plasma, and infused as IVIG, each as % of the baseline body pool.
            They close the mass balance:
            ``100 + synthesised + replaced + infused − catabolised − removed = total``.
        ``plasma_igg_g_per_l``
            Plasma IgG in g/L (baseline ``params.baseline_igg_g_per_l``).
        ``in_session``
            True while a session (exchange or immunoadsorption) or an IVIG infusion runs.

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
    for start, end, _ in schedule.procedures():
        in_session |= (times >= start) & (times < end)
    columns["in_session"] = in_session
    return pd.DataFrame(columns)


def session_levels(schedule: Schedule, *, params: IgGParameters | None = None) -> pd.DataFrame:
    """IgG levels exactly at the start and end of each exchange or immunoadsorption session.

    Parameters
    ----------
    schedule : Schedule
        The schedule (see :func:`tpe_course` and :func:`immunoadsorption_course`).
    params : IgGParameters, optional
        Model parameters; defaults from ``data/`` when omitted.

    Returns
    -------
    pandas.DataFrame
        One row per session in time order: ``session`` (1-based), ``start_day``,
        ``end_day``, ``plasma_pct_before``, ``plasma_pct_after``, ``total_pct_before``,
        ``total_pct_after`` (% of baseline), ``removed_pct`` (cumulative IgG removed by
        the end of the session, % of the baseline body pool) and ``kind``
        (``"exchange"`` or ``"immunoadsorption"``).
    """
    schedule = _check_schedule(schedule)
    params = _check_params(params)
    sessions = sorted([(s.start_day, s.end_day, "exchange") for s in schedule.sessions]
                      + [(s.start_day, s.end_day, "immunoadsorption")
                         for s in schedule.adsorptions])
    names = ["session", "start_day", "end_day", "plasma_pct_before", "plasma_pct_after",
             "total_pct_before", "total_pct_after", "removed_pct", "kind"]
    if not sessions:
        return pd.DataFrame(columns=names)
    starts = np.array([s[0] for s in sessions])
    ends = np.array([s[1] for s in sessions])
    times = np.sort(np.concatenate([starts, ends]))
    horizon = max(float(times[-1]), schedule.end_day) + 1.0
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
        "kind": [s[2] for s in sessions],
    })
