"""Human IgG injected into mice: the passive-transfer study's dosing as a small model.

Pure numerical layer (numpy and pandas only): no widgets, no plotting.

In the 2021 passive-transfer study (Goebel et al., J Clin Invest 2021) female mice received
8 mg of human IgG intraperitoneally on 4 consecutive days. Nothing was removed from the
mice afterwards: the injected human IgG was simply cleared. This module describes that
clearance with the one-compartment model of the course sourcebook (kinetics section 7):

* each injection puts a dose ``D`` into a depot in the abdomen (peritoneal cavity), which
  empties at the first-order rate ``k_a``;
* a fraction ``F`` (bioavailability) of what leaves the depot reaches the mouse's
  circulation, where human IgG is eliminated at the first-order rate ``k_el = ln 2 / t½``;
* the serum concentration is the amount in the body divided by the volume of
  distribution ``V_d``.

The equations are linear, so each dose contributes an exact closed-form term and the doses
add up (superposition). Defaults and ranges come from ``data/mouse_model_parameters.csv``,
with the status of each value (measured, derived or assumption). ``F`` and ``V_d`` are
assumptions, so the concentrations are illustrative; the study did not measure human IgG in
the mice's blood. Every output is educational, never a dose for anyone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.checks import check_integer, check_number
from helpers.data import load_table
from helpers.kinetics import HOURS_PER_DAY, time_grid_days, treatment_value

__all__ = [
    "HALF_LIVES_COMPARED_DAYS",
    "STUDY_REGIMEN",
    "TransferSummary",
    "compare_half_lives",
    "dose_in_context",
    "parameter_sources",
    "simulate_passive_transfer",
    "summarize_transfer",
    "time_to_peak_hours",
]

# Input domain of the simulation length and output step (engineering limits, not biology).
SIMULATION_DAYS_RANGE = (1.0, 90.0)
STEP_HOURS_RANGE = (0.1, 24.0)


def _parameter_table() -> pd.DataFrame:
    return load_table("mouse_model_parameters").set_index("parameter")


_PARAMETERS = _parameter_table()


def _default(name: str) -> float:
    return float(_PARAMETERS.loc[name, "value"])


# The study's regimen (its reported design): dose per injection (mg), injections, days between.
STUDY_REGIMEN = {"dose_mg": _default("dose_mg"), "n_doses": int(_default("n_doses")),
                 "interval_days": _default("interval_days")}
# Lowest, published (another study's control mice) and highest plausible half-lives (days).
HALF_LIVES_COMPARED_DAYS = (float(_PARAMETERS.loc["half_life_days", "range_min"]),
                            _default("half_life_days"),
                            float(_PARAMETERS.loc["half_life_days", "range_max"]))


def _checked(name: str, value: object) -> float:
    """Check a model parameter against its unit and range in ``data/``."""
    row = _PARAMETERS.loc[name]
    return check_number(name, value, unit=f"({row['unit']})", low=float(row["range_min"]),
                        high=float(row["range_max"]))


def parameter_sources() -> pd.DataFrame:
    """Return the parameter table from ``data/`` (value, unit, range, status, source)."""
    return load_table("mouse_model_parameters")


def _rates_per_day(half_life_days: float, absorption_half_life_hours: float
                   ) -> tuple[float, float]:
    """Absorption and elimination rates ``(k_a, k_el)`` in 1/day."""
    k_a = math.log(2.0) / (absorption_half_life_hours / HOURS_PER_DAY)
    k_el = math.log(2.0) / half_life_days
    # Within the allowed ranges k_a >= 1.39/d and k_el <= 0.35/d, so k_a != k_el and the
    # closed form below never divides by zero.
    return k_a, k_el


def simulate_passive_transfer(
    *,
    dose_mg: float = _default("dose_mg"),
    n_doses: int = int(_default("n_doses")),
    interval_days: float = _default("interval_days"),
    half_life_days: float = _default("half_life_days"),
    absorption_half_life_hours: float = _default("absorption_half_life_hours"),
    bioavailability: float = _default("bioavailability"),
    distribution_volume_ml: float = _default("distribution_volume_ml"),
    days: float = 21.0,
    step_hours: float = 1.0,
) -> pd.DataFrame:
    """Simulate human IgG in a mouse after repeated intraperitoneal injections.

    Solves, exactly, for each dose ``D`` given at day ``t_i = i × interval_days``::

        dA_ip/dt = −k_a·A_ip                 (depot in the abdomen)
        dA_c/dt  =  F·k_a·A_ip − k_el·A_c    (human IgG in the mouse's body)
        C        =  A_c / V_d                (serum concentration)

    Parameters
    ----------
    dose_mg : float, optional
        IgG per injection (mg), 0.5–20; default 8 (the study's reported dose).
    n_doses : int, optional
        Number of injections, 1–10; default 4 (the study's design).
    interval_days : float, optional
        Days from one injection to the next, 0.25–7; default 1 (consecutive days).
    half_life_days : float, optional
        Elimination half-life of human IgG in the mouse (days), 2–8; default 2.9
        (polyclonal human IgG in another study's wild-type control mice, published;
        not measured in the 2021 study's mice).
    absorption_half_life_hours : float, optional
        Half-time of uptake from the abdomen (hours), 1–12; default 2.773 (k_a = 0.25/h,
        derived from rat data).
    bioavailability : float, optional
        Fraction of each dose that reaches the circulation, 0.6–1; default 0.8 (assumption).
    distribution_volume_ml : float, optional
        Volume the human IgG is spread through (mL), 2.2–4.4; default 2.5 (assumption).
    days : float, optional
        Length of the simulation (days), 1–90; default 21.
    step_hours : float, optional
        Output resolution (hours), 0.1–24; default 1.

    Returns
    -------
    pandas.DataFrame
        One row per step from day 0, with columns:

        ``day``
            Days after the first injection.
        ``serum_human_igg_mg_per_ml``
            Human IgG concentration in the mouse's serum (mg/mL).
        ``body_human_igg_mg``
            Human IgG in the mouse's body (mg): ``V_d`` × the concentration.
        ``depot_mg``
            IgG still in the abdomen, not yet absorbed (mg).
        ``injected_mg``, ``eliminated_mg``, ``not_absorbed_mg``
            Cumulative IgG injected, eliminated (broken down) from the body, and lost on the
            way from the depot (the ``1 − F`` share), in mg. They close the mass balance:
            ``injected = depot + body + eliminated + not_absorbed``.

        A dose given exactly at an output time is counted in that row (just after the
        injection).

    Raises
    ------
    ParameterError
        If an argument is of the wrong type or outside its range.

    Examples
    --------
    >>> result = simulate_passive_transfer()
    >>> round(float(result["injected_mg"].iloc[-1]))
    32
    """
    dose_mg = _checked("dose_mg", dose_mg)
    n_doses = check_integer("n_doses", n_doses, unit="injections",
                            low=int(_PARAMETERS.loc["n_doses", "range_min"]),
                            high=int(_PARAMETERS.loc["n_doses", "range_max"]))
    interval_days = _checked("interval_days", interval_days)
    half_life_days = _checked("half_life_days", half_life_days)
    absorption_half_life_hours = _checked("absorption_half_life_hours",
                                          absorption_half_life_hours)
    fraction = _checked("bioavailability", bioavailability)
    volume_ml = _checked("distribution_volume_ml", distribution_volume_ml)
    days = check_number("days", days, unit="days", low=SIMULATION_DAYS_RANGE[0],
                        high=SIMULATION_DAYS_RANGE[1])
    step_hours = check_number("step_hours", step_hours, unit="hours", low=STEP_HOURS_RANGE[0],
                              high=STEP_HOURS_RANGE[1])

    k_a, k_el = _rates_per_day(half_life_days, absorption_half_life_hours)
    times = time_grid_days(days, step_hours)
    dose_days = np.arange(n_doses) * interval_days
    # Time since each dose (rows: output times, columns: doses); doses not yet given count 0.
    since = times[:, None] - dose_days[None, :]
    given = since >= -1e-9
    tau = np.where(given, np.maximum(since, 0.0), 0.0)
    left_in_depot = np.exp(-k_a * tau)
    absorbed = -np.expm1(-k_a * tau)  # 1 − exp(−k_a τ)
    scale = fraction * dose_mg * k_a / (k_a - k_el)
    body = scale * (np.exp(-k_el * tau) - left_in_depot)
    # k_el ∫ body dτ, written with expm1 so it stays accurate for small τ.
    eliminated = scale * k_el * (-np.expm1(-k_el * tau) / k_el - absorbed / k_a)

    def total(per_dose: np.ndarray) -> np.ndarray:
        return np.where(given, per_dose, 0.0).sum(axis=1)

    body_mg = total(body)
    return pd.DataFrame({
        "day": times,
        "serum_human_igg_mg_per_ml": body_mg / volume_ml,
        "body_human_igg_mg": body_mg,
        "depot_mg": total(dose_mg * left_in_depot),
        "injected_mg": dose_mg * given.sum(axis=1),
        "eliminated_mg": total(eliminated),
        "not_absorbed_mg": total((1.0 - fraction) * dose_mg * absorbed),
    })


def time_to_peak_hours(
    *,
    half_life_days: float = _default("half_life_days"),
    absorption_half_life_hours: float = _default("absorption_half_life_hours"),
) -> float:
    """Time from a single injection to the peak serum level (hours).

    The standard result for one compartment with first-order absorption:
    ``t_max = ln(k_a / k_el) / (k_a − k_el)``. It does not depend on the dose, ``F`` or
    ``V_d``.

    Parameters
    ----------
    half_life_days : float, optional
        Elimination half-life (days), 2–8; default from ``data/``.
    absorption_half_life_hours : float, optional
        Absorption half-time (hours), 1–12; default from ``data/``.

    Returns
    -------
    float
        Hours from the injection to the peak.

    Raises
    ------
    ParameterError
        If an argument is of the wrong type or outside its range.

    Examples
    --------
    >>> round(time_to_peak_hours(), 1)
    13.4
    """
    k_a, k_el = _rates_per_day(_checked("half_life_days", half_life_days),
                               _checked("absorption_half_life_hours",
                                        absorption_half_life_hours))
    return math.log(k_a / k_el) / (k_a - k_el) * HOURS_PER_DAY


@dataclass(frozen=True)
class TransferSummary:
    """Key numbers of one simulated injection schedule.

    Attributes
    ----------
    injected_mg : float
        Total IgG injected within the simulated time (mg).
    injections_given : int
        Number of injections given within the simulated time (later ones are not counted).
    last_dose_day : float
        Day of the last injection given within the simulated time.
    peak_mg_per_ml, peak_day : float
        Highest serum human IgG (mg/mL) and the day it occurs.
    below_half_day, below_tenth_day : float or None
        First day after the peak on which the serum level is below 50% and below 10% of the
        peak; None if that does not happen within the simulated time.
    end_pct_of_peak : float
        Serum level on the last simulated day, % of the peak.
    days_shown : float
        Length of the simulation (days).
    rising_at_end : bool
        True if the serum level is still rising at the end of the simulated time, so that
        the highest level shown is not the peak of the schedule.
    """

    injected_mg: float
    injections_given: int
    last_dose_day: float
    peak_mg_per_ml: float
    peak_day: float
    below_half_day: float | None
    below_tenth_day: float | None
    end_pct_of_peak: float
    days_shown: float
    rising_at_end: bool

    def peak_reached(self, scheduled_doses: int) -> bool:
        """Whether the highest level shown is the peak of the whole schedule.

        It is not when injections are still to come after the days shown, when the highest
        level came before the last injection shown (its rise is cut off by the end of the
        window), or when the level is still rising at the end.

        Parameters
        ----------
        scheduled_doses : int
            Injections in the schedule, including any after the days shown.
        """
        return (self.injections_given == scheduled_doses
                and self.peak_day >= self.last_dose_day and not self.rising_at_end)


def _first_day_below(result: pd.DataFrame, level: float, after_day: float) -> float | None:
    later = result[(result["day"] > after_day)
                   & (result["serum_human_igg_mg_per_ml"] < level)]
    return float(later["day"].iloc[0]) if len(later) else None


def summarize_transfer(result: pd.DataFrame) -> TransferSummary:
    """Summarise a result of :func:`simulate_passive_transfer`.

    Parameters
    ----------
    result : pandas.DataFrame
        Output of :func:`simulate_passive_transfer`.

    Returns
    -------
    TransferSummary
    """
    serum = result["serum_human_igg_mg_per_ml"]
    peak_row = serum.idxmax()
    peak, peak_day = float(serum[peak_row]), float(result.loc[peak_row, "day"])
    doses = result["injected_mg"].to_numpy()
    last_dose_row = int(np.argmax(doses == doses[-1]))
    # The first row (day 0) holds exactly one dose, and every injection is the same size.
    given = round(float(doses[-1]) / float(doses[0]))
    return TransferSummary(
        injected_mg=float(doses[-1]),
        injections_given=given,
        last_dose_day=float(result["day"].iloc[last_dose_row]),
        peak_mg_per_ml=peak,
        peak_day=peak_day,
        below_half_day=_first_day_below(result, 0.5 * peak, peak_day),
        below_tenth_day=_first_day_below(result, 0.1 * peak, peak_day),
        end_pct_of_peak=100.0 * float(serum.iloc[-1]) / peak,
        days_shown=float(result["day"].iloc[-1]),
        rising_at_end=len(serum) > 1 and float(serum.iloc[-1]) > float(serum.iloc[-2]),
    )


def dose_in_context() -> pd.DataFrame:
    """Set the study's dose against the size of a mouse and a human IVIG course, with arithmetic.

    Uses the default dose and number of injections, the assumed body mass (20–25 g) and
    plasma volume per kg of a mouse, the adult human serum IgG level (11.85 mg/mL,
    ``data/igg_model_parameters.csv``) and the standard high-dose IVIG course in people
    (``data/treatment_parameters.csv``). Per-day and per-course doses are kept apart, so
    a course is compared with a course.

    Returns
    -------
    pandas.DataFrame
        Columns ``quantity``, ``value``, ``unit``, ``arithmetic`` and ``status``: the
        weakest status of the inputs (an assumption wherever the mouse's size enters),
        ``published`` for the IVIG course.
    """
    dose, count = _default("dose_mg"), int(_default("n_doses"))
    course_mg = dose * count
    low_kg = float(_PARAMETERS.loc["body_mass_g", "range_min"]) / 1000
    high_kg = _default("body_mass_g") / 1000
    per_kg = _default("plasma_volume_ml_per_kg")
    human = float(load_table("igg_model_parameters").set_index("parameter")
                  .loc["baseline_igg_g_per_l", "value"])  # g/L = mg/mL
    ivig_g_per_kg = treatment_value("ivig", "any", "standard_dose_g_per_kg")
    ivig_days = treatment_value("ivig", "any", "standard_infusion_days")
    rows = [
        ("IgG per mouse over the course", course_mg, "mg", f"{count} × {dose:g} mg", "derived"),
        ("Dose per kg per day (25 g mouse)", dose / high_kg, "mg/kg",
         f"{dose:g} mg ÷ {high_kg:g} kg", "assumption"),
        ("Dose per kg per day (20 g mouse)", dose / low_kg, "mg/kg",
         f"{dose:g} mg ÷ {low_kg:g} kg", "assumption"),
        ("Dose per kg over the course (25 g mouse)", course_mg / high_kg / 1000, "g/kg",
         f"{course_mg:g} mg ÷ {high_kg:g} kg ÷ 1000", "assumption"),
        ("Dose per kg over the course (20 g mouse)", course_mg / low_kg / 1000, "g/kg",
         f"{course_mg:g} mg ÷ {low_kg:g} kg ÷ 1000", "assumption"),
        ("High-dose IVIG course in people, for comparison", ivig_g_per_kg, "g/kg",
         f"{ivig_g_per_kg / ivig_days:g} g/kg a day × {ivig_days:g} days", "published"),
        ("Normal IgG level of adult human serum", human, "mg/mL",
         "mean adult levels of the four IgG subclasses, added (1 g/L = 1 mg/mL)", "derived"),
        ("Human serum holding the whole course's IgG", course_mg / human, "mL",
         f"{course_mg:g} mg ÷ {human:g} mg/mL", "derived"),
        ("Plasma volume of a 25 g mouse", per_kg * high_kg, "mL",
         f"{per_kg:g} mL/kg × {high_kg:g} kg", "assumption"),
    ]
    return pd.DataFrame(rows, columns=["quantity", "value", "unit", "arithmetic", "status"])


def compare_half_lives(half_lives_days: tuple[float, ...] = HALF_LIVES_COMPARED_DAYS,
                       days_after_last: float = 10.0) -> pd.DataFrame:
    """Key numbers of the study regimen for several half-lives.

    Parameters
    ----------
    half_lives_days : tuple of float, optional
        Elimination half-lives to compare (days), each 2–8; default: the lowest, the
        published and the highest value of the model's range.
    days_after_last : float, optional
        Delay after the last injection at which the remaining share is read (days), 0–50.

    Returns
    -------
    pandas.DataFrame
        One row per half-life: ``half_life_days``, ``peak_mg_per_ml``,
        ``peak_hours_after_last``, ``left_pct`` (serum level ``days_after_last`` days after
        the last injection, % of the peak), ``below_tenth_day`` and
        ``below_tenth_after_last_days`` (simulated over 60 days).

    Raises
    ------
    ParameterError
        If a half-life or the delay is outside its range.

    Examples
    --------
    >>> round(float(compare_half_lives((2.9,))["left_pct"].iloc[0]))
    10
    """
    days_after_last = check_number("days_after_last", days_after_last, unit="days", low=0.0,
                                   high=50.0)
    rows = []
    for half_life in half_lives_days:
        result = simulate_passive_transfer(half_life_days=half_life, days=60.0)
        summary = summarize_transfer(result)
        left = np.interp(summary.last_dose_day + days_after_last, result["day"],
                         result["serum_human_igg_mg_per_ml"])
        below_tenth = summary.below_tenth_day
        rows.append({
            "half_life_days": float(half_life),
            "peak_mg_per_ml": summary.peak_mg_per_ml,
            "peak_hours_after_last": HOURS_PER_DAY * (summary.peak_day - summary.last_dose_day),
            "left_pct": 100.0 * float(left) / summary.peak_mg_per_ml,
            "below_tenth_day": below_tenth,
            "below_tenth_after_last_days": (None if below_tenth is None
                                            else below_tenth - summary.last_dose_day),
        })
    return pd.DataFrame(rows)
