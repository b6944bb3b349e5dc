"""Figures and tables for notebook 05: the evidence in fibromyalgia and the virtual trial.

No widgets here: :mod:`helpers.apps.trial` wraps the power figure in a ``FigureWidget`` and
updates its data. Tables are :class:`helpers.figures.common.Table` objects (readable HTML,
human column names, full text) built from ``data/`` with each row's source and status.
Colours come from the Okabe–Ito palette and every series also has its own line style or
marker.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from urllib.parse import urlparse

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from helpers.data import load_table
from helpers.figures.common import OKABE_ITO, Table, base_layout
from helpers.trial import (
    FM0001_ENROLLED,
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
    "TableWithSources",
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
    "placebo_controlled",
    "power_layout",
    "power_table",
    "power_traces",
    "shown_as",
    "shown_source",
    "verdict_counts",
]

STATUS_WORDS = {"measured": "checked in the source",
                "derived": "derived (the arithmetic is under the table)",
                "assumption": "unconfirmed: shown as an assumption"}
VERDICT_WORDS = {"correct": "Correct", "incomplete": "Incomplete", "wrong": "Wrong",
                 "unsupported": "Unsupported", "not_verified": "Not verified in the post"}
# Verdicts that count in the tally (a claim that could not be read in the post does not).
COUNTED_VERDICTS = ("correct", "incomplete", "wrong", "unsupported")
# Unofficial copies of abstracts: kept in data/ as the place a value was checked, never shown
# to students as a link (a DOI or PubMed record is shown where the sourcebook confirms one).
UNOFFICIAL_COPY_HOSTS = ("vukou.com", "laibokeji.com", "47.251.13.51")
_DOI = re.compile(r"doi:\s*(10\.\d{4,9}/[^\s;,]+)", re.IGNORECASE)
OUTCOME_WORDS = {"better_than_placebo": "better than placebo",
                 "no_better_than_placebo": "no better than placebo",
                 "improved_uncontrolled": "improved, but no control group",
                 "no_results": "no results found"}
NOTEBOOK_WORDS = {"01_the_condition": "01 The condition",
                  "02_passive_transfer": "02 The mouse study",
                  "03_plasma_exchange": "03 Plasma exchange",
                  "04_alternatives": "04 Other ways to lower IgG",
                  "05_evidence_and_trial": "05 This notebook"}
SOURCES_SUMMARY = "Sources, and how each row was checked"
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
    (f"Parallel trial of FM0001's size ({FM0001_ENROLLED // 2} per arm; not FM0001's own "
     "power)",
     OKABE_ITO["reddish_purple"], None, "markers", "star"),
    ("Your trial (simulated)", OKABE_ITO["vermillion"], None, "markers", "circle"),
]
POWER_AXIS_PER_ARM = (10, 2000)
LOG_TICKS = [5, 10, 20, 50, 100, 200, 500, 1000, 2000]
TARGET_LINE = {"color": "#555555", "width": 1.5, "dash": "dot"}


# ----------------------------------------------------------------------------- sources


class TableWithSources:
    """A short table with its sources and derivations folded under it in ``<details>``.

    Parameters
    ----------
    table : helpers.figures.common.Table
        What the student reads first: short cells.
    sources : helpers.figures.common.Table
        The long text (sources, full evidence, derivations), shown on request.
    summary : str, optional
        The label of the fold.
    """

    def __init__(self, table: Table, sources: Table, summary: str = SOURCES_SUMMARY) -> None:
        self.table = table
        self.sources = sources
        self.html = (f"{table.html}<details><summary>{html.escape(summary)}</summary>"
                     f"{sources.html}</details>")

    def _repr_mimebundle_(self, **kwargs: object) -> dict[str, str]:
        rows = len(self.table.frame)
        return {"text/html": self.html,
                "text/plain": f"{self.table.caption} ({rows} row{'s' if rows != 1 else ''}; "
                              "sources folded under the table)"}


def shown_as(row: pd.Series) -> str:
    """Say how a row's fact may be shown: published, reported by a secondary source, ...

    Parameters
    ----------
    row : pandas.Series
        A row with ``status`` and ``source`` and, where present, ``source_kind``.
    """
    if row["status"] == "assumption":
        return "Unconfirmed (shown as an assumption)"
    if row["status"] == "derived":
        if "search" in str(row["source"]).lower():
            return "Literature and registry search (see Sources)"
        return "Derived from checked sources (see Sources)"
    if row.get("source_kind") == "secondary":
        return "Reported by a secondary source (see Sources)"
    return "Checked in the source"


def shown_source(source: str, url: object, table: str) -> str:
    """Write a row's source as students see it: the citation and a trustworthy address.

    A DOI in the citation is also given as a ``https://doi.org/`` link, and the address
    where the value was checked follows, unless it is an unofficial copy of an abstract:
    that is named as such and its address left in ``data/``.

    Parameters
    ----------
    source : str
        The citation.
    url : str or None
        Where the value was checked.
    table : str
        The data table the row comes from, named when its address is not shown.
    """
    parts = [source]
    doi = _DOI.search(source)
    if doi:
        parts.append(f"https://doi.org/{doi.group(1).rstrip('.')}")
    if isinstance(url, str) and url:
        host = urlparse(url).hostname or ""
        if host.endswith(UNOFFICIAL_COPY_HOSTS):
            parts.append(f"(read at an unofficial copy of the abstract; its address is in "
                         f"data/{table}.csv)")
        else:
            parts.append(url)
    return " ".join(parts)


def placebo_controlled(row: pd.Series) -> str:
    """Say whether a study of ``data/fibromyalgia_evidence.csv`` had a placebo group.

    Searches and lists of unknowns describe no study ("–"); the antibody cohorts compared
    patients with healthy people, which is not a trial.
    """
    if row["status"] == "derived":
        return "–"
    if row["group"] == "anti_sgc":
        return ("no: compared with healthy controls (not a trial)"
                if "controls" in str(row["design"]) else "no (not a trial)")
    return "yes" if row["controlled"] else "no"


def _with_sources(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    frame = frame.copy()
    frame["shown_as"] = frame.apply(shown_as, axis=1)
    frame["where"] = [shown_source(source, url, table)
                      for source, url in zip(frame["source"], frame["url"], strict=True)]
    return frame


# --------------------------------------------------------------------- what has been tried


_EVIDENCE = "fibromyalgia_evidence"


def _evidence_rows() -> pd.DataFrame:
    rows = _with_sources(load_table(_EVIDENCE), _EVIDENCE)
    rows["placebo"] = rows.apply(placebo_controlled, axis=1)
    rows["patients"] = [("–" if pd.isna(n) else f"{int(n)}") for n in rows["n_patients"]]
    rows["design_text"] = rows["design"].fillna("–")
    return rows


def fm0001_view() -> TableWithSources:
    """Tabulate the rozanolixizumab trial FM0001 aspect by aspect; sources folded below."""
    rows = _evidence_rows()
    rows = rows[rows["group"] == "fm0001"]
    caption = ("The rozanolixizumab trial in fibromyalgia (FM0001, NCT05643794), as registered; "
               "searched November 2026")
    return TableWithSources(
        Table(rows, caption, columns={"aspect": "Aspect", "finding": "What the record says",
                                      "shown_as": "Status"}),
        Table(rows, f"Sources: {caption}", columns={"aspect": "Aspect", "where": "Source"}))


def evidence_view(groups: Sequence[str], caption: str) -> TableWithSources:
    """Tabulate the studies of the given ``groups`` of ``data/fibromyalgia_evidence.csv``.

    Parameters
    ----------
    groups : sequence of str
        Values of the ``group`` column, e.g. ``["ivig_fm", "absent"]``.
    caption : str
        What the table is.
    """
    rows = _evidence_rows()
    rows = rows[rows["group"].isin(list(groups))]
    return TableWithSources(
        Table(rows, caption,
              columns={"study": "Study", "condition": "Patients", "design_text": "Design",
                       "placebo": "Placebo-controlled", "patients": "Patients (n)",
                       "finding": "What was found", "shown_as": "Status"}),
        Table(rows, f"Sources: {caption}", columns={"study": "Study", "where": "Source"}))


def _pattern_rows() -> pd.DataFrame:
    """Studies with a result and a size: uncontrolled ones first, then by size."""
    table = _evidence_rows()
    rows = table[table["outcome"].isin(list(OUTCOME_MARKERS)) & table["n_patients"].notna()]
    return rows.sort_values(["controlled", "n_patients"]).reset_index(drop=True)


def _controlled_pattern(rows: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """Return the placebo-controlled studies, and whether any of them is in fibromyalgia."""
    controlled = rows[rows["controlled"].astype(bool)]
    return controlled, bool((controlled["condition"] == "fibromyalgia").any())


def evidence_pattern_figure() -> go.Figure:
    """Plot immunoglobulin studies with and without a placebo group, by size and result.

    Returns
    -------
    plotly.graph_objects.Figure
        One row per study: the studies without a control group at the top, then the
        placebo-controlled ones below a dotted line, each group from small to large;
        patients on a log axis. The marker says whether the result was better than
        placebo, no better, or uncontrolled.
    """
    rows = _pattern_rows()
    controlled, any_in_fm = _controlled_pattern(rows)
    positive = controlled[controlled["outcome"] == "better_than_placebo"]
    labels = [f"{study}<br><i>{condition}</i>" for study, condition in
              zip(rows["study"], rows["condition"], strict=True)]
    pilots = " and ".join(f"a {int(n)}-patient pilot" for n in positive["n_patients"])
    where = "" if any_in_fm else " (none of them in fibromyalgia)"
    layout = base_layout("Immunoglobulin for pain and fatigue: without a placebo group, results "
                         f"looked positive;<br>with one{where}, only {pilots or 'no study'} was",
                         "Patients in the study (log scale)", "", [-0.5, len(rows) - 0.5])
    layout.xaxis.type = "log"
    layout.xaxis.range = [np.log10(4), np.log10(200)]
    layout.xaxis.tickvals = LOG_TICKS
    layout.yaxis.autorange = "reversed"
    layout.yaxis.range = None
    layout.height = 600
    layout.margin.l = 20
    layout.margin.t = 80
    layout.hovermode = "closest"
    layout.yaxis.automargin = True
    layout.legend.y = -0.2
    first_controlled = len(rows) - len(controlled)
    layout.shapes = [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y",
                      "y0": first_controlled - 0.5, "y1": first_controlled - 0.5,
                      "line": TARGET_LINE}]
    layout.annotations = [
        {"xref": "paper", "x": 1.0, "yref": "y", "y": y, "text": text, "showarrow": False,
         "xanchor": "right", "yanchor": anchor, "font": {"size": 12}}
        for y, text, anchor in ((-0.5, "No control group", "top"),
                                (first_controlled - 0.5, "Placebo-controlled", "top"))]
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
    controlled, any_in_fm = _controlled_pattern(rows)
    parts = []
    for outcome, (name, _colour, _symbol) in OUTCOME_MARKERS.items():
        chosen = rows[rows["outcome"] == outcome]
        studies = "; ".join(f"{study}, {int(n)} patients" for study, n in
                            zip(chosen["study"], chosen["n_patients"], strict=True))
        parts.append(f"{name.split(' (')[0]}: {len(chosen)} ({studies})")
    largest_positive = controlled[controlled["outcome"] == "better_than_placebo"]["n_patients"]
    return ("Studies of immunoglobulin (IVIG) for pain and fatigue, without a control group "
            "(top) and with a placebo group (below the dotted line), each by size. "
            + ". ".join(parts) + ". Every placebo-controlled study larger than "
            + f"{int(largest_positive.max())} patients found no benefit"
            + ("." if any_in_fm else ", and none of the placebo-controlled studies is in "
               "fibromyalgia."))


def evidence_pattern_table() -> TableWithSources:
    """Tabulate the data behind :func:`evidence_pattern_figure`; sources folded below."""
    rows = _pattern_rows()
    rows["result"] = rows["outcome"].map(OUTCOME_WORDS)
    caption = "Data behind the figure: immunoglobulin studies with and without a placebo group"
    return TableWithSources(
        Table(rows, caption,
              columns={"study": "Study", "condition": "Patients", "design": "Design",
                       "placebo": "Placebo-controlled", "patients": "Patients (n)",
                       "result": "Result", "finding": "What was found",
                       "shown_as": "Status"}),
        Table(rows, f"Sources: {caption}", columns={"study": "Study", "where": "Source"}))


# ------------------------------------------------------------------------------ the blog


def _claim_text(row: pd.Series) -> str:
    if row["wording"] == "exact":
        return f"“{row['claim']}”"
    return f"{row['claim']} (paraphrase; the exact words were not checked)"


_BLOG = "blog_claims"


def blog_claims_view() -> TableWithSources:
    """Tabulate the blog post's claims line by line: claim, verdict and its reason in short.

    The full evidence, each row's status and its source are folded under the table.
    """
    claims = _with_sources(load_table(_BLOG), _BLOG)
    claims["said"] = claims.apply(_claim_text, axis=1)
    claims["verdict_text"] = claims["verdict"].map(VERDICT_WORDS)
    claims["covered"] = claims["notebook"].map(NOTEBOOK_WORDS)
    caption = ("The Fibro Times, “Can plasmapheresis help fibromyalgia?” (May 2025): each "
               "factual claim checked")
    return TableWithSources(
        Table(claims, caption,
              columns={"id": "#", "said": "The post says", "verdict_text": "Verdict",
                       "reason": "In short", "covered": "Covered in"}),
        Table(claims, "The evidence behind each verdict, and its source",
              columns={"id": "#", "evidence": "What the evidence says",
                       "shown_as": "Status", "where": "Source"}),
        summary="The evidence behind each verdict, and its source")


def _counted_claims() -> pd.DataFrame:
    """Claims that count in the tally: read in the post, and not a repeat of another."""
    claims = load_table(_BLOG)
    return claims[claims["verdict"].isin(COUNTED_VERDICTS) & claims["same_as"].isna()]


def verdict_counts() -> dict[str, int]:
    """Count the blog's distinct, verified claims by verdict (correct → unsupported).

    A claim that repeats another (``same_as``) is counted once, under the first; a claim
    that could not be read in the stored copy of the post (``not_verified``) is not counted.
    """
    counts = _counted_claims()["verdict"].value_counts()
    return {verdict: int(counts.get(verdict, 0)) for verdict in COUNTED_VERDICTS}


def describe_verdicts() -> str:
    """Say how many of the blog's claims got each verdict, in words (zero counts left out)."""
    counts = verdict_counts()
    parts = ", ".join(f"{count} {verdict}" for verdict, count in counts.items() if count)
    claims = load_table(_BLOG)
    repeats = claims[claims["same_as"].notna()]
    unread = claims[claims["verdict"] == "not_verified"]
    notes = [f"{row.id} repeats {row.same_as} and is counted once"
             for row in repeats.itertuples()]
    notes += [f"{row.id} could not be verified in the stored copy of the post and is not "
              "counted" for row in unread.itertuples()]
    return (f"The post makes {sum(counts.values())} distinct factual claims checked here: "
            f"{parts}." + (f" {'; '.join(notes)}." if notes else ""))


