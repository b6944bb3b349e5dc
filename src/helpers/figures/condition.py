"""Figures and tables for the condition notebook (01): prevalence and the criteria comparison.

Every value shown to students carries its status as the sourcebook requires: ``published``
(checked in the original paper), ``reported by <source>`` (only seen in a secondary source) or
``assumption`` (unconfirmed; see :func:`source_labels`).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from helpers.figures.common import (
    FONT,
    OKABE_ITO,
    Table,
    base_layout,
    title_top_margin,
    wrap_title,
)

__all__ = [
    "criteria_comparison_figure",
    "criteria_highlight",
    "describe_prevalence",
    "outcome_table",
    "prevalence_figure",
    "prevalence_table",
    "sample_kinds",
    "source_labels",
]

SOURCE_KIND_STYLE = {
    "primary": {"color": OKABE_ITO["blue"], "pattern": {"shape": ""}},
    "secondary": {"color": OKABE_ITO["sky_blue"], "pattern": {"shape": "/"}},
}


def prevalence_figure(estimates: pd.DataFrame) -> go.Figure:
    """Horizontal bars of published prevalence estimates, with 95% CIs where given.

    Parameters
    ----------
    estimates : pandas.DataFrame
        Rows of ``data/prevalence_estimates.csv``.

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace per kind of source: primary (solid) and secondary (hatched).
    """
    layout = base_layout("How common is fibromyalgia? It depends on who counts, and how",
                          "Prevalence (%)", "", [-0.5, len(estimates) - 0.5])
    layout.height = 140 + 34 * len(estimates)
    layout.margin.l = 330
    layout.hovermode = "closest"
    layout.yaxis.autorange = "reversed"
    layout.yaxis.range = None
    labels = [f"{row.study}: {sample}; {_criteria_text(row.criteria)}; "
              f"{GROUP_NAMES[row.group]}"
              for row, sample in zip(estimates.itertuples(), sample_kinds(estimates),
                                     strict=True)]
    traces = []
    for kind, style in SOURCE_KIND_STYLE.items():
        rows = estimates["source_kind"] == kind
        subset = estimates[rows]
        upper = (subset["ci_high_pct"] - subset["prevalence_pct"]).fillna(0)
        lower = (subset["prevalence_pct"] - subset["ci_low_pct"]).fillna(0)
        traces.append(go.Bar(
            y=[label for label, keep in zip(labels, rows, strict=True) if keep],
            x=subset["prevalence_pct"], orientation="h",
            name="published (primary source)" if kind == "primary"
            else "reported by a secondary source",
            marker={"color": style["color"], "pattern": style["pattern"],
                    "line": {"color": OKABE_ITO["black"], "width": 1}},
            error_x={"type": "data", "array": upper, "arrayminus": lower, "visible": True},
            hovertemplate="%{y}: %{x}%<extra>" + ("published" if kind == "primary"
                                                  else "reported by a secondary source")
            + "</extra>"))
    return go.Figure(data=traces, layout=layout)


def source_labels(table: pd.DataFrame) -> pd.Series:
    """How each row's value may be shown: ``published``, ``reported by …`` or an assumption.

    Parameters
    ----------
    table : pandas.DataFrame
        Rows with ``status`` and ``source_kind`` columns and, for secondary rows, the name of
        the secondary source in ``reported_by``.

    Returns
    -------
    pandas.Series of str
        ``"assumption (unconfirmed)"`` for assumptions, ``"derived (arithmetic)"`` for derived
        rows, ``"reported by <source>"`` for values seen only in a secondary source, and
        ``"published"`` for values checked in the original paper.
    """
    def label(row: pd.Series) -> str:
        if row["status"] == "assumption":
            return "assumption (unconfirmed)"
        if row["status"] == "derived":
            return "derived (arithmetic)"
        if row["source_kind"] == "secondary":
            return f"reported by {row['reported_by']}"
        return "published"

    return table.apply(label, axis=1)


GROUP_NAMES = {"all": "everyone", "women": "women", "men": "men"}
RECORDS = "physician diagnosis"  # the ``criteria`` of an estimate counted from medical records
CLINIC_PREFIX = "mostly clinic"  # how the ``setting`` of a clinic-based estimate starts


def sample_kinds(estimates: pd.DataFrame) -> pd.Series:
    """Who was counted in each estimate: a general population, clinics, or medical records.

    Parameters
    ----------
    estimates : pandas.DataFrame
        Rows of ``data/prevalence_estimates.csv``.

    Returns
    -------
    pandas.Series of str
        ``"medical records"`` for diagnoses found in records (criteria ``physician
        diagnosis``), ``"mostly clinic samples"`` for settings that start so, and
        ``"general population"`` for the rest (surveys and pooled population studies).
    """
    def kind(row: pd.Series) -> str:
        if row["criteria"] == RECORDS:
            return "medical records"
        if str(row["setting"]).startswith(CLINIC_PREFIX):
            return "mostly clinic samples"
        return "general population"

    return estimates.apply(kind, axis=1)


def _criteria_text(criteria: str) -> str:
    """``ACR 2010 criteria``, ``mixed criteria``; a physician's diagnosis as it is."""
    return criteria if criteria == RECORDS else f"{criteria} criteria"


