"""The course's Jupyter Server settings, `make lab` and Binder's postBuild.

Saved app outputs whose widgets are gone must open as a "run this notebook" note (issue 9,
item 9); `make lab` must start as root in containers (item 11). The browser tests check the
note in JupyterLab; these tests check the pieces without a browser.
"""

from __future__ import annotations

import asyncio
import copy
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import nbformat
import pytest
from traitlets.config import Config, Configurable
from traitlets.config.loader import PyFileConfigLoader

ROOT = Path(__file__).resolve().parents[1]
CONFIG_DIR = ROOT / "jupyter_config"
sys.path.insert(0, str(CONFIG_DIR))

import course_contents  # noqa: E402  (lives in jupyter_config/, not in the package)

LIVE_ID = "a" * 32
DEAD_ID = "b" * 32


def _widget_output(model_id: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("display_data", data={
        course_contents.WIDGET_VIEW: {"version_major": 2, "version_minor": 0,
                                      "model_id": model_id},
        "text/plain": "VBox(children=(...))"})


def _notebook() -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("explorer")
    cell.outputs = [_widget_output(LIVE_ID), _widget_output(DEAD_ID),
                    nbformat.v4.new_output("stream", text="printed\n")]
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title"), cell])


def _texts(notebook: nbformat.NotebookNode) -> list[str]:
    return [output.get("data", {}).get("text/plain", output.get("text"))
            for output in notebook.cells[1].outputs]


def test_only_the_outputs_of_dead_widgets_become_the_note():
    notebook = _notebook()
    assert course_contents.replace_missing_widget_views(notebook, {LIVE_ID}) == 1
    live, dead, stream = notebook.cells[1].outputs
    assert course_contents.WIDGET_VIEW in live.data
    assert course_contents.WIDGET_VIEW not in dead.data
    assert dead.data["text/plain"] == course_contents.PLACEHOLDER_TEXT
    assert "Run All Cells" in dead.data["text/html"]
    assert dead.output_type == "display_data"
    assert stream.text == "printed\n"
    nbformat.validate(notebook)


def test_no_kernel_means_every_widget_output_becomes_the_note():
    notebook = _notebook()
    assert course_contents.replace_missing_widget_views(notebook, set()) == 2
    assert _texts(notebook)[:2] == [course_contents.PLACEHOLDER_TEXT] * 2


def test_a_kernel_that_does_not_answer_keeps_every_output():
    notebook = _notebook()
    before = copy.deepcopy(notebook)
    assert course_contents.replace_missing_widget_views(notebook, None) == 0
    assert notebook == before


# --------------------------------------------------------------------------------------------
# The contents manager inside a server
# --------------------------------------------------------------------------------------------


class _Sessions:
    def __init__(self, sessions: list[dict]) -> None:
        self.sessions = sessions

    async def list_sessions(self) -> list[dict]:
        return self.sessions


class _Kernels(dict):
    def get_kernel(self, kernel_id: str) -> object:
        return self[kernel_id]


def _run(coroutine):
    """Run a coroutine to completion in its own thread and event loop.

    The browser tests (Playwright's sync API) leave an event loop running in the main thread
    of the same pytest process, where ``asyncio.run`` would refuse to start.
    """
    result = {}

    def target() -> None:
        try:
            result["value"] = asyncio.run(coroutine)
        except BaseException as error:  # re-raised in the test's thread
            result["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


class _Server(Configurable):
    """Just what the contents manager reads from its parent ServerApp."""

    def __init__(self, sessions: list[dict], kernels: dict) -> None:
        super().__init__()
        self.session_manager = _Sessions(sessions)
        self.kernel_manager = _Kernels(kernels)


def _served_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sessions: list[dict],
                  live: set[str] | None) -> dict:
    nbformat.write(_notebook(), tmp_path / "app.ipynb")
    disk_before = (tmp_path / "app.ipynb").read_bytes()

    async def widget_comm_ids(_kernel: object, _timeout: float) -> set[str] | None:
        return live

    monkeypatch.setattr(course_contents, "_widget_comm_ids", widget_comm_ids)
    server = _Server(sessions, {"k1": object()})
    manager = course_contents.CourseContentsManager(root_dir=str(tmp_path), parent=server)
    model = _run(manager.get("app.ipynb"))
    assert (tmp_path / "app.ipynb").read_bytes() == disk_before, "opening changed the file"
    listing = _run(manager.get("app.ipynb", content=False))
    assert listing["content"] is None
    return model


def test_opening_a_notebook_without_a_running_kernel_shows_notes(tmp_path, monkeypatch):
    model = _served_model(tmp_path, monkeypatch, sessions=[], live={LIVE_ID})
    assert _texts(model["content"])[:2] == [course_contents.PLACEHOLDER_TEXT] * 2


def test_opening_a_notebook_whose_kernel_runs_keeps_its_live_apps(tmp_path, monkeypatch):
    session = {"path": "app.ipynb", "kernel": {"id": "k1"}}
    other = {"path": "other.ipynb", "kernel": {"id": "k2"}}
    model = _served_model(tmp_path, monkeypatch, sessions=[other, session], live={LIVE_ID})
    outputs = model["content"].cells[1].outputs
    assert course_contents.WIDGET_VIEW in outputs[0].data
    assert outputs[1].data["text/plain"] == course_contents.PLACEHOLDER_TEXT


def test_the_kernel_is_asked_for_its_widgets_over_the_comm_info_request():
    """A real kernel: the widget it holds is reported, a made-up id is not."""
    from jupyter_client.manager import AsyncKernelManager

    async def scenario() -> tuple[str, set[str] | None]:
        kernel = AsyncKernelManager(kernel_name="python3")
        await kernel.start_kernel()
        client = kernel.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            reply = await client.execute_interactive(
                "import ipywidgets\nslider = ipywidgets.IntSlider()\n"
                "print(slider.model_id, end='')",
                output_hook=lambda message: outputs.append(message), timeout=60)
            assert reply["content"]["status"] == "ok"
            printed = "".join(m["content"].get("text", "") for m in outputs
                              if m["msg_type"] == "stream")
            return printed, await course_contents._widget_comm_ids(kernel, 30.0)
        finally:
            client.stop_channels()
            await kernel.shutdown_kernel(now=True)

    outputs: list[dict] = []
    model_id, live = _run(scenario())
    assert live is not None and model_id in live
    assert DEAD_ID not in live


# --------------------------------------------------------------------------------------------
# How the settings are loaded: make lab, Binder, the browser tests
# --------------------------------------------------------------------------------------------


def _server_config(path: Path) -> Config:
    loader = PyFileConfigLoader(path.name, str(path.parent))
    return loader.load_config()


def test_the_course_settings_select_the_course_contents_manager():
    config = _server_config(CONFIG_DIR / "jupyter_server_config.py")
    assert config.ServerApp.contents_manager_class == "course_contents.CourseContentsManager"
    from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager

    assert issubclass(course_contents.CourseContentsManager, AsyncLargeFileManager)


def _fake_command(directory: Path, name: str, script: str) -> None:
    path = directory / name
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def test_binder_postbuild_loads_the_course_settings(tmp_path):
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    _fake_command(fake_bin, "python", "exit 0")  # the package install is not under test
    home = tmp_path / "home"
    env = {**os.environ, "HOME": str(home), "PATH": f"{fake_bin}:{os.environ['PATH']}"}
    subprocess.run([str(ROOT / "postBuild")], cwd=ROOT, env=env, check=True)
    config = _server_config(home / ".jupyter" / "jupyter_server_config.py")
    assert config.ServerApp.contents_manager_class == "course_contents.CourseContentsManager"


def _make_lab(tmp_path: Path, uid: int) -> str:
    """Run `make lab` with a stand-in venv whose `jupyter` prints how it was called."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    _fake_command(venv / "bin", "python", "exit 0")
    _fake_command(venv / "bin", "jupyter",
                  'echo "JUPYTER_CONFIG_PATH=$JUPYTER_CONFIG_PATH"; echo "ARGS=$*"')
    (venv / ".runtime-installed").touch()
    os.utime(venv / ".runtime-installed", (2**31 - 1, 2**31 - 1))  # newer than pyproject
    fake_bin = tmp_path / "fakebin"
    fake_bin.mkdir()
    _fake_command(fake_bin, "id", f'[ "$1" = "-u" ] && echo {uid} || exit 1')
    env = {**os.environ, "PATH": f"{fake_bin}:{os.environ['PATH']}"}
    env.pop("JUPYTER_CONFIG_PATH", None)
    result = subprocess.run(["make", "--no-print-directory", "lab", f"VENV={venv}"],
                            cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return result.stdout


@pytest.mark.parametrize(("uid", "allowed"), [(0, True), (1000, False)])
def test_make_lab_allows_root_only_when_run_as_root(tmp_path, uid, allowed):
    output = _make_lab(tmp_path, uid)
    args = next(line for line in output.splitlines() if line.startswith("ARGS="))
    assert args.split()[:2] == ["ARGS=lab", "notebooks/00_start_here.ipynb"]
    assert ("--allow-root" in args.split()) is allowed
    assert f"JUPYTER_CONFIG_PATH={CONFIG_DIR}" in output.splitlines()
