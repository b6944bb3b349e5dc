"""Figures, tables and model numbers for notebook 04: every way of lowering IgG in one model.

No widgets here: :mod:`helpers.apps.alternatives` wraps the comparison figure in a
``FigureWidget`` and updates its data. Options are described by plain settings (a dict) and
turned into schedules by :func:`option_schedule`, so tests and notebook cells can rebuild any
scenario the explorer shows.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, replace

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from helpers.data import load_table
from helpers.figures.common import FONT, OKABE_ITO, Table, title_top_margin, wrap_title
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
from helpers.metrics import summarize_course
from helpers.model_validation import ROLES, independent_record, monthly_falls, role_counts

__all__ = [
    "AUTOANTIBODY_VIEWS",
    "DEFAULT_SETTINGS",
    "FCRN_CALIBRATION_WARNING",
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
    "fcrn_drug_note",
    "model_parameter_view",
    "option_outcome",
    "option_schedule",
    "requirements_view",
    "session_comparison_view",
    "short_label",
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

# The top row of the explorer: the autoantibody in plasma, or in the whole body.
AUTOANTIBODY_VIEWS = {
    "plasma": ("autoantibody_plasma_pct", "Autoantibody in plasma (% of baseline)"),
    "body": ("autoantibody_total_pct",
             "Autoantibody in the whole body, plasma and tissues (% of baseline)"),
}

FCRN_CALIBRATION_WARNING = (
    "Differences between the FcRn blockers reflect how each was calibrated in this course "
    "(different trials, doses, people and assumptions), not a head-to-head comparison.")

# Why the model misses the targets it misses (shown beside them in the notebook; the
# validation tests check that exactly these rows miss).
MISS_REASONS = {
    ("F3", "7 mg/kg"): "The model gives each dose the same blockade for a time proportional to "
                       "the dose. The real effect grows less than in proportion to the dose; "
                       "the drug's own kinetics are not modelled, so the model falls too far.",
    ("F6", "day of nadir"): "A short step of blockade (about 2 days) puts the lowest point at "
                            "the end of the step. The slow uptake of an injection under the "
                            "skin, which spreads the effect over days, is not modelled.",
    ("F8", "680 mg weekly x6"): "Batoclimab's action time was set on one dose in healthy "
                                "volunteers (a 2-day step each); weekly doses then leave gaps "
                                "in which IgG recovers, so the model falls less than patients "
                                "on weekly doses did.",
    ("F7", "half-life at full blockade"): "The 3.2-3.6 days come from one-compartment models. "
                                          "In two compartments, IgG in the tissues comes back "
                                          "to the blood only slowly, so even with every "
                                          "receptor blocked the model's IgG half-life is "
                                          "longer.",
    ("V18", "total IgG, third month"): "Production is cut at once and for good, and breakdown "
                                       "slows as IgG falls (α > 0): total IgG falls fast in the "
                                       "first month and then levels off, where the published "
                                       "fall is steady.",
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


def _every(number: int, interval_days: float) -> str:
    """" every 2 days", " every day", or "" for a single session or dose."""
    if number == 1:
        return ""
    return " every day" if interval_days == 1 else f" every {_count_days(interval_days)}"


def _count_days(days: float) -> str:
    return f"{days:g} day" if days == 1 else f"{days:g} days"


def _volumes(volume_pv: float) -> str:
    return f"{volume_pv:g} plasma volume{'' if volume_pv == 1 else 's'}"


def _fcrn_dose(drug: str) -> float:
    return treatment_value("fcrn_blocker", drug, "standard_dose_mg_per_kg")


def describe_option(option: str, settings: dict[str, float | str]) -> str:
    """Name an option and its settings in plain words, e.g. "IVIG 2 g/kg over 5 days"."""
    s = {**DEFAULT_SETTINGS, **settings}
    start = f", from day {float(s['start_day']):g}" if float(s["start_day"]) else ""
    if option == "exchange":
        fluid = "donor plasma" if s["replacement"] == "plasma" else "albumin"
        n = int(s["n_sessions"])
        text = (f"plasma exchange, {_count(n, 'session')} of {_volumes(float(s['volume_pv']))}"
                f"{_every(n, float(s['interval_days']))} ({fluid})")
    elif option == "adsorption":
        text = (f"immunoadsorption ({COLUMN_NAMES[str(s['column'])]} column), "
                f"{_count(int(s['n_sessions']), 'session')} of "
                f"{_volumes(float(s['adsorption_volume_pv']))}"
                f"{_every(int(s['n_sessions']), float(s['interval_days']))}")
    elif option == "fcrn":
        drug = str(s["drug"])
        text = (f"FcRn blocker ({drug} {_fcrn_dose(drug):g} mg/kg), "
                f"{_count(int(s['n_doses']), 'dose')}"
                f"{_every(int(s['n_doses']), float(s['dose_interval_days']))}")
    elif option == "ivig":
        text = (f"IVIG {float(s['dose_g_per_kg']):g} g/kg over "
                f"{_count(int(s['infusion_days']), 'day')}")
    elif option == "rituximab":
        text = "rituximab"
    else:
        return "nothing (no treatment)"
    return text + start


def short_label(option: str, settings: dict[str, float | str]) -> str:
    """Name an option briefly for legends and hover labels: "FcRn blocker (efgartigimod)"."""
    s = {**DEFAULT_SETTINGS, **settings}
    if option == "adsorption":
        return f"Immunoadsorption ({COLUMN_NAMES[str(s['column'])]})"
    if option == "fcrn":
        return f"FcRn blocker ({s['drug']})"
    if option == "ivig":
        return f"IVIG {float(s['dose_g_per_kg']):g} g/kg"
    return OPTION_NAMES[option]


def fcrn_drug_note(drug: str) -> str:
    """Say how the model represents one FcRn blocker: dose, share of receptors blocked, time."""
    dose = _fcrn_dose(drug)
    multiplier = treatment_value("fcrn_blocker", drug, "catabolism_multiplier")
    action_days = dose * treatment_value("fcrn_blocker", drug, "action_days_per_mg_per_kg")
    share = (multiplier - 1.0) / (FCRN_FREE_MULTIPLIER - 1.0)
    return (f"{drug.capitalize()}, {dose:g} mg/kg a dose: in the model {100 * share:.0f}% of "
            f"the FcRn receptors are blocked (breakdown {multiplier:g} times normal) for "
            f"{action_days:.1f} days after each dose.")


def option_notes(option: str, settings: dict[str, float | str],
                 highest_total_g_per_l: float) -> tuple[str, ...]:
    """Warnings about one option's settings: overlapping doses, IVIG beyond practice."""
    s = {**DEFAULT_SETTINGS, **settings}
    notes = []
    if option == "fcrn" and int(s["n_doses"]) > 1:
        drug = str(s["drug"])
        action_days = _fcrn_dose(drug) * treatment_value("fcrn_blocker", drug,
                                                        "action_days_per_mg_per_kg")
        if float(s["dose_interval_days"]) < action_days:
            notes.append(f"Doses {_count_days(float(s['dose_interval_days']))} apart overlap (each "
                         f"acts {action_days:.1f} days): in the model overlapping doses do not "
                         "add up, the blockade only lasts longer.")
    if option == "ivig":
        usual = treatment_value("ivig", "any", "standard_dose_g_per_kg")
        low = treatment_value("ivig", "any", "expected_peak_low_g_per_l")
        high = treatment_value("ivig", "any", "expected_peak_high_g_per_l")
        if float(s["dose_g_per_kg"]) > usual or highest_total_g_per_l > high:
            notes.append(f"Beyond practice: the usual course is {usual:g} g/kg over several "
                         f"days, and high-dose IVIG is expected to give blood IgG of "
                         f"{low:g}–{high:g} g/L (reported by an encyclopedia entry). Shown only "
                         "to explore the model.")
    return tuple(notes)


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
    lowest_body_autoantibody_pct : float
        Lowest autoantibody level in the whole body, plasma and tissues (% of baseline).
    short : str
        A short name for legends and hover labels.
    procedure_days : tuple of float
        Start days of the option's sessions, doses and infusions.
    notes : tuple of str
        Warnings about the settings (see :func:`option_notes`).
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
    lowest_body_autoantibody_pct: float
    short: str
    procedure_days: tuple[float, ...]
    notes: tuple[str, ...]


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
    procedure_days = tuple(sorted(start for start, _, _ in schedule.procedures()
                                  if start < days))
    return Outcome(
        option=option, label=describe_option(option, settings), result=result,
        first_day=first_day, started=first_day < days,
        lowest_autoantibody_pct=float(auto.min()),
        lowest_autoantibody_day=float(result.loc[auto.idxmin(), "day"]),
        end_autoantibody_pct=float(auto.iloc[-1]),
        lowest_total_g_per_l=float(total.min()), highest_total_g_per_l=float(total.max()),
        highest_total_day=float(result.loc[total.idxmax(), "day"]),
        lowest_body_autoantibody_pct=float(result["autoantibody_total_pct"].min()),
        short=short_label(option, settings), procedure_days=procedure_days,
        notes=option_notes(option, settings, float(total.max())),
    )


