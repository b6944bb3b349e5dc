"""Figures and tables for the plasma-exchange notebook (03), with their text descriptions.

No widgets here: :mod:`helpers.apps.exchange` wraps the course figure in a ``FigureWidget``
and updates its data. The tables are :class:`helpers.figures.common.Table` objects: readable
HTML with human column names and units.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from helpers.data import load_table
from helpers.figures.common import OKABE_ITO, Table, base_layout
from helpers.kinetics import (
    IgGParameters,
    Schedule,
    fraction_remaining,
    plasma_volume_l,
    simulate,
    tpe_course,
)
from helpers.metrics import RECOVERY_THRESHOLD_PCT, CourseSummary, claim_table
from helpers.model_validation import (
    EQUILIBRIUM_GAP_PCT,
    equilibrium_level,
    independent_record,
)

__all__ = [
    "COURSE_TRACES",
    "EXCHANGE_SCOPES",
    "OneSession",
    "Panel",
    "autoantibody_on_plasma_line",
    "claim_view",
    "course_layout",
    "course_table",
    "course_traces",
    "describe_course",
    "exchange_comparisons",
    "one_session",
    "parameter_view",
    "plasma_volume_examples_view",
    "pools_figure",
    "pools_table",
    "removal_curve_figure",
    "risk_view",
    "session_markers",
    "shown_as",
    "v13_view",
    "validation_panel",
    "validation_view",
]

# Traces of the course explorer's figure, in order: (name, colour, dash, width).
# The autoantibody is drawn after (on top of) plasma IgG, thinner, black and dash-dotted, so
# that where the two coincide (albumin replacement) it stands out on the blue line, whose
# colour shows through its gaps.
COURSE_TRACES = [
    ("Plasma IgG", OKABE_ITO["blue"], "solid", 5),
    ("Tissue (extravascular) IgG", OKABE_ITO["orange"], "dash", 2),
    ("Autoantibody in plasma", OKABE_ITO["black"], "dashdot", 2),
    ("Pinned: plasma IgG", OKABE_ITO["vermillion"], "dot", 2),
    ("Pinned: tissue IgG", OKABE_ITO["reddish_purple"], "longdash", 2),
]
# Session markers sit above the 100% line, where no curve goes (levels never exceed 100%
# in a plasma-exchange course), so they never hide a plasma low.
SESSION_MARKER_Y = 106.0
THRESHOLD_NAME = f"{RECOVERY_THRESHOLD_PCT:g}% of baseline"
THRESHOLD_LINE = {"color": "#555555", "width": 1.5, "dash": "dot"}
# Within this many percentage points, the autoantibody line is said to lie on plasma IgG.
SAME_LINE_PCT = 0.5


def course_layout(days: float) -> go.Layout:
    """Layout of the course explorer: % of baseline against days, with the 80% line.

    The 80% line is named in the legend (see :func:`course_traces`), not labelled on the
    plot, so no label sits on the curves.

    Parameters
    ----------
    days : float
        Initial x-axis length (days).
    """
    layout = base_layout("Modelled IgG over time (educational model, not a treatment plan)",
                         "Time (days)", "IgG (% of baseline)", [0, 112])
    layout.xaxis.range = [0, days]
    layout.yaxis.tickvals = [0, 20, 40, 60, 80, 100]
    layout.height = 500
    layout.margin.b = 130
    layout.shapes = [{"type": "line", "xref": "paper", "x0": 0, "x1": 1,
                      "y0": RECOVERY_THRESHOLD_PCT, "y1": RECOVERY_THRESHOLD_PCT,
                      "line": THRESHOLD_LINE, "layer": "below"}]
    return layout


def course_traces() -> list[go.Scatter]:
    """Empty traces of the course explorer, styled (data is filled in by the app).

    Returns
    -------
    list of plotly.graph_objects.Scatter
        The five lines of :data:`COURSE_TRACES`, then the session markers (index 5), then a
        legend-only entry naming the dotted 80% line (index 6).
    """
    traces = [
        go.Scatter(x=[], y=[], name=name, mode="lines",
                   line={"color": colour, "dash": dash, "width": width},
                   hovertemplate="%{y:.1f}%<extra>" + name + "</extra>")
        for name, colour, dash, width in COURSE_TRACES
    ]
    traces.append(go.Scatter(
        x=[], y=[], name="Exchange session (marked above the curves)", mode="markers",
        marker={"symbol": "triangle-down", "size": 10, "color": OKABE_ITO["black"]},
        cliponaxis=False,
        hovertemplate="session on day %{x:.1f}<extra></extra>"))
    traces.append(go.Scatter(x=[None], y=[None], name=THRESHOLD_NAME, mode="lines",
                             line=THRESHOLD_LINE, hoverinfo="skip"))
    return traces


def session_markers(schedule: Schedule, days: float) -> tuple[list[float], list[float]]:
    """Return x and y of the session markers inside the plotted time (days)."""
    starts = [s.start_day for s in schedule.sessions if s.start_day <= days]
    return starts, [SESSION_MARKER_Y] * len(starts)


def _number(value: float) -> str:
    """Write a control's value for text: at most two decimals, no trailing zeros."""
    return f"{round(value, 2):g}"


