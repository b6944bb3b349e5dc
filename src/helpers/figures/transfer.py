"""Figures (plotly) and tables for the passive-transfer notebook, with their text descriptions.

No widgets here: :mod:`helpers.apps.transfer` wraps the serum figure in a ``FigureWidget``.
Colours, fonts, the base layout and the table renderer come from
:mod:`helpers.figures.common` (Okabe–Ito palette; each series also has its own line style,
marker or hatching, so the figures read in greyscale).

The study's time course of the hypersensitivity is drawn from ``data/mouse_study_design.csv``
as what is known, with its uncertainty: the days by which it was typically established (day
1–2, possibly earlier), the days on which it was present if it began then, the uncertain
lower bound of its end, and an open end, because the paper did not report one. The checked
sources link it to no measured level of human IgG in the mice.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from helpers.figures.common import OKABE_ITO, Table, base_layout
from helpers.mouse import (
    STUDY_REGIMEN,
    TransferSummary,
    compare_half_lives,
    dose_in_context,
    parameter_sources,
)

__all__ = [
    "SHADED_KINDS",
    "SPAN_TRACES_FROM",
    "TRANSFER_TRACES",
    "describe_design",
    "describe_transfer",
    "design_timeline_figure",
    "dose_in_context_table",
    "dose_markers",
    "half_life_table",
    "known_time_course",
    "parameter_table",
    "results_table",
    "span_heights",
    "subset_evidence_table",
    "transfer_layout",
    "transfer_table",
    "transfer_traces",
    "where_reported",
]

# Kinds of design rows that describe the hypersensitivity on known days, in time order, with
# the fill pattern (none: solid fill), the fill opacity and the outline dash of their span, the
# same in the timeline and in the explorer: diagonal hatching for the days by which it was
# typically established, solid where it was present, dots for the lower bound of its end.
SHADED_KINDS = {"onset_window": ("/", 0.12, "dash"),
                "present": ("", 0.24, "solid"),
                "end_window": (".", 0.12, "dot")}
HYPERSENSITIVITY_COLOUR = OKABE_ITO["bluish_green"]
# The timeline shows three weeks: long enough to show that no end is drawn.
TIMELINE_END_DAY = 21.0

# Curves of the explorer's figure, in order: (name, colour, dash, width, y-axis, visible).
# The abdomen curve starts hidden (its spikes drew the eye away from the serum curve); the
# study regimen is a wide translucent grey band, so it shows around the blue curve even where
# the two coincide.
TRANSFER_TRACES = [
    ("Serum human IgG (model)", OKABE_ITO["blue"], "solid", 3, "y", True),
    ("IgG still in the abdomen (model, right axis; click to show)", OKABE_ITO["orange"], "dash",
     2, "y2", "legendonly"),
    (f"Study regimen: {STUDY_REGIMEN['n_doses']} × {STUDY_REGIMEN['dose_mg']:g} mg "
     "(model defaults; grey band)", "rgba(0, 0, 0, 0.25)", "solid", 9, "y", True),
]
# Index of the first shaded span in the explorer's traces: the curves, the injection markers,
# then one filled trace per kind of SHADED_KINDS.
SPAN_TRACES_FROM = len(TRANSFER_TRACES) + 1


# ------------------------------------------------------------------------ where reported


def where_reported(reported_in: str, reported_by: object = None) -> str:
    """Say where a fact is reported, in the words students see.

    Parameters
    ----------
    reported_in : {"paper", "press", "unknown"}
        Column ``reported_in`` of the mouse-study tables.
    reported_by : str, optional
        Who reported it, for ``press`` rows (column ``reported_by``).

    Returns
    -------
    str
        "Stated in the paper", "Reported by <source> (secondary source)" or "Not known …".
    """
    if reported_in == "paper":
        return "Stated in the paper"
    if reported_in == "press":
        if not isinstance(reported_by, str) or not reported_by.strip():
            raise ValueError("a press row needs reported_by (who reported it)")
        return f"Reported by {reported_by} (secondary source)"
    return "Not known (not found in the checked sources)"


# ------------------------------------------------------------------------ the design timeline


def known_time_course(design: pd.DataFrame) -> dict[str, float]:
    """Key days of the reported time course, from the design table.

    Returns
    -------
    dict of str to float
        ``onset_from``, ``onset_to`` (days by which the hypersensitivity was typically
        established), ``present_to`` (last day on which it was present, counted from an
        onset in that window),
        ``at_least_to`` (upper end of the uncertain lower bound of its end) and
        ``plotted_to`` (last day of the paper's plotted time courses).
    """
    rows = design.set_index("kind")
    return {
        "onset_from": float(rows.loc["onset_window", "day_start"]),
        "onset_to": float(rows.loc["onset_window", "day_end"]),
        "present_to": float(rows.loc["present", "day_end"]),
        "at_least_to": float(rows.loc["end_window", "day_end"]),
        "plotted_to": float(rows.loc["behaviour_tests", "day_end"]),
    }


def _row(design: pd.DataFrame, kind: str) -> pd.Series:
    return design[design["kind"] == kind].iloc[0]


def design_timeline_figure(design: pd.DataFrame) -> go.Figure:
    """Timeline of the study: injections, the plotted data and the reported time course.

    Parameters
    ----------
    design : pandas.DataFrame
        Rows of ``data/mouse_study_design.csv``.

    Returns
    -------
    plotly.graph_objects.Figure
        Four rows: injections (triangles); the days with published time courses (outlined
        bar); the hypersensitivity (a hatched window by which it was typically established,
        a solid span where it was present counted from that window, a dotted lower bound of
        its end, then a dotted open end, because no end was reported); and the
        press-reported recovery as text only, because no day was given.
    """
    injections = design[design["kind"] == "injection"]
    tests = _row(design, "behaviour_tests")
    open_end = _row(design, "end_not_reported")
    recovery = _row(design, "recovery")
    rows = ["Injections of human IgG", "Behaviour data in the paper",
            "Hypersensitivity (paper)", "Recovery (press)"]
    layout = base_layout("The 2021 passive-transfer study: what is known about when",
                          "Days after the first injection", "", [-0.5, len(rows) - 0.5])
    # Every row is kept, in this order, even the recovery row, which holds only text.
    layout.yaxis.update(type="category", categoryorder="array", categoryarray=rows,
                        range=[len(rows) - 0.5, -0.5])
    layout.xaxis.range = [-0.5, TIMELINE_END_DAY + 0.5]
    layout.xaxis.update(tick0=0, dtick=1, ticklabelstep=2, tickangle=0)
    layout.margin.l = 200
    layout.height = 500
    layout.hovermode = "closest"
    layout.barmode = "overlay"
    layout.legend.update(y=-0.3)
    traces: list[go.BaseTraceType] = [go.Scatter(
        x=injections["day_start"], y=[rows[0]] * len(injections), mode="markers",
        name="Injection (8 mg each, intraperitoneal)",
        marker={"symbol": "triangle-down", "size": 14, "color": OKABE_ITO["black"]},
        hovertemplate="injection on day %{x}<extra></extra>")]
    traces.append(go.Bar(
        y=[rows[1]], x=[tests.day_end - tests.day_start], base=[tests.day_start],
        orientation="h", name=tests.label, width=0.5,
        marker={"color": "#eeeeee", "line": {"color": OKABE_ITO["black"], "width": 1}},
        hovertemplate=f"{tests.label}<extra></extra>"))
    for kind, (pattern, _opacity, _dash) in SHADED_KINDS.items():
        span = _row(design, kind)
        traces.append(go.Bar(
            y=[rows[2]], x=[span.day_end - span.day_start], base=[span.day_start],
            orientation="h", name=span.label, width=0.6,
            marker={"color": "white" if pattern else HYPERSENSITIVITY_COLOUR,
                    "pattern": {"shape": pattern, "fgcolor": HYPERSENSITIVITY_COLOUR,
                                "solidity": 0.4},
                    "line": {"color": HYPERSENSITIVITY_COLOUR, "width": 1.5}},
            hovertemplate=f"{span.label}: day {span.day_start:g} to {span.day_end:g}"
                          "<extra></extra>"))
    traces.append(go.Scatter(
        x=[open_end.day_start, TIMELINE_END_DAY], y=[rows[2], rows[2]], mode="lines+markers",
        name=open_end.label,
        line={"color": HYPERSENSITIVITY_COLOUR, "dash": "dot", "width": 2},
        marker={"symbol": ["line-ns", "arrow-right"], "size": [1, 12],
                "color": HYPERSENSITIVITY_COLOUR},
        hovertemplate=f"{open_end.label}<extra></extra>"))
    layout.annotations = [{
        "x": (open_end.day_start + TIMELINE_END_DAY) / 2, "y": rows[2], "yshift": 16,
        "text": "end not reported", "showarrow": False, "font": {"size": 12}}, {
        "x": tests.day_end + 0.5, "y": rows[3], "xanchor": "left", "showarrow": False,
        "text": f"{recovery.label},<br>no day given", "align": "left", "font": {"size": 12}}]
    return go.Figure(data=traces, layout=layout)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def describe_design(design: pd.DataFrame) -> str:
    """Describe the timeline figure in plain language, generated from its data."""
    injections = design[design["kind"] == "injection"]["day_start"]
    tests = _row(design, "behaviour_tests")
    recovery = _row(design, "recovery")
    days = known_time_course(design)
    return (
        f"Timeline over {TIMELINE_END_DAY:g} days. {len(injections)} injections of human IgG on "
        f"days {', '.join(f'{day:g}' for day in injections)}. The paper shows behaviour time "
        f"courses from day {tests.day_start:g} to day {tests.day_end:g}. The hypersensitivity "
        f"was typically established by day {days['onset_from']:g} to {days['onset_to']:g}, "
        f"possibly earlier (diagonal hatching); counted from an onset on day "
        f"{days['onset_from']:g}–{days['onset_to']:g}, it is present from day "
        f"{days['onset_to']:g} to day {days['present_to']:g} (solid) and lasts at least until "
        f"day {days['present_to']:g} to {days['at_least_to']:g} (dotted fill); then it "
        f"continues as a dotted line with an arrow, because the paper reports no end. Recovery "
        f"after "
        f"'a few weeks' is "
        f"{_lower_first(where_reported(recovery.reported_in, recovery.reported_by))}, "
        "with no day, so it is written, not drawn.")


# ------------------------------------------------------------------------ tables


def results_table(results: pd.DataFrame) -> Table:
    """Show the study's results: readable HTML, full text, where each one is reported.

    Parameters
    ----------
    results : pandas.DataFrame
        Rows of ``data/mouse_study_results.csv``.
    """
    shown = results.assign(where=[where_reported(row.reported_in, row.reported_by)
                                  for row in results.itertuples()])
    counts = results["reported_in"].value_counts()
    caption = (f"Results of the 2021 passive-transfer study: {counts.get('paper', 0)} stated in "
               f"the paper, {counts.get('press', 0)} reported only by secondary sources, "
               f"{counts.get('unknown', 0)} not known")
    return Table(shown, caption, columns={
        "outcome": "Outcome", "measures": "What it measures", "group": "Mice received",
        "result": "Result", "where": "Where it is reported"})


def dose_in_context_table() -> Table:
    """Set the study's dose against the size of a mouse, with the arithmetic of each line."""
    table = dose_in_context()
    table["value"] = table["value"].round(2)
    return Table(table, "The dose in context (published: from a cited source; derived: "
                        "arithmetic on published values; assumption: depends on a typical "
                        "mouse size)", columns={
        "quantity": "Quantity", "value": "Value", "unit": "Unit", "arithmetic": "Arithmetic",
        "status": "Status"})


# Names students see for the model's parameters.
PARAMETER_NAMES = {
    "dose_mg": "Dose per injection", "n_doses": "Number of injections",
    "interval_days": "Days between injections",
    "half_life_days": "Half-life of human IgG in the mouse",
    "absorption_half_life_hours": "Uptake half-time from the abdomen",
    "bioavailability": "Share of each dose reaching the blood (F)",
    "distribution_volume_ml": "Volume the IgG spreads through (Vd)",
    "body_mass_g": "Body mass of a mouse", "plasma_volume_ml_per_kg": "Plasma volume per kg",
}


def parameter_table() -> Table:
    """Show the mouse model's parameters: default, unit, range, status and source.

    The status is shown in words (column ``status_shown``): the dose and schedule are the
    study's reported design, the half-life is published but from another study's mice.
    """
    table = parameter_sources()
    table["name"] = table["parameter"].map(PARAMETER_NAMES)
    if table["name"].isna().any():
        raise KeyError("a parameter in data/mouse_model_parameters.csv has no student-facing name")
    table["range"] = [f"{low:g}–{high:g}" for low, high
                      in zip(table["range_min"], table["range_max"], strict=True)]
    return Table(table, "Parameters of the mouse model (data/mouse_model_parameters.csv)",
                 columns={"name": "Parameter", "value": "Default", "unit": "Unit",
                          "range": "Range the model accepts", "status_shown": "Status",
                          "source": "Source"})


def half_life_table() -> Table:
    """Show the study regimen with the lowest, published and highest plausible half-life."""
    table = compare_half_lives().round({"peak_mg_per_ml": 1, "peak_hours_after_last": 0,
                                    "left_pct": 0, "below_tenth_day": 1,
                                    "below_tenth_after_last_days": 1})
    regimen = f"{STUDY_REGIMEN['n_doses']} × {STUDY_REGIMEN['dose_mg']:g} mg"
    return Table(table, f"The study regimen ({regimen}) in the model, for three half-lives",
                 columns={"half_life_days": "Half-life (days)",
                          "peak_mg_per_ml": "Peak serum human IgG (mg/mL, illustrative)",
                          "peak_hours_after_last": "Peak, hours after the last injection",
                          "left_pct": "Left 10 days after the last injection (% of peak)",
                          "below_tenth_day": "Below a tenth of the peak (day)",
                          "below_tenth_after_last_days":
                              "Below a tenth, days after the last injection"})


def subset_evidence_table(evidence: pd.DataFrame) -> Table:
    """Show the antibody-subset studies in patients, with where each finding is reported.

    Parameters
    ----------
    evidence : pandas.DataFrame
        Rows of ``data/fibromyalgia_evidence.csv``; the ``anti_sgc`` group is shown.
    """
    rows = evidence[evidence["group"] == "anti_sgc"]
    shown = rows.assign(where=[_evidence_status(row) for row in rows.itertuples()])
    return Table(shown, "Antibodies in patients with fibromyalgia: studies after 2021",
                 columns={"study": "Study", "design": "Design", "finding": "Finding",
                          "where": "Status", "source": "Source"})


def _evidence_status(row: object) -> str:
    """How a study's status reads in the subset table: its kind of source, then the check."""
    if row.source_kind == "secondary":
        return "Reported by press releases and summaries (secondary source)"
    if row.status != "measured":
        return "Derived from the checked sources"
    if isinstance(row.design, str) and "conference abstract" in row.design.lower():
        return "Conference abstract (checked)"
    return "Published (checked in the source)"


# -------------------------------------------------------------------- the serum IgG figure


def _with_days(label: str, start: float, end: float) -> str:
    """Add ``(day 1–2)`` to a span's label unless the label already names those days."""
    days = f"day {start:g}–{end:g}"
    return label if days in label else f"{label} ({days})"


def transfer_layout(days: float, design: pd.DataFrame) -> go.Layout:
    """Layout of the serum figure: axes, legend, the end of the paper's plotted data.

    The reported time course is drawn as filled traces (:func:`transfer_traces`), named in
    the legend (not written on the plot), so their labels stay readable at every length of
    the x-axis.

    Parameters
    ----------
    days : float
        Initial x-axis length (days).
    design : pandas.DataFrame
        Rows of ``data/mouse_study_design.csv``.
    """
    layout = base_layout("Human IgG in a mouse after the injections (model, illustrative)",
                          "Days after the first injection", "Serum human IgG (mg/mL)", [0, 1])
    layout.yaxis.range = None
    layout.yaxis.rangemode = "tozero"
    layout.yaxis2 = {"title": {"text": "IgG in the abdomen (mg)"}, "overlaying": "y",
                     "side": "right", "rangemode": "tozero", "showgrid": False,
                     "tickmode": "auto", "nticks": 6}
    layout.xaxis.range = [0, days]
    layout.height = 620
    # The legend (which also names the shaded spans) sits at the bottom of the figure, in a
    # margin tall enough for it to wrap to one entry per line on a narrow screen.
    layout.margin.update(r=70, t=100, b=250)
    layout.legend.update(yref="container", y=0, yanchor="bottom")
    tests = _row(design, "behaviour_tests")
    layout.shapes = [{"type": "line", "xref": "x", "yref": "paper", "x0": tests.day_end,
                   "x1": tests.day_end, "y0": 0, "y1": 1,
                   "line": {"color": OKABE_ITO["black"], "width": 1.5, "dash": "dashdot"},
                   "showlegend": True, "legendrank": 1100,
                   "name": f"Paper's plotted time courses end (day {tests.day_end:g})"}]
    layout.annotations = [{
        "xref": "paper", "yref": "paper", "x": 0, "y": 1.02, "xanchor": "left",
        "yanchor": "bottom", "showarrow": False, "align": "left",
        "font": {"size": 12, "color": "#555555"},
        "text": "Shaded: hypersensitivity as reported in the paper; the checked sources link it"
                "<br>to no measured IgG level. Its end was not reported (press: recovery after "
                "'a few weeks')."}]
    return layout


def transfer_traces(design: pd.DataFrame) -> list[go.Scatter]:
    """Styled traces of the serum figure; the app fills in the curves' data.

    Parameters
    ----------
    design : pandas.DataFrame
        Rows of ``data/mouse_study_design.csv``, for the shaded spans.

    Returns
    -------
    list of plotly.graph_objects.Scatter
        The :data:`TRANSFER_TRACES` in order, then the injection markers, then from
        :data:`SPAN_TRACES_FROM` one filled span per kind of :data:`SHADED_KINDS`, drawn
        beneath the curves, each with its own fill pattern. A span's height is set with
        :func:`span_heights` to the top of the y-axis.
    """
    traces = [
        go.Scatter(x=[], y=[], name=name, mode="lines", yaxis=axis, visible=visible,
                   line={"color": colour, "dash": dash, "width": width},
                   hovertemplate="%{y:.2f}<extra>" + name + "</extra>")
        for name, colour, dash, width, axis, visible in TRANSFER_TRACES
    ]
    traces.append(go.Scatter(
        x=[], y=[], name="Injection", mode="markers",
        marker={"symbol": "triangle-up", "size": 11, "color": OKABE_ITO["vermillion"]},
        hovertemplate="injection on day %{x:.2f}<extra></extra>"))
    for rank, (kind, (pattern, opacity, dash)) in enumerate(SHADED_KINDS.items()):
        span = _row(design, kind)
        fill = {"fillpattern": {"shape": pattern, "fgcolor": HYPERSENSITIVITY_COLOUR,
                                "bgcolor": "rgba(255, 255, 255, 0)", "solidity": 0.35}} \
            if pattern else {"fillcolor": _translucent(HYPERSENSITIVITY_COLOUR, opacity)}
        traces.append(go.Scatter(
            x=[span.day_start, span.day_end, span.day_end, span.day_start, span.day_start],
            y=span_heights(1.0), mode="lines", fill="toself", zorder=-1, hoverinfo="skip",
            name=_with_days(span.label, span.day_start, span.day_end), legendrank=1000 + rank,
            line={"color": HYPERSENSITIVITY_COLOUR, "width": 1, "dash": dash}, **fill))
    return traces


def span_heights(top: float) -> list[float]:
    """Return the heights of a shaded span's corners (in the order of its x), 0 to ``top``."""
    return [0.0, 0.0, top, top, 0.0]


def _translucent(hex_colour: str, opacity: float) -> str:
    """``#RRGGBB`` and an opacity as a CSS ``rgba(...)`` colour."""
    red, green, blue = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {opacity:g})"


