"""Latency from a slider key press to the plot's data changing, in JupyterLab in Chromium.

Starts JupyterLab on a temporary copy of notebooks/ (the same start/stop code as the browser
tests, from tests/browser/lab.py), opens a notebook in Debian's headless Chromium, runs all
cells, then presses ArrowRight/ArrowLeft (alternating, so the slider stays in range) on one
slider and times each press inside the page with performance.now(): from the keydown event
to the first moment the plotly graph's trace data differs. Python round trips are not in
the figures. Prints the count, median and 95th percentile in ms.

    .venv/bin/python benchmarks/browser_latency.py --notebook harness_check.ipynb
    .venv/bin/python benchmarks/browser_latency.py --self-test
    .venv/bin/python benchmarks/browser_latency.py --notebook 02_explorer.ipynb --slider 1

The harness notebook (a slider ``n`` driving a FigureWidget line y = [0..n]) is generated
into the temporary copy with ``--self-test``, or when it is asked for and the copy lacks it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "tests" / "browser"))

import lab  # noqa: E402  (tests/browser/lab.py, the browser tests' helpers)

if TYPE_CHECKING:
    from playwright.sync_api import Page

DEFAULT_PRESSES = 30
DEFAULT_WARMUP = 2
PRESS_TIMEOUT_MS = 30_000

# Arms a one-shot measurement: the first keydown (capture phase on window, so before the
# slider's own handler) sets t0; t1 is the first moment afterwards at which the y data of
# trace `trace` of the `index`-th plotly graph differs from what it was when armed. Checked
# on every DOM mutation (plotly redraws the SVG when its data changes; a cheap reference test
# first) and on every animation frame (a full comparison, in case data changed in place).
_ARM_JS = (
    """
