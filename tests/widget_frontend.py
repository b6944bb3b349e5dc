"""A stand-in for the browser side of the widgets, so kernel-side tests use the browser's path.

A student's browser talks to the kernel only through comm messages: a slider move arrives as
an ``update`` message, a button press as a ``custom`` message, and a plotly ``FigureWidget``
view answers every data update with a ``_js2py_traceDeltas`` message. Exceptions raised while
the kernel handles these messages never reach a cell: ipywidgets catches them and, outside
IPython, logs them as warnings. :class:`Frontend` replaces the comms of every widget created
while it is installed, keeps the browser's copy of each widget's state from the messages the
kernel sends, answers figure updates the way plotly's JavaScript does, and records every
exception the kernel logs while handling the messages.

The figure part follows plotly 7's ``widgetbundle.js`` (the ``FigureModel`` and
``FigureView`` classes used by anywidget):

* the model applies each ``_py2js_*`` message to its stored ``_widget_data`` *without*
  decoding it, so a value plotly sends as ``"_undefined_"`` is stored as that string;
* a view draws the decoded stored data, applies each update to what it shows (``undefined``
  leaves a property alone, ``null`` removes it), then sends, for every trace, the properties
  where what it shows differs from the decoded stored data (``createDeltaObject``); typed
  arrays are compared index by index and sent as ``{"0": v0, "1": v1, ...}``.
"""

from __future__ import annotations

import itertools
import json
import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import comm
import ipywidgets as widgets
import numpy as np
import plotly.graph_objects as go
from ipywidgets.widgets.widget import _instances, _put_buffers
from plotly.basedatatypes import BaseFigure
from traitlets.log import get_logger

UNDEFINED_WIRE = "_undefined_"  # how plotly's serializer writes Undefined


class _Undefined:
    """JavaScript's ``undefined`` after plotly's deserializer (distinct from None = null)."""

    def __repr__(self) -> str:
        return "undefined"


UNDEFINED = _Undefined()
_MISSING = object()


# --------------------------------------------------------------------------------------------
# Values as plotly's JavaScript sees them
# --------------------------------------------------------------------------------------------


def decode(value: Any) -> Any:
    """plotly's ``deserialize`` (``qu``): typed-array specs become arrays, the marker undefined."""
    if isinstance(value, list | tuple):
        return [decode(item) for item in value]
    if isinstance(value, dict):
        if ("buffer" in value or "value" in value) and "dtype" in value and "shape" in value:
            raw = value.get("buffer", value.get("value"))
            return np.frombuffer(bytes(raw), dtype=value["dtype"]).reshape(value["shape"])
        return {key: decode(item) for key, item in value.items()}
    if isinstance(value, str) and value == UNDEFINED_WIRE:
        return UNDEFINED
    return value


def _keys(path: str | list | tuple) -> list:
    """lodash's path parsing: ``"marker.color"`` or a list of keys."""
    if isinstance(path, list | tuple):
        return list(path)
    return list(BaseFigure._str_to_dict_path(path))


def _set(target: dict, path: str | list, value: Any) -> None:
    """lodash ``_.set``: create the containers on the way."""
    keys = _keys(path)
    node = target
    for key, following in itertools.pairwise(keys):
        if isinstance(node, list):
            while len(node) <= key:
                node.append(None)
            if not isinstance(node[key], dict | list):
                node[key] = [] if isinstance(following, int) else {}
        elif not isinstance(node.get(key), dict | list):
            node[key] = [] if isinstance(following, int) else {}
        node = node[key]
    if isinstance(node, list):
        while len(node) <= keys[-1]:
            node.append(None)
    node[keys[-1]] = value


def _unset(target: dict, path: str | list) -> None:
    """lodash ``_.unset``."""
    keys = _keys(path)
    node: Any = target
    for key in keys[:-1]:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return
    if isinstance(node, dict):
        node.pop(keys[-1], None)