def prevalence_table(estimates: pd.DataFrame) -> Table:
    """Show the data behind :func:`prevalence_figure` as a readable table.

    Parameters
    ----------
    estimates : pandas.DataFrame
        Rows of ``data/prevalence_estimates.csv``.

    Returns
    -------
    helpers.figures.common.Table
        Study, setting, criteria, group, prevalence (%), 95% interval (%) and how the value
        may be shown (published or reported by a secondary source).
    """
    shown = estimates.assign(
        group_name=estimates["group"].map(GROUP_NAMES),
        interval=[f"{low:g} to {high:g}" if pd.notna(low) else None
                  for low, high in zip(estimates["ci_low_pct"], estimates["ci_high_pct"],
                                       strict=True)],
        shown_as=source_labels(estimates))
    return Table(shown, "Prevalence estimates (the data behind the figure)",
                 columns={"study": "Study", "setting": "Setting", "criteria": "Criteria",
                          "group_name": "Group", "prevalence_pct": "Prevalence (%)",
                          "interval": "95% confidence interval (%)",
                          "shown_as": "Status"})


def describe_prevalence(estimates: pd.DataFrame) -> str:
    """Describe the prevalence figure in plain language, generated from its data.

    The range is taken over general-population estimates for everyone counted with criteria;
    clinic samples and medical-record diagnoses are named apart, because they count
    different people in a different way.
    """
    everyone = estimates[estimates["group"] == "all"]
    kinds = sample_kinds(everyone)
    population = everyone[kinds == "general population"]
    low, high = (population.loc[population["prevalence_pct"].idxmin()],
                 population.loc[population["prevalence_pct"].idxmax()])
    apart = everyone[kinds != "general population"].sort_values("prevalence_pct",
                                                                  ascending=False)
    secondary = int((estimates["source_kind"] == "secondary").sum())
    text = (f"Bar chart of {len(estimates)} prevalence estimates, with 95% confidence "
            f"intervals where the source gives them; {secondary} of them (hatched bars) are "
            "reported by a secondary source rather than checked in the original paper. "
            "General-population estimates counted with criteria range from "
            f"{_estimate_text(low, 'criteria')} to {_estimate_text(high, 'criteria')}.")
    if len(apart):
        shown = " and ".join(_estimate_text(row, "setting") for _, row in apart.iterrows())
        count = {1: "One figure stands", 2: "Two figures stand"}.get(
            len(apart), f"{len(apart)} figures stand")
        text += f" {count} apart, counted in other ways: {shown}."
    return f"{text} {_women_and_men(estimates)}"


def _estimate_text(row: pd.Series, detail: str) -> str:
    """``1.1% (study; detail; reported by …)``: one estimate, with its status if not published."""
    status = source_labels(row.to_frame().T).iloc[0]
    shown = _criteria_text(row[detail]) if detail == "criteria" else row[detail]
    parts = [row["study"], shown] + ([status] if status != "published" else [])
    return f"{row['prevalence_pct']:g}% ({'; '.join(parts)})"


