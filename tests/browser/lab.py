"""Drive the course notebooks in JupyterLab from headless Chromium (Playwright, sync API).

Shared by the browser tests (``tests/browser``) and by ``benchmarks/browser_latency.py``:

* :func:`start_lab_server` / :class:`LabServer` start and stop an isolated JupyterLab on a
  temporary COPY of ``notebooks/`` (Lab autosaves, so the repository's files are never served);
* :func:`launch_chromium` starts Debian's ``/usr/bin/chromium`` (never a downloaded browser);
* :func:`open_notebook`, :func:`run_all_cells`, :func:`wait_kernel_idle`, :func:`plot_trace_y`
  and :func:`focus_slider_and_press` act on a notebook page and wait on conditions, not sleeps;
* :func:`write_harness_notebook` writes the small slider + FigureWidget notebook the harness
  self-test and the benchmark's ``--self-test`` mode use.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # playwright is only needed once a browser is actually driven
    from playwright.sync_api import (
        Browser,
        ConsoleMessage,
        Error,
        Locator,
        Page,
        Playwright,
        WebSocket,
    )

REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
# The course's Jupyter Server settings, as `make lab` and Binder use them.
COURSE_CONFIG_DIR = REPO_ROOT / "jupyter_config"

CHROMIUM_PATH = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
INSTALL_HINT = (
    f"{CHROMIUM_PATH} is missing: install Debian's Chromium with "
    "`apt-get update && apt-get install -y chromium` (Playwright never downloads a browser here)"
)

HARNESS_NOTEBOOK = "harness_check.ipynb"

# Generous limits for a 2-core machine: Lab's first page load compiles nothing, but a cold
# kernel start (ipykernel + numpy/pandas/plotly imports) can take 5-10 s, more under load.
SERVER_START_TIMEOUT_S = 90.0
SERVER_STOP_TIMEOUT_S = 15.0
PAGE_LOAD_TIMEOUT_MS = 90_000
KERNEL_IDLE_TIMEOUT_MS = 90_000
RUN_ALL_TIMEOUT_MS = 300_000
PLOT_TIMEOUT_MS = 60_000

# Lab user settings written into a fresh settings directory for every server:
# - autoStartDefaultKernel: open notebooks straight on their kernel, never the "Select Kernel"
#   dialog that would otherwise block start-up;
# - windowingMode "none": every cell (and its widgets) stays in the DOM, so cells below the
#   fold render and count in the "[*]" check;
# - fetchNews / checkForUpdates: no "receive official Jupyter news?" toast, no web requests.
LAB_USER_SETTINGS: dict[str, dict[str, Any]] = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
        "autoStartDefaultKernel": True,
        "windowingMode": "none",
    },
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}

# CSS selectors this module relies on (JupyterLab 4, ipywidgets 8, plotly FigureWidget).
NOTEBOOK_PANEL = ".jp-NotebookPanel"
CELL_INPUT_PROMPT = ".jp-InputPrompt"
SLIDER = ".widget-slider"
SLIDER_HANDLE = ".noUi-handle"
SLIDER_LABEL = ".widget-label"
SLIDER_READOUT = ".widget-readout"
PLOTLY_GRAPH = ".js-plotly-plot"
# A traceback (or other stderr) shown under a cell.
ERROR_OUTPUT = (
    f'{NOTEBOOK_PANEL} .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
)


# --------------------------------------------------------------------------------------------
# The JupyterLab server
# --------------------------------------------------------------------------------------------


@dataclass
class LabServer:
    """A running JupyterLab serving a temporary copy of the notebooks.

    Attributes
    ----------
    base_url : str
        ``http://127.0.0.1:PORT`` without a trailing slash.
    token : str
        The random token every request needs.
    root : pathlib.Path
        The served directory: a temporary copy of ``notebooks/``.
    process : subprocess.Popen
        The server process, leader of its own process group.
    workdir : pathlib.Path
        Temporary directory holding ``root``, settings, workspaces, runtime files and the log.
    log_path : pathlib.Path
        The server's combined stdout/stderr.
    """

    base_url: str
    token: str
    root: Path
    process: subprocess.Popen[bytes]
    workdir: Path
    log_path: Path
    _owns_workdir: bool = field(default=False, repr=False)

    def url(self, notebook: str) -> str:
        """Return the Lab URL that opens ``notebook`` (relative to :attr:`root`).

        Parameters
        ----------
        notebook : str
            Path of the notebook inside the served directory, e.g. ``"harness_check.ipynb"``.

        Returns
        -------
        str
            ``{base_url}/lab/tree/{notebook}?reset&token=...``; ``reset`` starts from an empty
            workspace, so no tab of an earlier page is restored.
        """
        quoted = urllib.request.pathname2url(notebook.lstrip("/"))
        return f"{self.base_url}/lab/tree/{quoted}?reset&token={self.token}"

    def api(self, path: str, method: str = "GET", timeout: float = 5.0) -> tuple[int, bytes]:
        """Call the server's REST API with the token.

        Parameters
        ----------
        path : str
            Path below the base URL, e.g. ``"/api/status"``.
        method : str
            HTTP method.
        timeout : float
            Seconds before the request is abandoned.

        Returns
        -------
        tuple of (int, bytes)
            HTTP status and body; status 0 when the server could not be reached.
        """
        request = urllib.request.Request(
            self.base_url + path,
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return 0, b""

    def log_tail(self, lines: int = 40) -> str:
        """Return the last ``lines`` lines of the server log (for failure messages).

        Parameters
        ----------
        lines : int
            How many lines to return.

        Returns
        -------
        str
            The log's tail, or an empty string if there is no log.
        """
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout: float = SERVER_STOP_TIMEOUT_S) -> None:
        """Shut the server and its kernels down, leaving no process behind.

        Asks the server to shut down (which also shuts down its kernels), then sends SIGTERM
        and finally SIGKILL to the server's process group; kernels run in sessions of their
        own, so any kernel still alive afterwards is killed explicitly. Idempotent.

        Parameters
        ----------
        timeout : float
            Seconds to wait at each step before escalating.
        """
        kernels = _descendants(self.process.pid)
        if self.process.poll() is None:
            self.api("/api/shutdown", method="POST", timeout=timeout)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=timeout)
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if self.process.poll() is not None:
                break
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=timeout)
        # The process group may hold helpers that outlived the leader.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        _kill_all(kernels, timeout)
        if self._owns_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)


def _descendants(pid: int) -> list[Any]:
    """Return the live descendants of ``pid`` (psutil processes; empty without psutil)."""
    try:
        import psutil  # ipykernel depends on it, so it is present wherever a kernel runs
    except ImportError:  # pragma: no cover
        return []
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


def _kill_all(processes: list[Any], timeout: float) -> None:
    """Terminate, then kill, every process of ``processes`` that is still running."""
    if not processes:
        return
    import psutil

    alive = [p for p in processes if p.is_running()]
    for process in alive:
        with contextlib.suppress(psutil.Error):
            process.terminate()
    _, alive = psutil.wait_procs(alive, timeout=timeout)
    for process in alive:
        with contextlib.suppress(psutil.Error):
            process.kill()
    psutil.wait_procs(alive, timeout=timeout)


def _write_lab_settings(settings_dir: Path) -> None:
    """Write :data:`LAB_USER_SETTINGS` into a fresh user settings directory."""
    for relative, values in LAB_USER_SETTINGS.items():
        path = settings_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values, indent=2))


def start_lab_server(
    notebooks_src: Path = NOTEBOOKS_DIR,
    workdir: Path | None = None,
    timeout: float = SERVER_START_TIMEOUT_S,
) -> LabServer:
    """Start an isolated JupyterLab on a temporary copy of ``notebooks_src``.

    The server listens on 127.0.0.1 on a port the OS picks (read back from the server's
    runtime file), requires a random token, runs with ``--allow-root``, and gets fresh user
    settings, workspaces, runtime and config directories so nothing from earlier runs (old
    tabs, dialogs, other servers) leaks in, plus the course's own server settings
    (:data:`COURSE_CONFIG_DIR`, as ``make lab`` and Binder use them). It is ready when
    ``GET /api/status`` answers 200.

    Parameters
    ----------
    notebooks_src : pathlib.Path
        Directory to copy and serve (default: the repository's ``notebooks/``).
    workdir : pathlib.Path or None
        Empty directory for the copy and the server's files; a temporary directory (removed by
        :meth:`LabServer.stop`) when None.
    timeout : float
        Seconds to wait for the server to answer.

    Returns
    -------
    LabServer
        The running server; call :meth:`LabServer.stop` when done.

    Raises
    ------
    RuntimeError
        If the server exits or does not answer within ``timeout`` (the log's tail is included).
    """
    owns_workdir = workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="lab-browser-")) if workdir is None else workdir
    workdir.mkdir(parents=True, exist_ok=True)
    root = workdir / "notebooks"
    if notebooks_src.is_dir():
        shutil.copytree(
            notebooks_src, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
        )
    else:
        root.mkdir()
    for name in ("settings", "workspaces", "runtime", "config"):
        (workdir / name).mkdir(exist_ok=True)
    _write_lab_settings(workdir / "settings")

    token = secrets.token_hex(16)
    env = os.environ.copy()
    env.update(
        JUPYTER_RUNTIME_DIR=str(workdir / "runtime"),
        JUPYTER_CONFIG_DIR=str(workdir / "config"),
        JUPYTERLAB_SETTINGS_DIR=str(workdir / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(workdir / "workspaces"),
        JUPYTER_CONFIG_PATH=str(COURSE_CONFIG_DIR),
    )
    env.pop("JUPYTER_PORT", None)
    env.pop("JUPYTER_TOKEN", None)
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--allow-root",
        "--ServerApp.open_browser=False",
        "--ServerApp.ip=127.0.0.1",
        "--ServerApp.port=0",  # the OS picks a free port: no race with other servers
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.user_settings_dir={workdir / 'settings'}",
        f"--LabApp.workspaces_dir={workdir / 'workspaces'}",
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp, for Lab commands
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",  # no PyPI queries from the extension manager
    ]
    log_path = workdir / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stop() reaches all of it
        )
    server = LabServer(
        base_url="",
        token=token,
        root=root,
        process=process,
        workdir=workdir,
        log_path=log_path,
        _owns_workdir=owns_workdir,
    )
    try:
        _wait_until_ready(server, workdir / "runtime", timeout)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_ready(server: LabServer, runtime_dir: Path, timeout: float) -> None:
    """Poll the runtime file for the port, then ``/api/status`` until it answers 200."""
    deadline = time.monotonic() + timeout
    info_file = runtime_dir / f"jpserver-{server.process.pid}.json"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"JupyterLab exited with code {server.process.returncode}:\n{server.log_tail()}"
            )
        if not server.base_url and info_file.is_file():
            with contextlib.suppress(ValueError, KeyError, OSError):
                info = json.loads(info_file.read_text())
                server.base_url = f"http://127.0.0.1:{int(info['port'])}"
        if server.base_url and server.api("/api/status")[0] == 200:
            return
        time.sleep(0.2)
    raise RuntimeError(f"JupyterLab did not answer within {timeout:.0f} s:\n{server.log_tail()}")


@contextlib.contextmanager
def running_lab_server(
    notebooks_src: Path = NOTEBOOKS_DIR, workdir: Path | None = None
) -> Iterator[LabServer]:
    """Context manager around :func:`start_lab_server` that always stops the server.

    Parameters
    ----------
    notebooks_src : pathlib.Path
        Directory to copy and serve.
    workdir : pathlib.Path or None
        Directory for the copy and the server's files (temporary when None).

    Yields
    ------
    LabServer
        The running server.
    """
    server = start_lab_server(notebooks_src, workdir)
    try:
        yield server
    finally:
        server.stop()


# --------------------------------------------------------------------------------------------
# The browser
# --------------------------------------------------------------------------------------------


def chromium_available() -> bool:
    """Return whether Debian's Chromium is installed at :data:`CHROMIUM_PATH`.

    Returns
    -------
    bool
        True when the executable exists.
    """
    return CHROMIUM_PATH.is_file() and os.access(CHROMIUM_PATH, os.X_OK)


def launch_chromium(playwright: Playwright) -> Browser:
    """Launch Debian's headless Chromium through Playwright.

    Parameters
    ----------
    playwright : playwright.sync_api.Playwright
        A started Playwright (``sync_playwright().start()``).

    Returns
    -------
    playwright.sync_api.Browser
        The browser; close it when done.
    """
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM_PATH), headless=True, args=CHROMIUM_ARGS
    )


# --------------------------------------------------------------------------------------------
# Notebook pages
# --------------------------------------------------------------------------------------------

# Console "error" messages that are harmless noise and must not fail a test. Each entry is a
# substring of the message text, with a comment naming what it filters and why. None has been
# observed with JupyterLab 4.6 / ipywidgets 8.1 / plotly 7.1 in this headless set-up (the
# server runs with news, update checks and the PyPI extension manager off, so Lab requests
# nothing from outside hosts), so the list is empty: add an entry only for noise you have seen.
# (Images that notebooks load from other hosts, such as the Binder badge, fail to load on an
# offline test machine; those are filtered by :meth:`LabPage._on_console`, by address.)
IGNORED_CONSOLE_ERRORS: tuple[str, ...] = ()
FAILED_LOAD = "Failed to load resource"
# anywidget 0.11 gives a widget's JavaScript 2 s to load and start; past that it reports this
# (an unhandled promise rejection) and drops the comm messages the widget receives later. On
# this loaded 2-core machine plotly's 5 MB FigureWidget bundle (parsed once per figure) can
# take that long, and a small widget created meanwhile waits behind it. Such reports are
# kept apart (:attr:`LabPage.widget_load_timeouts`): the tests check what a student would
# see instead, a figure drawn with its data and curves that follow the controls.
WIDGET_LOAD_TIMEOUT = "[anywidget] Failed to initialize model."


@dataclass
class LabPage:
    """A page, the JavaScript errors it has logged and the kernel errors it has received.

    Attributes
    ----------
    page : playwright.sync_api.Page
        The page.
    js_errors : list of str
        One entry per ``console.error`` message (minus :data:`IGNORED_CONSOLE_ERRORS` and
        failed loads from other hosts) and per uncaught exception (``pageerror``), in order.
    kernel_errors : list of str
        One entry per ``error`` message on a kernel's iopub channel: an exception raised in
        the kernel, in a cell or in a widget callback or comm handler (these never reach a
        cell: JupyterLab only counts them in its log console).
    widget_load_timeouts : int
        How many widgets anywidget reported as slow to start (:data:`WIDGET_LOAD_TIMEOUT`).
    """

    page: Page
    js_errors: list[str] = field(default_factory=list)
    kernel_errors: list[str] = field(default_factory=list)
    widget_load_timeouts: int = 0

    @classmethod
    def record(cls, page: Page) -> LabPage:
        """Start recording the JavaScript and kernel errors of ``page``.

        Parameters
        ----------
        page : playwright.sync_api.Page
            A page, best before it navigates anywhere.

        Returns
        -------
        LabPage
            The page with its (growing) error lists.
        """
        recorded = cls(page=page)
        page.on("console", recorded._on_console)
        page.on("pageerror", recorded._on_page_error)
        page.on("websocket", recorded._on_websocket)
        return recorded

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        if any(noise in message.text for noise in IGNORED_CONSOLE_ERRORS):
            return
        location = message.location or {}
        address = str(location.get("url", ""))
        if message.text.startswith(FAILED_LOAD) and not address.startswith(
                ("http://127.0.0.1", "http://localhost")):
            return  # an image from another host (Binder badge): offline here, fine online
        where = f" ({address}:{location.get('lineNumber')})" if location else ""
        self.js_errors.append(f"console.error: {message.text}{where}")

    def _on_page_error(self, error: Error) -> None:
        if WIDGET_LOAD_TIMEOUT in str(error):
            self.widget_load_timeouts += 1
            return
        stack = (getattr(error, "stack", "") or "").strip()
        self.js_errors.append(f"pageerror: {error}" + (f"\n{stack[:1500]}" if stack else ""))

    def _on_websocket(self, websocket: WebSocket) -> None:
        if "/api/kernels/" in websocket.url:
            websocket.on("framereceived", self._on_kernel_frame)

    def _on_kernel_frame(self, payload: bytes | str) -> None:
        message = kernel_message(payload)
        if message is None or message["channel"] != "iopub":
            return
        if message["header"].get("msg_type") == "error":
            content = message["content"]
            traceback = _ANSI.sub("", "\n".join(content.get("traceback", [])))
            self.kernel_errors.append(
                f"{content.get('ename')}: {content.get('evalue')}\n{traceback[-3000:]}")


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def kernel_message(payload: bytes | str) -> dict[str, Any] | None:
    """Decode one kernel websocket frame (Jupyter Server 2's binary protocol, or JSON).

    With the protocol ``v1.kernel.websocket.jupyter.org`` a frame is an 8-byte little-endian
    count n, then n 8-byte offsets; the parts are the channel, header, parent header,
    metadata, content and buffers.

    Parameters
    ----------
    payload : bytes or str
        The frame as Playwright hands it over.

    Returns
    -------
    dict or None
        ``channel``, ``header``, ``parent_header`` and ``content``; None if not a message.
    """
    try:
        if isinstance(payload, str):
            message = json.loads(payload)
            return {"channel": message.get("channel"), "header": message.get("header", {}),
                    "parent_header": message.get("parent_header", {}),
                    "content": message.get("content", {})}
        count = int.from_bytes(payload[:8], "little")
        offsets = [int.from_bytes(payload[8 + 8 * i:16 + 8 * i], "little")
                   for i in range(count)] + [len(payload)]
        parts = [payload[offsets[i]:offsets[i + 1]] for i in range(count)]
        return {"channel": parts[0].decode(), "header": json.loads(parts[1]),
                "parent_header": json.loads(parts[2]), "content": json.loads(parts[4])}
    except (ValueError, IndexError, UnicodeDecodeError):
        return None


# Kernel status of the notebook in the main area, read from the Lab application (exposed by
# the server flag ``expose_app_in_browser``); "" while no kernel is attached yet.
_KERNEL_STATUS_JS = """
() => {
  const app = window.jupyterapp;
  const widget = app && app.shell && app.shell.currentWidget;
  const session = widget && widget.sessionContext;
  if (!session || !session.session || !session.session.kernel) return "";
  if (session.isRestarting) return "restarting";
  return session.session.kernel.status;
}
"""

# True when the kernel is idle and no cell shows the "[*]" prompt of a queued/running cell.
_IDLE_AND_NO_BUSY_CELL_JS = (
    "() => (" + _KERNEL_STATUS_JS + ")() === 'idle' && "
    "![...document.querySelectorAll('" + NOTEBOOK_PANEL + " " + CELL_INPUT_PROMPT + "')]"
    ".some(p => p.textContent.includes('[*]'))"
)


def kernel_status(page: Page) -> str:
    """Return the kernel status of the current notebook ("idle", "busy", ... or "").

    Parameters
    ----------
    page : playwright.sync_api.Page
        A page showing a notebook in JupyterLab.

    Returns
    -------
    str
        The status as Lab reports it; "" while no kernel is attached.
    """
    return str(page.evaluate(_KERNEL_STATUS_JS))


def wait_kernel_idle(page: Page, timeout: float = KERNEL_IDLE_TIMEOUT_MS) -> None:
    """Wait until the notebook's kernel is idle and no cell shows ``[*]``.

    Parameters
    ----------
    page : playwright.sync_api.Page
        A page showing a notebook in JupyterLab.
    timeout : float
        Milliseconds to wait.
    """
    page.wait_for_function(_IDLE_AND_NO_BUSY_CELL_JS, timeout=timeout, polling=100)


def open_notebook(page: Page, url: str, timeout: float = PAGE_LOAD_TIMEOUT_MS) -> None:
    """Open a notebook URL and wait until its panel is shown and its kernel is idle.

    Parameters
    ----------
    page : playwright.sync_api.Page
        A fresh page.
    url : str
        The notebook's Lab URL (:meth:`LabServer.url`).
    timeout : float
        Milliseconds to wait for the page, then again for the kernel.
    """
    page.goto(url, wait_until="domcontentloaded", timeout=timeout)
    page.wait_for_function("() => !!window.jupyterapp", timeout=timeout)
    page.locator(NOTEBOOK_PANEL).first.wait_for(state="visible", timeout=timeout)
    # The panel is the current widget once the app has restored its layout.
    page.wait_for_function(
        "() => { const w = window.jupyterapp.shell.currentWidget;"
        " return !!(w && w.sessionContext && w.content && w.content.widgets); }",
        timeout=timeout,
    )
    wait_kernel_idle(page, timeout)


def run_all_cells(page: Page, timeout: float = RUN_ALL_TIMEOUT_MS) -> None:
    """Run every cell (Lab's ``runmenu:run-all``) and wait until all have finished.

    Parameters
    ----------
    page : playwright.sync_api.Page
        A page showing a notebook whose kernel is idle (:func:`open_notebook`).
    timeout : float
        Milliseconds to wait for the whole run.

    Raises
    ------
    AssertionError
        If Lab reports that the run did not complete (a cell raised an error).
    """
    # The command's promise settles once every cell has executed (false if a cell failed).
    # It is not awaited inside evaluate() (which has no timeout) but recorded on window.
    page.evaluate(
        """() => {
          const state = (window.__harnessRunAll = {done: false, ok: null, error: null});
          window.jupyterapp.commands.execute('runmenu:run-all').then(
            (ok) => { state.ok = ok; state.done = true; },
            (error) => { state.error = String(error); state.done = true; });
        }"""
    )
    page.wait_for_function("() => window.__harnessRunAll.done", timeout=timeout, polling=100)
    wait_kernel_idle(page, timeout)
    state = page.evaluate("() => window.__harnessRunAll")
    if state["error"] is not None:
        raise AssertionError(f"Run All failed in Lab: {state['error']}")
    if state["ok"] is False:
        error = page.locator(ERROR_OUTPUT)
        detail = error.first.inner_text()[-2000:] if error.count() else "(no error output shown)"
        raise AssertionError(f"Run All stopped: a cell raised an error:\n{detail}")


# --------------------------------------------------------------------------------------------
# Widgets and plots
# --------------------------------------------------------------------------------------------

# Y data of trace ``trace`` of the ``index``-th plotly graph, as a plain array. Plotly keeps
# numpy data as typed arrays or as {dtype, bdata} specs (base64) in ``gd.data``; both are
# decoded here so Python always gets a list of numbers.
TRACE_Y_JS = """
([index, trace]) => {
  const graphs = document.querySelectorAll('.js-plotly-plot');
  const gd = graphs[index];
  if (!gd || !gd.data || !gd.data[trace]) return null;
  const y = gd.data[trace].y;
  if (y === undefined || y === null) return null;
  if (Array.isArray(y)) return y;
  if (ArrayBuffer.isView(y)) return Array.from(y);
  if (y.bdata !== undefined && y.dtype !== undefined) {
    const types = {f8: Float64Array, f4: Float32Array, i1: Int8Array, u1: Uint8Array,
                   i2: Int16Array, u2: Uint16Array, i4: Int32Array, u4: Uint32Array};
    const bytes = Uint8Array.from(atob(y.bdata), c => c.charCodeAt(0));
    return Array.from(new types[y.dtype](bytes.buffer));
  }
  return Array.from(y);
}
"""


def plot_trace_y(
    page: Page, index: int = 0, trace: int = 0, timeout: float = PLOT_TIMEOUT_MS
) -> list[float]:
    """Return the y data of one trace of a plotly graph on the page.

    Waits until the ``index``-th ``.js-plotly-plot`` exists and has that trace.

    Parameters
    ----------
    page : playwright.sync_api.Page
        The notebook page.
    index : int
        Which plotly graph, in document order.
    trace : int
        Which trace of that graph.
    timeout : float
        Milliseconds to wait for the graph and trace to exist.

    Returns
    -------
    list of float
        The trace's y values.
    """
    handle = page.wait_for_function(
        f"(args) => ({TRACE_Y_JS})(args)", arg=[index, trace], timeout=timeout
    )
    return list(handle.json_value())


def plot_index_of(page: Page, selector: str) -> int:
    """Return the document-order position of the plotly graph matched by ``selector``.

    Parameters
    ----------
    page : playwright.sync_api.Page
        The notebook page.
    selector : str
        CSS selector of the graph (e.g. ``".course-explorer .js-plotly-plot"``).

    Returns
    -------
    int
        The index to pass to :func:`plot_trace_y` and :func:`wait_trace_y_change`.
    """
    page.wait_for_selector(selector, timeout=PLOT_TIMEOUT_MS)
    index = page.evaluate(
        """(selector) => Array.from(document.querySelectorAll('.js-plotly-plot'))
               .indexOf(document.querySelector(selector))""",
        selector,
    )
    if index < 0:
        raise AssertionError(f"{selector!r} is not a plotly graph on the page")
    return int(index)


def wait_trace_y_change(
    page: Page,
    previous: list[float],
    index: int = 0,
    trace: int = 0,
    timeout: float = PLOT_TIMEOUT_MS,
) -> list[float]:
    """Wait until the y data of a plotly trace differs from ``previous``; return it.

    Parameters
    ----------
    page : playwright.sync_api.Page
        The notebook page.
    previous : list of float
        The y data before the change.
    index : int
        Which plotly graph, in document order.
    trace : int
        Which trace of that graph.
    timeout : float
        Milliseconds to wait.

    Returns
    -------
    list of float
        The new y values.
    """
    handle = page.wait_for_function(
        f"""([index, trace, previous]) => {{
              const y = ({TRACE_Y_JS})([index, trace]);
              if (y === null) return null;
              const same = y.length === previous.length
                && y.every((v, i) => Object.is(v, previous[i]));
              return same ? null : y;
            }}""",
        arg=[index, trace, previous],
        timeout=timeout,
    )
    return list(handle.json_value())


def slider_locator(page: Page, slider: int | str = 0) -> Locator:
    """Return the locator of one ipywidgets slider.

    Parameters
    ----------
    page : playwright.sync_api.Page
        The notebook page.
    slider : int or str
        Position of the slider in document order, or its description label (exact text).

    Returns
    -------
    playwright.sync_api.Locator
        The ``.widget-slider`` element.
    """
    sliders = page.locator(f"{NOTEBOOK_PANEL} {SLIDER}")
    if isinstance(slider, int):
        return sliders.nth(slider)
    label = page.locator(SLIDER_LABEL, has_text=re.compile(rf"^\s*{re.escape(slider)}\s*$"))
    return sliders.filter(has=label).first


def slider_readout(page: Page, slider: int | str = 0) -> str:
    """Return the readout text shown next to a slider.

    Parameters
    ----------
    page : playwright.sync_api.Page
        The notebook page.
    slider : int or str
        Position of the slider in document order, or its description label.

    Returns
    -------
    str
        The readout's text, e.g. ``"3"``.
    """
    return slider_locator(page, slider).locator(SLIDER_READOUT).inner_text()


def focus_slider_and_press(page: Page, slider: int | str, key: str, times: int = 1) -> None:
    """Focus a slider's handle and press ``key`` ``times`` times (as a user would).

    Parameters
    ----------
    page : playwright.sync_api.Page
        The notebook page.
    slider : int or str
        Position of the slider in document order, or its description label.
    key : str
        A Playwright key name, e.g. ``"ArrowRight"``.
    times : int
        How many presses.
    """
    handle = slider_locator(page, slider).locator(SLIDER_HANDLE).first
    handle.scroll_into_view_if_needed()
    handle.focus()
    for _ in range(times):
        handle.press(key)


# --------------------------------------------------------------------------------------------
# Apps: window sizes, screenshots, explorer geometry, every control
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Viewport:
    """A browser window size and whether Lab's file browser is open beside the notebook."""

    name: str
    width: int
    height: int
    file_browser: bool


VIEWPORTS = (Viewport("wide", 1400, 1000, file_browser=True),
             Viewport("narrow", 800, 900, file_browser=False))
ARTIFACTS_DIR = REPO_ROOT / ".artifacts"
SCREENSHOTS_DIR = ARTIFACTS_DIR / "screenshots"
# Every output that shows a widget (an app).
APP_OUTPUT = f"{NOTEBOOK_PANEL} .jp-OutputArea-output:has(.jupyter-widgets)"
# An explorer is any app whose plot sits in an ``explorer-plot`` box (explorer_layout), found
# by structure rather than by one class, so every explorer is measured, whatever its name.
EXPLORER = f"{NOTEBOOK_PANEL} .widget-box:has(> .widget-box > .explorer-plot)"
FIGURE = f"{NOTEBOOK_PANEL} .jp-OutputArea-output .js-plotly-plot"
WIDGET_ERROR_TEXT = "Error displaying widget"
# A single on/off button (advanced parameters, data table), not an option of ToggleButtons.
TOGGLE_BUTTON = ("button.widget-toggle-button"
                 ":not(.widget-toggle-buttons .widget-toggle-button)")


def show_file_browser(page: Page, visible: bool) -> None:
    """Open Lab's file browser beside the notebook, or collapse the left side bar.

    Parameters
    ----------
    page : playwright.sync_api.Page
        A page showing JupyterLab.
    visible : bool
        True to show the file browser, False to collapse the side bar.
    """
    page.evaluate(
        """(visible) => {
             const shell = window.jupyterapp.shell;
             if (visible) { shell.activateById('filebrowser'); shell.expandLeft(); }
             else { shell.collapseLeft(); }
           }""", visible)
    page.wait_for_timeout(300)  # Lumino lays the panels out on the next animation frames


def app_labels(page: Page) -> list[str]:
    """Name every app output of the notebook, in order: its app class, or ``app``."""
    return page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector)).map((output) => {
             const root = output.querySelector('.jupyter-widgets');
             const names = Array.from(output.querySelectorAll('[class]')).flatMap(
               (el) => Array.from(el.classList)).filter((c) =>
               /-(explorer|app|calculator|quiz|checker)$/.test(c) && c !== 'explorer');
             return names.length ? names[0] : (root ? 'app' : 'output');
           })""", APP_OUTPUT)


def save_app_screenshots(page: Page, notebook: str, stage: str,
                         only_explorers: bool = False) -> list[Path]:
    """Save a screenshot of every app output of the notebook under :data:`SCREENSHOTS_DIR`.

    Parameters
    ----------
    page : playwright.sync_api.Page
        The notebook page, after Run All.
    notebook : str
        The notebook's file name (used in the screenshot names).
    stage : str
        What the page shows, e.g. ``"wide"`` or ``"narrow-toggles-open"``.
    only_explorers : bool
        Save the explorers only.

    Returns
    -------
    list of pathlib.Path
        The saved files, one per app, in notebook order.
    """
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    saved = []
    outputs = page.locator(APP_OUTPUT)
    size = page.viewport_size
    try:
        for index, label in enumerate(app_labels(page)):
            if only_explorers and not label.endswith("-explorer"):
                continue
            path = SCREENSHOTS_DIR / f"{Path(notebook).stem}-{stage}-{index:02d}-{label}.png"
            output = outputs.nth(index)
            # A taller window shows a tall app whole; the layout depends on the width only.
            height = output.evaluate("(el) => el.getBoundingClientRect().height")
            page.set_viewport_size({"width": size["width"],
                                    "height": max(size["height"], int(height) + 250)})
            output.scroll_into_view_if_needed()
            page.wait_for_timeout(200)  # content-visibility: let the scrolled-in output paint
            output.screenshot(path=str(path))
            saved.append(path)
    finally:
        page.set_viewport_size(size)
    return saved


# Geometry of the apps, in the notebook's scroll coordinates (top/bottom) and in page
# coordinates (left/right): for every explorer, its plot, the plot's SVG and output, every
# visible control and every text the figure draws; for every plotly figure of the notebook
# (apps and plain figures), its SVG, its output and its texts.
_APP_GEOMETRY_JS = """
([explorerSelector, figureSelector, appSelector]) => {
  const panel = window.jupyterapp.shell.currentWidget.node;
  const scroller = panel.querySelector('.jp-WindowedPanel-outer')
    || panel.querySelector('.jp-Notebook');
  const view = scroller.getBoundingClientRect();
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return {top: r.top - view.top + scroller.scrollTop, bottom: r.bottom - view.top
            + scroller.scrollTop, left: r.left, right: r.right, width: r.width,
            height: r.height};
  };
  const shown = (el) => el.offsetParent !== null && el.getBoundingClientRect().width > 0;
  const texts = (graph) => Array.from(graph.querySelectorAll('svg.main-svg text'))
    .filter((t) => t.textContent.trim() && t.getBoundingClientRect().width > 0)
    .map((t) => ({text: t.textContent.trim().slice(0, 60), ...box(t),
                  kind: (t.closest('g[class]') || t).getAttribute('class') || ''}));
  const figure = (graph) => {
    const svg = graph.querySelector('svg.main-svg');
    const output = graph.closest('.jp-OutputArea-output');
    const drawn = (graph.data || []).filter((trace) => ['x', 'y'].some((axis) =>
      trace[axis] && (trace[axis].length > 0 || (trace[axis].bdata || '').length > 0)));
    return {graph: box(graph), svg: svg ? box(svg) : null,
            output: output ? box(output) : null, texts: texts(graph),
            tracesWithData: drawn.length};
  };
  const controls = '.widget-slider, .widget-toggle-buttons, .widget-toggle-button,'
    + ' .widget-button, .widget-checkbox, .widget-dropdown, .widget-text, .widget-radio-box';
  return {
    viewport: {height: view.height, left: view.left, right: view.right},
    explorers: Array.from(document.querySelectorAll(explorerSelector)).map((root) => {
      const graph = root.querySelector('.explorer-plot .js-plotly-plot');
      return {
        name: Array.from(root.classList).filter((c) => c.endsWith('-explorer')).join(' '),
        figure: graph ? figure(graph) : null,
        controls: Array.from(root.querySelectorAll(controls))
          .filter((c) => shown(c) && !c.parentElement.closest('.widget-toggle-buttons'))
          .map((c) => ({label: ((c.querySelector('.widget-label') || c).textContent
                                 || '').trim().slice(0, 40), ...box(c)})),
      };
    }),
    figures: Array.from(document.querySelectorAll(figureSelector)).filter(shown).map(figure),
    overflowing: Array.from(document.querySelectorAll(appSelector)).flatMap((output) => {
      // Parts of an app reaching past its output's right edge, where they are cut off.
      // Tables may be wider than the app (they scroll sideways in their own box), and
      // figures are checked on their own.
      const edge = output.getBoundingClientRect().right + 1.5;
      return Array.from(output.querySelectorAll('*'))
        .filter((el) => !el.closest('.js-plotly-plot, table') && shown(el)
                && el.getBoundingClientRect().right > edge)
        .slice(0, 3)
        .map((el) => ({right: el.getBoundingClientRect().right, edge: edge - 1.5,
                       text: (el.textContent || el.className.toString()).trim().slice(0, 60)}));
    }),
  };
}
"""


def app_geometry(page: Page) -> dict[str, Any]:
    """Measure the notebook's apps (see ``_APP_GEOMETRY_JS``).

    Parameters
    ----------
    page : playwright.sync_api.Page
        The notebook page.

    Returns
    -------
    dict
        ``viewport`` (the notebook's visible height, left and right edges); ``explorers``,
        each with its ``name``, its ``figure`` and its visible ``controls`` (boxes with a
        ``label``); ``figures``: every plotly figure the notebook shows. A figure is the boxes
        of its ``graph`` (the plot's div), ``svg`` and ``output``, its ``texts`` (each with
        the class of its plotly group as ``kind``) and how many of its traces have data
        (``tracesWithData``). ``overflowing``: parts of apps that reach past their output's
        right edge (where JupyterLab cuts them off).
    """
    return dict(page.evaluate(_APP_GEOMETRY_JS, [EXPLORER, FIGURE, APP_OUTPUT]))


def best_plot_fraction(control: dict[str, float], plot: dict[str, float],
                       view_height: float) -> float:
    """The largest share of the plot's height visible while the control is fully in view.

    Scrolling only moves content vertically, so this looks at heights: of the window
    positions that show the whole control, take the one showing most of the plot.

    Parameters
    ----------
    control, plot : dict
        Boxes with ``top`` and ``bottom`` in the notebook's scroll coordinates.
    view_height : float
        Height of the notebook's visible area.

    Returns
    -------
    float
        Between 0 and 1.
    """
    lowest_top = control["bottom"] - view_height  # window top with the control at the bottom
    highest_top = control["top"]  # window top with the control at the top
    if lowest_top > highest_top:
        return 0.0  # the control itself is taller than the window

    def shown(top: float) -> float:
        return max(0.0, min(top + view_height, plot["bottom"]) - max(top, plot["top"]))

    # The overlap is piecewise linear in the window's top: its best is at an end of the
    # allowed range or where the window lines up with the plot's top or bottom.
    candidates = [lowest_top, highest_top, plot["top"], plot["bottom"] - view_height]
    tops = [min(max(top, lowest_top), highest_top) for top in candidates]
    return max(shown(top) for top in tops) / plot["height"]


def open_explorer_toggles(page: Page, scope: str = EXPLORER) -> int:
    """Press every on/off button not pressed yet (advanced parameters, data table).

    As a student exploring everything would; what they hide then shows.

    Parameters
    ----------
    page : playwright.sync_api.Page
        The notebook page.
    scope : str
        CSS selector of the apps whose buttons to press (every explorer by default).

    Returns
    -------
    int
        How many were pressed.
    """
    toggles = page.locator(f"{scope} {TOGGLE_BUTTON}:not(.mod-active)")
    count = toggles.count()
    for _ in range(count):
        toggle = toggles.first
        toggle.scroll_into_view_if_needed()
        toggle.click()
        wait_kernel_idle(page)
    page.wait_for_timeout(500)  # let the figures fit their new boxes
    return count


def move_every_control(page: Page, scope: str = APP_OUTPUT) -> int:
    """Move every control of every app as a student could, waiting for the kernel each time.

    On/off buttons are pressed first (to show the advanced parameters). Then every visible
    control: sliders two steps right and back with the keyboard; toggle buttons every option,
    then the one pressed before; checkboxes and on/off buttons on and off; drop-downs every
    option, then the original; text boxes a number; other buttons one press each (when
    enabled).

    Parameters
    ----------
    page : playwright.sync_api.Page
        The notebook page, after Run All.
    scope : str
        CSS selector of the outputs whose controls to move.

    Returns
    -------
    int
        How many controls were moved.
    """
    moved = 0
    open_explorer_toggles(page, scope)  # what they hide (advanced parameters) moves too
    for handle_index in range(page.locator(f"{scope} {SLIDER} {SLIDER_HANDLE}").count()):
        handle = page.locator(f"{scope} {SLIDER} {SLIDER_HANDLE}").nth(handle_index)
        if not handle.is_visible():
            continue
        handle.scroll_into_view_if_needed()
        handle.focus()
        for key in ("ArrowRight", "ArrowRight", "ArrowLeft", "ArrowLeft"):
            handle.press(key)
        wait_kernel_idle(page)
        moved += 1
    groups = page.locator(f"{scope} .widget-toggle-buttons")
    for group_index in range(groups.count()):
        if not groups.nth(group_index).is_visible():
            continue
        buttons = groups.nth(group_index).locator("button")
        pressed = [i for i in range(buttons.count())
                   if "mod-active" in (buttons.nth(i).get_attribute("class") or "")]
        for index in [*range(buttons.count()), *pressed]:
            buttons.nth(index).click()
            wait_kernel_idle(page)
        moved += 1
    kinds = ((".widget-checkbox input", "click2"), (TOGGLE_BUTTON, "click2"),
             (".widget-dropdown select", "select"), (".widget-text input", "fill"),
             ("button.widget-button", "click"))
    for kind, action in kinds:
        controls = page.locator(f"{scope} {kind}")
        for index in range(controls.count()):
            control = controls.nth(index)
            if not control.is_visible() or not control.is_enabled():
                continue
            control.scroll_into_view_if_needed()
            if action == "click2":
                control.click()
                wait_kernel_idle(page)
                control.click()
            elif action == "select":  # by position: ipywidgets' options carry no value
                count = control.locator("option").count()
                original = int(control.evaluate("(select) => select.selectedIndex"))
                for position in [*range(count), original]:
                    if position >= 0:
                        control.select_option(index=position)
                        wait_kernel_idle(page)
            elif action == "fill":
                control.fill("1")
                control.press("Enter")
            else:
                control.click()
            wait_kernel_idle(page)
            moved += 1
    return moved


def save_notebook(page: Page) -> None:
    """Save the notebook (Ctrl+S) and wait until Lab no longer marks it as changed."""
    page.keyboard.press("Control+s")
    page.wait_for_function("() => !document.querySelector('.jp-mod-dirty')", timeout=30_000)


def shut_down_kernel(page: Page) -> None:
    """Shut the notebook's kernel down, as *Kernel → Shut Down Kernel* does (no dialog)."""
    page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
    page.wait_for_function(f"() => ({_KERNEL_STATUS_JS})() === ''", timeout=30_000)


# --------------------------------------------------------------------------------------------
# The harness notebook
# --------------------------------------------------------------------------------------------

HARNESS_SOURCE = """\
import ipywidgets as widgets
import plotly.graph_objects as go

slider = widgets.IntSlider(description="n", min=0, max=10, value=3)
fig = go.FigureWidget(data=[go.Scatter(y=list(range(slider.value + 1)), mode="lines")])


def redraw(change):
    fig.data[0].y = list(range(change["new"] + 1))


slider.observe(redraw, names="value")
widgets.VBox([slider, fig])
"""


def write_harness_notebook(
    directory: Path, name: str = HARNESS_NOTEBOOK, connected: bool = True
) -> Path:
    """Write the harness notebook: slider ``n`` (0-10, value 3) driving a line y = [0..n].

    Parameters
    ----------
    directory : pathlib.Path
        Where to write it (the served copy, never the repository's ``notebooks/``).
    name : str
        File name.
    connected : bool
        If False, the slider is not connected to the plot (``slider.observe`` is left out):
        a broken notebook on which the harness's change detection must time out.

    Returns
    -------
    pathlib.Path
        The written notebook.
    """
    import nbformat

    source = HARNESS_SOURCE
    if not connected:
        source = source.replace('slider.observe(redraw, names="value")\n', "")
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Harness check: a slider drives a FigureWidget"),
        nbformat.v4.new_code_cell(source),
    ]
    path = directory / name
    nbformat.write(notebook, path)
    return path