def _course_words(schedule: Schedule) -> str:
    if not schedule.sessions:
        return "no exchange sessions"
    first = schedule.sessions[0]
    count = schedule.n_sessions
    spacing = ""
    if count > 1:
        spacing = f" every {_number(schedule.sessions[1].start_day - first.start_day)} days"
    fluid = "donor plasma" if first.replacement == "plasma" else "albumin"
    plural = "s" if count != 1 else ""
    volume = _number(first.volume_pv)
    volumes = "plasma volume" if volume == "1" else "plasma volumes"
    return (f"{count} session{plural} of {volume} {volumes}{spacing}, "
            f"{_number(first.duration_hours)} h each, with {fluid} replacement")


def autoantibody_on_plasma_line(result: pd.DataFrame) -> bool:
    """Return True if the autoantibody curve lies on the plasma IgG curve (within 0.5 points)."""
    apart = (result["autoantibody_plasma_pct"] - result["plasma_pct"]).abs()
    return bool(apart.max() <= SAME_LINE_PCT)


def describe_course(result: pd.DataFrame, schedule: Schedule, summary: CourseSummary) -> str:
    """Describe the course figure in plain language, generated from its data.

    Every sentence is chosen from the numbers it states, so it stays true at every setting
    (no sessions, donor plasma, a course longer than the time shown).

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
        Two to five sentences describing what the curves do.
    """
    text = (f"Line chart of modelled IgG as % of baseline over {summary.days_shown:g} days, "
            f"with {_course_words(schedule)}. ")
    if not schedule.sessions:
        return text + ("With no exchange, plasma IgG, tissue IgG and the autoantibody all stay "
                       "at 100% (the model's steady state).")
    if summary.sessions_shown < summary.n_sessions:
        text += (f"Only {summary.sessions_shown} of the {summary.n_sessions} sessions start "
                 "within the time shown (triangles along the top mark them). ")
    else:
        text += "Triangles along the top mark the sessions. "
    lowest_tissue = float(result["extravascular_pct"].min())
    if summary.lowest_plasma_pct >= 100.0 - SAME_LINE_PCT:
        text += "Plasma IgG stays at about 100%: the donor plasma puts back the IgG taken out. "
    else:
        tissue = (f"tissue IgG falls more slowly, to {lowest_tissue:.0f}%, because it only "
                  "drains into the blood" if lowest_tissue < 100.0 - SAME_LINE_PCT
                  else "tissue IgG stays near 100%")
        text += (f"Plasma IgG falls to {summary.lowest_plasma_pct:.0f}% on day "
                 f"{summary.lowest_day:.1f}; {tissue}. ")
    if not summary.course_complete:
        text += "The course goes on after the last day shown. "
    elif not summary.fell_below_threshold:
        text += f"Plasma IgG never falls below the dotted {RECOVERY_THRESHOLD_PCT:g}% line. "
    elif summary.recovery_day is None:
        text += (f"Plasma IgG is still below {RECOVERY_THRESHOLD_PCT:g}% at day "
                 f"{summary.days_shown:g} ({float(result['plasma_pct'].iloc[-1]):.0f}%). ")
    else:
        text += (f"Plasma IgG is back above the dotted {RECOVERY_THRESHOLD_PCT:g}% line on day "
                 f"{summary.recovery_day:.1f}. ")
    if autoantibody_on_plasma_line(result):
        text += ("The autoantibody (black dash-dot line) lies on the plasma IgG line: with "
                 "albumin replacement it falls and recovers exactly as plasma IgG does.")
    else:
        text += (f"The autoantibody (black dash-dot line) falls to "
                 f"{summary.lowest_autoantibody_pct:.0f}% on day "
                 f"{summary.lowest_autoantibody_day:.1f}")
        fluid = schedule.sessions[0].replacement
        text += (", because donor plasma replaces normal IgG but not the patient's "
                 "autoantibody." if fluid == "plasma" else ".")
    return text.strip()


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