def _apply_per_trace(traces: list[dict], style: dict, indexes: list[int]) -> None:
    """``performRestyleLike`` / ``Plotly.restyle``: one value (or list of values) per trace.

    ``undefined`` leaves the trace's property alone and ``null`` removes it. Undecoded
    messages hold no ``undefined``: the string ``"_undefined_"`` is then stored as it is.
    """
    for path, values in style.items():
        if path.startswith("_"):
            continue
        values = values if isinstance(values, list) else [values]
        for position, index in enumerate(indexes):
            value = values[position % len(values)]
            if value is None:
                _unset(traces[index], path)
            elif value is not UNDEFINED:
                _set(traces[index], path, value)


def _apply_layout(layout: dict, changes: dict) -> None:
    """``performRelayoutLike`` / ``Plotly.relayout``."""
    for path, value in changes.items():
        if path.startswith("_"):
            continue
        if value is None:
            _unset(layout, path)
        else:
            _set(layout, path, value)


def _is_typed_array(value: Any) -> bool:
    return isinstance(value, np.ndarray)


def _same(left: Any, right: Any) -> bool:
    """lodash ``_.isEqual`` for the values a figure holds."""
    if _is_typed_array(left) or _is_typed_array(right):
        return (_is_typed_array(left) and _is_typed_array(right)
                and left.shape == right.shape and bool(np.array_equal(left, right)))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_same(left[k], right[k]) for k in left)
    if isinstance(left, list | tuple) and isinstance(right, list | tuple):
        return len(left) == len(right) and all(map(_same, left, right))
    return type(left) is type(right) and left == right


def _plain(value: Any) -> Any:
    """What ``JSON.stringify`` makes of a value: numpy scalars become numbers."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def delta(full: Any, stored: Any) -> dict:
    """plotly's ``createDeltaObject(fullObj, removeObj)`` as the view computes it."""
    if stored is None or stored is UNDEFINED:
        stored = {}
    if _is_typed_array(full):
        entries = [(str(index), value) for index, value in enumerate(full.tolist())]

        def stored_value(key: str) -> Any:
            indexable = _is_typed_array(stored) or isinstance(stored, list | tuple)
            return stored[int(key)] if indexable and int(key) < len(stored) else _MISSING
    else:
        entries = list(full.items())

        def stored_value(key: str) -> Any:
            return stored.get(key, _MISSING) if isinstance(stored, dict) else _MISSING

    result: dict = {}
    for key, value in entries:
        if key.startswith("_") or value is None or value is UNDEFINED:
            continue
        other = stored_value(key)
        if key != "uid" and _same(value, other):
            continue
        if other is not _MISSING and isinstance(value, dict | list | tuple | np.ndarray):
            if isinstance(value, list | tuple) and value and isinstance(value[0], dict):
                result[key] = [item if not isinstance(other, list) or len(other) <= index
                               else delta(item, other[index])
                               for index, item in enumerate(value)]
            elif isinstance(value, list | tuple):
                result[key] = [_plain(item) for item in value]
            else:
                nested = delta(value, other)
                if nested:
                    result[key] = nested
        elif isinstance(value, dict | np.ndarray):
            result[key] = delta(value, {})
        elif isinstance(value, list | tuple):
            result[key] = [_plain(item) for item in value]
        else:
            result[key] = _plain(value)
    return result


# --------------------------------------------------------------------------------------------
# Comms and the browser's copy of each widget
# --------------------------------------------------------------------------------------------


class FakeComm:
    """A comm whose other end is a :class:`Frontend` instead of a browser."""

    kernel = True  # ipywidgets sends only through comms that have a kernel

    def __init__(self, frontend: Frontend, comm_id: str | None = None,
                 data: dict | None = None, buffers: list | None = None, **_ignored: Any) -> None:
        self.comm_id = comm_id or uuid.uuid4().hex
        self.frontend = frontend
        self.callback: Callable[[dict], None] | None = None
        frontend._opened(self, data or {}, buffers or [])

    def send(self, data: dict | None = None, metadata: dict | None = None,
             buffers: list | None = None) -> None:
        self.frontend._received(self, data or {}, buffers or [])

    def on_msg(self, callback: Callable[[dict], None]) -> None:
        self.callback = callback

    def on_close(self, callback: Callable[[dict], None]) -> None:
        pass

    def close(self, data: dict | None = None, metadata: dict | None = None,
              buffers: list | None = None, deleting: bool = False) -> None:
        self.frontend.models.pop(self.comm_id, None)

    def deliver(self, data: dict, buffers: list | None = None) -> None:
        """Hand a message from the browser to the kernel, as the kernel's comm manager does."""
        assert self.callback is not None, "the widget never registered its message handler"
        self.callback({"content": {"comm_id": self.comm_id, "data": data},
                       "buffers": buffers or [], "metadata": {}})


