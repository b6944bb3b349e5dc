"""Shared pieces of every figure: palette, fonts, base layout and the HTML table renderer.

Colours come from the Okabe–Ito palette, which stays distinguishable with the common forms
of colour blindness; every series also gets its own line style or marker, so the figures
read in greyscale too. Each figure in the course has a text description generated from its
data and a data table rendered by :func:`html_table`.
"""

from __future__ import annotations

import html
import math
import textwrap

import pandas as pd
import plotly.graph_objects as go

__all__ = [
    "FONT",
    "OKABE_ITO",
    "Table",
    "base_layout",
    "html_table",
    "title_top_margin",
    "wrap_title",
]

OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "bluish_green": "#009E73",
    "sky_blue": "#56B4E9",
    "black": "#000000",
}
FONT = {"family": "Arial, sans-serif", "size": 14}

# Longest title line, in characters, that fits a figure 620 px wide (JupyterLab in an 800 px
# window with the side bar closed; the browser tests check that no title is cut off).
TITLE_LINE_CHARACTERS = 64
TITLE_LINE_HEIGHT_PX = 24


def wrap_title(text: str, limit: int = TITLE_LINE_CHARACTERS) -> str:
    """Break a long figure title into lines of similar length (plotly never wraps titles).

    Parameters
    ----------
    text : str
        The title. Lines it already breaks with ``<br>`` are wrapped one by one.
    limit : int
        Longest line, in characters.

    Returns
    -------
    str
        The title, with ``<br>`` between its lines.
    """
    if "<br>" in text:
        return "<br>".join(wrap_title(line, limit) for line in text.split("<br>"))
    if len(text) <= limit:
        return text
    lines_needed = math.ceil(len(text) / limit)
    for width in range(math.ceil(len(text) / lines_needed), limit + 1):
        lines = textwrap.wrap(text, width=width, break_long_words=False)
        if len(lines) <= lines_needed:
            return "<br>".join(lines)
    return "<br>".join(textwrap.wrap(text, width=limit, break_long_words=False))


def title_top_margin(title: str, one_line_px: int) -> int:
    """Top margin (px) for a title made by :func:`wrap_title`: one line's plus a line each."""
    return one_line_px + TITLE_LINE_HEIGHT_PX * title.count("<br>")


def base_layout(title: str, x_title: str, y_title: str, y_range: list[float]) -> go.Layout:
    """Return the common layout: title at the left, simple white template, legend below.

    No fixed width: the figure takes the width of its output (see
    :class:`helpers.apps.common.FitPlots` for live figures). A long title is wrapped
    (:func:`wrap_title`) and the top margin grows with it.
    """
    wrapped = wrap_title(title)
    return go.Layout(
        title={"text": wrapped, "x": 0.0, "xanchor": "left"},
        font=FONT,
        template="simple_white",
        height=440,
        margin={"l": 70, "r": 20, "t": title_top_margin(wrapped, 60), "b": 60},
        xaxis={"title": {"text": x_title}, "zeroline": False},
        yaxis={"title": {"text": y_title}, "range": y_range, "zeroline": False},
        legend={"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0.0},
        hovermode="x unified",
    )


# Inline styles, so the tables look the same in JupyterLab, Voila and a saved HTML export.
_TABLE_STYLE = "border-collapse:collapse;margin:0.5em 0;max-width:100%;font-size:0.95em"
_CELL_STYLE = ("border-bottom:1px solid #ccc;padding:0.3em 0.6em;text-align:left;"
               "vertical-align:top;white-space:normal;overflow-wrap:break-word")
_CAPTION_STYLE = "caption-side:top;text-align:left;font-weight:bold;padding:0.3em 0"


def _cell_text(value: object, number_format: str) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return format(value, number_format)
    return str(value)


def html_table(table: pd.DataFrame, caption: str, *, columns: dict[str, str] | None = None,
               number_format: str = "g") -> str:
    """Render a table as readable, accessible HTML.

    Full text in every cell (long text wraps at word boundaries, nothing is cut), human
    column names, a caption, header cells with ``scope="col"``, and no index column.

    Parameters
    ----------
    table : pandas.DataFrame
        The rows to show (the index is not shown).
    caption : str
        What the table is, shown above it and read first by screen readers.
    columns : dict of str to str, optional
        Which columns to show, in order, and the human name of each (with units). When
        omitted, every column is shown under its own name.
    number_format : str, optional
        Format of float cells (``format()`` spec), ``"g"`` by default. Round numbers before
        passing them in when a fixed number of decimals matters.

    Returns
    -------
    str
        An HTML ``<table>`` element.
    """
    names = columns or {name: str(name) for name in table.columns}
    missing = [name for name in names if name not in table.columns]
    if missing:
        raise KeyError(f"html_table: no column(s) {missing} in the table")
    head = "".join(f'<th scope="col" style="{_CELL_STYLE}">{html.escape(label)}</th>'
                   for label in names.values())
    body = "".join(
        "<tr>" + "".join(f'<td style="{_CELL_STYLE}">'
                         f"{html.escape(_cell_text(value, number_format))}</td>"
                         for value in row) + "</tr>"
        for row in table[list(names)].itertuples(index=False, name=None))
    return (f'<table class="course-table" style="{_TABLE_STYLE}">'
            f'<caption style="{_CAPTION_STYLE}">{html.escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


class Table:
    """A table a notebook cell displays as readable HTML (see :func:`html_table`).

    Its plain-text form, shown where HTML cannot be, is a short readable line rather than
    a pandas print.

    Parameters
    ----------
    table : pandas.DataFrame
        The rows to show.
    caption : str
        What the table is.
    columns : dict of str to str, optional
        Columns to show and their human names.
    number_format : str, optional
        Format of float cells.
    """

    def __init__(self, table: pd.DataFrame, caption: str, *,
                 columns: dict[str, str] | None = None, number_format: str = "g") -> None:
        self.frame = table
        self.caption = caption
        self.html = html_table(table, caption, columns=columns, number_format=number_format)

    def _repr_mimebundle_(self, **kwargs: object) -> dict[str, str]:
        rows = len(self.frame)
        return {"text/html": self.html,
                "text/plain": f"{self.caption} ({rows} row{'s' if rows != 1 else ''})"}
