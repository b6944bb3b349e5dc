"""Widget apps for notebook 04: the side-by-side comparison explorer and the exercises."""

from __future__ import annotations

import html

import ipywidgets as widgets

from helpers.apps.common import (
    NOTICE,
    STYLE,
    WIDE,
    AnswerChecker,
    Exercise,
    ExplorerOutputs,
    LiveFigure,
    build_exercise,
    explorer_layout,
    html_table,
    refresh_new_view_state,
    slider,
)
from helpers.checks import ParameterError
from helpers.figures.alternatives import (
    DEFAULT_SETTINGS,
    OPTION_NAMES,
    PANEL_STYLES,
    Outcome,
    comparison_figure,
    comparison_table,
    describe_comparison,
    option_outcome,
    teaching_numbers,
)
from helpers.kinetics import FCRN_DRUGS, FCRN_FREE_MULTIPLIER, IgGParameters

__all__ = ["EXERCISES", "ComparisonExplorer", "OptionPanel", "comparison_explorer",
           "exercise", "summary_item"]

# Which settings each option shows, in order.
OPTION_CONTROLS = {
    "none": [],
    "exchange": ["start_day", "n_sessions", "volume_pv", "interval_days", "replacement"],
    "adsorption": ["start_day", "column", "n_sessions", "adsorption_volume_pv",
                   "interval_days"],
    "fcrn": ["start_day", "drug", "n_doses", "dose_interval_days"],
    "ivig": ["start_day", "dose_g_per_kg", "infusion_days"],
    "rituximab": ["start_day"],
}
DEFAULT_OPTIONS = ("exchange", "fcrn", "ivig")


class OptionPanel:
    """The controls of one option (A, B or C): which option, and its own settings.

    Attributes
    ----------
    letter : str
        "A", "B" or "C".
    option : ipywidgets.Dropdown
        Which option.
    controls : dict of str to ipywidgets.Widget
        Every setting by name (see :data:`helpers.figures.alternatives.DEFAULT_SETTINGS`);
        only the ones the chosen option uses are shown.
    box : ipywidgets.VBox
        The panel as shown.
    """

    def __init__(self, letter: str, option: str) -> None:
        self.letter = letter
        self.option = widgets.Dropdown(
            options=[(name, key) for key, name in OPTION_NAMES.items()], value=option,
            description=f"Option {letter}", style=STYLE, layout=WIDE)
        d = DEFAULT_SETTINGS
        self.controls: dict[str, widgets.Widget] = {
            "start_day": slider("Starts on day", float(d["start_day"]), 0.0, 30.0, 1.0, ".0f"),
            "n_sessions": widgets.IntSlider(value=int(d["n_sessions"]), min=1, max=10,
                                            description="Sessions", style=STYLE, layout=WIDE),
            "volume_pv": slider("Plasma volumes each", float(d["volume_pv"]), 0.5, 2.0, 0.1,
                                ".1f"),
            "adsorption_volume_pv": slider("Plasma volumes through the column",
                                           float(d["adsorption_volume_pv"]), 0.5, 3.0, 0.1,
                                           ".1f"),
            "interval_days": slider("Days between sessions", float(d["interval_days"]), 1.0,
                                    7.0, 0.5, ".1f"),
            "replacement": widgets.ToggleButtons(
                options=[("Albumin", "albumin"), ("Donor plasma", "plasma")],
                value=str(d["replacement"]), description="Replacement fluid", style=STYLE),
            "column": widgets.ToggleButtons(
                options=[("Protein A", "protein_a"), ("Tryptophan", "tryptophan")],
                value=str(d["column"]), description="Column", style=STYLE),
            "drug": widgets.Dropdown(options=[(drug.capitalize(), drug) for drug in FCRN_DRUGS],
                                     value=str(d["drug"]), description="Drug", style=STYLE,
                                     layout=WIDE),
            "n_doses": widgets.IntSlider(value=int(d["n_doses"]), min=1, max=12,
                                         description="Doses", style=STYLE, layout=WIDE),
            "dose_interval_days": slider("Days between doses", float(d["dose_interval_days"]),
                                         1.0, 28.0, 1.0, ".0f"),
            "dose_g_per_kg": slider("IVIG dose (g/kg)", float(d["dose_g_per_kg"]), 0.4, 3.0,
                                    0.1, ".1f"),
            "infusion_days": slider("Given over (days)", float(d["infusion_days"]), 1.0, 5.0,
                                    1.0, ".0f"),
        }
        self.settings_box = widgets.VBox()
        self.box = widgets.VBox([self.option, self.settings_box])
        self.box.add_class(f"option-panel-{letter.lower()}")
        self._show_controls()
        self.option.observe(lambda _change: self._show_controls(), names="value")

    def _show_controls(self) -> None:
        self.settings_box.children = tuple(self.controls[name]
                                           for name in OPTION_CONTROLS[self.option.value])

    def settings(self) -> dict[str, float | str]:
        """Return the option's current settings (every control, shown or not)."""
        return {name: control.value for name, control in self.controls.items()}


