"""Figures for the condition notebook (01): prevalence and the criteria comparison."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from helpers.figures.common import FONT, OKABE_ITO, base_layout

__all__ = [
    "criteria_comparison_figure",
    "criteria_highlight",
    "describe_prevalence",
    "prevalence_figure",
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
    labels = [f"{row.study}: {row.criteria}, {row.group}" for row in estimates.itertuples()]
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
            hovertemplate="%{y}: %{x}%<extra></extra>"))
    return go.Figure(data=traces, layout=layout)


def describe_prevalence(estimates: pd.DataFrame) -> str:
    """Describe the prevalence figure in plain language, generated from its data."""
    everyone = estimates[estimates["group"] == "all"]
    low, high = everyone.loc[everyone["prevalence_pct"].idxmin()], everyone.loc[
        everyone["prevalence_pct"].idxmax()]
    return (f"Bar chart of {len(estimates)} published prevalence estimates. For whole "
            f"populations they range from {low['prevalence_pct']:g}% ({low['study']}, "
            f"{low['criteria']}) to {high['prevalence_pct']:g}% ({high['study']}, "
            f"{high['setting']}). Estimates for women are higher than for men in every source "
            "that reports both.")


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
    figure.update_layout(font=FONT, template="simple_white", height=420,
                         title={"text": "One population (north-east Scotland), three sets of "
                                        "criteria (Jones et al. 2015)", "x": 0.0},
                         margin={"l": 50, "r": 20, "t": 90, "b": 120})
    figure.update_yaxes(rangemode="tozero")
    return figure


def criteria_highlight(table: pd.DataFrame, selected: str) -> tuple[list[str], list[str]]:
    """Bar colours and hatching that single out the ``selected`` criteria."""
    chosen = table["criteria"] == selected
    colours = [OKABE_ITO["vermillion"] if flag else "#CCCCCC" for flag in chosen]
    patterns = ["x" if flag else "" for flag in chosen]
    return colours, patterns
