"""Figures and tables for notebook 05: the evidence in fibromyalgia and the virtual trial.

No widgets here: :mod:`helpers.apps.trial` wraps the power figure in a ``FigureWidget`` and
updates its data. Tables are :class:`helpers.figures.common.Table` objects (readable HTML,
human column names, full text) built from ``data/`` with each row's source and status.
Colours come from the Okabe–Ito palette and every series also has its own line style or
marker.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from helpers.data import load_table
from helpers.figures.common import OKABE_ITO, Table, base_layout
from helpers.trial import (
    MCID_POINTS,
    PLACEBO_RESPONDER_RATE,
    SD_CHANGE_POINTS,
    TARGET_POWER,
    TrialResult,
    normal_approx_power,
    placebo_mean_change_points,
    trial_inputs,
)

__all__ = [
    "OUTCOME_WORDS",
    "POWER_TRACES",
    "STATUS_WORDS",
    "VERDICT_WORDS",
    "blog_claims_view",
    "describe_evidence_pattern",
    "describe_link",
    "describe_placebo",
    "describe_power",
    "describe_small_trials",
    "describe_trial",
    "describe_verdicts",
    "evidence_pattern_figure",
    "evidence_pattern_table",
    "evidence_view",
    "fm0001_view",
    "inputs_view",
    "link_figure",
    "link_view",
    "power_layout",
    "power_table",
    "power_traces",
    "shown_as",
    "verdict_counts",
]

STATUS_WORDS = {"measured": "checked in the source", "derived": "derived (arithmetic or search)",
                "assumption": "unconfirmed: shown as an assumption"}
VERDICT_WORDS = {"correct": "Correct", "incomplete": "Incomplete", "wrong": "Wrong",
                 "unsupported": "Unsupported"}
OUTCOME_WORDS = {"better_than_placebo": "better than placebo",
                 "no_better_than_placebo": "no better than placebo",
                 "improved_uncontrolled": "improved, but no control group",
                 "no_results": "no results found"}
NOTEBOOK_WORDS = {"01_the_condition": "01 The condition",
                  "02_passive_transfer": "02 The mouse study",
                  "03_plasma_exchange": "03 Plasma exchange",
                  "04_alternatives": "04 Other ways to lower IgG",
                  "05_evidence_and_trial": "05 This notebook"}
# Markers of the evidence-pattern figure: (legend name, colour, symbol).
OUTCOME_MARKERS = {
    "improved_uncontrolled": ("Improved, no control group (open label)", OKABE_ITO["orange"],
                              "diamond-open"),
    "better_than_placebo": ("Better than placebo (controlled)", OKABE_ITO["vermillion"],
                            "triangle-up"),
    "no_better_than_placebo": ("No better than placebo (controlled)", OKABE_ITO["blue"],
                               "circle-open"),
}
# Traces of the virtual-trial figure, in order: (name, colour, dash, mode, marker symbol).
POWER_TRACES = [
    ("All comers, formula", OKABE_ITO["blue"], "solid", "lines", None),
    ("All comers, simulated (bars: ±2 Monte-Carlo SE)", OKABE_ITO["orange"], None, "markers",
     "diamond"),
    ("Antibody-positive patients only, formula", OKABE_ITO["bluish_green"], "dash", "lines",
     None),
    ("63 patients as a parallel trial (31 per arm)", OKABE_ITO["reddish_purple"], None,
     "markers", "star"),
    ("Your trial (simulated)", OKABE_ITO["vermillion"], None, "markers", "circle"),
]
POWER_AXIS_PER_ARM = (10, 2000)
LOG_TICKS = [5, 10, 20, 50, 100, 200, 500, 1000, 2000]
TARGET_LINE = {"color": "#555555", "width": 1.5, "dash": "dot"}


# ----------------------------------------------------------------------------- sources


def shown_as(row: pd.Series) -> str:
    """Say how a row's fact may be shown: published, reported by a secondary source, ...

    Parameters
    ----------
    row : pandas.Series
        A row with ``status`` and, where present, ``source_kind`` and ``source``.
    """
    if row["status"] == "assumption":
        return "Unconfirmed (shown as an assumption)"
    if row["status"] == "derived":
        return "Derived (arithmetic, comparison or search)"
    if row.get("source_kind") == "secondary":
        return "Reported by a secondary source (see Source)"
    return "Checked in the source"


def _with_sources(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["shown_as"] = frame.apply(shown_as, axis=1)
    frame["where"] = [f"{source} {url}" if isinstance(url, str) and url else source
                      for source, url in zip(frame["source"], frame["url"], strict=True)]
    return frame


# --------------------------------------------------------------------- what has been tried


def fm0001_view() -> Table:
    """Tabulate the rozanolixizumab trial FM0001 aspect by aspect, with sources and status."""
    table = _with_sources(load_table("fibromyalgia_evidence"))
    rows = table[table["group"] == "fm0001"]
    return Table(rows, "The rozanolixizumab trial in fibromyalgia (FM0001, NCT05643794), as "
                       "registered; searched November 2026",
                 columns={"aspect": "Aspect", "design": "Item", "finding": "What the record says",
                          "shown_as": "Status", "where": "Source"})


def evidence_view(groups: Sequence[str], caption: str) -> Table:
    """Tabulate the studies of the given ``groups`` of ``data/fibromyalgia_evidence.csv``.

    Parameters
    ----------
    groups : sequence of str
        Values of the ``group`` column, e.g. ``["ivig_fm", "absent"]``.
    caption : str
        What the table is.
    """
    table = _with_sources(load_table("fibromyalgia_evidence"))
    rows = table[table["group"].isin(list(groups))].copy()
    rows["control"] = rows["controlled"].map({True: "yes", False: "no"})
    rows["patients"] = [("–" if pd.isna(n) else f"{int(n)}") for n in rows["n_patients"]]
    rows["design_text"] = rows["design"].fillna("–")
    return Table(rows, caption,
                 columns={"study": "Study", "condition": "Patients", "design_text": "Design",
                          "control": "Control group", "patients": "Patients (n)",
                          "finding": "What was found", "shown_as": "Status",
                          "where": "Source"})


def _pattern_rows() -> pd.DataFrame:
    table = load_table("fibromyalgia_evidence")
    rows = table[table["outcome"].isin(list(OUTCOME_MARKERS)) & table["n_patients"].notna()]
    return rows.sort_values("n_patients").reset_index(drop=True)


def evidence_pattern_figure() -> go.Figure:
    """Plot immunoglobulin studies by size and result: open-label reports, pilots, trials.

    Returns
    -------
    plotly.graph_objects.Figure
        One row per study (smallest at the top), patients on a log axis; the marker says
        whether the result was better than placebo, no better, or uncontrolled.
    """
    rows = _pattern_rows()
    labels = [f"{study}<br><i>{condition}</i>" for study, condition in
              zip(rows["study"], rows["condition"], strict=True)]
    layout = base_layout("Immunoglobulin for pain, by study size: open-label reports and one "
                         "small pilot<br>looked positive; the larger controlled trials did not",
                         "Patients in the study (log scale)", "", [-0.5, len(rows) - 0.5])
    layout.xaxis.type = "log"
    layout.xaxis.range = [np.log10(4), np.log10(200)]
    layout.xaxis.tickvals = LOG_TICKS
    layout.yaxis.autorange = "reversed"
    layout.yaxis.range = None
    layout.height = 560
    layout.margin.l = 20
    layout.margin.t = 80
    layout.hovermode = "closest"
    layout.yaxis.automargin = True
    layout.legend.y = -0.2
    figure = go.Figure(layout=layout)
    for outcome, (name, colour, symbol) in OUTCOME_MARKERS.items():
        chosen = rows["outcome"] == outcome
        figure.add_trace(go.Scatter(
            x=rows.loc[chosen, "n_patients"].astype(float), y=np.array(labels)[chosen.to_numpy()],
            mode="markers", name=name,
            marker={"color": colour, "symbol": symbol, "size": 14,
                    "line": {"width": 2, "color": colour}},
            hovertemplate="%{y}: %{x} patients<extra>" + name + "</extra>"))
    figure.update_yaxes(categoryorder="array", categoryarray=labels)
    return figure


def describe_evidence_pattern() -> str:
    """Text description of :func:`evidence_pattern_figure`, generated from the data."""
    rows = _pattern_rows()
    parts = []
    for outcome, (name, _colour, _symbol) in OUTCOME_MARKERS.items():
        chosen = rows[rows["outcome"] == outcome]
        studies = "; ".join(f"{study}, {int(n)} patients" for study, n in
                            zip(chosen["study"], chosen["n_patients"], strict=True))
        parts.append(f"{name.split(' (')[0]}: {len(chosen)} ({studies})")
    return ("Studies of immunoglobulin (IVIG) for pain and fatigue, by size. "
            + ". ".join(parts) + ". Every study larger than "
            + f"{int(rows[rows['outcome'] == 'better_than_placebo']['n_patients'].max())} "
            "patients with a placebo group found no benefit.")


def evidence_pattern_table() -> Table:
    """Tabulate the data behind :func:`evidence_pattern_figure`."""
    rows = _with_sources(_pattern_rows())
    rows["result"] = rows["outcome"].map(OUTCOME_WORDS)
    rows["patients"] = rows["n_patients"].astype(int)
    return Table(rows, "Data behind the figure: immunoglobulin studies by size and result",
                 columns={"study": "Study", "condition": "Patients", "design": "Design",
                          "patients": "Patients (n)", "result": "Result",
                          "finding": "What was found", "where": "Source"})


# ------------------------------------------------------------------------------ the blog


def _claim_text(row: pd.Series) -> str:
    if row["wording"] == "exact":
        return f"“{row['claim']}”"
    return f"{row['claim']} (paraphrase; the exact words were not checked)"


def blog_claims_view() -> Table:
    """Tabulate the blog post's claims line by line: claim, verdict, evidence, source."""
    claims = _with_sources(load_table("blog_claims"))
    claims["said"] = claims.apply(_claim_text, axis=1)
    claims["verdict_text"] = claims["verdict"].map(VERDICT_WORDS)
    claims["covered"] = claims["notebook"].map(NOTEBOOK_WORDS)
    return Table(claims, "The Fibro Times, “Can plasmapheresis help fibromyalgia?” (May 2025): "
                         "each factual claim checked",
                 columns={"id": "#", "said": "The post says", "verdict_text": "Verdict",
                          "evidence": "What the evidence says", "where": "Source",
                          "covered": "Covered in"})