def comparison_figure(days: float, baseline_g_per_l: float,
                      view: str = "plasma") -> go.Figure:
    """Empty two-row figure of the comparison explorer (data filled in by the app).

    Top: the autoantibody (% of baseline), in plasma or in the whole body (``view``, a key of
    :data:`AUTOANTIBODY_VIEWS`); bottom: total plasma IgG (g/L). Traces 0–2 are panels A–C in
    the top row, 3–5 the same panels in the bottom row, 6–8 their session and dose markers
    (triangles along the bottom of the top row).
    """
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.09,
                           subplot_titles=(AUTOANTIBODY_VIEWS[view][1],
                                           "Total IgG in plasma (g/L)"))
    for row, unit in ((1, "%"), (2, " g/L")):
        for letter, colour, dash, symbol in PANEL_STYLES:
            figure.add_trace(go.Scatter(
                x=[], y=[], mode="lines+markers", name=f"{letter}", legendgroup=letter,
                showlegend=row == 1, line={"color": colour, "dash": dash, "width": 3},
                marker={"symbol": symbol, "size": 8, "maxdisplayed": 12},
                hovertemplate=f"day %{{x:.1f}}: %{{y:.1f}}{unit}<extra>%{{fullData.name}}"
                              "</extra>"), row=row, col=1)
    for letter, colour, _dash, _symbol in PANEL_STYLES:
        figure.add_trace(go.Scatter(
            x=[], y=[], mode="markers", name=f"{letter}: sessions or doses", legendgroup=letter,
            showlegend=False, marker={"symbol": "triangle-up", "size": 9, "color": colour},
            hovertemplate="day %{x:.1f}: session, dose or infusion starts<extra>"
                          "%{fullData.name}</extra>"), row=1, col=1)
    title = wrap_title("Same model adult, same axes (educational model, not a treatment plan)")
    figure.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left"},
        font=FONT, template="simple_white", height=620,
        margin={"l": 70, "r": 20, "t": title_top_margin(title, 90), "b": 90},
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