# ------------------------------------------------------------------ one session, two pools

POOL_STYLES = [("plasma_pct", "Plasma (45% of body IgG at baseline)", *COURSE_TRACES[0][1:3], 3),
               ("extravascular_pct", "Tissues (55%)", *COURSE_TRACES[1][1:]),
               ("total_pct", "Whole body", OKABE_ITO["black"], "dot", 2)]


class Panel:
    """Paragraphs and tables shown together as one readable HTML block in a notebook cell.

    Parameters
    ----------
    *parts : str or helpers.figures.common.Table
        Plain-text paragraphs (escaped) and tables, in order.
    """

    def __init__(self, *parts: str | Table) -> None:
        self.parts = parts
        self.html = "".join(part.html if isinstance(part, Table)
                            else f"<p>{html.escape(part)}</p>" for part in parts)

    def text(self) -> str:
        """Return the paragraphs' text (without the tables)."""
        return " ".join(part for part in self.parts if isinstance(part, str))

    def _repr_mimebundle_(self, **kwargs: object) -> dict[str, str]:
        tables = sum(isinstance(part, Table) for part in self.parts)
        return {"text/html": self.html,
                "text/plain": f"{self.text()} ({tables} table{'s' if tables != 1 else ''})"}


@dataclass(frozen=True)
class OneSession:
    """One 2-hour exchange of 1 plasma volume (albumin), simulated for 28 days.

    Attributes
    ----------
    schedule : Schedule
        The session, starting on day 0.
    result : pandas.DataFrame
        Output of :func:`helpers.kinetics.simulate`, hourly.
    equilibrium : tuple of float
        ``(days_after_session, plasma_pct)`` from
        :func:`helpers.model_validation.equilibrium_level`.
    published_range : tuple of float
        The range accepted for the published level after re-equilibration (target V4, % of
        the pre-session level), from ``data/validation_targets.csv``.
    """

    schedule: Schedule
    result: pd.DataFrame
    equilibrium: tuple[float, float]
    published_range: tuple[float, float]

    @property
    def after_session(self) -> pd.Series:
        """Return the simulated row at the end of the session."""
        day = self.result["day"]
        return self.result.iloc[int((day - self.schedule.end_day).abs().idxmin())]

    def figure(self) -> go.Figure:
        """Return the two pools after the session, with the published level's accepted range.

        The range is shaded from the model's re-equilibration time on, the moment it refers to.
        """
        return pools_figure(self.result, published=(*self.published_range,
                                                    self.equilibrium_day))

    @property
    def equilibrium_day(self) -> float:
        """Return the day on which the pools have re-equilibrated in the model."""
        return self.schedule.end_day + self.equilibrium[0]

    def description(self) -> str:
        """Describe :meth:`figure` in words, from the model's numbers."""
        wait, level = self.equilibrium
        return (f"Figure description: in the model, plasma IgG (solid line) drops to "
                f"{self.after_session['plasma_pct']:.0f}% during the "
                f"{24 * self.schedule.end_day:.0f}-hour session, then rises quickly as IgG "
                "flows back from the tissues; tissue IgG (dashed) falls over the same days "
                f"because it drains into the blood. About {wait:.1f} days after the session "
                f"the two pools first come within {EQUILIBRIUM_GAP_PCT:g} percentage points of "
                f"each other, at about {level:.0f}% (re-equilibration); after that both keep "
                "rising slowly, over weeks, as new IgG is made. The shaded band, from "
                "re-equilibration on, is the range the course accepts for the textbook's "
                "'about half': the model's plasma line stays above it.")

    def panel(self, checks: pd.DataFrame) -> Panel:
        """Show the description, the model next to published values, and the figure's data.

        Parameters
        ----------
        checks : pandas.DataFrame
            Output of :func:`helpers.model_validation.validation_table`.
        """
        rows = checks[checks["id"].isin(["V3", "V4"]) & (checks["case"] == "1 PV")]
        wait, _ = self.equilibrium
        what = {"V3": "Plasma IgG just after the session (% of the level before it)",
                "V4": f"Plasma IgG once the pools have re-equilibrated (model: {wait:.1f} "
                      "days after the session)"}
        comparison = rows.assign(
            what=rows["id"].map(what), model=rows["model_value"].round(1),
            fits=rows["within_tolerance"].map(FITS_WORDS),
            itself=rows["inside_published"])
        days = [0.0, self.schedule.end_day, 1, 2, 4, 7, 14, 28]
        return Panel(self.description(),
                     Table(comparison, "The model next to a textbook chapter's values "
                           "(Hanafusa 2014)",
                           columns={"what": "What", "published_value": "Textbook value",
                                    "tolerance": "Range the course accepts (%)",
                                    "model": "Model (%)", "fits": "Inside that range?",
                                    "itself": "Inside the textbook value itself?"}),
                     pools_table(self.result, days))


