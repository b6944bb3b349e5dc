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
    AUTOANTIBODY_VIEWS,
    DEFAULT_SETTINGS,
    FCRN_CALIBRATION_WARNING,
    MARKER_LEVEL_PCT,
    OPTION_NAMES,
    PANEL_STYLES,
    Outcome,
    comparison_figure,
    comparison_table,
    describe_comparison,
    fcrn_drug_note,
    option_outcome,
    teaching_numbers,
)
from helpers.kinetics import FCRN_DRUGS, FCRN_FREE_MULTIPLIER, IgGParameters, treatment_value

__all__ = ["EXERCISES", "ComparisonExplorer", "OptionPanel", "comparison_explorer",
           "exercise", "summary_item"]

# Which settings each option shows, in order.
OPTION_CONTROLS = {
    "none": [],
    "exchange": ["start_day", "n_sessions", "volume_pv", "interval_days", "replacement"],
    "adsorption": ["start_day", "column", "n_sessions", "adsorption_volume_pv",
                   "interval_days"],
    "fcrn": ["start_day", "drug", "drug_note", "n_doses", "dose_interval_days"],
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
            "drug_note": widgets.HTML(),
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
        self._show_drug_note()
        self.option.observe(lambda _change: self._show_controls(), names="value")
        self.controls["drug"].observe(lambda _change: self._show_drug_note(), names="value")

    def _show_drug_note(self) -> None:
        self.controls["drug_note"].value = (
            f"<small>{html.escape(fcrn_drug_note(self.controls['drug'].value))}</small>")

    def _show_controls(self) -> None:
        self.settings_box.children = tuple(self.controls[name]
                                           for name in OPTION_CONTROLS[self.option.value])

    def settings(self) -> dict[str, float | str]:
        """Return the option's current settings (every control, shown or not)."""
        return {name: control.value for name, control in self.controls.items()
                if name != "drug_note"}


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
        auto = "the autoantibody stays at about 100% of baseline (in plasma and in the body)"
    else:
        auto = (f"the autoantibody in plasma is lowest at <b>{low:.0f}%</b> of baseline on day "
                f"{outcome.lowest_autoantibody_day:.1f}, and at {outcome.end_autoantibody_pct:.0f}%"
                f" on day {days:g}")
    body = (f" (in the whole body, plasma and tissues: lowest "
            f"{outcome.lowest_body_autoantibody_pct:.0f}%)" if low < 99.5 else "")
    high = outcome.highest_total_g_per_l
    total = (f"total IgG in plasma stays between {outcome.lowest_total_g_per_l:.2f} g/L (lowest) "
             f"and {high:.2f} g/L (highest)")
    if outcome.highest_total_g_per_l > outcome.result["plasma_igg_g_per_l"].iloc[0] + 0.05:
        total += (f", above normal because donor IgG was given (highest on day "
                  f"{outcome.highest_total_day:.1f})")
    elif outcome.option == "exchange" and "donor plasma" in outcome.label:
        total += ", close to normal because donor plasma brings normal IgG back"
    notes = "".join(f" <i>{html.escape(note)}</i>" for note in outcome.notes)
    return f"<b>{letter}</b> ({name}): {auto}{body}; {total}.{notes}"


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
        self.view = widgets.ToggleButtons(
            options=[("In plasma", "plasma"), ("In the whole body", "body")], value="plasma",
            description="Autoantibody", style=STYLE,
            tooltips=["What a blood test measures",
                      "Plasma and tissues together: what is left in the body"])
        self.figure = LiveFigure(comparison_figure(self.days.value,
                                                   self.params.baseline_igg_g_per_l))
        self._build_outputs()
        self.outcomes: list[Outcome] = []
        patient = widgets.HTML(
            "<b>The same model adult for every option:</b> 70 kg, normal IgG "
            f"{self.params.baseline_igg_g_per_l:g} g/L, the course's default model. Each option "
            "has its own controls; compare them on the same axes. PV = plasma volume.")
        warning = widgets.HTML(f"<p><b>FcRn blockers:</b> {html.escape(FCRN_CALIBRATION_WARNING)}"
                               "</p>")
        self.widget = explorer_layout(
            notice=NOTICE,
            control_groups=[widgets.VBox([patient, self.days, self.view]),
                            *[panel.box for panel in self.panels]],
            figure=self.figure, under_figure=[self.message, self.summary, warning],
            actions=[self.table_toggle], below=[self.description, self.table],
            css_class="comparison-explorer")
        self.summary.add_class("explorer-summary")
        for control in self.all_controls():
            control.observe(self._on_change, names="value")
        self.update()

    def all_controls(self) -> list[widgets.Widget]:
        """Every control of the explorer (days shown, each panel's option and settings)."""
        return [self.days, self.view] + [
            control for panel in self.panels
            for name, control in (("option", panel.option), *panel.controls.items())
            if name != "drug_note"]

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
        column, title = AUTOANTIBODY_VIEWS[self.view.value]
        with self.figure.batch_update():
            for index, ((letter, *_), outcome) in enumerate(zip(PANEL_STYLES, outcomes,
                                                                strict=True)):
                day = outcome.result["day"].to_numpy()
                name = f"{letter}: {outcome.short}"
                for trace, values in ((self.figure.data[index], outcome.result[column]),
                                      (self.figure.data[index + 3],
                                       outcome.result["plasma_igg_g_per_l"])):
                    trace.x, trace.y, trace.name = day, values.to_numpy(), name
                markers = self.figure.data[index + 6]
                markers.x = list(outcome.procedure_days)
                markers.y = [MARKER_LEVEL_PCT] * len(outcome.procedure_days)
                markers.name = f"{name}, sessions or doses"
            self.figure.layout.annotations[0].text = title
            self.figure.layout.xaxis.range = [0, days]
            self.figure.layout.xaxis2.range = [0, days]
        refresh_new_view_state(self.figure)
        self._show_summary("Summary (model outputs, not targets)",
                           [summary_item(letter, outcome, days) for (letter, *_), outcome
                            in zip(PANEL_STYLES, outcomes, strict=True)])
        self._show_description(describe_comparison(outcomes, days, self.view.value))
        if self.table_toggle.value:
            self._render_table()

    def _render_table(self) -> None:
        table = comparison_table(self.outcomes)
        columns = {"day": "Day"}
        for (letter, *_), outcome in zip(PANEL_STYLES, self.outcomes, strict=True):
            columns[f"{letter}_auto"] = (f"{letter} ({outcome.short}): autoantibody in plasma "
                                         "(% of baseline)")
            columns[f"{letter}_body"] = (f"{letter} ({outcome.short}): autoantibody in the whole "
                                         "body (% of baseline)")
            columns[f"{letter}_total"] = f"{letter} ({outcome.short}): total IgG (g/L)"
        self.table.value = html_table(table, "Data behind the figure, one row per week",
                                      columns=columns)

    def _on_change(self, _change: dict) -> None:
        self.update()


def comparison_explorer(options: tuple[str, str, str] = DEFAULT_OPTIONS) -> ComparisonExplorer:
    """Build the comparison explorer (options A, B, C; see :data:`OPTION_NAMES`)."""
    return ComparisonExplorer(options)


_FLOOR = 100.0 / FCRN_FREE_MULTIPLIER
_HALF_LIFE_DAYS = IgGParameters().half_life_days
_RITUXIMAB_LEFT = treatment_value("rituximab", "any", "autoantibody_production_fraction")

EXERCISES = {
    "fcrn-floor": Exercise(
        question="Every FcRn receptor is blocked for good, and IgG production goes on as normal. "
                 "At what level does plasma IgG settle, as % of baseline? (one decimal)",
        answer=lambda: round(teaching_numbers().fcrn_floor_pct, 1), tolerance=0.6, unit="%",
        hint=f"At the new steady state, production equals breakdown. With no recycling at all, "
             f"breakdown is {FCRN_FREE_MULTIPLIER:g} times faster than normal for the same "
             "amount of IgG (the highest multiplier m_max, section 1).",
        explanation=f"Production is unchanged and IgG is broken down {FCRN_FREE_MULTIPLIER:g} "
                    f"times faster, so IgG settles at 1/{FCRN_FREE_MULTIPLIER:g} of baseline, "
                    "whatever the drug.",
        common_mistakes={
            0.0: "IgG does not fall to zero: production goes on, and breakdown, though faster, "
                 "removes a share of what is there, so the two balance at some level above zero.",
            round(100.0 - _FLOOR, 1): "That is the fall; the question asks for the level that "
                                      "is left (100% minus the fall).",
            round(_FLOOR / 100.0, 3): "That is a fraction; give it as a percentage of "
                                      "baseline.",
        }),
    "ivig-autoantibody": Exercise(
        question="In the explorer, set one option to IVIG 2 g/kg over 5 days. At its lowest, "
                 "by how much has the autoantibody in plasma fallen, in % of baseline?",
        answer=lambda: round(100.0 - teaching_numbers().ivig_auto_low_pct, 1), tolerance=1.5,
        unit="%",
        hint="Read the lowest point of the IVIG line in the top plot (or the summary under the "
             "plot), and give the fall: 100% minus that level.",
        explanation="IVIG is not the patient's antibody: the autoantibody falls only because "
                    "the flood of donor IgG saturates FcRn recycling, so every IgG molecule is "
                    "broken down a little faster. In the model that gives a fall of about a "
                    "fifth, a few weeks after the infusion.",
        common_mistakes={
            round(teaching_numbers().ivig_auto_low_pct, 1):
                "That is the level that is left; the question asks for the fall (100% minus "
                "the level).",
            0.0: "It does fall in the model, a little: donor IgG saturates the FcRn receptors "
                 "(it would not fall only with α = 0).",
        }),
    "rituximab-month": Exercise(
        question="Rituximab from day 0: what is the autoantibody level in plasma after 30 days, "
                 "as % of baseline?",
        answer=lambda: round(teaching_numbers().rituximab_month_pct, 1), tolerance=2.0, unit="%",
        hint="Set an option to rituximab and read the top plot at day 30.",
        explanation="Production of the autoantibody falls to a small fraction, but the "
                    "antibody already made is broken down at its usual pace (half-life about 3 "
                    "weeks), so after a month a good part is still there.",
        common_mistakes={
            round(100.0 * 2.0 ** (-30.0 / _HALF_LIFE_DAYS), 1):
                "That is a simple half-life calculation, which assumes production stops "
                "completely and plasma empties like one pool. In the model some production "
                f"continues (the assumed {100 * _RITUXIMAB_LEFT:.1f}% of normal) and IgG from "
                "the tissues flows back "
                "into the plasma, so the level stays a little higher: read it off the plot.",
            round(100.0 - teaching_numbers().rituximab_month_pct, 1):
                "That is the fall; the question asks for the level that is left.",
        }),
}


def exercise(name: str) -> AnswerChecker:
    """Build exercise ``name`` of notebook 04 (answers computed by the model)."""
    return build_exercise(EXERCISES, name)
