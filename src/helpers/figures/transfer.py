"""Figures (plotly) for the passive-transfer notebook, with their text and data tables.

No widgets here: :mod:`helpers.apps.transfer` wraps the serum figure in a ``FigureWidget``.
Colours, fonts and the base layout come from :mod:`helpers.figures.common` (Okabe–Ito palette; each
series also has its own line style, marker or hatching, so the figures read in greyscale).
The study's reported time course of the hypersensitivity is drawn as labelled shaded spans
from ``data/mouse_study_design.csv``: it is what the paper (or the press) said, and was never
measured against the level of human IgG in the mice.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from helpers.figures.common import OKABE_ITO, base_layout
from helpers.mouse import TransferSummary

__all__ = [
    "REPORTED_NOTE",
    "TRANSFER_TRACES",
    "describe_design",
    "describe_transfer",
    "design_timeline_figure",
    "dose_markers",
    "results_display_table",
    "transfer_layout",
    "transfer_table",
    "transfer_traces",
]

REPORTED_NOTE = "Shaded: behaviour as reported (paper or press), not measured against IgG"
REPORTED_IN_WORDS = {"paper": "stated in the paper", "press": "press or secondary summary only",
                     "unknown": "not known"}
# Shaded spans of the reported time course: fill colours (taken in turn) and border dash,
# by where the span is reported.
SPAN_STYLE = {"paper": ([OKABE_ITO["bluish_green"], OKABE_ITO["sky_blue"]], "solid"),
              "press": ([OKABE_ITO["reddish_purple"]], "dash")}

# Traces of the explorer's figure, in order: (name, colour, dash, width, y-axis).
TRANSFER_TRACES = [
    ("Serum human IgG (model)", OKABE_ITO["blue"], "solid", 3, "y"),
    ("IgG still in the abdomen (model, right axis)", OKABE_ITO["orange"], "dash", 2, "y2"),
    ("Study regimen: 4 × 8 mg (model defaults)", OKABE_ITO["black"], "dot", 2, "y"),
]


# ------------------------------------------------------------------------ the design timeline


def design_timeline_figure(design: pd.DataFrame) -> go.Figure:
    """Timeline of the study: injections, testing window and the reported time course.

    Parameters
    ----------
    design : pandas.DataFrame
        Rows of ``data/mouse_study_design.csv``.

    Returns
    -------
    plotly.graph_objects.Figure
        Trace 0: injections (triangles); then one bar per span, solid if stated in the
        paper, hatched if only in press material.
    """
    injections = design[design["kind"] == "injection"]
    spans = design[design["kind"] != "injection"]
    rows = ["Injections of human IgG (8 mg each, i.p.)", *spans["label"]]
    layout = base_layout("The 2021 passive-transfer study: what happened when",
                          "Days after the first injection", "", [-0.5, len(rows) - 0.5])
    layout.yaxis.autorange = "reversed"
    layout.yaxis.range = None
    layout.xaxis.range = [-0.5, float(design["day_end"].max()) + 0.5]
    layout.margin.l = 380
    layout.height = 120 + 55 * len(rows)
    layout.hovermode = "closest"
    layout.showlegend = False
    traces = [go.Scatter(
        x=injections["day_start"], y=[rows[0]] * len(injections), mode="markers",
        name="injection",
        marker={"symbol": "triangle-down", "size": 14, "color": OKABE_ITO["black"]},
        hovertemplate="injection on day %{x}<extra></extra>")]
    for row in spans.itertuples():
        press = row.reported_in == "press"
        traces.append(go.Bar(
            y=[row.label], x=[row.day_end - row.day_start], base=[row.day_start],
            orientation="h", name=row.label,
            marker={"color": OKABE_ITO["sky_blue"] if press else OKABE_ITO["blue"],
                    "pattern": {"shape": "/" if press else ""},
                    "line": {"color": OKABE_ITO["black"], "width": 1}},
            hovertemplate=f"{row.label}: day %{{base}} to %{{x}} days later<extra></extra>"))
    return go.Figure(data=traces, layout=layout)


def describe_design(design: pd.DataFrame) -> str:
    """Describe the timeline figure in plain language, generated from its data."""
    injections = design[design["kind"] == "injection"]["day_start"]
    spans = design[design["kind"] != "injection"]
    parts = [f"{row.label} from day {row.day_start:g} to day {row.day_end:g} "
             f"({REPORTED_IN_WORDS[row.reported_in]})" for row in spans.itertuples()]
    return (f"Timeline with {len(injections)} injections of human IgG on days "
            f"{', '.join(f'{day:g}' for day in injections)}. " + "; ".join(parts) + ".")


def results_display_table(results: pd.DataFrame) -> pd.DataFrame:
    """Return the results table for students: outcome, group, result, where reported.

    Parameters
    ----------
    results : pandas.DataFrame
        Rows of ``data/mouse_study_results.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns ``Outcome``, ``What it measures``, ``Mice received``, ``Result`` and
        ``Where reported``.
    """
    return pd.DataFrame({
        "Outcome": results["outcome"],
        "What it measures": results["measures"],
        "Mice received": results["group"],
        "Result": results["result"],
        "Where reported": results["reported_in"].map(REPORTED_IN_WORDS),
    })


# -------------------------------------------------------------------- the serum IgG figure


def transfer_layout(days: float, design: pd.DataFrame) -> go.Layout:
    """Layout of the serum figure, with the reported time course as shaded spans.

    Parameters
    ----------
    days : float
        Initial x-axis length (days).
    design : pandas.DataFrame
        Rows of ``data/mouse_study_design.csv``; the ``reported_effect`` rows are shaded.
    """
    layout = base_layout("Human IgG in a mouse after the injections (model, illustrative)",
                          "Days after the first injection", "Serum human IgG (mg/mL)", [0, 1])
    layout.yaxis.range = None
    layout.yaxis.rangemode = "tozero"
    layout.yaxis2 = {"title": {"text": "IgG in the abdomen (mg)"}, "overlaying": "y",
                     "side": "right", "rangemode": "tozero", "showgrid": False,
                     "tickmode": "auto", "nticks": 6}
    layout.xaxis.range = [0, days]
    layout.height = 500
    layout.margin.update(r=70, t=90, b=120)
    shapes, notes = [], []
    heights = [1.0, 0.86]
    for index, row in enumerate(design[design["kind"] == "reported_effect"].itertuples()):
        colours, dash = SPAN_STYLE[row.reported_in]
        colour = colours[index % len(colours)]
        shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": row.day_start,
                       "x1": row.day_end, "y0": 0, "y1": 1, "layer": "below",
                       "fillcolor": colour, "opacity": 0.18,
                       "line": {"color": colour, "width": 1, "dash": dash}})
        notes.append({"xref": "x", "yref": "paper", "x": row.day_start, "xanchor": "left",
                      "y": heights[index % 2], "yanchor": "top", "showarrow": False,
                      "text": row.label.replace(" (", "<br>("), "align": "left",
                      "font": {"size": 11}, "bgcolor": "rgba(255,255,255,0.7)"})
    notes.append({"xref": "paper", "yref": "paper", "x": 0, "y": 1.07, "xanchor": "left",
                  "yanchor": "bottom", "showarrow": False, "text": REPORTED_NOTE,
                  "font": {"size": 12, "color": "#555555"}})
    layout.shapes = shapes
    layout.annotations = notes
    return layout


def transfer_traces() -> list[go.Scatter]:
    """Empty, styled traces of the serum figure (data is filled in by the app).

    Returns
    -------
    list of plotly.graph_objects.Scatter
        The :data:`TRANSFER_TRACES` in order, then the injection markers.
    """
    traces = [
        go.Scatter(x=[], y=[], name=name, mode="lines", yaxis=axis,
                   line={"color": colour, "dash": dash, "width": width},
                   hovertemplate="%{y:.2f}<extra>" + name + "</extra>")
        for name, colour, dash, width, axis in TRANSFER_TRACES
    ]
    traces.append(go.Scatter(
        x=[], y=[], name="Injection", mode="markers",
        marker={"symbol": "triangle-up", "size": 11, "color": OKABE_ITO["vermillion"]},
        hovertemplate="injection on day %{x:.2f}<extra></extra>"))
    return traces


def dose_markers(result: pd.DataFrame) -> tuple[list[float], list[float]]:
    """Return x (days) and y (0) of the injections inside the simulated time."""
    injected = result["injected_mg"].to_numpy()
    rows = np.flatnonzero(np.diff(injected, prepend=0.0) > 0)
    days = [float(day) for day in result["day"].to_numpy()[rows]]
    return days, [0.0] * len(days)


def describe_transfer(summary: TransferSummary, n_doses: int, dose_mg: float) -> str:
    """Describe the serum figure in plain language, generated from the model's summary.

    Parameters
    ----------
    summary : TransferSummary
        Output of :func:`helpers.mouse.summarize_transfer`.
    n_doses : int
        Injections given.
    dose_mg : float
        IgG per injection (mg).

    Returns
    -------
    str
        Two or three sentences.
    """
    text = (f"Line chart of modelled human IgG in mouse serum over {summary.days_shown:g} days "
            f"after {n_doses} injection{'s' if n_doses != 1 else ''} of {dose_mg:g} mg. "
            f"The level peaks at {summary.peak_mg_per_ml:.1f} mg/mL on day "
            f"{summary.peak_day:.1f} and then falls steadily as the IgG is cleared. ")
    if summary.below_tenth_day is None:
        text += (f"It is still above a tenth of its peak at day {summary.days_shown:g} "
                 f"({summary.end_pct_of_peak:.0f}% of the peak). ")
    else:
        text += f"It drops below a tenth of its peak on day {summary.below_tenth_day:.1f}. "
    return text + ("Shaded spans mark the reported onset, persistence and press-reported "
                   "recovery of the hypersensitivity; they were not measured against IgG.")


def transfer_table(result: pd.DataFrame, every_days: float = 1.0) -> pd.DataFrame:
    """Return the data behind the serum figure, one row per ``every_days`` days.

    Parameters
    ----------
    result : pandas.DataFrame
        Output of :func:`helpers.mouse.simulate_passive_transfer`.
    every_days : float
        Spacing of the rows (days).

    Returns
    -------
    pandas.DataFrame
        ``Day``, ``Serum human IgG (mg/mL)``, ``In the abdomen (mg)``, ``Injected so far
        (mg)`` and ``Eliminated so far (mg)``, rounded.
    """
    step = float(result["day"].iloc[1] - result["day"].iloc[0]) if len(result) > 1 else 1.0
    rows = result.iloc[::max(1, round(every_days / step))]
    return pd.DataFrame({
        "Day": rows["day"].round(2).to_numpy(),
        "Serum human IgG (mg/mL)": rows["serum_human_igg_mg_per_ml"].round(2).to_numpy(),
        "In the abdomen (mg)": rows["depot_mg"].round(2).to_numpy(),
        "Injected so far (mg)": rows["injected_mg"].round(1).to_numpy(),
        "Eliminated so far (mg)": rows["eliminated_mg"].round(1).to_numpy(),
    })
