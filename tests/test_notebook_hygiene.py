"""Committed notebooks are clean: what students open is the course, not its plumbing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
CHECK_TAG = "nbval-check-output"


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_kernelspec_is_python3_and_no_widget_state_is_saved(path):
    metadata = json.loads(path.read_text(encoding="utf-8"))["metadata"]
    assert metadata["kernelspec"]["name"] == "python3"
    assert "widgets" not in metadata


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_test_markers_in_the_code_students_see(path):
    for index, cell in enumerate(_cells(path)):
        assert "NBVAL" not in "".join(cell["source"]), f"cell {index} shows an nbval marker"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_outputs_are_kept_only_where_nbval_checks_them_and_none_is_an_error(path):
    for index, cell in enumerate(_cells(path)):
        if cell["cell_type"] != "code":
            continue
        outputs = cell.get("outputs", [])
        assert all(out["output_type"] != "error" for out in outputs), f"cell {index}"
        assert all(out.get("name") != "stderr" for out in outputs), f"cell {index}"
        if outputs:
            assert CHECK_TAG in cell["metadata"].get("tags", []), (
                f"cell {index} keeps outputs that nbval does not check")
