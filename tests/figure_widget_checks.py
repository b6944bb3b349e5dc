"""Shared checks for apps built on plotly's FigureWidget (used by several test modules)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import plotly.graph_objects as go


def messages_sent(figure: go.FigureWidget, action: Callable[[], object]) -> list[set[str]]:
    """Run ``action`` and return the state keys of every message the figure sent meanwhile."""
    messages = []

    def record(data=None, metadata=None, buffers=None, **_ignored):
        messages.append(data)

    original = figure.comm.send
    figure.comm.send = record
    try:
        action()
    finally:
        figure.comm.send = original
    return [set((message or {}).get("state", {})) for message in messages]


def assert_one_batched_update(figure: go.FigureWidget, action: Callable[[], object]) -> None:
    """One data update per change (plotly sends it, then resets its message slot), and the
    full figure data never re-sent to the open view."""
    states = messages_sent(figure, action)
    assert len([s for s in states if "_py2js_update" in s]) == 2
    assert not any("_widget_data" in s for s in states), "full data re-sent to the open view"


def synced_trace_y(figure: go.FigureWidget, trace: int = 0) -> np.ndarray:
    """The y data a new view of the figure (a page reload, a second view) would draw."""
    state = figure.get_state()["_widget_data"][trace]["y"]
    return np.frombuffer(state["buffer"], dtype=state["dtype"]).reshape(state["shape"])
