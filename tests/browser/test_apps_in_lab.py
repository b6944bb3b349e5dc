"""Every app of every notebook in JupyterLab, as a student sees and uses it (issue 9).

* At 1400x1000 with the file browser open and at 800x900 with the side bar collapsed:
  Run All raises nothing (no error output, no kernel error, no JavaScript error); every
  plotly figure fits its output (the SVG, not only its div: plotly's default 700 px used to
  overflow and lose its right side, title and legend), is drawn with data and has no text
  cut off or drawn over another (titles, labels, legend); every explorer's plot takes its
  column's width and, with its toggles (advanced parameters, data table) open, stays at
  least half in view while any of its controls is in view. Screenshots of every app at both
  sizes go to ``.artifacts/screenshots/`` (not committed) for a person to look at.
* Moving every control of every app raises no exception in the kernel (read from the
  kernel's websocket: JupyterLab only counts these in its log console).
* After Run All, save, kernel shut down and a page reload, no app shows "Error displaying
  widget": each shows the course's "run this notebook" note instead.
"""

from __future__ import annotations

from pathlib import Path

import lab
import nbformat
import pytest

NOTEBOOKS = sorted(p.name for p in lab.NOTEBOOKS_DIR.glob("*.ipynb"))
PLOT_IN_VIEW = 0.5  # share of the plot's height visible with any control in view
PLOT_SHARE_OF_WIDTH = 0.6  # an explorer's plot takes at least this share of its output
TOLERANCE_PX = 1.5
OVERLAP_PX = 2.0  # two texts sharing more than this in both directions collide
STDERR_OUTPUT = lab.ERROR_OUTPUT
PLACEHOLDER = f"{lab.NOTEBOOK_PANEL} .course-app-placeholder"


def _viewport(page) -> lab.Viewport:
    size = page.viewport_size
    return next(v for v in lab.VIEWPORTS if (v.width, v.height) == (size["width"],
                                                                    size["height"]))


def _figure_problems(where: str, figure: dict, viewport: dict) -> list[str]:
    """What is cut off or mis-sized in one figure (empty when it fits)."""
    svg, output, graph = figure["svg"], figure["output"], figure["graph"]
    if svg is None:
        return [f"{where}: the figure has no SVG (not drawn)"]
    if figure["tracesWithData"] == 0:
        return [f"{where}: the figure is drawn empty (its widget's data never arrived)"]
    right_edge = min(output["right"], viewport["right"])
    problems = []
    if svg["right"] > right_edge + TOLERANCE_PX or svg["left"] < output["left"] - TOLERANCE_PX:
        problems.append(f"{where}: SVG spans x {svg['left']:.0f}-{svg['right']:.0f}, its "
                        f"output {output['left']:.0f}-{right_edge:.0f} (cut off)")
    if abs(svg["width"] - graph["width"]) > TOLERANCE_PX:
        problems.append(f"{where}: SVG {svg['width']:.0f} px wide in a "
                        f"{graph['width']:.0f} px plot (not fitted to its width)")
    for text in figure["texts"]:
        outside = (text["right"] > min(svg["right"], right_edge) + TOLERANCE_PX
                   or text["left"] < svg["left"] - TOLERANCE_PX
                   or text["top"] < svg["top"] - TOLERANCE_PX
                   or text["bottom"] > svg["bottom"] + TOLERANCE_PX)
        if outside:
            problems.append(f"{where}: text {text['text']!r} is cut off")
    for first, second in _overlapping(figure["texts"]):
        problems.append(f"{where}: texts {first['text']!r} and {second['text']!r} overlap")
    return problems


def _overlapping(texts: list[dict]) -> list[tuple[dict, dict]]:
    """Pairs of texts drawn on top of each other (titles, labels, legend entries).

    Tick labels of one axis are left out: their boxes, not their letters, meet when plotly
    turns them.
    """
    pairs = []
    for index, first in enumerate(texts):
        for second in texts[index + 1:]:
            if first["kind"] == second["kind"] and "tick" in first["kind"]:
                continue
            across = min(first["right"], second["right"]) - max(first["left"], second["left"])
            down = min(first["bottom"], second["bottom"]) - max(first["top"], second["top"])
            if across > OVERLAP_PX and down > OVERLAP_PX:
                pairs.append((first, second))
    return pairs


def _layout_problems(geometry: dict) -> list[str]:
    viewport = geometry["viewport"]
    problems = []
    for index, figure in enumerate(geometry["figures"]):
        problems += _figure_problems(f"figure {index}", figure, viewport)
    for part in geometry["overflowing"]:
        problems.append(f"{part['text']!r} reaches x {part['right']:.0f}, past its output's "
                        f"edge at {part['edge']:.0f} (cut off)")
    for explorer in geometry["explorers"]:
        name = explorer["name"]
        if explorer["figure"] is None:
            problems.append(f"{name}: no plot drawn")
            continue
        plot = explorer["figure"]["graph"]
        output = explorer["figure"]["output"]
        if plot["width"] < PLOT_SHARE_OF_WIDTH * output["width"]:
            problems.append(f"{name}: the plot is {plot['width']:.0f} px wide in a "
                            f"{output['width']:.0f} px output (not the available width)")
        for control in explorer["controls"]:
            share = lab.best_plot_fraction(control, plot, viewport["height"])
            if share < PLOT_IN_VIEW:
                problems.append(f"{name}: with {control['label']!r} in view at most "
                                f"{share:.0%} of the plot is visible")
    return problems