MARKER_LEVEL_PCT = 3.0  # height of the session and dose markers in the top row


def describe_comparison(outcomes: list[Outcome], days: float, view: str = "plasma") -> str:
    """Text description of the comparison figure, generated from the outcomes shown."""
    where = "in plasma" if view == "plasma" else "in the whole body (plasma and tissues)"
    parts = [f"Two stacked plots over {days:g} days: the autoantibody {where} as % of its "
             "baseline (top, with a triangle at each session, dose or infusion) and total IgG "
             "in plasma in g/L (bottom), one line per option."]
    for (letter, *_), outcome in zip(PANEL_STYLES, outcomes, strict=False):
        if outcome.option == "none" or not outcome.started:
            what = ("stays at baseline" if outcome.option == "none"
                    else f"starts on day {outcome.first_day:g}, at the end of the days shown, "
                    "so both lines stay at baseline")
            parts.append(f"Option {letter} ({outcome.label}) {what}.")
            continue
        parts.append(
            f"Option {letter} ({outcome.label}): the autoantibody in plasma is lowest at "
            f"{outcome.lowest_autoantibody_pct:.0f}% on day {outcome.lowest_autoantibody_day:.1f}"
            f" (in the whole body {outcome.lowest_body_autoantibody_pct:.0f}%) and at "
            f"{outcome.end_autoantibody_pct:.0f}% on the last day; total IgG stays between "
            f"{outcome.lowest_total_g_per_l:.2f} g/L (lowest) and "
            f"{outcome.highest_total_g_per_l:.2f} g/L (highest).")
    return " ".join(parts)


def comparison_table(outcomes: list[Outcome], every_days: float = 7.0) -> pd.DataFrame:
    """Return the data behind the figure, one row every ``every_days`` days (rounded)."""
    first = outcomes[0].result
    keep = (first["day"] % every_days).abs() < 1e-9
    table = pd.DataFrame({"day": first.loc[keep, "day"].round(1).to_numpy()})
    for (letter, *_), outcome in zip(PANEL_STYLES, outcomes, strict=False):
        rows = outcome.result.loc[keep]
        table[f"{letter}_auto"] = rows["autoantibody_plasma_pct"].round(1).to_numpy()
        table[f"{letter}_body"] = rows["autoantibody_total_pct"].round(1).to_numpy()
        table[f"{letter}_total"] = rows["plasma_igg_g_per_l"].round(2).to_numpy()
    return table