class FigureView:
    """What one plotly view in the browser shows, and the deltas it sends back."""

    def __init__(self, model: BrowserModel) -> None:
        self.model = model
        self.shown = decode(model.state.get("_widget_data", []))
        model.views.append(self)
        self.send_trace_deltas(model.state.get("_last_trace_edit_id", 0))

    def send_trace_deltas(self, trace_edit_id: int) -> None:
        stored = decode(self.model.state.get("_widget_data", []))
        deltas = []
        for index, trace in enumerate(self.shown):
            deltas.append({**delta(trace, stored[index] if index < len(stored) else {}),
                           "index": index})
        message = {"trace_deltas": json.loads(json.dumps(deltas)),
                   "trace_edit_id": trace_edit_id}
        self.model.frontend.queue(self.model.comm, {
            "method": "update", "state": {"_js2py_traceDeltas": message}, "buffer_paths": []})

    def apply(self, name: str, message: dict) -> None:
        """Draw one ``_py2js_*`` message (decoded), then report back as plotly's view does."""
        if name == "_py2js_update":
            indexes = self.model.trace_indexes(message.get("style_traces"))
            _apply_per_trace(self.shown, message.get("style_data") or {}, indexes)
        elif name == "_py2js_restyle":
            indexes = self.model.trace_indexes(message.get("restyle_traces"))
            _apply_per_trace(self.shown, message["restyle_data"], indexes)
        elif name == "_py2js_addTraces":
            self.shown.extend(message["trace_data"])
        elif name == "_py2js_deleteTraces":
            for index in sorted(message["delete_inds"], reverse=True):
                del self.shown[index]
        elif name in {"_py2js_relayout", "_py2js_removeLayoutProps",
                      "_py2js_removeTraceProps", "_py2js_moveTraces"}:
            return  # the layout delta goes to a name plotly's Python side never reads
        else:
            raise NotImplementedError(f"the stand-in browser does not draw {name} messages")
        self.send_trace_deltas(message["trace_edit_id"])


class BrowserModel:
    """The browser's copy of one widget's state, kept from the kernel's messages."""

    def __init__(self, frontend: Frontend, comm: FakeComm, state: dict) -> None:
        self.frontend = frontend
        self.comm = comm
        self.state = state
        self.views: list[FigureView] = []

    def trace_indexes(self, indexes: int | list[int] | None) -> list[int]:
        if indexes is None:
            return list(range(len(self.state.get("_widget_data", []))))
        return indexes if isinstance(indexes, list) else [indexes]

    def update(self, state: dict) -> None:
        """Apply one ``update`` message: store it, then let plotly's model and views react."""
        self.state.update(state)
        for name, raw in state.items():
            if not name.startswith("_py2js_") or raw is None:
                continue
            self._store(name, raw)
            for view in self.views:
                view.apply(name, decode(raw))

    def _store(self, name: str, raw: dict) -> None:
        """plotly's ``FigureModel``: apply the message, undecoded, to the stored data."""
        data = self.state.setdefault("_widget_data", [])
        layout = self.state.setdefault("_widget_layout", {})
        if name == "_py2js_update":
            _apply_per_trace(data, raw.get("style_data") or {},
                             self.trace_indexes(raw.get("style_traces")))
            _apply_layout(layout, raw.get("layout_data") or {})
        elif name == "_py2js_restyle":
            _apply_per_trace(data, raw["restyle_data"],
                             self.trace_indexes(raw.get("restyle_traces")))
        elif name == "_py2js_relayout":
            _apply_layout(layout, raw["relayout_data"])
        elif name == "_py2js_addTraces":
            data.extend(raw["trace_data"])
        elif name == "_py2js_deleteTraces":
            for index in sorted(raw["delete_inds"], reverse=True):
                del data[index]
        elif name == "_py2js_removeLayoutProps":
            for path in raw["remove_props"]:
                _unset(layout, path)
        elif name == "_py2js_removeTraceProps":
            for path in raw["remove_props"]:
                _unset(data[raw["remove_trace"]], path)
        else:
            raise NotImplementedError(f"the stand-in browser does not store {name} messages")