def summary_item(letter: str, outcome: Outcome, days: float) -> str:
    """One line of the live summary for one option; true at every setting (HTML)."""
    name = html.escape(outcome.label)
    if outcome.option == "none":
        return f"<b>{letter}</b>: nothing given; the autoantibody stays at 100% of baseline."
    if not outcome.started:
        return (f"<b>{letter}</b> ({name}): starts on day {outcome.first_day:g}, at the end of "
                f"the {days:g} days shown; lengthen <i>Days shown</i> to see it.")
    low = outcome.lowest_autoantibody_pct
    if low >= 99.5:
        auto = "the autoantibody stays at about 100% of baseline"
    else:
        auto = (f"the autoantibody is lowest at <b>{low:.0f}%</b> of baseline on day "
                f"{outcome.lowest_autoantibody_day:.1f}, and at {outcome.end_autoantibody_pct:.0f}%"
                f" on day {days:g}")
    high = outcome.highest_total_g_per_l
    total = f"total IgG from {outcome.lowest_total_g_per_l:.2f} to {high:.2f} g/L"
    if outcome.highest_total_g_per_l > outcome.result["plasma_igg_g_per_l"].iloc[0] + 0.05:
        total += (f" (above normal because donor IgG was given; highest on day "
                  f"{outcome.highest_total_day:.1f})")
    return f"<b>{letter}</b> ({name}): {auto}; {total}."


