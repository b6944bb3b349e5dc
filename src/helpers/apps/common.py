"""Shared pieces of the widget apps: styles, sliders, explorer outputs, answer checkers.

Each app object has a ``widget`` attribute that a notebook displays (the object also displays
itself) and controls that tests can drive directly.

Figure pattern. An explorer keeps one ``plotly.graph_objects.FigureWidget`` and changes its
data in one ``batch_update`` per control change: a single small message, no new figure, so a
slider move reaches the plot in well under the time of a re-draw. plotly keeps a new view's
starting point in a synced trait that it only refreshes when the figure itself is displayed,
so a page reload (or a second view, or Voila) would show the figure as it was first drawn.
After each update the app therefore refreshes that state on the kernel side only, without a
change notification (:func:`refresh_new_view_state`), so no second copy of the data is sent
to open views. A reloaded page then draws the current state (checked in pytest and in the
browser test).

Every live figure is a :class:`LiveFigure`: a ``FigureWidget`` whose batched updates give
every changed property a value for every trace in the message (see its docstring for the
plotly bug this avoids).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as widgets
import plotly.graph_objects as go
from plotly.basedatatypes import BaseFigure, Undefined

from helpers.checks import ParameterError
from helpers.figures.common import html_table

__all__ = [
    "BUTTON",
    "NOTICE",
    "STYLE",
    "WIDE",
    "AnswerChecker",
    "Displayable",
    "Exercise",
    "ExplorerOutputs",
    "FitPlots",
    "LiveFigure",
    "build_exercise",
    "explorer_layout",
    "fitted_column",
    "format_quantity",
    "html_table",
    "refresh_new_view_state",
    "slider",
]

STYLE = {"description_width": "17em"}
WIDE = widgets.Layout(width="40em")
BUTTON = widgets.Layout(width="fit-content")
NOTICE = ("Educational model of IgG levels, not a treatment plan. No trial has shown that "
          "lowering antibodies helps people with fibromyalgia.")


def slider(description: str, value: float, low: float, high: float, step: float,
            readout_format: str = ".2f") -> widgets.FloatSlider:
    """Build a labelled float slider that updates continuously, in the course style."""
    return widgets.FloatSlider(value=value, min=low, max=high, step=step,
                               description=description, style=STYLE, layout=WIDE,
                               readout_format=readout_format, continuous_update=True)



class LiveFigure(go.FigureWidget):
    """The ``FigureWidget`` of every app whose plot changes while a student moves a control.

    One ``batch_update`` becomes one ``plotly_update`` message listing, for each changed
    property, one value per trace of the message; plotly fills the traces whose property did
    not change with ``Undefined`` (sent as the string ``"_undefined_"``). plotly's JavaScript
    model (plotly 6-7 on anywidget) stores these messages without decoding them, so such a
    trace's property becomes the string ``"_undefined_"`` in the browser's copy of the data.
    The view then reports the whole property back as changed, and plotly's Python handler
    fails on it (``ValueError: The truth value of an array ... is ambiguous`` in
    ``_remove_overlapping_props``, whenever, e.g., the session markers move but the curves'
    time axis does not). Here every such gap is filled with the trace's current, unchanged
    value (``None`` when it has none, which the browser reads as "unset"), so the message
    never carries ``"_undefined_"``; it stays one message and one redraw.

    It is also drawn "responsive" (plotly's ``config.responsive``), so that
    :class:`FitPlots` can fit it to the width of its box.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._config = {**self._config, "responsive": True}

    def _build_update_params_from_batch(self) -> tuple[dict, dict, list[int]]:
        restyle_data, relayout_data, trace_indexes = super()._build_update_params_from_batch()
        for key_path, values in restyle_data.items():
            for position, trace_index in enumerate(trace_indexes):
                if values[position] is Undefined:
                    values[position] = _current_value(self._data[trace_index], key_path)
        return restyle_data, relayout_data, trace_indexes


def _current_value(trace_props: dict, key_path: str) -> Any:
    """Return the value at ``key_path`` (``"x"``, ``"marker.color"``) of a trace, or None."""
    node: Any = trace_props
    for key in BaseFigure._str_to_dict_path(key_path):
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def refresh_new_view_state(figure: go.FigureWidget) -> None:
    """Make a FigureWidget's next view (page reload, second view) start from its current state.

    plotly refreshes the synced ``_widget_data``/``_widget_layout`` only when the figure
    itself is displayed; updates made afterwards reach open views as messages but not the
    state a new view is built from. traitlets keeps trait values in ``_trait_values``:
    writing there changes what ``Widget.get_state()`` gives a new view, without a change
    notification, so nothing is re-sent to the views already showing the data. plotly's own
    current data and layout dicts are shared, not copied; they are serialised when asked.

    Parameters
    ----------
    figure : plotly.graph_objects.FigureWidget
        The figure just updated.
    """
    figure._trait_values["_widget_data"] = figure._data
    figure._trait_values["_widget_layout"] = figure._layout_obj._props


class Displayable:
    """Mixin: display the app's ``widget`` when the app object ends a cell."""

    widget: widgets.Widget

    def _repr_mimebundle_(self, **kwargs: object) -> dict | None:
        return self.widget._repr_mimebundle_(**kwargs)


# Controls inside an explorer's control column: full column width, shorter labels.
COLUMN_STYLE = {"description_width": "9em"}
# A widget 100% wide keeps ipywidgets' 2 px side margins only at the cost of its last 2 px
# (JupyterLab cuts what passes the output's edge): full-width widgets have none.
FULL_WIDTH_MARGIN = "2px 0"
_HERE = Path(__file__).resolve().parent


class FitPlots(anywidget.AnyWidget):
    """Invisible widget that keeps the plotly figures of its box as wide as the box.

    plotly's ``FigureWidget`` view is drawn before JupyterLab attaches it to the page, so it
    starts at plotly's default 700 px whatever room it has and is never resized: inside a
    narrower output its right side, title and legend are cut off. Put one of these in the
    same box as the figure (:func:`explorer_layout` does; other apps use
    :func:`fitted_column`); in the browser it asks plotly to fit each figure to its box
    whenever the widths differ. It also loads the explorers' stylesheet.
    """

    _esm = (_HERE / "fit_plots.js").read_text(encoding="utf-8")
    _css = (_HERE / "explorer.css").read_text(encoding="utf-8")

    def __init__(self) -> None:
        super().__init__(layout=widgets.Layout(width="0", height="0", overflow="hidden"))


def fitted_column(children: list[widgets.Widget]) -> widgets.VBox:
    """Stack ``children`` in a box whose plotly figures always fit its width."""
    column = widgets.VBox([*children, FitPlots()], layout=widgets.Layout(min_width="0"))
    column.add_class("fit-plots")
    return column


def _labelled_controls(boxes: list[widgets.Widget]) -> list[widgets.Widget]:
    """Every labelled control inside ``boxes``, however deeply nested."""
    found = []
    for widget in boxes:
        if isinstance(widget, widgets.ValueWidget) and hasattr(widget, "style") and \
                hasattr(widget.style, "description_width"):
            found.append(widget)
        found += _labelled_controls(list(getattr(widget, "children", ())))
    return found


def explorer_layout(*, notice: str, control_groups: list[widgets.Widget],
                    figure: widgets.DOMWidget, under_figure: list[widgets.Widget],
                    below: list[widgets.Widget], css_class: str,
                    actions: list[widgets.Widget] = ()) -> widgets.VBox:
    """Lay out an explorer so that its plot stays in view while any control moves.

    On a wide screen the controls sit in a column beside the plot, with the live summary
    under the plot; on a narrow one (the app itself narrower than 48em, e.g. JupyterLab in an
    800 px window) the plot comes first, then the controls in as many columns as fit, then
    the summary. The plot always takes the full width left to it (see
    :class:`FitPlots`); the layout itself is in ``explorer.css``.

    Parameters
    ----------
    notice : str
        The "educational model" notice shown first (plain text).
    control_groups : list of ipywidgets.Widget
        Boxes of labelled controls, in reading order.
    figure : plotly.graph_objects.FigureWidget
        The plot.
    under_figure : list of ipywidgets.Widget
        Shown under the plot (message, summary).
    below : list of ipywidgets.Widget
        Shown under the whole explorer (figure description, data table).
    css_class : str
        Class of the outer box, for tests and the browser. Every explorer also has the
        class ``explorer``.
    actions : list of ipywidgets.Widget, optional
        Buttons (pin, reset, show the data table or the advanced parameters), placed at the
        end of the controls so that the plot stays in view while they are used.

    Returns
    -------
    ipywidgets.VBox
        The whole app.
    """
    for control in _labelled_controls(control_groups):
        control.style.description_width = COLUMN_STYLE["description_width"]
        control.layout.width = "100%"
        control.layout.max_width = "30em"
        control.layout.margin = FULL_WIDTH_MARGIN
        if isinstance(control, widgets.ToggleButtons):  # options side by side, as wide as
            control.style.button_width = "auto"        # their text, not one per line
    for action in actions:
        if isinstance(action, widgets.Box):  # a row of buttons wraps rather than cut labels
            action.layout.flex_flow = "row wrap"
    controls = widgets.VBox([*control_groups, *actions])
    controls.add_class("explorer-controls")
    plot = widgets.VBox([figure, FitPlots()])
    plot.add_class("explorer-plot")
    under = widgets.VBox(list(under_figure))
    under.add_class("explorer-under")
    body = widgets.Box([controls, plot, under], layout=widgets.Layout(width="100%"))
    body.add_class("explorer-body")
    app = widgets.VBox([
        widgets.HTML(f"<p role='note'><em>{html.escape(notice)}</em></p>"),
        body,
        *below,
    ], layout=widgets.Layout(width="100%"))
    app.add_class("explorer")
    app.add_class(css_class)
    return app


class ExplorerOutputs(Displayable):
    """Outputs shared by the explorers: summary, figure description, message, data table.

    Subclasses call :meth:`_build_outputs` in their constructor and implement
    ``_render_table``, which fills ``self.table`` when the student asks for the data.
    """

    def _build_outputs(self) -> None:
        self.table_toggle = widgets.ToggleButton(value=False, description="Show data table",
                                                 icon="table", layout=BUTTON)
        self.summary = widgets.HTML(layout=widgets.Layout(width="100%",
                                                          margin=FULL_WIDTH_MARGIN))
        self.description = widgets.HTML(layout=widgets.Layout(width="100%",
                                                              margin=FULL_WIDTH_MARGIN))
        self.message = widgets.HTML()
        self.table = widgets.HTML(layout=widgets.Layout(display="none", max_height="22em",
                                                        overflow="auto"))
        self.table_toggle.observe(self._on_table, names="value")

    def _render_table(self) -> None:
        raise NotImplementedError

    def _labelled(self, error: ParameterError) -> ParameterError:
        """Return the same error, naming the control's label instead of the parameter.

        Uses the subclass's ``controls`` (a dict of parameter name to labelled widget).
        """
        control = getattr(self, "controls", {}).get(error.name)
        if control is None:
            return error
        text = str(error).replace(error.name, f"“{control.description}”", 1)
        labelled = ParameterError(error.name, error.value, "")
        labelled.args = (text,)
        return labelled

    def _show_problem(self, error: ParameterError, kept: str) -> None:
        """Explain an invalid combination in the widget; the plot keeps ``kept``."""
        self.message.value = (
            "<p role='alert' style='color:#B00020'><b>Cannot run this combination:</b> "
            f"{html.escape(str(error))} The plot still shows the last valid {kept}.</p>")

    def _show_description(self, text: str) -> None:
        """Show the figure's generated text description."""
        self.description.value = ("<p class='figure-description'><b>Figure description:</b> "
                                  f"{html.escape(text)}</p>")

    def _show_summary(self, title: str, items: list[str]) -> None:
        """Show the live summary: a heading and a list of (HTML) items."""
        self.summary.value = (f"<div aria-live='polite'><b>{title}</b><ul>"
                              + "".join(f"<li>{item}</li>" for item in items) + "</ul></div>")

    def _on_table(self, change: dict) -> None:
        self.table.layout.display = "block" if change["new"] else "none"
        self.table_toggle.description = "Hide data table" if change["new"] else "Show data table"
        if change["new"]:
            self._render_table()


def format_quantity(value: float, unit: str) -> str:
    """Write a number with its unit as a person would: ``13 days``, ``63%``, ``2.3 L``."""
    number = f"{value:g}"
    if unit in {"%", "% of baseline"}:
        return f"{number}{unit}"
    if unit == "days" and value == 1:
        return f"{number} day"
    return f"{number} {unit}".strip()


class AnswerChecker(Displayable):
    """A numeric exercise: the student types an answer, checks it, and gets feedback.

    The correct value is computed by the topic module that builds the exercise (never written
    in the notebook). An empty box is not an answer; a wrong answer gets a hint and a second
    try; only after two wrong tries is the student offered the answer, with its explanation.
    A wrong answer that is a foreseen mistake (a negative sign, a fraction instead of a
    percentage, the wrong starting point) gets its own hint instead of the general one.

    Attributes
    ----------
    answer : ipywidgets.Text
        The student's answer (empty until they type one).
    button : ipywidgets.Button
        "Check".
    reveal_button : ipywidgets.Button
        "Show the answer", visible after two wrong tries.
    feedback : ipywidgets.HTML
        The feedback.
    tries : int
        Wrong answers so far.
    common_mistakes : dict of float to str
        Foreseen wrong values and the hint each one gets (empty if none).
    """

    TRIES_BEFORE_REVEAL = 2

    def __init__(self, question: str, correct: float, *, tolerance: float, unit: str,
                 explanation: str, hint: str,
                 common_mistakes: Mapping[float, str] | None = None) -> None:
        self.correct = correct
        self.tolerance = tolerance
        self.unit = unit
        self.explanation = explanation
        self.hint = hint
        self.common_mistakes = dict(common_mistakes or {})
        self.tries = 0
        self.answer = widgets.Text(value="", placeholder="type a number",
                                   description=f"Your answer ({unit})", style=STYLE)
        self.button = widgets.Button(description="Check", icon="check", layout=BUTTON)
        self.reveal_button = widgets.Button(description="Show the answer", icon="eye",
                                            layout=widgets.Layout(display="none"))
        self.feedback = widgets.HTML()
        self.widget = widgets.VBox([
            widgets.HTML(f"<p><b>Exercise.</b> {html.escape(question)}</p>"),
            widgets.HBox([self.answer, self.button, self.reveal_button],
                         layout=widgets.Layout(flex_flow="row wrap")),
            self.feedback])
        self.widget.add_class("answer-checker")
        self.button.on_click(lambda _button: self.check())
        self.reveal_button.on_click(lambda _button: self.reveal())

    def _say(self, text: str) -> None:
        self.feedback.value = f"<p aria-live='polite'>{text}</p>"

    def hint_for(self, value: float) -> str:
        """Return the hint for a wrong ``value``: its own if it is a foreseen mistake.

        A value matches a foreseen mistake when it is as close to it as a right answer must
        be to the correct value, in relative terms (so ``1300`` matches a listed ``1280``
        when ``1.3`` is accepted for ``1.28``). Other values get the general hint.
        """
        for mistake, hint in self.common_mistakes.items():
            scale = abs(mistake / self.correct) if self.correct else 1.0
            if abs(value - mistake) <= self.tolerance * scale:
                return hint
        return self.hint

    def check(self) -> bool | None:
        """Check the typed answer; return True if right, False if wrong, None if no number."""
        typed = self.answer.value.strip().replace(",", ".")
        try:
            value = float(typed)
        except ValueError:
            self._say("Type a number first." if not typed else
                      f"“{html.escape(typed)}” is not a number: type digits only, "
                      f"in {html.escape(self.unit)}.")
            return None
        if abs(value - self.correct) <= self.tolerance:
            self.reveal_button.layout.display = "none"
            self._say(f"<b>Right.</b> {html.escape(self.explanation)}")
            return True
        self.tries += 1
        hint = html.escape(self.hint_for(value))
        if self.tries < self.TRIES_BEFORE_REVEAL:
            self._say(f"<b>Not quite.</b> {hint} Try once more.")
        else:
            self.reveal_button.layout.display = "inline-flex"
            self._say(f"<b>Not quite.</b> {hint} Try again, or show the answer.")
        return False

    def reveal(self) -> None:
        """Show the answer and its explanation (offered after two wrong tries)."""
        self._say(f"The answer is <b>{html.escape(format_quantity(self.correct, self.unit))}"
                  f"</b>. {html.escape(self.explanation)}")


@dataclass(frozen=True)
class Exercise:
    """A numeric exercise of a topic module; the answer is computed, never written down.

    Attributes
    ----------
    question : str
        What the student is asked, with the unit expected.
    answer : callable
        Returns the correct value (from the model, the rules or ``data/``).
    tolerance : float
        Largest accepted distance from the correct value, in ``unit``.
    unit : str
        Unit of the answer, as written after a number ("mg", "days", "%").
    hint : str
        Shown after a wrong try: a nudge, not the answer.
    explanation : str
        Shown when the answer is right or revealed.
    common_mistakes : dict of float to str, optional
        Foreseen wrong answers (a negative sign, a fraction for a percentage, ...) and the
        hint each one gets instead of ``hint``.
    """

    question: str
    answer: Callable[[], float]
    tolerance: float
    unit: str
    hint: str
    explanation: str
    common_mistakes: Mapping[float, str] | None = None


def build_exercise(catalogue: dict[str, Exercise], name: str) -> AnswerChecker:
    """Build the answer checker for exercise ``name`` of a topic's ``catalogue``.

    Raises
    ------
    ParameterError
        If ``name`` is not in the catalogue.
    """
    if name not in catalogue:
        raise ParameterError("name", name, f"one of {', '.join(map(repr, catalogue))}")
    item = catalogue[name]
    return AnswerChecker(item.question, item.answer(), tolerance=item.tolerance,
                         unit=item.unit, explanation=item.explanation, hint=item.hint,
                         common_mistakes=item.common_mistakes)