def verdict_counts() -> dict[str, int]:
    """Count the blog's claims by verdict, in the order correct → unsupported."""
    counts = load_table("blog_claims")["verdict"].value_counts()
    return {verdict: int(counts.get(verdict, 0)) for verdict in VERDICT_WORDS}


def describe_verdicts() -> str:
    """Say how many of the blog's claims got each verdict, in words."""
    counts = verdict_counts()
    parts = ", ".join(f"{count} {verdict}" for verdict, count in counts.items())
    return f"The post makes {sum(counts.values())} factual claims checked here: {parts}."


# ------------------------------------------------------------------------- trial inputs

INPUT_LABELS = {
    "placebo_responder_rate": "Placebo responders (at least 30% less pain)",
    "responder_rate_ratio": "Responder ratio, drugs vs placebo",
    "sd_change_points": "SD of the change in pain between patients",
    "mcid_points": "Clinically important fall in pain (responder threshold)",
    "mcid_points_fm_bpi": "Clinically important fall, fibromyalgia-specific (BPI average pain)",
    "placebo_mean_change_points": "Mean change on placebo in the model (calibrated)",
    "arnold_2012_placebo_change_points": "Mean change on placebo in a real trial (Arnold 2012)",
    "alpha": "Significance level (two-sided)",
    "target_power": "Target power",
    "antibody_positive_fraction": "Antibody-positive share (explorer default)",
    "effect_if_all_removed_points": "Pain fall if all autoantibody were removed (hypothesis)",
    "fm0001_enrolled": "Patients in FM0001",
}


