"""Re-run the course notebooks and keep only the outputs that nbval checks.

Usage: ``.venv/bin/python tools/refresh_notebook_outputs.py [NOTEBOOK ...]``
(default: every notebook in ``notebooks/``). Run it after a deliberate change to the model,
review the diff of the checked numbers, and commit.

For each notebook it executes a temporary copy, then writes back: the outputs of cells
tagged ``nbval-check-output`` (with their execution counts), no other outputs, no saved widget
state, and the ``python3`` kernelspec.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
CHECK_TAG = "nbval-check-output"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def refresh(path: Path) -> None:
    """Execute ``path`` in a scratch folder and store only its checked outputs."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / path.name
        shutil.copy(path, copy)
        executed = nbformat.read(copy, as_version=4)
        NotebookClient(executed, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    notebook = nbformat.read(path, as_version=4)
    for cell, done in zip(notebook.cells, executed.cells, strict=True):
        if cell.cell_type != "code":
            continue
        cell.execution_count = None
        cell.outputs = []
        if CHECK_TAG in cell.metadata.get("tags", []):  # nbval needs its execution count
            cell.execution_count = done.execution_count
            cell.outputs = [out for out in done.outputs if out.get("name") != "stderr"]
    notebook.metadata.pop("widgets", None)
    notebook.metadata["kernelspec"] = KERNELSPEC
    nbformat.write(notebook, path)
    print(f"refreshed {path.relative_to(ROOT)}")


def main(arguments: list[str]) -> None:
    """Refresh the notebooks named on the command line, or all of them."""
    paths = [Path(a).resolve() for a in arguments] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in paths:
        refresh(path)


if __name__ == "__main__":
    main(sys.argv[1:])