class ComparisonExplorer(ExplorerOutputs):
    """Up to three options side by side: the same patient, the same axes.

    Attributes
    ----------
    panels : list of OptionPanel
        The three option panels, A to C.
    days : ipywidgets.IntSlider
        Days shown.
    figure : plotly.graph_objects.FigureWidget
        Top row: autoantibody (% of baseline), traces 0–2; bottom row: total IgG (g/L),
        traces 3–5.
    outcomes : list of Outcome
        The current model outputs, one per panel.
    """

    def __init__(self, options: tuple[str, str, str] = DEFAULT_OPTIONS) -> None:
        self.params = IgGParameters()
        self.panels = [OptionPanel(letter, option)
                       for (letter, *_), option in zip(PANEL_STYLES, options, strict=True)]
        self.days = widgets.IntSlider(value=90, min=30, max=180, step=10, description="Days shown",
                                      style=STYLE, layout=WIDE)
        self.figure = LiveFigure(comparison_figure(self.days.value,
                                                        self.params.baseline_igg_g_per_l))
        self._build_outputs()
        self.outcomes: list[Outcome] = []
        patient = widgets.HTML(
            "<b>The same patient for every option:</b> 70 kg, normal IgG "
            f"{self.params.baseline_igg_g_per_l:g} g/L, the course's default model. Each option "
            "has its own controls; compare them on the same axes.")
        self.widget = explorer_layout(
            notice=NOTICE,
            control_groups=[widgets.VBox([patient, self.days]),
                            *[panel.box for panel in self.panels]],
            figure=self.figure, under_figure=[self.message, self.summary],
            below=[self.description, self.table_toggle, self.table],
            css_class="comparison-explorer")
        self.summary.add_class("explorer-summary")
        for control in self.all_controls():
            control.observe(self._on_change, names="value")
        self.update()

    def all_controls(self) -> list[widgets.Widget]:
        """Every control of the explorer (days shown, each panel's option and settings)."""
        return [self.days] + [control for panel in self.panels
                              for control in (panel.option, *panel.controls.values())]

    def update(self) -> None:
        """Re-run the model for every option and update the figure and the text."""
        days = float(self.days.value)
        try:
            outcomes = [option_outcome(panel.option.value, panel.settings(), days, self.params)
                        for panel in self.panels]
        except ParameterError as error:
            self._show_problem(error, "options")
            return
        self.message.value = ""
        self.outcomes = outcomes
        with self.figure.batch_update():
            for index, outcome in enumerate(outcomes):
                day = outcome.result["day"].to_numpy()
                self.figure.data[index].x = day
                self.figure.data[index].y = outcome.result["autoantibody_plasma_pct"].to_numpy()
                self.figure.data[index + 3].x = day
                self.figure.data[index + 3].y = outcome.result["plasma_igg_g_per_l"].to_numpy()
            self.figure.layout.xaxis.range = [0, days]
            self.figure.layout.xaxis2.range = [0, days]
        refresh_new_view_state(self.figure)
        self._show_summary("Summary (model outputs, not targets)",
                           [summary_item(letter, outcome, days) for (letter, *_), outcome
                            in zip(PANEL_STYLES, outcomes, strict=True)])
        self._show_description(describe_comparison(outcomes, days))
        if self.table_toggle.value:
            self._render_table()

    def _render_table(self) -> None:
        table = comparison_table(self.outcomes)
        columns = {"day": "Day"}
        for letter, *_ in PANEL_STYLES:
            columns[f"{letter}_auto"] = f"{letter}: autoantibody (% of baseline)"
            columns[f"{letter}_total"] = f"{letter}: total IgG (g/L)"
        self.table.value = html_table(table, "Data behind the figure, one row per week",
                                      columns=columns)

    def _on_change(self, _change: dict) -> None:
        self.update()


def comparison_explorer(options: tuple[str, str, str] = DEFAULT_OPTIONS) -> ComparisonExplorer:
    """Build the comparison explorer (options A, B, C; see :data:`OPTION_NAMES`)."""
    return ComparisonExplorer(options)


EXERCISES = {
    "fcrn-floor": Exercise(
        question="Every FcRn receptor is blocked for good, and IgG production goes on as normal. "
                 "At what level does plasma IgG settle, as % of baseline? (one decimal)",
        answer=lambda: teaching_numbers().fcrn_floor_pct, tolerance=0.6, unit="%",
        hint="At the new steady state, production equals breakdown; breakdown is now m_max "
             "times faster for the same amount of IgG.",
        explanation=f"Production is unchanged and IgG is broken down {FCRN_FREE_MULTIPLIER:g} "
                    f"times faster, so IgG settles at 1/{FCRN_FREE_MULTIPLIER:g} of baseline, "
                    "whatever the drug."),
    "ivig-peak": Exercise(
        question="In the explorer, set one option to IVIG 2 g/kg over 5 days. What is the "
                 "highest total IgG in plasma, in g/L?",
        answer=lambda: teaching_numbers().ivig_peak_g_per_l, tolerance=1.0, unit="g/L",
        hint="Read the bottom plot (total IgG), or the summary under the plot.",
        explanation="The 140 g given to a 70-kg patient is about twice the body's own IgG; "
                    "the peak comes at the end of the infusion, before the tissues have "
                    "taken their share and before the faster breakdown has removed much."),
    "rituximab-month": Exercise(
        question="Rituximab from day 0: what is the autoantibody level after 30 days, as % of "
                 "baseline?",
        answer=lambda: teaching_numbers().rituximab_month_pct, tolerance=2.0, unit="%",
        hint="Set an option to rituximab and read the top plot at day 30.",
        explanation="Production of the autoantibody stops almost completely, but the antibody "
                    "already made is broken down at its usual pace (half-life about 3 weeks), "
                    "so after a month a good part is still there."),
}


def exercise(name: str) -> AnswerChecker:
    """Build exercise ``name`` of notebook 04 (answers computed by the model)."""
    return build_exercise(EXERCISES, name)