def inputs_view() -> Table:
    """Tabulate the virtual trial's inputs with their sources and status."""
    table = trial_inputs()
    rows = table[table["parameter"].isin(list(INPUT_LABELS))].copy()
    rows["what"] = rows["parameter"].map(INPUT_LABELS)
    rows["value_text"] = [f"{value:g}" for value in rows["value"]]
    rows["status_text"] = rows["status"].map(STATUS_WORDS)
    rows["where"] = [f"{source} {url}" if isinstance(url, str) and url else source
                     for source, url in zip(rows["source"], rows["url"], strict=True)]
    rows = rows.set_index("parameter").loc[list(INPUT_LABELS)].reset_index()
    return Table(rows, "Inputs of the virtual trial (data/trial_inputs.csv)",
                 columns={"what": "Input", "value_text": "Value", "unit": "Unit",
                          "status_text": "Status", "where": "Source", "note": "Note"})


def describe_placebo() -> str:
    """Say how the model's placebo arm is calibrated, with its numbers."""
    mean = placebo_mean_change_points()
    real = float(trial_inputs().set_index("parameter")
                 .loc["arnold_2012_placebo_change_points", "value"])
    return (f"Placebo arm in the model: mean change {mean:.2f} points with SD "
            f"{SD_CHANGE_POINTS:g}, so {100 * PLACEBO_RESPONDER_RATE:.1f}% of placebo patients "
            f"fall by at least {MCID_POINTS:g} points, as in the pooled trials. A real placebo "
            f"arm (Arnold 2012) fell by {abs(real):.2f} points on average: one normal model "
            "cannot match both figures.")


