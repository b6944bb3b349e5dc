"""The passive-transfer notebook in JupyterLab: the explorer's half-life slider moves the curve."""

from __future__ import annotations

import lab

NOTEBOOK = "02_passive_transfer.ipynb"
EXPLORER = ".passive-transfer-explorer"
PLOT = f"{EXPLORER} .js-plotly-plot"
SUMMARY = f"{EXPLORER} .transfer-summary"
SLIDER = "Half-life in the mouse (days)"
CHANGE_TIMEOUT_MS = 30_000


def test_half_life_slider_moves_the_curve_and_the_summary(lab_server, lab_page):
    page = lab_page.page
    lab.open_notebook(page, lab_server.url(NOTEBOOK))
    lab.run_all_cells(page)
    plot = lab.plot_index_of(page, PLOT)
    before = lab.plot_trace_y(page, index=plot)
    summary_before = page.locator(SUMMARY).inner_text()
    assert lab.slider_readout(page, SLIDER) == "2.90"
    assert "Peak serum human IgG" in summary_before

    lab.focus_slider_and_press(page, SLIDER, "ArrowRight", times=5)  # 5 steps of 0.1 day
    after = lab.wait_trace_y_change(page, before, index=plot, timeout=CHANGE_TIMEOUT_MS)
    page.wait_for_function(
        "([selector, old]) => document.querySelector(selector).innerText !== old",
        arg=[SUMMARY, summary_before], timeout=CHANGE_TIMEOUT_MS)
    lab.wait_kernel_idle(page)
    assert lab.slider_readout(page, SLIDER) == "3.40"
    # A longer half-life keeps more human IgG in the mouse at the end of the plotted time.
    assert lab.plot_trace_y(page, index=plot)[-1] > before[-1]
    assert len(after) == len(before)
    assert page.locator(SUMMARY).inner_text() != summary_before
    assert lab_page.js_errors == []
