"""Fixtures for the browser tests: JupyterLab on a copy of the notebooks, headless Chromium.

Every test in this directory is marked ``browser``. Without ``/usr/bin/chromium`` the tests
skip, unless ``REQUIRE_BROWSER=1`` (set by ``.ci/run``), in which case they fail.
The helpers that drive the page live in ``lab.py`` beside this file (shared with
``benchmarks/browser_latency.py``).
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import lab
import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

BROWSER_DIR = Path(__file__).resolve().parent
REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"


def _browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER", "") == "1"


def _skip_or_fail(message: str) -> None:
    if _browser_required():
        pytest.fail(f"{message} (REQUIRE_BROWSER=1, so this is an error, not a skip)")
    pytest.skip(message)


@pytest.hookimpl(tryfirst=True)  # before `-m` deselection, so `-m "not browser"` sees it
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if BROWSER_DIR in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # Keep each phase's report on the item, so lab_page can save a screenshot on failure.
    report = yield
    setattr(item, f"_report_{report.when}", report)
    return report


@pytest.fixture(scope="session", autouse=True)
def browser_available() -> None:
    """Skip (or fail under REQUIRE_BROWSER=1) when Chromium or Playwright is missing.

    Autouse: applies to every test of this directory, whatever fixtures it uses.
    """
    if not lab.chromium_available():
        _skip_or_fail(lab.INSTALL_HINT)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _skip_or_fail("playwright is not installed: pip install -e '.[test]'")


@pytest.fixture(scope="session")
def lab_server(
    browser_available: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[lab.LabServer]:
    """JupyterLab serving a temporary copy of notebooks/ (never the repository's files).

    Exposes ``.base_url``, ``.token``, ``.root`` (the copy) and ``.url(notebook)``. The work
    directory (copy, settings, ``server.log``) stays under pytest's basetemp for debugging.
    """
    server = lab.start_lab_server(NOTEBOOKS_DIR, tmp_path_factory.mktemp("lab"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser(browser_available: None) -> Iterator[Browser]:
    """Debian's headless Chromium, launched once per session through Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = lab.launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def lab_page(
    browser: Browser, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[lab.LabPage]:
    """A page in a new browser context recording JavaScript and kernel errors.

    The window is 1400x900, or the :class:`lab.Viewport` given by indirect parametrization
    (``@pytest.mark.parametrize("lab_page", lab.VIEWPORTS, indirect=True)``). On a test
    failure a screenshot is saved to pytest's basetemp and its path printed.
    """
    viewport = getattr(request, "param", None)
    size = ({"width": viewport.width, "height": viewport.height} if viewport
            else {"width": 1400, "height": 900})
    context = browser.new_context(viewport=size)
    context.set_default_timeout(lab.PLOT_TIMEOUT_MS)
    page = context.new_page()
    recorded = lab.LabPage.record(page)
    try:
        yield recorded
    finally:
        report = getattr(request.node, "_report_call", None)
        if report is not None and report.failed and not page.is_closed():
            shot = tmp_path_factory.getbasetemp() / f"{request.node.name}.png"
            try:
                page.screenshot(path=str(shot), full_page=True)
                print(f"screenshot of the failed page: {shot}")
            except Exception as error:  # the page may be the reason the test failed
                print(f"no screenshot of the failed page: {error}")
            if recorded.js_errors:
                print("JavaScript errors:\n" + "\n".join(recorded.js_errors))
            if recorded.kernel_errors:
                print("Kernel errors:\n" + "\n\n".join(recorded.kernel_errors))
        context.close()