def describe_trial(result: TrialResult) -> str:
    """Describe one :func:`helpers.trial.virtual_trial` result beside the formula's power."""
    formula = normal_approx_power(result.n_per_arm, effect_points=result.effect_points,
                                  sd_points=result.sd_points,
                                  subset_fraction=result.subset_fraction, alpha=result.alpha)
    who = ("every treated patient" if result.subset_fraction == 1 else
           f"{100 * result.subset_fraction:.0f}% of treated patients")
    effect = ("no effect" if result.expected_difference_points == 0 else
              f"a {result.effect_points:g}-point effect in {who}")
    return (f"{result.n_trials:,} simulated trials of {result.n_per_arm} patients per arm, "
            f"with {effect}: "
            f"{100 * result.power:.1f}% came out positive (Monte-Carlo SE "
            f"{100 * result.power_mc_se:.1f} percentage points); the formula gives "
            f"{100 * formula:.1f}%. Mean observed difference "
            f"{result.mean_difference_points:.2f} points. Responders (pain down at least "
            f"{result.mcid_points:g} points): {100 * result.responder_rate_placebo:.1f}% on "
            f"placebo, {100 * result.responder_rate_active:.1f}% on treatment.")


def describe_small_trials(result: TrialResult, threshold_points: float) -> str:
    """Describe how widely the observed difference varies between small trials.

    Parameters
    ----------
    result : TrialResult
        Many simulated trials of one design.
    threshold_points : float
        A difference to count trials at or above (points).
    """
    observed = result.difference_points
    share = float((observed >= threshold_points).mean())
    return (f"Across {result.n_trials:,} trials of {result.n_per_arm} patients per arm with a "
            f"true difference of {result.expected_difference_points:.2f} points, the observed "
            f"difference ranged from {observed.min():.2f} to {observed.max():.2f} points; "
            f"{100 * share:.1f}% of trials showed {threshold_points:g} points or more, and "
            f"{100 * result.power:.1f}% were significant.")


# ----------------------------------------------------------------- treatment → effect link