def one_session(params: IgGParameters | None = None) -> OneSession:
    """Simulate one 2-hour exchange of 1 plasma volume with albumin, over 28 days."""
    schedule = tpe_course(1, 1.0, 1.0)
    result = simulate(schedule, params=params, days=28.0, step_hours=1.0)
    targets = load_table("validation_targets")
    v4 = targets[(targets["id"] == "V4") & (targets["case"] == "1 PV")].iloc[0]
    return OneSession(schedule, result, equilibrium_level(1.0, params),
                      (float(v4["tolerance_low"]), float(v4["tolerance_high"])))


def pools_figure(result: pd.DataFrame,
                 published: tuple[float, float, float] | None = None) -> go.Figure:
    """Both IgG pools after an exchange, as % of their baselines.

    Parameters
    ----------
    result : pandas.DataFrame
        Output of :func:`helpers.kinetics.simulate`.
    published : tuple of float, optional
        ``(low, high, from_day)``: the range accepted for a published plasma level (% of the
        pre-session level), shaded from ``from_day`` on and labelled as such.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    layout = base_layout("Where the IgG is: plasma and tissue pools after exchange (model)",
                         "Time (days)", "IgG (% of baseline)", [0, 110])
    layout.legend.y = -0.2
    layout.margin = {"l": 70, "r": 20, "t": 60, "b": 110}
    traces = [go.Scatter(x=result["day"], y=result[column], mode="lines", name=name,
                         line={"color": colour, "dash": dash, "width": width})
              for column, name, colour, dash, width in POOL_STYLES]
    if published is not None:
        low, high, start = published
        days = float(result["day"].iloc[-1])
        traces.append(go.Scatter(
            x=[start, days, days, start, start], y=[low, low, high, high, low], fill="toself",
            mode="lines", line={"color": OKABE_ITO["reddish_purple"], "width": 1,
                                "dash": "dash"},
            fillcolor="rgba(204,121,167,0.15)", hoverinfo="skip",
            name=("Published: about half after re-equilibration "
                  f"(accepted range {low:g}–{high:g}%)")))
    return go.Figure(data=traces, layout=layout)


def pools_table(result: pd.DataFrame, days: list[float]) -> Table:
    """Return the data behind :func:`pools_figure` at chosen times, as a table.

    Parameters
    ----------
    result : pandas.DataFrame
        Output of :func:`helpers.kinetics.simulate`.
    days : list of float
        Times to show (days); the nearest simulated time is used.

    Returns
    -------
    helpers.figures.common.Table
    """
    rows = [result.iloc[int((result["day"] - day).abs().idxmin())] for day in days]
    frame = pd.DataFrame(rows)[["day", "plasma_pct", "extravascular_pct", "total_pct"]].round(
        {"plasma_pct": 1, "extravascular_pct": 1, "total_pct": 1})
    frame["time"] = [_time_words(day) for day in frame["day"]]
    return Table(frame, "Model: IgG after one exchange of 1 plasma volume, starting at time 0 "
                 "(% of baseline)",
                 columns={"time": "Time since the session started", "plasma_pct": "Plasma IgG (%)",
                          "extravascular_pct": "Tissue IgG (%)",
                          "total_pct": "Whole-body IgG (%)"})


def _time_words(day: float) -> str:
    """Write a time in days as a person would: ``0 h``, ``2 h``, ``1 day``, ``14 days``."""
    if day < 1.0:
        return f"{24 * day:.0f} h"
    return f"{day:g} day" if day == 1 else f"{day:g} days"


# ---------------------------------------------------------------------- notebook tables


def plasma_volume_examples_view() -> Table:
    """Plasma volume of the worked examples by Nadler and by Kaplan, with the difference."""
    examples = load_table("plasma_volume_examples")
    nadler = [plasma_volume_l(r.sex, r.height_cm, r.weight_kg, r.hematocrit)
              for r in examples.itertuples()]
    kaplan = [plasma_volume_l(r.sex, r.height_cm, r.weight_kg, r.hematocrit, "kaplan")
              for r in examples.itertuples()]
    frame = examples.assign(
        nadler=np.round(nadler, 2), kaplan=np.round(kaplan, 2),
        gap=[f"{100 * (k - n) / n:+.0f}%" for n, k in zip(nadler, kaplan, strict=True)])
    return Table(frame, "Plasma volume of four adults by two formulas (haematocrits are "
                 "illustrative)",
                 columns={"person": "Person", "hematocrit": "Haematocrit (fraction)",
                          "nadler": "Nadler (L)", "kaplan": "Kaplan (L)",
                          "gap": "Kaplan compared with Nadler"})


CLAIM_COLUMNS = {
    "sessions": "Sessions", "volume_pv": "Plasma volumes per session",
    "plasma_fall_pct": "Plasma IgG just after the last session: % lower",
    "body_fall_pct": "Whole-body IgG then: % lower",
    "removed_pct": "IgG removed in total (% of the starting body pool)",
    "made_pct": "IgG made during the course (% of the starting body pool)",
}


def claim_view(sessions: tuple[int, ...] = (1, 3, 5, 7),
               volumes_pv: tuple[float, ...] = (1.0, 1.5)) -> Table:
    """Show the "80–90%" claim measured three ways (see :func:`helpers.metrics.claim_table`)."""
    return Table(claim_table(sessions=sessions, volumes_pv=volumes_pv).round(1),
                 "Model: what a course of sessions every 2 days achieves, measured three ways "
                 "(albumin replacement)", columns=CLAIM_COLUMNS)


def v13_view(checks: pd.DataFrame) -> Table:
    """Set the "about 90%" design figure (V13) against two measures of a five-session course.

    Parameters
    ----------
    checks : pandas.DataFrame
        Output of :func:`helpers.model_validation.validation_table`.
    """
    rows = []
    for target in checks[checks["id"] == "V13"].itertuples():
        volume = 1.0 if target.case.startswith("1 PV") else 1.5
        claim = claim_table(sessions=(5,), volumes_pv=(volume,)).iloc[0]
        for measure, value in [("IgG removed in total (counts IgG made during the course)",
                                claim["removed_pct"]),
                               ("Whole-body IgG just after the last session: % lower",
                                claim["body_fall_pct"])]:
            inside = target.tolerance_low <= value <= target.tolerance_high
            rows.append({"course": f"5 × {volume:g} PV every 2 days", "measure": measure,
                         "model": round(value, 1), "range": target.tolerance,
                         "inside": "yes" if inside else "no"})
    return Table(pd.DataFrame(rows), "Model: the 'about 90%' design figure (reported by "
                 "teaching notes, a secondary source; not counted as a published value) "
                 "against two measures",
                 columns={"course": "Course", "measure": "Measure", "model": "Model (%)",
                          "range": "Range the course accepts (%)",
                          "inside": "Inside that range?"})


# Validation scopes that belong to plasma exchange (the others: notebook 02 and 04).
EXCHANGE_SCOPES = ("plasma_volume", "single_exchange", "two_compartment")
FITS_WORDS = {True: "yes", False: "no (a miss)"}
# Where each kind of comparison reads the model (quantity in data/validation_targets.csv).
COMPARED_AT = {
    "plasma_after_session_pct_of_pre": "just after the session",
    "plasma_at_equilibrium_pct_of_pre": (f"when plasma and tissue levels first come within "
                                         f"{EQUILIBRIUM_GAP_PCT:g} points of each other"),
    "plasma_reduction_before_last_session_pct": "just before the last exchange",
    "plasma_reduction_after_last_session_pct": "just after the last exchange",
    "body_igg_removed_pct": "in total, by the end of the last exchange",
}


def exchange_comparisons(checks: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame,
                                                        pd.DataFrame]:
    """Split the plasma-exchange rows of the validation table three ways.

    Parameters
    ----------
    checks : pandas.DataFrame
        Output of :func:`helpers.model_validation.validation_table`.

    Returns
    -------
    tuple of pandas.DataFrame
        ``(published, secondary, by_construction)``: comparisons with published values that
        no parameter was set from; comparisons with figures known only from a secondary
        source (the "about 90%" design figure), which are not counted as published values;
        and consistency checks that hold because the model contains the formula or was
        calibrated on the value. The first two gain a column ``compared_at`` (where the
        model is read) from ``data/validation_targets.csv``.
    """
    rows = checks[checks["model_scope"].isin(EXCHANGE_SCOPES)]
    quantities = load_table("validation_targets")[["id", "case", "quantity"]]
    rows = rows.merge(quantities, on=["id", "case"], how="left")
    rows = rows.assign(compared_at=rows["quantity"].map(COMPARED_AT))
    independent = rows[~rows["by_construction"]]
    secondary = independent["source_kind"] == "secondary"
    return independent[~secondary], independent[secondary], rows[rows["by_construction"]]


def validation_panel(checks: pd.DataFrame) -> Panel:
    """Show the counts, then the published comparisons and the consistency checks.

    Parameters
    ----------
    checks : pandas.DataFrame
        Output of :func:`helpers.model_validation.validation_table`.
    """
    published, _, constructed = exchange_comparisons(checks)
    counts, _ = independent_record(published)
    return Panel(
        f"For plasma exchange, the model is compared with {counts.values} published values "
        f"in {counts.scenarios} scenarios. It lies inside the course's accepted range in "
        f"{counts.in_range} of the {counts.scenarios} and inside the published value itself "
        f"in {counts.in_value}.",
        validation_view(published, "Published values the model was not built from",
                        itself=True),
        validation_view(constructed, "Consistency checks: these hold by construction, so they "
                        "do not test the model", why=True))


def shown_as(row: pd.Series) -> str:
    """How a value from ``data/`` may be shown to students, from its status and source kind."""
    if row["status"] == "assumption":
        return "assumption (unconfirmed)"
    if row["status"] == "derived":
        return "derived (arithmetic)"
    if row.get("source_kind") == "secondary":
        reporter = row.get("reported_by")
        return (f"reported by {reporter}" if isinstance(reporter, str) and reporter
                else "reported by a secondary source")
    if row.get("source_kind") == "formula":
        return "formula"
    return "published (checked)"


def validation_view(table: pd.DataFrame, caption: str, *, why: bool = False,
                    itself: bool = False) -> Table:
    """Show validation rows as a readable table (from :func:`helpers.model_validation`).

    Values seen only in a secondary source are shown as "Reported by …". Target codes are
    not shown: the scenario says what each row is.

    Parameters
    ----------
    table : pandas.DataFrame
        Rows of the validation table.
    caption : str
        What these rows are.
    why : bool, optional
        Add a column saying why each row holds by construction.
    itself : bool, optional
        Add where the model is read (``compared_at``, from :func:`exchange_comparisons`) and
        whether it lies inside the published value itself.
    """
    def source(row: pd.Series) -> str:
        text = str(row["source"])
        if row["source_kind"] == "secondary" and not text.lower().startswith("reported by"):
            return f"Reported by {text}"
        return text

    frame = table.assign(
        model=[round(value, 2 if unit == "L" else 1)
               for value, unit in zip(table["model_value"], table["unit"], strict=True)],
        fits=table["within_tolerance"].map(FITS_WORDS),
        cited=table.apply(source, axis=1),
        accepted=table["tolerance"] + " (" + table["unit"] + ")")
    columns = {"scenario": "Scenario", "published_value": "Published value",
               "cited": "Source"}
    if itself:
        frame["itself"] = table["inside_published"]
        columns["compared_at"] = "Model read"
    columns |= {"accepted": "Range the course accepts (unit)", "model": "Model value",
                "fits": "Inside that range?"}
    if itself:
        columns["itself"] = "Inside the published value itself?"
    if why:
        columns["comparison_note"] = "Why it holds by construction"
    return Table(frame, caption, columns=columns)


PARAMETER_NAMES = {
    "intravascular_fraction": "Share of body IgG in the plasma",
    "half_life_days": "Whole-body IgG half-life",
    "return_rate_per_day": "Return from tissues to plasma",
    "fcrn_exponent": "FcRn saturation (α)",
    "synthesis_multiplier": "IgG production (1 = normal)",
    "baseline_igg_g_per_l": "Normal plasma IgG level",
    "session_duration_hours": "Session length",
    "exchange_volume_pv": "Volume per session",
    "plasma_replacement_relative_igg": "IgG in donor plasma (1 = the patient's normal level)",
}
# Parameters of other treatments, shown in their own notebook (04), not here.
OTHER_TREATMENT_PARAMETERS = ("fcrn_free_catabolism_multiplier",)
STATUS_WORDS = {"measured": "published (checked)", "derived": "derived or calibrated",
                "assumption": "assumption"}
# The course's own modelling choices, labelled as such whatever their data status.
CHOICE_WORDS = {"fcrn_exponent": "the course's modelling choice: calibrated on IVIG "
                                 "(the sourcebook's default is 0, no saturation)"}
UNIT_WORDS = {"d": "days", "1/d": "per day", "h": "hours", "dimensionless": "no unit"}


def parameter_view() -> Table:
    """Show the model's default parameters with their units, status and source."""
    sources = IgGParameters.sources()
    sources = sources[~sources["parameter"].isin(OTHER_TREATMENT_PARAMETERS)]
    names = [PARAMETER_NAMES.get(code, code.replace("_", " ").capitalize())
             for code in sources["parameter"]]
    status = [CHOICE_WORDS.get(code, STATUS_WORDS[value])
              for code, value in zip(sources["parameter"], sources["status"], strict=True)]
    frame = sources.assign(name=names, status_words=status,
                           unit_words=sources["unit"].replace(UNIT_WORDS))
    return Table(frame, "The model's parameters and where each comes from",
                 columns={"name": "Parameter", "value": "Default", "unit_words": "Unit",
                          "status_words": "Status", "source": "Source"})


def risk_view() -> Table:
    """Risks of plasma exchange from ``data/plasma_exchange_risks.csv``."""
    risks = load_table("plasma_exchange_risks")
    frame = risks.assign(shown=risks.apply(shown_as, axis=1))
    return Table(frame, "Risks of plasma exchange: what was found, in whom, and the source",
                 columns={"risk": "Risk", "finding": "What was found", "scope": "In whom",
                          "shown": "Source kind", "source": "Source"})