@pytest.mark.parametrize("lab_page", lab.VIEWPORTS, indirect=True, ids=lambda v: v.name)
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_apps_fit_and_keep_the_plot_in_view(lab_server, lab_page, notebook):
    page = lab_page.page
    viewport = _viewport(page)
    lab.open_notebook(page, lab_server.url(notebook))
    lab.show_file_browser(page, viewport.file_browser)
    lab.run_all_cells(page)  # raises with the traceback if a cell fails
    assert page.locator(STDERR_OUTPUT).count() == 0
    assert lab_page.kernel_errors == []
    page.wait_for_timeout(500)  # figures fit their boxes on the next animation frames
    shots = lab.save_app_screenshots(page, notebook, viewport.name)
    problems = _layout_problems(lab.app_geometry(page))

    if lab.open_explorer_toggles(page):
        shots += lab.save_app_screenshots(page, notebook, f"{viewport.name}-toggles-open",
                                          only_explorers=True)
        problems += [f"(toggles open) {problem}"
                     for problem in _layout_problems(lab.app_geometry(page))]

    print("\n".join(str(Path(shot).relative_to(lab.REPO_ROOT)) for shot in shots))
    print(f"widgets slow to start (anywidget's 2 s limit): {lab_page.widget_load_timeouts}")
    assert problems == []
    assert lab_page.kernel_errors == []
    assert lab_page.js_errors == []


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_moving_every_control_raises_nothing_in_the_kernel(lab_server, lab_page, notebook):
    page = lab_page.page
    lab.open_notebook(page, lab_server.url(notebook))
    lab.run_all_cells(page)
    assert lab_page.kernel_errors == [], "errors during Run All"
    moved = lab.move_every_control(page)
    print(f"{notebook}: moved {moved} controls")
    assert lab_page.kernel_errors == []
    assert page.locator(STDERR_OUTPUT).count() == 0
    assert lab_page.js_errors == []


def test_the_kernel_error_check_can_fail(lab_server, lab_page):
    # A widget callback that raises: its exception never reaches a cell, only the kernel's
    # iopub channel, where the check must see it.
    path = lab.write_harness_notebook(lab_server.root, "harness_failing_callback.ipynb")
    notebook = nbformat.read(path, as_version=4)
    cell = notebook.cells[1]
    cell.source = cell.source.replace('fig.data[0].y = list(range(change["new"] + 1))',
                                      'raise RuntimeError("callback failed on purpose")')
    assert "failed on purpose" in cell.source
    nbformat.write(notebook, path)
    page = lab_page.page
    lab.open_notebook(page, lab_server.url("harness_failing_callback.ipynb"))
    lab.run_all_cells(page)
    assert lab_page.kernel_errors == []
    lab.move_every_control(page)
    assert any("callback failed on purpose" in error for error in lab_page.kernel_errors)
    assert page.locator(STDERR_OUTPUT).count() == 0, "the error must not reach a cell"


_OUTPUT_TEXTS_JS = """
() => Array.from(document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output'))
  .map((output) => output.textContent)
"""


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_reopening_after_the_kernel_stopped_shows_a_note_not_an_error(lab_server, lab_page,
                                                                      notebook):
    page = lab_page.page
    lab.open_notebook(page, lab_server.url(notebook))
    lab.run_all_cells(page)
    apps = page.locator(lab.APP_OUTPUT).count()
    lab.save_notebook(page)
    lab.shut_down_kernel(page)  # a student closing for the day

    page.reload()
    lab.open_notebook(page, lab_server.url(notebook))  # a new kernel starts, nothing runs
    # Let JupyterLab's widget manager finish: it shows "Loading widget..." until it has
    # looked for the saved outputs' widgets, then the widget or its error.
    page.wait_for_function(
        f"() => ({_OUTPUT_TEXTS_JS})().every((text) => !text.includes('Loading widget'))",
        timeout=lab.PLOT_TIMEOUT_MS)
    page.wait_for_timeout(1000)
    texts = page.evaluate(_OUTPUT_TEXTS_JS)
    assert [t for t in texts if lab.WIDGET_ERROR_TEXT in t] == []
    assert page.locator(PLACEHOLDER).count() == apps
    if apps:
        assert "Run All Cells" in page.locator(PLACEHOLDER).first.text_content()
    assert lab_page.kernel_errors == []