def link_figure(curves: dict[str, pd.DataFrame], window_days: tuple[float, float]
                ) -> go.Figure:
    """Plot the modelled plasma autoantibody of several treatments and the assessment window.

    Parameters
    ----------
    curves : dict of str to pandas.DataFrame
        Treatment label → simulation with columns ``day`` and ``autoantibody_plasma_pct``.
    window_days : (float, float)
        The assessment window, shaded.
    """
    layout = base_layout("Modelled autoantibody over a 12-week trial, by treatment "
                         "(educational model)", "Days from the first treatment",
                         "Autoantibody in plasma (% of baseline)", [0, 110])
    layout.height = 520
    layout.margin.b = 170
    layout.shapes = [{"type": "rect", "xref": "x", "yref": "paper", "x0": window_days[0],
                      "x1": window_days[1], "y0": 0, "y1": 1, "fillcolor": "#999999",
                      "opacity": 0.25, "line": {"width": 0}, "layer": "below"}]
    layout.annotations = [{"x": (window_days[0] + window_days[1]) / 2, "y": 1.0, "xref": "x",
                           "yref": "paper", "text": "assessment<br>window",
                           "showarrow": False, "yanchor": "bottom", "font": {"size": 12}}]
    colours = list(OKABE_ITO.values())
    dashes = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid"]
    figure = go.Figure(layout=layout)
    for index, (label, result) in enumerate(curves.items()):
        figure.add_trace(go.Scatter(
            x=result["day"], y=result["autoantibody_plasma_pct"], mode="lines", name=label,
            line={"color": colours[index % len(colours)], "dash": dashes[index % len(dashes)],
                  "width": 3 if index == 0 else 2}))
    return figure


def describe_link(effects: pd.DataFrame) -> str:
    """Text description of :func:`link_figure` from the table of :func:`link_view`'s rows.

    Parameters
    ----------
    effects : pandas.DataFrame
        Columns ``treatment``, ``lowering_pct`` (mean fall in the window, %) and
        ``window_start_day``, ``window_end_day``.
    """
    start, end = effects["window_start_day"].iloc[0], effects["window_end_day"].iloc[0]
    ranked = effects.sort_values("lowering_pct", ascending=False)
    parts = "; ".join(f"{row.treatment}: {row.lowering_pct:.0f}% lower"
                      for row in ranked.itertuples())
    return (f"Modelled plasma autoantibody (% of baseline) over the first {end:g} days for "
            f"{len(effects)} treatments, with the assessment window (days {start:g}–{end:g}) "
            f"shaded. Average fall inside the window, largest first: {parts}. Model outputs, "
            "not measurements in fibromyalgia.")


def link_view(effects: pd.DataFrame) -> Table:
    """Tabulate the link: each treatment's modelled lowering and the assumed effect.

    Parameters
    ----------
    effects : pandas.DataFrame
        Columns ``treatment``, ``lowering_pct``, ``effect_if_all_removed_points`` and
        ``effect_points``.
    """
    shown = effects.assign(lowering=effects["lowering_pct"].round(0),
                           effect=effects["effect_points"].round(2),
                           hypothesis=effects["effect_if_all_removed_points"])
    return Table(shown, "From treatment to assumed effect (model output × hypothesis)",
                 columns={"treatment": "Treatment (illustrative regimen)",
                          "lowering": "Mean autoantibody fall in the window (%, model)",
                          "hypothesis": "Pain fall if all were removed (points, hypothesis)",
                          "effect": "Assumed effect in antibody-positive patients (points)"})


# ------------------------------------------------------------------------ the power figure


def power_layout() -> go.Layout:
    """Layout of the virtual-trial figure: power (%) against patients per arm, log axis."""
    layout = base_layout("Chance that the trial comes out positive (power), by size",
                         "Patients per arm (log scale)", "Power (%)", [0, 102])
    layout.xaxis.type = "log"
    layout.xaxis.range = [np.log10(POWER_AXIS_PER_ARM[0]), np.log10(POWER_AXIS_PER_ARM[1])]
    layout.xaxis.tickvals = LOG_TICKS
    layout.yaxis.tickvals = [0, 20, 40, 60, 80, 100]
    layout.height = 520
    layout.margin.b = 150
    layout.hovermode = "closest"
    layout.shapes = [{"type": "line", "xref": "paper", "x0": 0, "x1": 1,
                      "y0": 100 * TARGET_POWER, "y1": 100 * TARGET_POWER, "line": TARGET_LINE,
                      "layer": "below"}]
    layout.annotations = [{"xref": "paper", "x": 0.0, "y": 100 * TARGET_POWER,
                           "text": f"{100 * TARGET_POWER:.0f}% power", "showarrow": False,
                           "xanchor": "left", "yanchor": "bottom", "font": {"size": 12}}]
    return layout


