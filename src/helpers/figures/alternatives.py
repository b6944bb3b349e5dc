"""Figures, tables and model numbers for notebook 04: every way of lowering IgG in one model.

No widgets here: :mod:`helpers.apps.alternatives` wraps the comparison figure in a
``FigureWidget`` and updates its data. Options are described by plain settings (a dict) and
turned into schedules by :func:`option_schedule`, so tests and notebook cells can rebuild any
scenario the explorer shows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from helpers.data import load_table
from helpers.figures.common import FONT, OKABE_ITO, Table
from helpers.kinetics import (
    FCRN_FREE_MULTIPLIER,
    FcRnDose,
    IgGParameters,
    Schedule,
    fcrn_blocker_course,
    immunoadsorption_course,
    ivig_course,
    reference_plasma_volume_l,
    rituximab_course,
    session_levels,
    simulate,
    tpe_course,
    treatment_value,
)

__all__ = [
    "DEFAULT_SETTINGS",
    "MISS_REASONS",
    "OPTION_NAMES",
    "PANEL_STYLES",
    "TREATMENT_SCOPES",
    "Outcome",
    "TeachingNumbers",
    "comparison_figure",
    "comparison_table",
    "describe_comparison",
    "describe_option",
    "model_parameter_view",
    "option_outcome",
    "option_schedule",
    "requirements_view",
    "session_comparison_view",
    "teaching_numbers",
    "validation_views",
]

OPTION_NAMES = {
    "none": "Nothing",
    "exchange": "Plasma exchange",
    "adsorption": "Immunoadsorption",
    "fcrn": "FcRn blocker",
    "ivig": "IVIG",
    "rituximab": "Rituximab",
}
COLUMN_NAMES = {"protein_a": "protein A", "tryptophan": "tryptophan"}

# One colour, line style and marker per option panel (A, B, C), the same in both rows.
PANEL_STYLES = [
    ("A", OKABE_ITO["blue"], "solid", "circle"),
    ("B", OKABE_ITO["vermillion"], "dash", "square"),
    ("C", OKABE_ITO["bluish_green"], "dot", "diamond"),
]

# Settings every panel understands; each option reads the ones it needs.
DEFAULT_SETTINGS: dict[str, float | str] = {
    "start_day": 0.0, "n_sessions": 5, "volume_pv": 1.0, "interval_days": 2.0,
    "replacement": "albumin", "column": "protein_a", "adsorption_volume_pv": 2.0,
    "drug": "efgartigimod", "n_doses": 4, "dose_interval_days": 7.0,
    "dose_g_per_kg": 2.0, "infusion_days": 5.0,
}

TREATMENT_SCOPES = ("ivig", "fcrn_blocker", "immunoadsorption", "rituximab")

# Why the model misses the targets it misses (shown beside them in the notebook; the
# validation tests check that exactly these rows miss).
MISS_REASONS = {
    ("F3", "7 mg/kg"): "The model gives each dose full blockade for a time proportional to the "
                       "dose. At 7 mg/kg the real blockade is partial and shorter, because the "
                       "drug is used up binding its target, so the model falls too far.",
    ("F6", "day of nadir"): "A short step of full blockade puts the lowest point at the end of "
                            "the step (day 2). The slow uptake of an injection under the skin, "
                            "which spreads the effect over days, is not modelled.",
    ("F7", "half-life at full blockade"): "The 3.2-3.6 days come from one-compartment models. "
                                          "In two compartments, IgG in the tissues comes back "
                                          "to the blood only slowly, so even with every "
                                          "receptor blocked the model's IgG half-life is "
                                          "longer.",
}


def option_schedule(option: str, settings: dict[str, float | str]) -> Schedule:
    """Build the schedule of one option from its settings (see :data:`DEFAULT_SETTINGS`).

    Parameters
    ----------
    option : str
        A key of :data:`OPTION_NAMES`.
    settings : dict
        Start day and the option's own settings; missing ones take their defaults.

    Returns
    -------
    Schedule
        The option's procedures and drug effects (empty for ``"none"``).

    Raises
    ------
    ParameterError
        If a setting is out of range (from the ``helpers.kinetics`` builders).
    """
    s = {**DEFAULT_SETTINGS, **settings}
    start = float(s["start_day"])
    if option == "exchange":
        return tpe_course(int(s["n_sessions"]), float(s["volume_pv"]), float(s["interval_days"]),
                          start_day=start, replacement=str(s["replacement"]))
    if option == "adsorption":
        return immunoadsorption_course(int(s["n_sessions"]), float(s["adsorption_volume_pv"]),
                                       float(s["interval_days"]), start_day=start,
                                       column=str(s["column"]))
    if option == "fcrn":
        return fcrn_blocker_course(int(s["n_doses"]), float(s["dose_interval_days"]),
                                   start_day=start, drug=str(s["drug"]))
    if option == "ivig":
        return ivig_course(float(s["dose_g_per_kg"]), infusion_days=float(s["infusion_days"]),
                           start_day=start)
    if option == "rituximab":
        return rituximab_course(start_day=start)
    return Schedule()


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def describe_option(option: str, settings: dict[str, float | str]) -> str:
    """Name an option and its settings in plain words, e.g. "IVIG 2 g/kg over 5 days"."""
    s = {**DEFAULT_SETTINGS, **settings}
    start = f", from day {float(s['start_day']):g}" if float(s["start_day"]) else ""
    if option == "exchange":
        fluid = "donor plasma" if s["replacement"] == "plasma" else "albumin"
        text = (f"plasma exchange, {_count(int(s['n_sessions']), 'session')} of "
                f"{float(s['volume_pv']):g} PV every {float(s['interval_days']):g} days "
                f"({fluid})")
    elif option == "adsorption":
        text = (f"immunoadsorption ({COLUMN_NAMES[str(s['column'])]} column), "
                f"{_count(int(s['n_sessions']), 'session')} of "
                f"{float(s['adsorption_volume_pv']):g} PV every {float(s['interval_days']):g} "
                "days")
    elif option == "fcrn":
        text = (f"FcRn blocker ({s['drug']}), {_count(int(s['n_doses']), 'dose')} every "
                f"{float(s['dose_interval_days']):g} days")
    elif option == "ivig":
        text = (f"IVIG {float(s['dose_g_per_kg']):g} g/kg over "
                f"{_count_days(float(s['infusion_days']))}")
    elif option == "rituximab":
        text = "rituximab"
    else:
        return "nothing (no treatment)"
    return text + start


def _count_days(days: float) -> str:
    return f"{days:g} day" if days == 1 else f"{days:g} days"


@dataclass(frozen=True)
class Outcome:
    """What one option does in the model over the days shown (model outputs).

    Attributes
    ----------
    option, label : str
        The option's key and its plain-words description.
    result : pandas.DataFrame
        The simulation (see :func:`helpers.kinetics.simulate`).
    first_day : float
        Day of the option's first procedure or dose (infinite for "nothing").
    started : bool
        True if that day falls within the days shown.
    lowest_autoantibody_pct, lowest_autoantibody_day : float
        Lowest autoantibody level in plasma (% of baseline) and its day.
    end_autoantibody_pct : float
        Autoantibody in plasma at the last day shown (% of baseline).
    lowest_total_g_per_l, highest_total_g_per_l : float
        Range of total plasma IgG (g/L).
    highest_total_day : float
        Day of the highest total plasma IgG.
    """

    option: str
    label: str
    result: pd.DataFrame
    first_day: float
    started: bool
    lowest_autoantibody_pct: float
    lowest_autoantibody_day: float
    end_autoantibody_pct: float
    lowest_total_g_per_l: float
    highest_total_g_per_l: float
    highest_total_day: float


def _first_day(schedule: Schedule) -> float:
    starts = [start for start, _, _ in schedule.procedures()]
    return min(starts) if starts else math.inf


def option_outcome(option: str, settings: dict[str, float | str], days: float,
                   params: IgGParameters | None = None) -> Outcome:
    """Simulate one option for ``days`` days (hourly) and summarise it."""
    schedule = option_schedule(option, settings)
    first_day = _first_day(schedule)
    result = simulate(schedule, params=params, days=days, step_hours=1.0)
    auto = result["autoantibody_plasma_pct"]
    total = result["plasma_igg_g_per_l"]
    return Outcome(
        option=option, label=describe_option(option, settings), result=result,
        first_day=first_day, started=first_day < days,
        lowest_autoantibody_pct=float(auto.min()),
        lowest_autoantibody_day=float(result.loc[auto.idxmin(), "day"]),
        end_autoantibody_pct=float(auto.iloc[-1]),
        lowest_total_g_per_l=float(total.min()), highest_total_g_per_l=float(total.max()),
        highest_total_day=float(result.loc[total.idxmax(), "day"]),
    )


def comparison_figure(days: float, baseline_g_per_l: float) -> go.Figure:
    """Empty two-row figure of the comparison explorer (data filled in by the app).

    Top: the autoantibody in plasma (% of baseline); bottom: total plasma IgG (g/L). Traces
    0–2 are panels A–C in the top row, 3–5 the same panels in the bottom row.
    """
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.09,
                           subplot_titles=("Autoantibody in plasma (% of baseline)",
                                           "Total IgG in plasma (g/L)"))
    for row, unit in ((1, "%"), (2, " g/L")):
        for letter, colour, dash, symbol in PANEL_STYLES:
            figure.add_trace(go.Scatter(
                x=[], y=[], mode="lines+markers", name=f"Option {letter}",
                legendgroup=letter, showlegend=row == 1,
                line={"color": colour, "dash": dash, "width": 3},
                marker={"symbol": symbol, "size": 8, "maxdisplayed": 12},
                hovertemplate=f"%{{y:.1f}}{unit}<extra>Option {letter}</extra>"), row=row, col=1)
    figure.update_layout(
        title={"text": "Same patient, same axes (educational model, not a treatment plan)",
               "x": 0.0, "xanchor": "left"},
        font=FONT, template="simple_white", height=620,
        margin={"l": 70, "r": 20, "t": 90, "b": 90},
        legend={"orientation": "h", "yanchor": "top", "y": -0.1, "x": 0.0},
        hovermode="x unified")
    figure.update_xaxes(range=[0, days], row=1, col=1)
    figure.update_xaxes(range=[0, days], title_text="Time (days)", row=2, col=1)
    figure.update_yaxes(range=[0, 105], title_text="% of baseline", row=1, col=1)
    figure.update_yaxes(rangemode="tozero", title_text="g/L", row=2, col=1)
    for row, level in ((1, 100.0), (2, baseline_g_per_l)):
        figure.add_hline(y=level, line={"color": "#555555", "width": 1, "dash": "dot"},
                         row=row, col=1)
    return figure


def describe_comparison(outcomes: list[Outcome], days: float) -> str:
    """Text description of the comparison figure, generated from the outcomes shown."""
    parts = [f"Two stacked plots over {days:g} days: the autoantibody in plasma as % of its "
             "baseline (top) and total IgG in plasma in g/L (bottom), one line per option."]
    for (letter, *_), outcome in zip(PANEL_STYLES, outcomes, strict=False):
        if outcome.option == "none" or not outcome.started:
            what = ("stays at baseline" if outcome.option == "none"
                    else f"starts on day {outcome.first_day:g}, at the end of the days shown, "
                    "so both lines stay at baseline")
            parts.append(f"Option {letter} ({outcome.label}) {what}.")
            continue
        parts.append(
            f"Option {letter} ({outcome.label}): the autoantibody is lowest at "
            f"{outcome.lowest_autoantibody_pct:.0f}% on day {outcome.lowest_autoantibody_day:.1f}"
            f" and at {outcome.end_autoantibody_pct:.0f}% on the last day; total IgG ranges "
            f"from {outcome.lowest_total_g_per_l:.2f} to {outcome.highest_total_g_per_l:.2f} g/L.")
    return " ".join(parts)


def comparison_table(outcomes: list[Outcome], every_days: float = 7.0) -> pd.DataFrame:
    """Return the data behind the figure, one row every ``every_days`` days (rounded)."""
    first = outcomes[0].result
    keep = (first["day"] % every_days).abs() < 1e-9
    table = pd.DataFrame({"day": first.loc[keep, "day"].round(1).to_numpy()})
    for (letter, *_), outcome in zip(PANEL_STYLES, outcomes, strict=False):
        rows = outcome.result.loc[keep]
        table[f"{letter}_auto"] = rows["autoantibody_plasma_pct"].round(1).to_numpy()
        table[f"{letter}_total"] = rows["plasma_igg_g_per_l"].round(2).to_numpy()
    return table


def requirements_view() -> Table:
    """Show what each option needs, from ``data/treatment_requirements.csv``."""
    data = load_table("treatment_requirements")

    def shown(row: pd.Series) -> str:
        text = str(row["value"])
        if row["source_kind"] == "secondary":
            text += f" (reported by {row['source'].split(';')[0].split(',')[0]})"
        if row["status"] == "assumption":
            text += " (assumption)"
        return text

    data = data.assign(text=data.apply(shown, axis=1))
    wide = data.pivot(index="option", columns="item", values="text")
    wide = wide.loc[list(dict.fromkeys(data["option"]))].reset_index()
    sources = data.groupby("option", sort=False)["source"].apply(
        lambda values: "; ".join(dict.fromkeys(values)))
    wide["sources"] = wide["option"].map(sources)
    return Table(wide, "What each option needs (from the course sources; 'not known' where "
                 "they give no value)",
                 columns={"option": "Option", "how": "How it is given", "course": "A course",
                          "hours": "Hours each", "visits": "Hospital visits",
                          "access": "Vascular access", "common": "Common adverse events",
                          "serious": "Serious adverse events", "cost": "Cost",
                          "sources": "Sources"})


def validation_views(checks: pd.DataFrame) -> tuple[str, Table, Table]:
    """Where the model fits for the treatments of notebook 04.

    Parameters
    ----------
    checks : pandas.DataFrame
        Output of :func:`helpers.model_validation.validation_table`.

    Returns
    -------
    tuple
        A sentence with the counts, the independent comparisons (with the reason for each
        miss) and the checks that hold by construction (with why).
    """
    rows = checks[checks["model_scope"].isin(TREATMENT_SCOPES)].copy()
    rows["model"] = rows["model_value"].round(1)
    rows["fits"] = rows["within_tolerance"].map({True: "yes", False: "no (a miss)"})
    rows["accepted"] = rows["tolerance"] + " (" + rows["unit"] + ")"
    rows["cited"] = [f"Reported by {source}" if kind == "secondary" else source
                     for source, kind in zip(rows["source"], rows["source_kind"], strict=True)]
    rows["why"] = [MISS_REASONS.get((target, case), "") for target, case
                   in zip(rows["id"], rows["case"], strict=True)]
    independent, constructed = rows[~rows["by_construction"]], rows[rows["by_construction"]]
    met = int(independent["within_tolerance"].sum())
    columns = {"id": "Target", "case": "Case", "scenario": "Scenario",
               "published_value": "Published value", "cited": "Source",
               "accepted": "Accepted range (unit)", "model": "Model value",
               "fits": "Inside the range?"}
    sentence = (f"For the four other treatments, the model is tested against {len(independent)} "
                f"independent published values; it meets {met} and misses "
                f"{len(independent) - met}. Another {len(constructed)} values were used to set "
                "its parameters, so they hold by construction.")
    return (sentence,
            Table(independent, "Independent comparisons (the model was not fitted to these)",
                  columns={**columns, "why": "Why it misses"}),
            Table(constructed, "Values the model was fitted to (they hold by construction)",
                  columns={**columns, "comparison_note": "How it was used"}))


@dataclass(frozen=True)
class TeachingNumbers:
    """Model numbers behind the notebook's teaching points (all model outputs).

    Attributes
    ----------
    fcrn_ceiling : float
        Breakdown with every FcRn receptor blocked, × normal (m_max, from ``data/``).
    fcrn_floor_pct : float
        Where plasma IgG settles with every receptor blocked for good (% of baseline).
    efgartigimod_multiplier : float
        Efgartigimod's calibrated multiplier at the baseline level.
    efgartigimod_cycle_low_pct : float
        Lowest plasma IgG in one 4-dose cycle (% of baseline).
    full_blockade_4_weeks_pct : float
        Plasma IgG after 4 weeks with every receptor blocked (% of baseline).
    ivig_peak_g_per_l, ivig_peak_day : float
        Highest total plasma IgG after IVIG 2 g/kg over 5 days, and its day.
    ivig_day_14_rise_g_per_l : float
        Rise of total plasma IgG at day 14 (g/L).
    ivig_auto_low_pct, ivig_auto_low_day : float
        Lowest autoantibody level after the same IVIG course, and its day.
    ivig_linear_auto_low_pct : float
        The same without FcRn saturation (α = 0).
    rituximab_week_pct, rituximab_month_pct, rituximab_3_months_pct : float
        Autoantibody after 7, 30 and 90 days of rituximab (% of baseline).
    rituximab_total_3_months_pct : float
        Total plasma IgG after 90 days of rituximab (% of baseline).
    exchange_removed_pct, adsorption_removed_pct : float
        IgG removed by one 4-h session processing 2 PV: plasma exchange, protein A column.
    tryptophan_removed_pct : dict
        IgG removed by one 4-h tryptophan session of 1, 2 and 3 litres (% of the body pool),
        keyed by litres.
    """

    fcrn_ceiling: float
    fcrn_floor_pct: float
    efgartigimod_multiplier: float
    efgartigimod_cycle_low_pct: float
    full_blockade_4_weeks_pct: float
    ivig_peak_g_per_l: float
    ivig_peak_day: float
    ivig_day_14_rise_g_per_l: float
    ivig_auto_low_pct: float
    ivig_auto_low_day: float
    ivig_linear_auto_low_pct: float
    rituximab_week_pct: float
    rituximab_month_pct: float
    rituximab_3_months_pct: float
    rituximab_total_3_months_pct: float
    exchange_removed_pct: float
    adsorption_removed_pct: float
    tryptophan_removed_pct: dict[float, float]


def _at(result: pd.DataFrame, day: float, column: str) -> float:
    return float(result.loc[(result["day"] - day).abs().idxmin(), column])


def teaching_numbers(params: IgGParameters | None = None) -> TeachingNumbers:
    """Compute the model numbers the notebook's teaching points state."""
    params = params if params is not None else IgGParameters()
    floor = simulate(Schedule(fcrn_doses=(FcRnDose(0.0, "all", 0.0, FCRN_FREE_MULTIPLIER,
                                                   730.0),)),
                     params=params, days=400.0, step_hours=24.0)
    four_weeks = simulate(Schedule(fcrn_doses=(FcRnDose(0.0, "all", 0.0, FCRN_FREE_MULTIPLIER,
                                                        28.0),)),
                          params=params, days=28.0, step_hours=1.0)
    cycle = simulate(fcrn_blocker_course(4, 7.0), params=params, days=60.0)
    ivig = simulate(ivig_course(2.0), params=params, days=60.0)
    linear = simulate(ivig_course(2.0),
                      params=IgGParameters(**{**params.__dict__, "fcrn_exponent": 0.0}),
                      days=60.0)
    rituximab = simulate(rituximab_course(), params=params, days=90.0)
    removed = {}
    for volume_l in (1.0, 2.0, 3.0):
        course = immunoadsorption_course(1, volume_l / reference_plasma_volume_l(70.0), 1.0,
                                         column="tryptophan")
        removed[volume_l] = float(session_levels(course, params=params)["removed_pct"].iloc[0])
    exchange = session_levels(tpe_course(1, 2.0, 1.0, duration_hours=4.0), params=params)
    adsorption = session_levels(immunoadsorption_course(1, 2.0, 1.0), params=params)
    return TeachingNumbers(
        fcrn_ceiling=FCRN_FREE_MULTIPLIER,
        fcrn_floor_pct=float(floor["plasma_pct"].iloc[-1]),
        efgartigimod_multiplier=treatment_value("fcrn_blocker", "efgartigimod",
                                                "catabolism_multiplier"),
        efgartigimod_cycle_low_pct=float(cycle["plasma_pct"].min()),
        full_blockade_4_weeks_pct=float(four_weeks["plasma_pct"].iloc[-1]),
        ivig_peak_g_per_l=float(ivig["plasma_igg_g_per_l"].max()),
        ivig_peak_day=float(ivig.loc[ivig["plasma_igg_g_per_l"].idxmax(), "day"]),
        ivig_day_14_rise_g_per_l=_at(ivig, 14.0, "plasma_igg_g_per_l")
        - params.baseline_igg_g_per_l,
        ivig_auto_low_pct=float(ivig["autoantibody_plasma_pct"].min()),
        ivig_auto_low_day=float(ivig.loc[ivig["autoantibody_plasma_pct"].idxmin(), "day"]),
        ivig_linear_auto_low_pct=float(linear["autoantibody_plasma_pct"].min()),
        rituximab_week_pct=_at(rituximab, 7.0, "autoantibody_plasma_pct"),
        rituximab_month_pct=_at(rituximab, 30.0, "autoantibody_plasma_pct"),
        rituximab_3_months_pct=_at(rituximab, 90.0, "autoantibody_plasma_pct"),
        rituximab_total_3_months_pct=_at(rituximab, 90.0, "plasma_pct"),
        exchange_removed_pct=float(exchange["removed_pct"].iloc[0]),
        adsorption_removed_pct=float(adsorption["removed_pct"].iloc[0]),
        tryptophan_removed_pct=removed,
    )