def dose_markers(result: pd.DataFrame) -> tuple[list[float], list[float]]:
    """Return x (days) and y (0) of the injections inside the simulated time."""
    injected = result["injected_mg"].to_numpy()
    rows = np.flatnonzero(np.diff(injected, prepend=0.0) > 0)
    days = [float(day) for day in result["day"].to_numpy()[rows]]
    return days, [0.0] * len(days)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _plural_days(days: float) -> str:
    return f"{days:g} day{'' if days == 1 else 's'}"


def describe_transfer(summary: TransferSummary, *, n_doses: int, dose_mg: float,
                      interval_days: float, design: pd.DataFrame) -> str:
    """Describe the serum figure in plain language, generated from the model's summary.

    Every sentence holds at every setting of the explorer: injections after the window shown
    are named as such, a level still rising at the end is not called a peak, and the
    shaded spans are described from the design table.

    Parameters
    ----------
    summary : TransferSummary
        Output of :func:`helpers.mouse.summarize_transfer`.
    n_doses : int
        Injections scheduled.
    dose_mg : float
        IgG per injection (mg).
    interval_days : float
        Days between injections.
    design : pandas.DataFrame
        Rows of ``data/mouse_study_design.csv``.

    Returns
    -------
    str
        Four or five sentences.
    """
    shown, days_shown = summary.injections_given, summary.days_shown
    spacing = (f", {_plural_days(interval_days)} apart" if n_doses > 1 else "")
    if shown == n_doses:
        schedule = f"{_plural(n_doses, 'injection')} of {dose_mg:g} mg{spacing}"
    else:
        later = n_doses - shown
        schedule = (f"the first {shown} of {n_doses} injections of {dose_mg:g} mg{spacing}; "
                    f"{'the last one' if later == 1 else f'the other {later}'} would come "
                    f"after day {days_shown:g}")
    peak = "peak" if summary.peak_reached(n_doses) else "highest level shown"
    text = (f"Line chart of modelled human IgG in mouse serum over the {days_shown:g} days "
            f"shown, with {schedule}. ")
    if summary.rising_at_end and summary.peak_day >= days_shown:
        text += (f"The level is still rising at the end of the days shown, at "
                 f"{summary.peak_mg_per_ml:.1f} mg/mL. ")
    else:
        text += (f"Its {peak} is {summary.peak_mg_per_ml:.1f} mg/mL on day "
                 f"{summary.peak_day:.1f}. ")
        if summary.below_tenth_day is None:
            text += (f"At day {days_shown:g} it is still above a tenth of its {peak} "
                     f"({summary.end_pct_of_peak:.0f}%). ")
        else:
            text += (f"It drops below a tenth of its {peak} on day "
                     f"{summary.below_tenth_day:.1f}. ")
    days = known_time_course(design)
    return text + (
        "A wide grey band shows the study regimen for comparison (at the study's regimen it "
        "lies around the blue curve); the IgG still in the abdomen is a dashed orange line, "
        "hidden until its legend entry is clicked. Shaded spans mark the hypersensitivity "
        f"reported in the paper: typically established by day {days['onset_from']:g} to "
        f"{days['onset_to']:g}, present until at least day {days['present_to']:g} to "
        f"{days['at_least_to']:g}, end not reported; a dash-dot line marks day "
        f"{days['plotted_to']:g}, where the paper's plotted time courses end. The checked "
        "sources link none of it to a measured IgG level.")


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
        ``Day``, ``Serum human IgG (mg/mL)``, ``In the body (mg)``, ``In the abdomen (mg)``,
        ``Injected so far (mg)``, ``Eliminated so far (mg)`` and ``Never reached the blood
        (mg)`` (the share of each dose that is not absorbed), rounded.
    """
    step = float(result["day"].iloc[1] - result["day"].iloc[0]) if len(result) > 1 else 1.0
    rows = result.iloc[::max(1, round(every_days / step))]
    return pd.DataFrame({
        "Day": rows["day"].round(2).to_numpy(),
        "Serum human IgG (mg/mL)": rows["serum_human_igg_mg_per_ml"].round(2).to_numpy(),
        "In the body (mg)": rows["body_human_igg_mg"].round(2).to_numpy(),
        "In the abdomen (mg)": rows["depot_mg"].round(2).to_numpy(),
        "Injected so far (mg)": rows["injected_mg"].round(1).to_numpy(),
        "Eliminated so far (mg)": rows["eliminated_mg"].round(1).to_numpy(),
        "Never reached the blood (mg)": rows["not_absorbed_mg"].round(1).to_numpy(),
    })