class Frontend:
    """Plays the browser for every widget created while :meth:`installed` is active.

    Attributes
    ----------
    models : dict of str to BrowserModel
        The browser's copy of each open widget, by comm id.
    exceptions : list of str
        Every warning or error the widgets logged while handling messages (ipywidgets logs
        the exceptions of message handlers and callbacks this way outside IPython).
    """

    def __init__(self) -> None:
        self.models: dict[str, BrowserModel] = {}
        self.exceptions: list[str] = []
        self._pending: list[tuple[FakeComm, dict]] = []
        self._handler = _ListHandler(self.exceptions)

    @contextmanager
    def installed(self) -> Iterator[Frontend]:
        """Route every new widget's comm here and record the widgets' logged exceptions."""
        original = comm.create_comm
        comm.create_comm = lambda **kwargs: FakeComm(self, **kwargs)
        loggers = {logging.getLogger("traitlets"), get_logger()}
        for logger in loggers:
            logger.addHandler(self._handler)
        try:
            yield self
        finally:
            comm.create_comm = original
            for logger in loggers:
                logger.removeHandler(self._handler)

    # ------------------------------------------------------------------ kernel -> browser
    def _opened(self, fake: FakeComm, data: dict, buffers: list) -> None:
        state = dict(data.get("state", {}))
        _put_buffers(state, data.get("buffer_paths", []), buffers)
        self.models[fake.comm_id] = BrowserModel(self, fake, state)

    def _received(self, fake: FakeComm, data: dict, buffers: list) -> None:
        model = self.models.get(fake.comm_id)
        if model is None or data.get("method") not in {"update", "echo_update"}:
            return
        state = dict(data.get("state", {}))
        _put_buffers(state, data.get("buffer_paths", []), buffers)
        model.update(state)

    # ------------------------------------------------------------------ browser -> kernel
    def queue(self, fake: FakeComm, data: dict) -> None:
        """Queue a message for the kernel (sent once the current one has been handled)."""
        self._pending.append((fake, data))

    def flush(self, limit: int = 1000) -> None:
        """Deliver queued messages (and the answers they cause) until none is left."""
        for _ in range(limit):
            if not self._pending:
                return
            fake, data = self._pending.pop(0)
            if fake.comm_id in self.models:
                fake.deliver(data)
        raise AssertionError(f"the widgets kept exchanging messages after {limit} rounds")

    def show_figures(self) -> None:
        """Open a view of every figure that has none yet, as displaying it in Lab does."""
        for widget in list(_instances.values()):
            if isinstance(widget, go.FigureWidget) and widget.comm is not None:
                model = self.models.get(widget.comm.comm_id)
                if model is not None and not model.views:
                    FigureView(model)
        self.flush()

    def send(self, widget: widgets.Widget, data: dict) -> None:
        """Send ``data`` from the browser to ``widget`` and handle everything that follows."""
        self.queue(widget.comm, data)
        self.flush()

    def set_value(self, widget: widgets.Widget, **state: Any) -> None:
        """Change synced traits as the browser does when a student moves a control."""
        self.send(widget, {"method": "update", "state": state, "buffer_paths": []})

    def click(self, button: widgets.Button) -> None:
        """Press a button as the browser does."""
        self.send(button, {"method": "custom", "content": {"event": "click"}})

    def views_of(self, figure: go.FigureWidget) -> list[FigureView]:
        """The open views of a figure."""
        return self.models[figure.comm.comm_id].views


class _ListHandler(logging.Handler):
    """Collect formatted log records of level WARNING and above."""

    def __init__(self, sink: list[str]) -> None:
        super().__init__(level=logging.WARNING)
        self.sink = sink
        self.setFormatter(logging.Formatter("%(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(self.format(record))