# ------------------------------------------------------------------------- trial inputs

INPUT_LABELS = {
    "placebo_responder_rate": "Placebo responders (at least 30% less pain)",
    "responder_rate_ratio": "Responder ratio, drugs vs placebo",
    "sd_change_points": "SD of the change in pain between patients",
    "mcid_points": "Clinically important fall for one patient (responder threshold)",
    "mcid_points_fm_bpi": "Clinically important fall, fibromyalgia-specific (BPI average pain)",
    "bpi_interference_mcid_points": "Clinically important change in pain interference "
                                    "(BPI; FM0001's endpoint)",
    "arnold_2012_placebo_change_points": "Mean change on placebo in a real trial (Arnold 2012)",
    "arnold_2012_active_change_points": "Mean change on duloxetine 30 mg, same trial",
    "crofford_2005_difference_points": "Difference between arm averages, pregabalin 450 mg vs "
                                       "placebo (Crofford 2005)",
    "placebo_mean_change_points": "Mean change on placebo in the model (calibrated)",
    "alpha": "Significance level (two-sided)",
    "target_power": "Target power",
    "antibody_positive_fraction": "Antibody-positive share (explorer default)",
    "effect_if_all_removed_points": "Pain fall if all autoantibody were removed (hypothesis)",
    "assessment_window_start_day": "Assessment window starts (assumed)",
    "assessment_window_end_day": "Assessment window ends (assumed)",
    "fm0001_enrolled": "Patients in FM0001",
}


