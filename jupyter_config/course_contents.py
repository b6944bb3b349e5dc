"""Saved app outputs whose widgets no longer exist open as a short note, not as an error.

A notebook saved after Run All keeps, for every app, an output that only points at a widget
living in the kernel (``application/vnd.jupyter.widget-view+json`` with a ``model_id``).
JupyterLab prefers that output to any other representation; when the kernel that held the
widget has stopped (a student coming back the next day) or restarted, JupyterLab's widget
renderer finds no such model and shows "Error displaying widget: model not found", and
reloading the page cannot help.

:class:`CourseContentsManager` is the server's usual contents manager, except that when it
hands a notebook to the browser it asks that notebook's running kernel (if any) which widgets
it still holds, and replaces every widget output whose widget is gone by a note telling the
student to run the notebook. The file on disk is not changed by opening it. Outputs of widgets
that still exist are kept, so a page reload with the kernel running shows the live apps.
"""

from __future__ import annotations

import queue
import time
from typing import Any

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager

__all__ = [
    "PLACEHOLDER_TEXT",
    "WIDGET_VIEW",
    "CourseContentsManager",
    "replace_missing_widget_views",
]

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PLACEHOLDER_TEXT = "Interactive app: run this notebook (Run → Run All Cells) to use it."
PLACEHOLDER_HTML = (
    "<p class='course-app-placeholder' role='note' style='border:1px dashed #888;"
    "padding:0.6em 0.9em;margin:0.3em 0;color:#333;background:#f7f7f7'>"
    "<b>Interactive app.</b> Run this notebook (menu <em>Run → Run All Cells</em>) "
    "to use it.</p>")
COMM_INFO_TIMEOUT_S = 2.0


def replace_missing_widget_views(notebook: Any, live_model_ids: set[str] | None) -> int:
    """Replace the widget outputs of ``notebook`` whose widget is not alive by the note.

    Parameters
    ----------
    notebook : nbformat.NotebookNode or dict
        A version-4 notebook, changed in place.
    live_model_ids : set of str or None
        Ids of the widgets the notebook's kernel holds (empty when no kernel runs). None
        means "unknown" (the kernel did not answer in time): every output is kept.

    Returns
    -------
    int
        How many outputs were replaced.
    """
    if live_model_ids is None:
        return 0
    replaced = 0
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is None or view.get("model_id") in live_model_ids:
                continue
            output["data"] = {"text/html": PLACEHOLDER_HTML, "text/plain": PLACEHOLDER_TEXT}
            replaced += 1
    return replaced


class CourseContentsManager(AsyncLargeFileManager):
    """The server's default contents manager, giving dead widget outputs a friendly note."""

    async def get(self, path: str, content: bool = True, type: str | None = None,
                  format: str | None = None, **kwargs: Any) -> dict:
        """Return the model of ``path``; a notebook's dead widget outputs become the note."""
        model = await super().get(path, content=content, type=type, format=format, **kwargs)
        if content and model.get("type") == "notebook" and model.get("content"):
            live = await self._live_widget_ids(path)
            replaced = replace_missing_widget_views(model["content"], live)
            if replaced:
                self.log.info("%s: %d app output(s) shown as a 'run this notebook' note "
                              "(their widgets are not in a running kernel)", path, replaced)
        return model

    async def _live_widget_ids(self, path: str) -> set[str] | None:
        """Ids of the widgets alive in the kernel of ``path``'s session; empty if none."""
        server = self.parent
        sessions = getattr(server, "session_manager", None)
        kernels = getattr(server, "kernel_manager", None)
        if sessions is None or kernels is None:
            return None
        wanted = path.strip("/")
        kernel_id = None
        for session in await sessions.list_sessions():
            if str(session.get("path", "")).strip("/") == wanted and session.get("kernel"):
                kernel_id = session["kernel"]["id"]
        if kernel_id is None or kernel_id not in kernels:
            return set()
        return await _widget_comm_ids(kernels.get_kernel(kernel_id), COMM_INFO_TIMEOUT_S)


async def _widget_comm_ids(kernel_manager: Any, timeout_s: float) -> set[str] | None:
    """Ask a running kernel which ``jupyter.widget`` comms it holds (None if no answer)."""
    client = kernel_manager.client()
    client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
    try:
        request = client.comm_info(target_name="jupyter.widget")
        deadline = time.monotonic() + timeout_s
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                reply = await client.get_shell_msg(timeout=remaining)
            except (TimeoutError, queue.Empty):
                break
            if reply.get("parent_header", {}).get("msg_id") == request:
                return set(reply.get("content", {}).get("comms", {}))
        return None
    finally:
        client.stop_channels()