TREATMENT_PARAMETER_NAMES = {
    "catabolism_multiplier": "Breakdown while a dose acts (× normal)",
    "action_days_per_mg_per_kg": "How long a dose acts (days per mg/kg)",
    "efficiency": "Share of IgG the column keeps from the plasma passing it",
    "capacity_l": "Plasma the column can treat before it is full (L)",
    "total_production_fraction": "Production of all IgG left (fraction of normal)",
    "autoantibody_production_fraction": "Production of the autoantibody left (fraction of normal)",
}
TREATMENT_NAMES = {"fcrn_blocker": "FcRn blocker", "ivig": "IVIG",
                   "immunoadsorption": "immunoadsorption", "rituximab": "rituximab"}
STATUS_WORDS = {"measured": "published", "derived": "calibrated or derived",
                "assumption": "assumption"}


def model_parameter_view() -> Table:
    """Show the parameters the treatments add to the model, with their status and source.

    The FcRn exponent and the FcRn ceiling come from ``data/igg_model_parameters.csv``; the
    treatment parameters from ``data/treatment_parameters.csv``.
    """
    shared = IgGParameters.sources().set_index("parameter")
    rows = [{"treatment": "every treatment", "option": "",
             "name": "FcRn saturation exponent α", "value": shared.loc["fcrn_exponent", "value"],
             "status": shared.loc["fcrn_exponent", "status"],
             "source": shared.loc["fcrn_exponent", "source"]},
            {"treatment": "FcRn blockers", "option": "all",
             "name": "Breakdown with every receptor blocked (× normal), m_max",
             "value": shared.loc["fcrn_free_catabolism_multiplier", "value"],
             "status": shared.loc["fcrn_free_catabolism_multiplier", "status"],
             "source": shared.loc["fcrn_free_catabolism_multiplier", "source"]}]
    table = load_table("treatment_parameters")
    used = table[table["parameter"].isin(TREATMENT_PARAMETER_NAMES)]
    for row in used.itertuples(index=False):
        rows.append({"treatment": TREATMENT_NAMES[row.treatment],
                     "option": COLUMN_NAMES.get(row.option, row.option),
                     "name": TREATMENT_PARAMETER_NAMES[row.parameter], "value": row.value,
                     "status": row.status, "source": row.source})
    frame = pd.DataFrame(rows)
    frame["status"] = frame["status"].map(STATUS_WORDS)
    return Table(frame, "What the model adds for each treatment, and where each value comes from",
                 columns={"treatment": "Treatment", "option": "Drug or column",
                          "name": "Parameter", "value": "Value", "status": "Status",
                          "source": "Source or calibration target"})


def session_comparison_view(params: IgGParameters | None = None) -> Table:
    """One 4-hour session processing 2 plasma volumes: exchange against the two columns."""
    sessions = [("Plasma exchange (albumin)", tpe_course(1, 2.0, 1.0, duration_hours=4.0), 2.0),
                ("Immunoadsorption, protein A", immunoadsorption_course(1, 2.0, 1.0), 0.0),
                ("Immunoadsorption, tryptophan",
                 immunoadsorption_course(1, 2.0, 1.0, column="tryptophan"), 0.0)]
    rows = []
    for name, course, replaced in sessions:
        levels = session_levels(course, params=params).iloc[0]
        rows.append({"session": name, "removed": round(float(levels["removed_pct"]), 1),
                     "plasma_after": round(float(levels["plasma_pct_after"]), 1),
                     "fluid": replaced})
    return Table(pd.DataFrame(rows), "One 4-hour session processing 2 plasma volumes "
                 "(model outputs, 70-kg patient)",
                 columns={"session": "Session",
                          "removed": "IgG removed (% of the body's IgG)",
                          "plasma_after": "Plasma IgG right after (% of baseline)",
                          "fluid": "Replacement fluid needed (plasma volumes)"})