def inputs_view() -> TableWithSources:
    """Tabulate the virtual trial's inputs with their status; sources and notes folded below."""
    rows = _with_sources(trial_inputs(), "trial_inputs")
    rows = rows.set_index("parameter").loc[list(INPUT_LABELS)].reset_index()
    rows["what"] = rows["parameter"].map(INPUT_LABELS)
    rows["value_text"] = [f"{value:g}" for value in rows["value"]]
    rows["status_text"] = rows["status"].map(STATUS_WORDS)
    caption = "Inputs of the virtual trial (data/trial_inputs.csv)"
    return TableWithSources(
        Table(rows, caption, columns={"what": "Input", "value_text": "Value", "unit": "Unit",
                                      "status_text": "Status"}),
        Table(rows, f"Sources and derivations: {caption}",
              columns={"what": "Input", "where": "Source", "note": "What it is, and how it is "
                                                                   "derived or used"}),
        summary="Sources and derivations (where the SD of 2.3 comes from, and more)")


def describe_placebo() -> str:
    """Say how the model's placebo arm is calibrated, with its numbers."""
    mean = placebo_mean_change_points()
    real = float(trial_inputs().set_index("parameter")
                 .loc["arnold_2012_placebo_change_points", "value"])
    return (f"Placebo arm in the model: mean change {mean:.2f} points with SD "
            f"{SD_CHANGE_POINTS:g}, so {100 * PLACEBO_RESPONDER_RATE:.1f}% of placebo patients "
            f"fall by at least {MCID_POINTS:g} points, as in the pooled trials. A real placebo "
            f"arm (Arnold 2012) fell by {abs(real):.2f} points on average: one normal model "
            "cannot match both figures. In this model that does not change the comparison "
            "between the arms: both arms share the placebo mean, and it cancels in their "
            "difference.")


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
            f"{100 * result.power:.1f}% came out significant (Monte-Carlo SE "
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