def _women_and_men(estimates: pd.DataFrame) -> str:
    """Compare women and men, in one sentence, in the sources that give both."""
    by_sex = estimates[estimates["group"].isin(["women", "men"])].pivot_table(
        index="study", columns="group", values="prevalence_pct")
    if by_sex.empty or not {"women", "men"} <= set(by_sex.columns):
        return "No source gives women and men separately."
    pairs = by_sex.dropna()
    higher = pairs[pairs["women"] > pairs["men"]]
    if len(pairs) == 1:
        study, row = next(iter(pairs.iterrows()))
        verdict = "higher" if len(higher) else "not higher"
        men = estimates[(estimates["study"] == study) & (estimates["group"] == "men")].iloc[0]
        warning = (" (the men's figure is implausibly low: its 95% interval goes below zero; "
                   "see Exercise 2.1)" if men["ci_low_pct"] < 0 else "")
        return (f"The one source that gives women and men separately ({study}) puts women "
                f"{verdict}: {row['women']:g}% against {row['men']:g}%{warning}.")
    return (f"{len(higher)} of the {len(pairs)} sources that give women and men separately "
            "put women higher.")


def outcome_table(measures: pd.DataFrame) -> Table:
    """Outcome-measure thresholds as a readable table, each with its kind and status.

    Parameters
    ----------
    measures : pandas.DataFrame
        Rows of ``data/outcome_measures.csv``.

    Returns
    -------
    helpers.figures.common.Table
        Measure, threshold with its unit, the kind of threshold (an important change, or a
        case-level cut-off), what it means, and how the value may be shown.
    """
    shown = measures.assign(
        threshold_text=[f"{value:g}{unit}" if unit.startswith("%") else f"{value:g} {unit}"
                        for value, unit in zip(measures["threshold"], measures["unit"],
                                               strict=True)],
        shown_as=source_labels(measures))
    return Table(shown, "Thresholds used to judge trials, and one case-level cut-off",
                 columns={"measure": "Measure", "threshold_text": "Threshold",
                          "threshold_kind": "Kind of threshold", "meaning": "What it means",
                          "shown_as": "Status"})


def criteria_comparison_figure(table: pd.DataFrame, selected: str) -> go.Figure:
    """Prevalence and women per man in one population under different criteria.

    Parameters
    ----------
    table : pandas.DataFrame
        Rows of ``data/prevalence_by_criteria.csv``.
    selected : str
        The criteria to highlight.

    Returns
    -------
    plotly.graph_objects.Figure
        Trace 0: prevalence (%); trace 1: women per man. The selected bars are dark and
        hatched, the others light.
    """
    figure = make_subplots(rows=1, cols=2, subplot_titles=("Prevalence (%)", "Women per man"))
    colours, patterns = criteria_highlight(table, selected)
    for column, (field, name) in enumerate([("prevalence_pct", "Prevalence (%)"),
                                            ("women_per_man", "Women per man")], start=1):
        figure.add_trace(go.Bar(
            x=table["criteria"], y=table[field], name=name, showlegend=False,
            marker={"color": colours, "pattern": {"shape": patterns},
                    "line": {"color": OKABE_ITO["black"], "width": 1}},
            text=[f"{value:g}" for value in table[field]], textposition="outside",
            hovertemplate="%{x}: %{y}<extra>" + name + "</extra>"), row=1, col=column)
    title = wrap_title("One population (north-east Scotland), three sets of criteria "
                       "(Jones et al. 2015)")
    figure.update_layout(font=FONT, template="simple_white", height=420,
                         title={"text": title, "x": 0.0},
                         margin={"l": 50, "r": 20, "t": title_top_margin(title, 90), "b": 120})
    figure.update_yaxes(rangemode="tozero")
    return figure


def criteria_highlight(table: pd.DataFrame, selected: str) -> tuple[list[str], list[str]]:
    """Bar colours and hatching that single out the ``selected`` criteria."""
    chosen = table["criteria"] == selected
    colours = [OKABE_ITO["vermillion"] if flag else "#CCCCCC" for flag in chosen]
    patterns = ["x" if flag else "" for flag in chosen]
    return colours, patterns