def requirements_view() -> Table:
    """Show what each option needs, from ``data/treatment_requirements.csv``.

    A value seen only in a secondary source is marked "reported by" its source, unless the
    value already names who reported each part. The sources column lists each option's
    cited sources once.
    """
    data = load_table("treatment_requirements")

    def shown(row: pd.Series) -> str:
        text = str(row["value"])
        if row["source_kind"] == "secondary" and "reported by" not in text:
            text += f" (reported by {row['source'].split(';')[0].split(',')[0]})"
        if row["status"] == "assumption":
            text += " (assumption)"
        return text

    data = data.assign(text=data.apply(shown, axis=1))
    wide = data.pivot(index="option", columns="item", values="text")
    wide = wide.loc[list(dict.fromkeys(data["option"]))].reset_index()
    cited = data[data["url"].fillna("").str.len() > 0]
    sources = cited.groupby("option", sort=False)["source"].apply(
        lambda values: "; ".join(dict.fromkeys(values)))
    wide["sources"] = wide["option"].map(sources).fillna("")
    return Table(wide, "What each option needs (from the course sources; 'not covered in the "
                 "course sources' where they give no value, which does not mean there is none)",
                 columns={"option": "Option", "how": "How it is given", "course": "A course",
                          "hours": "Hours each", "visits": "Hospital visits",
                          "access": "Vascular access", "common": "Common adverse events",
                          "serious": "Serious adverse events", "cost": "Cost",
                          "sources": "Sources"})


def validation_views(checks: pd.DataFrame) -> tuple[str, Table, Table, Table]:
    """Where the model fits for the treatments of notebook 04, split three ways.

    Parameters
    ----------
    checks : pandas.DataFrame
        Output of :func:`helpers.model_validation.validation_table`.

    Returns
    -------
    tuple
        A sentence with the counts, then one table per role (see
        :data:`helpers.model_validation.ROLES`): independent published measurements,
        consistency checks against derived values, calibration targets. Each shows whether
        the model lies inside the course's range and inside the published value itself, and
        why it misses where it does.
    """
    rows = checks[checks["model_scope"].isin(TREATMENT_SCOPES)].copy()
    rows["model"] = rows["model_value"].round(1)
    rows["fits"] = rows["within_tolerance"].map({True: "yes", False: "no (a miss)"})
    rows["accepted"] = rows["tolerance"] + " (" + rows["unit"] + ")"
    rows["cited"] = [f"Reported by {source}" if kind == "secondary" else source
                     for source, kind in zip(rows["source"], rows["source_kind"], strict=True)]
    rows["itself"] = rows["inside_published"].replace("", "not a single figure")
    rows["why"] = [MISS_REASONS.get((target, case), "") for target, case
                   in zip(rows["id"], rows["case"], strict=True)]
    counts = role_counts(rows)
    _, consistent, calibrated = (counts[role] for role in ROLES)
    published, reported = independent_record(rows)
    sentence = (
        f"For the four other treatments, the model is compared with {published.values} "
        f"published value{'s' if published.values != 1 else ''} (checked in the primary "
        f"source) in {published.scenarios} scenarios: it lies inside the course's accepted "
        f"range in {published.in_range} and inside the published value itself in "
        f"{published.in_value}. It is also compared with {reported.values} figures known only "
        f"from secondary sources (reported by reviews and summaries), in {reported.scenarios} "
        f"scenarios: inside the course's range in {reported.in_range}, inside the reported "
        f"figure itself in {reported.in_value}. {consistent.scenarios} consistency checks "
        f"compare it with values derived from its own inputs ({consistent.in_range} agree). "
        f"{calibrated.scenarios} values were used to set its parameters (calibration targets); "
        f"they hold by construction and test nothing, except the shape of the rituximab fall, "
        f"which the model misses.")
    columns = {"scenario": "Scenario", "published_value": "Published value",
               "cited": "Source", "accepted": "Range the course accepts (unit)",
               "model": "Model value", "fits": "Inside that range?",
               "itself": "Inside the published value itself?"}
    tables = []
    for role, caption, extra in (
            ("measurement", "Independent published measurements (the model was not fitted to "
             "these)", {"why": "Why it misses"}),
            ("consistency", "Consistency checks against derived values (not measurements)",
             {"comparison_note": "What is checked", "why": "Why it misses"}),
            ("calibration", "Calibration targets (the model was fitted to these, so they hold "
             "by construction)", {"comparison_note": "How it was used", "why": "Why it misses"})):
        tables.append(Table(rows[rows["role"] == role], caption, columns={**columns, **extra}))
    return (sentence, *tables)


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
    efgartigimod_share_blocked : float
        Share of the FcRn receptors efgartigimod blocks in the model, (m − 1)/(m_max − 1).
    efgartigimod_cycle_low_linear_pct : float
        Lowest plasma IgG in one 4-dose cycle with α = 0 (% of baseline).
    ivig_day_14_rise_linear_g_per_l : float
        Rise of total plasma IgG at day 14 with α = 0 (g/L).
    ivig_auto_day_7_pct, ivig_auto_day_60_pct : float
        Autoantibody after IVIG at days 7 and 60 (% of baseline).
    rituximab_total_monthly_falls : tuple of float
        Fall of total plasma IgG in each of the first 3 months of rituximab (% of the level a
        month earlier).
    rituximab_total_3_months_linear_pct : float
        Total plasma IgG after 90 days of rituximab with α = 0 (% of baseline).
    exchange_recovery_day, exchange_recovery_day_linear : float
        Five 1-PV exchanges every other day: first day plasma IgG is back above 80% of
        baseline, with the course's α and with α = 0.
    plasma_and_body_lows : dict
        Lowest autoantibody in plasma and in the whole body (% of baseline) for the
        explorer's default exchange, immunoadsorption and FcRn-blocker options, keyed by
        option.
    adsorption_removed_near_complete_pct : float
        IgG removed by the protein A session with the near-complete efficiency the sourcebook
        suggests for IgG1 and IgG2 (an unconfirmed 0.95).
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
    efgartigimod_share_blocked: float
    efgartigimod_cycle_low_linear_pct: float
    ivig_day_14_rise_linear_g_per_l: float
    ivig_auto_day_7_pct: float
    ivig_auto_day_60_pct: float
    rituximab_total_monthly_falls: tuple[float, ...]
    rituximab_total_3_months_linear_pct: float
    exchange_recovery_day: float
    exchange_recovery_day_linear: float
    plasma_and_body_lows: dict[str, tuple[float, float]]
    adsorption_removed_near_complete_pct: float


