"""Kernel-side latency of the course explorer, against a naive widget in the same run.

Measured: the time from a control change (setting the slider's value, as a front end does)
to the moment the figure update message is handed to the widget's comm, for the explorer
with 10 sessions over 120 days. Baseline: the common naive pattern, ``ipywidgets.interact``
re-solving with ``scipy.integrate.solve_ivp`` and re-creating (and serialising) a
``go.Figure`` on every change.

Run with ``.venv/bin/python benchmarks/bench_explorer.py`` (part of ``make bench``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import sys
import time
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from reference_ode import reference_states

from helpers.apps.exchange import course_explorer
from helpers.figures.exchange import course_layout
from helpers.kinetics import IgGParameters, tpe_course

DAYS = 120
SESSIONS = 10
VALUES = [round(v, 2) for v in np.linspace(0.5, 2.5, 41)]


def explorer_latencies(changes: int) -> tuple[list[float], list[float]]:
    """Milliseconds from value change to figure message sent, and to callback end."""
    app = course_explorer()
    app.controls["n_sessions"].value = SESSIONS
    app.controls["days"].value = DAYS
    sent_at: list[float] = []

    def record(data=None, metadata=None, buffers=None, **_ignored):
        if data and "_py2js_update" in data.get("state", {}) and buffers:
            sent_at.append(time.perf_counter())

    app.figure.comm.send = record
    to_send, to_end = [], []
    for index in range(changes):
        sent_at.clear()
        start = time.perf_counter()
        app.controls["volume_pv"].value = VALUES[index % len(VALUES)]
        end = time.perf_counter()
        assert len(sent_at) == 1, "expected exactly one figure update per change"
        to_send.append(1000 * (sent_at[0] - start))
        to_end.append(1000 * (end - start))
    return to_send, to_end


def naive_latencies(changes: int) -> list[float]:
    """Milliseconds per change for interact + solve_ivp + a new, serialised go.Figure."""
    params = IgGParameters()
    times = np.arange(DAYS * 24 + 1) / 24.0

    def draw(volume_pv: float) -> None:
        course = tpe_course(SESSIONS, volume_pv, 2.0)
        states = reference_states(course, params, times, rtol=1e-8, atol=1e-10)
        figure = go.Figure(
            data=[go.Scatter(x=times, y=states[:, 0], name="Plasma IgG"),
                  go.Scatter(x=times, y=states[:, 1], name="Tissue IgG")],
            layout=course_layout(DAYS))
        pio.to_json(figure)  # what sending a new figure to the page costs

    slider = widgets.FloatSlider(value=1.0, min=0.5, max=2.5, step=0.05)
    latencies = []
    # Outside a kernel, interact's output clearing prints terminal codes: keep them quiet.
    with contextlib.redirect_stdout(io.StringIO()):
        widgets.interactive(draw, volume_pv=slider)
        for index in range(changes):
            start = time.perf_counter()
            slider.value = VALUES[(index + 1) % len(VALUES)]
            latencies.append(1000 * (time.perf_counter() - start))
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=100)
    args = parser.parse_args()
    to_send, to_end = explorer_latencies(args.changes)
    naive = naive_latencies(max(20, args.changes // 5))
    explorer_median = statistics.median(to_send)
    naive_median = statistics.median(naive)
    print(f"Explorer, {SESSIONS} sessions over {DAYS} days, {args.changes} slider changes:")
    print(f"  change -> figure update sent: median {explorer_median:.2f} ms "
          f"(p95 {np.percentile(to_send, 95):.2f} ms)")
    print(f"  change -> whole callback done (summary, text): median "
          f"{statistics.median(to_end):.2f} ms")
    print(f"Naive interact + solve_ivp + new go.Figure: median {naive_median:.2f} ms "
          f"over {len(naive)} changes")
    print(f"Ratio naive / explorer (same run): {naive_median / explorer_median:.1f}x")


if __name__ == "__main__":
    main()