([index, trace, timeoutMs]) => {
  const readY = """
    + lab.TRACE_Y_JS
    + """;
  const rawY = () => {
    const gd = document.querySelectorAll('.js-plotly-plot')[index];
    return gd && gd.data && gd.data[trace] ? gd.data[trace].y : undefined;
  };
  const same = (a, b) =>
    a !== null && b !== null && a.length === b.length
    && a.every((v, i) => Object.is(v, b[i]));
  const before = readY([index, trace]);
  const beforeRaw = rawY();
  if (before === null) throw new Error(`no plotly graph ${index} with a trace ${trace}`);
  const state = (window.__keyLatency = {t0: null, t1: null, done: false, error: null});
  let raf = 0;
  let timer = 0;
  const observer = new MutationObserver(() => check(false));
  const onKey = () => { if (state.t0 === null) state.t0 = performance.now(); };
  const finish = (error) => {
    if (state.done) return;
    state.error = error;
    state.done = true;
    observer.disconnect();
    cancelAnimationFrame(raf);
    clearTimeout(timer);
    window.removeEventListener('keydown', onKey, true);
  };
  const check = (full) => {
    if (state.t0 === null || state.done) return;
    if (!full && rawY() === beforeRaw) return;
    const now = performance.now();
    if (!same(readY([index, trace]), before)) {
      state.t1 = now;
      finish(null);
    }
  };
  const frame = () => { check(true); if (!state.done) raf = requestAnimationFrame(frame); };
  window.addEventListener('keydown', onKey, true);
  observer.observe(document.body,
                   {subtree: true, childList: true, attributes: true, characterData: true});
  raf = requestAnimationFrame(frame);
  timer = setTimeout(() => finish(`the plot did not change within ${timeoutMs} ms`), timeoutMs);
}
"""
)


@dataclass
class Summary:
    count: int
    median_ms: float
    p95_ms: float
    min_ms: float
    max_ms: float

    def __str__(self) -> str:
        return (
            f"count {self.count}  median {self.median_ms:.1f} ms  p95 {self.p95_ms:.1f} ms  "
            f"(min {self.min_ms:.1f}, max {self.max_ms:.1f})"
        )


def summarize(latencies_ms: list[float]) -> Summary:
    """Median and 95th percentile (linear interpolation, as numpy's default)."""
    if not latencies_ms:
        raise ValueError("no latency was measured")
    if len(latencies_ms) == 1:
        p95 = latencies_ms[0]
    else:
        p95 = statistics.quantiles(latencies_ms, n=100, method="inclusive")[94]
    return Summary(
        count=len(latencies_ms),
        median_ms=statistics.median(latencies_ms),
        p95_ms=p95,
        min_ms=min(latencies_ms),
        max_ms=max(latencies_ms),
    )


def first_key(page: Page, slider: int | str) -> str:
    """ArrowLeft if the slider is already at its maximum, else ArrowRight."""
    handle = lab.slider_locator(page, slider).locator(lab.SLIDER_HANDLE).first
    now = float(handle.get_attribute("aria-valuenow") or "nan")
    top = float(handle.get_attribute("aria-valuemax") or "nan")
    return "ArrowLeft" if now >= top else "ArrowRight"


def measure_key_latency(
    page: Page,
    slider: int | str,
    key: str,
    plot_index: int = 0,
    trace: int = 0,
    timeout_ms: float = PRESS_TIMEOUT_MS,
) -> float:
    """Press ``key`` on the slider; return ms from keydown to the trace's data changing."""
    handle = lab.slider_locator(page, slider).locator(lab.SLIDER_HANDLE).first
    handle.focus()
    page.evaluate(_ARM_JS, [plot_index, trace, timeout_ms])
    handle.press(key)
    page.wait_for_function("() => window.__keyLatency.done", timeout=timeout_ms + 5_000)
    state = page.evaluate("() => window.__keyLatency")
    if state["error"] is not None:
        raise TimeoutError(f"{key} on slider {slider!r}: {state['error']}")
    # Let the kernel finish the update before the next press, so presses do not queue.
    lab.wait_kernel_idle(page)
    return float(state["t1"] - state["t0"])


def run_benchmark(
    page: Page,
    presses: int = DEFAULT_PRESSES,
    slider: int | str = 0,
    plot_index: int = 0,
    trace: int = 0,
    warmup: int = DEFAULT_WARMUP,
) -> list[float]:
    """Alternate ArrowRight/ArrowLeft; return the latencies of the ``presses`` timed ones."""
    keys = ["ArrowRight", "ArrowLeft"]
    if first_key(page, slider) == "ArrowLeft":
        keys.reverse()
    latencies = []
    for number in range(warmup + presses):
        latency = measure_key_latency(page, slider, keys[number % 2], plot_index, trace)
        if number >= warmup:
            latencies.append(latency)
    return latencies


def benchmark_notebook(
    notebook: str = lab.HARNESS_NOTEBOOK,
    presses: int = DEFAULT_PRESSES,
    slider: int | str = 0,
    plot_index: int | str = 0,
    trace: int = 0,
    warmup: int = DEFAULT_WARMUP,
    self_test: bool = False,
) -> Summary:
    """Serve a copy of notebooks/, open ``notebook``, run it, and time the key presses."""
    from playwright.sync_api import sync_playwright

    if not lab.chromium_available():
        raise SystemExit(lab.INSTALL_HINT)
    with lab.running_lab_server() as server:
        if self_test or (
            notebook == lab.HARNESS_NOTEBOOK and not (server.root / notebook).exists()
        ):
            lab.write_harness_notebook(server.root, notebook)
        if not (server.root / notebook).is_file():
            available = sorted(p.name for p in server.root.glob("*.ipynb"))
            raise SystemExit(f"no notebook {notebook!r} in notebooks/ (there are: {available})")
        with sync_playwright() as playwright:
            browser = lab.launch_chromium(playwright)
            try:
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                page = context.new_page()
                recorded = lab.LabPage.record(page)
                lab.open_notebook(page, server.url(notebook))
                lab.run_all_cells(page)
                if isinstance(plot_index, str):
                    plot_index = lab.plot_index_of(page, plot_index)
                lab.slider_locator(page, slider).locator(lab.SLIDER_HANDLE).first.wait_for()
                lab.plot_trace_y(page, plot_index, trace)
                latencies = run_benchmark(page, presses, slider, plot_index, trace, warmup)
                for error in recorded.js_errors:
                    print(f"warning: JavaScript error on the page: {error}", file=sys.stderr)
            finally:
                browser.close()
    return summarize(latencies)


def parse_slider(text: str) -> int | str:
    return int(text) if text.lstrip("-").isdigit() else text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--notebook",
        default=lab.HARNESS_NOTEBOOK,
        help="notebook in notebooks/ (default: %(default)s, generated when missing)",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help=f"generate {lab.HARNESS_NOTEBOOK} into the temporary copy and benchmark it",
    )
    parser.add_argument("-n", "--presses", type=int, default=DEFAULT_PRESSES)
    parser.add_argument(
        "-k", "--slider", type=parse_slider, default=0, help="slider position or label"
    )
    parser.add_argument(
        "--plot", type=parse_slider, default=0,
        help="plotly graph position, or a CSS selector of the graph",
    )
    parser.add_argument("--trace", type=int, default=0, help="trace of that graph")
    parser.add_argument("--warmup", type=int, default=DEFAULT_WARMUP, help="untimed presses first")
    args = parser.parse_args(argv)
    notebook = lab.HARNESS_NOTEBOOK if args.self_test else args.notebook
    if args.presses < 1:
        parser.error("--presses must be at least 1")

    summary = benchmark_notebook(
        notebook,
        presses=args.presses,
        slider=args.slider,
        plot_index=args.plot,
        trace=args.trace,
        warmup=args.warmup,
        self_test=args.self_test,
    )
    print(
        f"{notebook}: slider {args.slider!r} -> plot {args.plot} trace {args.trace}, "
        f"key press to plot data change ({args.warmup} warm-up presses not counted)"
    )
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