def _at(result: pd.DataFrame, day: float, column: str) -> float:
    return float(result.loc[(result["day"] - day).abs().idxmin(), column])


def _recovery_day(params: IgGParameters) -> float:
    course = tpe_course(5, 1.0, 2.0)
    result = simulate(course, params=params, days=90.0, step_hours=1.0)
    summary = summarize_course(result, course, params, reference_plasma_volume_l(70.0))
    return float(summary.recovery_day)


def teaching_numbers(params: IgGParameters | None = None) -> TeachingNumbers:
    """Compute the model numbers the notebook's teaching points state."""
    params = params if params is not None else IgGParameters()
    return _teaching_numbers(params)


@functools.lru_cache(maxsize=4)
def _teaching_numbers(params: IgGParameters) -> TeachingNumbers:
    floor = simulate(Schedule(fcrn_doses=(FcRnDose(0.0, "all", 0.0, FCRN_FREE_MULTIPLIER,
                                                   730.0),)),
                     params=params, days=400.0, step_hours=24.0)
    four_weeks = simulate(Schedule(fcrn_doses=(FcRnDose(0.0, "all", 0.0, FCRN_FREE_MULTIPLIER,
                                                        28.0),)),
                          params=params, days=28.0, step_hours=1.0)
    cycle = simulate(fcrn_blocker_course(4, 7.0), params=params, days=60.0)
    ivig = simulate(ivig_course(2.0), params=params, days=60.0)
    linear_params = replace(params, fcrn_exponent=0.0)
    linear = simulate(ivig_course(2.0), params=linear_params, days=60.0)
    rituximab = simulate(rituximab_course(), params=params, days=90.0)
    removed = {}
    for volume_l in (1.0, 2.0, 3.0):
        course = immunoadsorption_course(1, volume_l / reference_plasma_volume_l(70.0), 1.0,
                                         column="tryptophan")
        removed[volume_l] = float(session_levels(course, params=params)["removed_pct"].iloc[0])
    exchange = session_levels(tpe_course(1, 2.0, 1.0, duration_hours=4.0), params=params)
    adsorption = session_levels(immunoadsorption_course(1, 2.0, 1.0), params=params)
    near_complete = Schedule(adsorptions=tuple(
        replace(session, efficiency=treatment_value("immunoadsorption", "protein_a",
                                                    "efficiency_near_complete"))
        for session in immunoadsorption_course(1, 2.0, 1.0).adsorptions))
    lows = {}
    for option in ("exchange", "adsorption", "fcrn"):
        outcome = option_outcome(option, {}, 90.0, params)
        lows[option] = (outcome.lowest_autoantibody_pct, outcome.lowest_body_autoantibody_pct)
    multiplier = treatment_value("fcrn_blocker", "efgartigimod", "catabolism_multiplier")
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
        efgartigimod_share_blocked=(multiplier - 1.0) / (FCRN_FREE_MULTIPLIER - 1.0),
        efgartigimod_cycle_low_linear_pct=float(simulate(
            fcrn_blocker_course(4, 7.0), params=linear_params, days=60.0)["plasma_pct"].min()),
        ivig_day_14_rise_linear_g_per_l=_at(linear, 14.0, "plasma_igg_g_per_l")
        - params.baseline_igg_g_per_l,
        ivig_auto_day_7_pct=_at(ivig, 7.0, "autoantibody_plasma_pct"),
        ivig_auto_day_60_pct=_at(ivig, 60.0, "autoantibody_plasma_pct"),
        rituximab_total_monthly_falls=tuple(monthly_falls(params)),
        rituximab_total_3_months_linear_pct=_at(
            simulate(rituximab_course(), params=linear_params, days=90.0), 90.0, "plasma_pct"),
        exchange_recovery_day=_recovery_day(params),
        exchange_recovery_day_linear=_recovery_day(linear_params),
        plasma_and_body_lows=lows,
        adsorption_removed_near_complete_pct=float(
            session_levels(near_complete, params=params)["removed_pct"].iloc[0]),
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
STATUS_WORDS = {"measured": "published", "derived": "calibrated (fitted) or derived",
                "assumption": "assumption"}
