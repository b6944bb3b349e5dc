"""The prose checker itself finds sentences, tolerates wrapping and bold, and fails loudly."""

from __future__ import annotations

import json

import pytest
from prose import NOTEBOOKS, NotebookProse


@pytest.fixture
def scratch_notebook(tmp_path, monkeypatch):
    cells = [{"cell_type": "markdown", "metadata": {}, "source": ["One PV removes **63%**\n",
                                                                  "of it."]},
             {"cell_type": "code", "metadata": {}, "source": ["x = 64"], "outputs": [],
              "execution_count": None}]
    (tmp_path / "scratch.ipynb").write_text(json.dumps({"cells": cells}), encoding="utf-8")
    monkeypatch.setattr("prose.NOTEBOOKS", tmp_path)
    return NotebookProse("scratch")


def test_a_wrapped_bold_sentence_is_found(scratch_notebook):
    scratch_notebook.assert_says("One PV removes {:.0f}% of it", 63.2)


def test_a_different_number_fails_and_shows_the_nearest_text(scratch_notebook):
    with pytest.raises(AssertionError, match="closest text"):
        scratch_notebook.assert_says("One PV removes {:.0f}% of it", 64.0)


def test_code_cells_are_not_prose(scratch_notebook):
    assert not scratch_notebook.says("x = {}", 64)


def test_every_course_notebook_can_be_read():
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        assert NotebookProse(path.stem).cells
