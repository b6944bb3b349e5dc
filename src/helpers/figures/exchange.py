"""Figures for the plasma-exchange notebook (03), with their text descriptions and data tables.

No widgets here: :mod:`helpers.apps.exchange` wraps the course figure in a ``FigureWidget``
and updates its data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from helpers.figures.common import OKABE_ITO, base_layout
from helpers.kinetics import Schedule, fraction_remaining
from helpers.metrics import RECOVERY_THRESHOLD_PCT, CourseSummary

__all__ = [
    "COURSE_TRACES",
    "course_layout",
    "course_table",
    "course_traces",
    "describe_course",
    "pools_figure",
    "removal_curve_figure",
    "session_markers",
]

# Traces of the course explorer's figure, in order: (name, colour, dash, width).
COURSE_TRACES = [
    ("Plasma IgG", OKABE_ITO["blue"], "solid", 3),
    ("Tissue (extravascular) IgG", OKABE_ITO["orange"], "dash", 2),
    ("Autoantibody in plasma", OKABE_ITO["bluish_green"], "longdashdot", 2),
    ("Pinned: plasma IgG", OKABE_ITO["vermillion"], "dot", 2),
    ("Pinned: tissue IgG", OKABE_ITO["reddish_purple"], "dashdot", 2),
]
SESSION_MARKER_Y = 3.0



def course_layout(days: float) -> go.Layout:
    """Layout of the course explorer: % of baseline against days, with the 80% line.

    Parameters
    ----------
    days : float
        Initial x-axis length (days).
    """
    layout = base_layout("Modelled IgG over time (educational model, not a treatment plan)",
                          "Time (days)", "IgG (% of baseline)", [0, 110])
    layout.xaxis.range = [0, days]
    layout.height = 480
    layout.margin.b = 110
    layout.shapes = [{
        "type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": RECOVERY_THRESHOLD_PCT,
        "y1": RECOVERY_THRESHOLD_PCT, "line": {"color": "#555555", "width": 1, "dash": "dot"},
    }]
    layout.annotations = [{
        "xref": "paper", "x": 1.0, "xanchor": "right", "y": RECOVERY_THRESHOLD_PCT,
        "yanchor": "bottom", "text": "80% of baseline", "showarrow": False,
        "font": {"size": 12, "color": "#555555"}, "bgcolor": "rgba(255,255,255,0.85)",
    }]
    return layout


def course_traces() -> list[go.Scatter]:
    """Empty traces of the course explorer, styled (data is filled in by the app)."""
    traces = [
        go.Scatter(x=[], y=[], name=name, mode="lines",
                   line={"color": colour, "dash": dash, "width": width},
                   hovertemplate="%{y:.1f}%<extra>" + name + "</extra>")
        for name, colour, dash, width in COURSE_TRACES
    ]
    traces.append(go.Scatter(
        x=[], y=[], name="Exchange session", mode="markers",
        marker={"symbol": "triangle-up", "size": 11, "color": OKABE_ITO["black"]},
        hovertemplate="session on day %{x:.1f}<extra></extra>"))
    return traces


def session_markers(schedule: Schedule, days: float) -> tuple[list[float], list[float]]:
    """Return x and y of the session markers inside the plotted time (days)."""
    starts = [s.start_day for s in schedule.sessions if s.start_day <= days]
    return starts, [SESSION_MARKER_Y] * len(starts)


def _course_words(schedule: Schedule) -> str:
    if not schedule.sessions:
        return "no exchange sessions"
    first = schedule.sessions[0]
    count = schedule.n_sessions
    spacing = ""
    if count > 1:
        spacing = (f" every {schedule.sessions[1].start_day - first.start_day:g} days")
    fluid = "donor plasma" if first.replacement == "plasma" else "albumin"
    plural = "s" if count != 1 else ""
    return (f"{count} session{plural} of {first.volume_pv:g} plasma volumes{spacing}, "
            f"{first.duration_hours:g} h each, with {fluid} replacement")


def describe_course(result: pd.DataFrame, schedule: Schedule, summary: CourseSummary) -> str:
    """Describe the course figure in plain language, generated from its data.

    Parameters
    ----------
    result : pandas.DataFrame
        Output of :func:`helpers.kinetics.simulate`.
    schedule : Schedule
        The simulated schedule.
    summary : CourseSummary
        Output of :func:`helpers.metrics.summarize_course` for the same result.

    Returns
    -------
    str
        Two to four sentences describing what the curves do.
    """
    text = (f"Line chart of modelled IgG as % of baseline over {summary.days_shown:g} days, "
            f"with {_course_words(schedule)}. ")
    if not schedule.sessions:
        return text + "With no exchange, plasma and tissue IgG stay at 100% throughout."
    lowest_tissue = float(result["extravascular_pct"].min())
    text += (f"Plasma IgG falls to {summary.lowest_plasma_pct:.0f}% on day "
             f"{summary.lowest_day:.1f}; tissue IgG falls more slowly, to "
             f"{lowest_tissue:.0f}%, because it only drains into the blood. ")
    if summary.recovery_day is None:
        text += (f"Plasma IgG is still below 80% at day {summary.days_shown:g} "
                 f"({float(result['plasma_pct'].iloc[-1]):.0f}%).")
    else:
        text += f"Plasma IgG is back above 80% on day {summary.recovery_day:.1f}."
    if abs(summary.lowest_autoantibody_pct - summary.lowest_plasma_pct) > 1.0:
        text += (f" The autoantibody falls further, to {summary.lowest_autoantibody_pct:.0f}%, "
                 "because donor plasma replaces normal IgG but not the patient's "
                 "autoantibody.")
    return text


def course_table(result: pd.DataFrame, pinned: pd.DataFrame | None = None,
                 every_days: float = 1.0) -> pd.DataFrame:
    """Return the data behind the course figure, one row per ``every_days`` days.

    Parameters
    ----------
    result : pandas.DataFrame
        Output of :func:`helpers.kinetics.simulate`.
    pinned : pandas.DataFrame, optional
        A pinned result to show alongside.
    every_days : float
        Spacing of the rows (days).

    Returns
    -------
    pandas.DataFrame
        Columns ``Day``, ``Plasma IgG (%)``, ``Tissue IgG (%)``, ``Autoantibody (%)`` and,
        with a pinned scenario, ``Pinned plasma IgG (%)``, rounded to 0.1.
    """
    step = float(result["day"].iloc[1] - result["day"].iloc[0]) if len(result) > 1 else 1.0
    stride = max(1, round(every_days / step))
    rows = result.iloc[::stride]
    table = pd.DataFrame({
        "Day": rows["day"].round(2).to_numpy(),
        "Plasma IgG (%)": rows["plasma_pct"].round(1).to_numpy(),
        "Tissue IgG (%)": rows["extravascular_pct"].round(1).to_numpy(),
        "Autoantibody (%)": rows["autoantibody_plasma_pct"].round(1).to_numpy(),
    })
    if pinned is not None:
        pinned_plasma = np.interp(table["Day"], pinned["day"], pinned["plasma_pct"],
                                  right=np.nan)
        table["Pinned plasma IgG (%)"] = np.round(pinned_plasma, 1)
    return table


def removal_curve_figure(volume_pv: float) -> go.Figure:
    """Diminishing returns of one exchange: % removed against plasma volumes exchanged.

    Parameters
    ----------
    volume_pv : float
        Exchange volume to mark on the curve (plasma volumes), 0–3.

    Returns
    -------
    plotly.graph_objects.Figure
        Trace 0 is the curve, trace 1 the marked point.
    """
    volumes = np.linspace(0.0, 3.0, 121)
    removed = 100.0 * (1.0 - fraction_remaining(volumes))
    marked = 100.0 * (1.0 - fraction_remaining(volume_pv))
    layout = base_layout("One exchange: each extra plasma volume removes less",
                          "Plasma volumes exchanged", "Plasma-only marker removed (%)", [0, 100])
    layout.hovermode = "closest"
    return go.Figure(
        data=[
            go.Scatter(x=volumes, y=removed, mode="lines", name="1 − exp(−V/PV)",
                       line={"color": OKABE_ITO["blue"], "width": 3}),
            go.Scatter(x=[volume_pv], y=[marked], mode="markers+text", name="Your choice",
                       text=[f"{marked:.1f}%"], textposition="top left",
                       marker={"symbol": "diamond", "size": 14, "color": OKABE_ITO["vermillion"]}),
        ],
        layout=layout,
    )


def pools_figure(result: pd.DataFrame) -> go.Figure:
    """Both IgG pools after an exchange, as % of their baselines.

    Parameters
    ----------
    result : pandas.DataFrame
        Output of :func:`helpers.kinetics.simulate`.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    layout = base_layout("Where the IgG is: plasma and tissue pools after exchange",
                          "Time (days)", "IgG (% of baseline)", [0, 110])
    styles = [("plasma_pct", *COURSE_TRACES[0][1:]), ("extravascular_pct", *COURSE_TRACES[1][1:]),
              ("total_pct", OKABE_ITO["black"], "dot", 2)]
    names = {"plasma_pct": "Plasma (45% of body IgG at baseline)",
             "extravascular_pct": "Tissues (55%)", "total_pct": "Whole body"}
    return go.Figure(
        data=[go.Scatter(x=result["day"], y=result[column], mode="lines", name=names[column],
                         line={"color": colour, "dash": dash, "width": width})
              for column, colour, dash, width in styles],
        layout=layout,
    )