# The key assumption behind the two shared FcRn parameters (the treatment rows carry theirs
# in data/treatment_parameters.csv).
SHARED_ASSUMPTIONS = {
    "fcrn_exponent": "The course's modelling choice: the sourcebook's default is α = 0 (no "
                     "saturation). Calibrated on I1 and V15; V15 is itself a model prediction.",
    "fcrn_free_catabolism_multiplier": "A derived bound: one drug's published model "
                                       "(secondary transcription), with production unchanged.",
}


def model_parameter_view() -> Table:
    """Show the parameters the treatments add to the model: status, source, key assumption.

    The FcRn exponent and the FcRn ceiling come from ``data/igg_model_parameters.csv``; the
    treatment parameters from ``data/treatment_parameters.csv``.
    """
    shared = IgGParameters.sources().set_index("parameter")
    rows = [{"treatment": treatment, "option": option, "name": name,
             "value": shared.loc[parameter, "value"], "status": shared.loc[parameter, "status"],
             "source": shared.loc[parameter, "source"],
             "assumption": SHARED_ASSUMPTIONS[parameter]}
            for treatment, option, name, parameter in (
                ("every treatment", "", "FcRn saturation exponent α", "fcrn_exponent"),
                ("FcRn blockers", "all",
                 "Breakdown with every receptor blocked (× normal), m_max",
                 "fcrn_free_catabolism_multiplier"))]
    table = load_table("treatment_parameters")
    used = table[table["parameter"].isin(TREATMENT_PARAMETER_NAMES)]
    for row in used.itertuples(index=False):
        rows.append({"treatment": TREATMENT_NAMES[row.treatment],
                     "option": COLUMN_NAMES.get(row.option, row.option),
                     "name": TREATMENT_PARAMETER_NAMES[row.parameter], "value": row.value,
                     "status": row.status, "source": row.source,
                     "assumption": "" if pd.isna(row.note) else row.note})
    frame = pd.DataFrame(rows)
    frame["status"] = frame["status"].map(STATUS_WORDS)
    return Table(frame, "What the model adds for each treatment, where each value comes from, "
                 "and the key assumption behind it",
                 columns={"treatment": "Treatment", "option": "Drug or column",
                          "name": "Parameter", "value": "Value", "status": "Status",
                          "source": "Source or calibration target",
                          "assumption": "Key assumption"})


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
                          "fluid": "Replacement fluid in the model (plasma volumes)"})
