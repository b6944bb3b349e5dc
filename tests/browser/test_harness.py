"""Self-test of the browser harness on a generated notebook (slider -> FigureWidget)."""

from __future__ import annotations

import lab
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

# How long a slider move may take to reach the plot (kernel round trip) before it counts as
# "the plot did not change". Generous for a loaded 2-core machine.
PLOT_CHANGE_TIMEOUT_MS = 30_000


def test_slider_key_press_updates_plot(lab_server: lab.LabServer, lab_page: lab.LabPage) -> None:
    lab.write_harness_notebook(lab_server.root)
    page = lab_page.page

    lab.open_notebook(page, lab_server.url(lab.HARNESS_NOTEBOOK))
    lab.run_all_cells(page)

    before = lab.plot_trace_y(page)
    assert before == [0, 1, 2, 3], "the plot should start at n = 3"
    assert lab.slider_readout(page, "n") == "3"

    lab.focus_slider_and_press(page, "n", "ArrowRight")
    try:
        after = lab.wait_trace_y_change(page, before, timeout=PLOT_CHANGE_TIMEOUT_MS)
    except PlaywrightTimeoutError:
        pytest.fail(
            f"the plot did not change within {PLOT_CHANGE_TIMEOUT_MS} ms of ArrowRight "
            f"(readout {lab.slider_readout(page, 'n')!r}, y {lab.plot_trace_y(page)})"
        )
    assert lab.slider_readout(page, "n") == "4"
    assert len(after) == 5
    assert after == [0, 1, 2, 3, 4]

    # The same slider found by position, and a second key: back to n = 3.
    lab.focus_slider_and_press(page, 0, "ArrowLeft")
    assert lab.wait_trace_y_change(page, after, timeout=PLOT_CHANGE_TIMEOUT_MS) == before

    assert lab_page.js_errors == []


def test_unchanged_plot_is_detected(lab_server: lab.LabServer, lab_page: lab.LabPage) -> None:
    # The harness must be able to fail: with the slider not connected to the plot, waiting
    # for the plot to change times out (while the slider itself does move).
    name = "harness_check_disconnected.ipynb"
    lab.write_harness_notebook(lab_server.root, name, connected=False)
    page = lab_page.page

    lab.open_notebook(page, lab_server.url(name))
    lab.run_all_cells(page)
    before = lab.plot_trace_y(page)

    lab.focus_slider_and_press(page, "n", "ArrowRight")
    page.locator(lab.SLIDER_READOUT).filter(has_text="4").wait_for()
    with pytest.raises(PlaywrightTimeoutError):
        lab.wait_trace_y_change(page, before, timeout=3_000)
    assert lab.plot_trace_y(page) == before

    assert lab_page.js_errors == []


def test_javascript_errors_are_recorded(lab_page: lab.LabPage) -> None:
    # Both kinds of error the fixture records: console.error and an uncaught exception.
    page = lab_page.page
    page.set_content("<p>blank</p>")
    page.evaluate("() => console.error('harness: recorded console error')")
    page.evaluate("() => { setTimeout(() => { throw new Error('harness: uncaught'); }, 0); }")
    # Events reach Python while Playwright waits: poll until both arrived (or 10 s passed).
    for _ in range(200):
        if len(lab_page.js_errors) >= 2:
            break
        page.wait_for_timeout(50)
    assert any("harness: recorded console error" in e for e in lab_page.js_errors)
    assert any("harness: uncaught" in e for e in lab_page.js_errors)