def power_traces() -> list[go.Scatter]:
    """Empty traces of the virtual-trial figure, in the order of :data:`POWER_TRACES`."""
    traces = []
    for name, colour, dash, mode, symbol in POWER_TRACES:
        trace = go.Scatter(x=[], y=[], name=name, mode=mode)
        if mode == "lines":
            trace.line = {"color": colour, "dash": dash, "width": 3}
        else:
            trace.marker = {"color": colour, "symbol": symbol, "size": 13 if symbol == "star"
                            else 10, "line": {"width": 1, "color": "#000000"}}
        if name.startswith("All comers, simulated"):
            trace.error_y = {"type": "data", "array": [], "visible": True, "color": colour}
        traces.append(trace)
    return traces


def _crossing(n_required: int | None) -> str:
    low, high = POWER_AXIS_PER_ARM
    if n_required is None:
        return "never reaches 80%: no trial size can find an effect this small"
    if n_required > high:
        return f"stays below 80% across the plot (it needs about {n_required:,} per arm)"
    if n_required < low:
        return f"is above 80% across the plot (it needs only {n_required} per arm)"
    return f"crosses 80% at about {n_required:,} per arm"


def describe_power(*, n_required: int | None, n_enriched: int | None,
                   fm0001_power: float, your_n: int, your_power: float) -> str:
    """Text description of the virtual-trial figure, from the numbers the app computed.

    Parameters
    ----------
    n_required, n_enriched : int or None
        Patients per arm for 80% power, all comers and antibody-positive patients only.
    fm0001_power : float
        Formula power at 31 per arm (0–1).
    your_n : int
        The student's trial size per arm.
    your_power : float
        Its simulated power (0–1).
    """
    low, high = POWER_AXIS_PER_ARM
    return (f"Power (%) against patients per arm on a log scale from {low} to {high:,}, with "
            f"a dotted line at 80%. The all-comers curve (solid; simulated points with error "
            f"bars lie on it) {_crossing(n_required)}. The curve for a trial that enrols only "
            f"antibody-positive patients (dashed) {_crossing(n_enriched)}. A star marks 63 "
            f"patients as a parallel trial (31 per arm): power {100 * fm0001_power:.0f}%. A "
            f"circle marks your trial ({your_n} per arm): simulated power "
            f"{100 * your_power:.0f}%.")


def power_table(curve: pd.DataFrame, enriched: Sequence[float]) -> Table:
    """Tabulate the data behind the virtual-trial figure at the simulated sizes.

    Parameters
    ----------
    curve : pandas.DataFrame
        Output of :func:`helpers.trial.power_curve`.
    enriched : sequence of float
        Formula power of the antibody-positive-only trial at the same sizes (0–1).
    """
    shown = pd.DataFrame({
        "n_per_arm": curve["n_per_arm"],
        "patients": 2 * curve["n_per_arm"],
        "formula": (100 * curve["power_formula"]).round(1),
        "simulated": (100 * curve["power_simulated"]).round(1),
        "se": (100 * curve["power_mc_se"]).round(1),
        "enriched": (100 * np.asarray(enriched, dtype=float)).round(1),
        "difference": curve["mean_difference_points"].round(2),
    })
    return Table(shown, "Data behind the figure (model): power by trial size",
                 columns={"n_per_arm": "Patients per arm", "patients": "Patients in total",
                          "formula": "Power, formula (%)", "simulated": "Power, simulated (%)",
                          "se": "Monte-Carlo SE (percentage points)",
                          "enriched": "Power, antibody-positive only, formula (%)",
                          "difference": "Mean observed difference (points)"})