LINK_DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid"]


def link_figure(panels: dict[str, dict[str, pd.DataFrame]], window_days: tuple[float, float]
                ) -> go.Figure:
    """Plot the modelled plasma autoantibody of several treatments and the assessment window.

    Parameters
    ----------
    panels : dict of str to dict of str to pandas.DataFrame
        Panel title → (treatment label → simulation with columns ``day`` and
        ``autoantibody_plasma_pct``); one panel each, side by side, same axes.
    window_days : (float, float)
        The assessment window, shaded in every panel.
    """
    figure = make_subplots(rows=1, cols=len(panels), shared_yaxes=True,
                           horizontal_spacing=0.04, subplot_titles=list(panels))
    layout = base_layout("Modelled autoantibody over a 12-week trial, by treatment "
                         "(educational model)", "Days from the first treatment",
                         "Autoantibody in plasma (% of baseline)", [0, 110])
    layout.height = 560
    layout.margin.b = 190
    layout.margin.t = 90
    layout.hovermode = "closest"
    figure.update_layout(layout)
    colours = list(OKABE_ITO.values())
    index = 0
    for column, curves in enumerate(panels.values(), start=1):
        axis = "x" if column == 1 else f"x{column}"
        figure.add_shape(type="rect", xref=axis, yref="paper", x0=window_days[0],
                         x1=window_days[1], y0=0, y1=1, fillcolor="#999999", opacity=0.25,
                         line={"width": 0}, layer="below")
        figure.add_annotation(x=sum(window_days) / 2, y=100, xref=axis,
                              yref="y", text="assessment<br>window", showarrow=False,
                              yanchor="bottom", font={"size": 12})
        figure.update_xaxes(title_text="Days from the first treatment", row=1, col=column)
        for label, result in curves.items():
            figure.add_trace(go.Scatter(
                x=result["day"], y=result["autoantibody_plasma_pct"], mode="lines",
                name=label, line={"color": colours[index % len(colours)],
                                  "dash": LINK_DASHES[index % len(LINK_DASHES)], "width": 3}),
                row=1, col=column)
            index += 1
    figure.update_yaxes(range=[0, 110])
    return figure


def describe_link(effects: pd.DataFrame) -> str:
    """Text description of :func:`link_figure` from the table of :func:`link_view`'s rows.

    Parameters
    ----------
    effects : pandas.DataFrame
        Columns ``treatment``, ``panel``, ``lowering_pct`` (mean fall in the window, %),
        ``window_start_day`` and ``window_end_day``.
    """
    start, end = effects["window_start_day"].iloc[0], effects["window_end_day"].iloc[0]
    panels = "; ".join(f"{panel}: {', '.join(group['treatment'])}"
                       for panel, group in effects.groupby("panel", sort=False))
    ranked = effects.sort_values("lowering_pct", ascending=False)
    parts = "; ".join(f"{row.treatment}: {row.lowering_pct:.0f}% lower"
                      for row in ranked.itertuples())
    return (f"Modelled plasma autoantibody (% of baseline) over the first {end:g} days for "
            f"{len(effects)} treatments in {effects['panel'].nunique()} panels ({panels}), "
            f"with the assessment window (days {start:g}–{end:g}) shaded. Average fall inside "
            f"the window, largest first: {parts}. Model outputs, not measurements in "
            "fibromyalgia.")


def link_view(effects: pd.DataFrame) -> Table:
    """Tabulate the link: each treatment's modelled lowering, the assumed effect, the catch.

    Parameters
    ----------
    effects : pandas.DataFrame
        Columns ``treatment``, ``lowering_pct``, ``effect_if_all_removed_points``,
        ``effect_points`` and ``key_assumption`` (one hypothesis for every row).
    """
    shown = effects.assign(lowering=effects["lowering_pct"].round(0),
                           effect=effects["effect_points"].round(2))
    hypothesis = effects["effect_if_all_removed_points"].iloc[0]
    return Table(shown, "From treatment to assumed effect: model output × a pain fall of "
                        f"{hypothesis:g} points if all the autoantibody were removed "
                        "(hypothesis)",
                 columns={"treatment": "Treatment (illustrative regimen, not a dose)",
                          "lowering": "Mean autoantibody fall in the window (%, model)",
                          "effect": "Effect in antibody-positive patients if the hypothesis "
                                    "were true (points)",
                          "key_assumption": "Key assumption"})


# ------------------------------------------------------------------------ the power figure


def power_layout() -> go.Layout:
    """Layout of the virtual-trial figure: power (%) against patients per arm, log axis."""
    layout = base_layout("Chance that the trial comes out significant (power), by size",
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
        Formula power of a parallel trial of FM0001's size (0–1).
    your_n : int
        The student's trial size per arm.
    your_power : float
        Its simulated power (0–1).
    """
    low, high = POWER_AXIS_PER_ARM
    return (f"Power (%) against patients per arm on a log scale from {low} to {high:,}, with "
            "a dotted line at 80%. The all-comers curve (solid; simulated points scatter "
            f"around it, with bars of ±2 Monte-Carlo SE) {_crossing(n_required)}. The curve "
            "for a trial that enrols only antibody-positive patients (dashed) "
            f"{_crossing(n_enriched)}. A star marks a parallel trial of FM0001's size "
            f"({FM0001_ENROLLED} patients, {FM0001_ENROLLED // 2} per arm) on the pain scale, "
            f"not FM0001's own power: power {100 * fm0001_power:.0f}%. A circle marks your "
            f"trial ({your_n} per arm): simulated power {100 * your_power:.0f}%.")


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
