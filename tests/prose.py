"""Check the numbers written in notebook markdown against values recomputed from their source.

A notebook's prose states numbers that come from the model, the criteria rules or ``data/``.
Each such statement is asserted by a test that rebuilds the expected sentence from the
recomputed value and looks for it in the notebook's markdown::

    text = NotebookProse("03_plasma_exchange")
    text.assert_says("1 PV removes {:.0f}% of a plasma-only substance", 100 * (1 - exp(-1)))

Editing the number by hand in the notebook (or changing the model) makes the sentence
disappear and the test fail, with the closest sentence the notebook does contain.
Whitespace, including line breaks inside a markdown cell, is folded to single spaces, and
markdown emphasis markers (``**``, ``__``) are removed, so a sentence may wrap and carry bold.
"""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("**", "").replace("__", "")).strip()


class NotebookProse:
    """The markdown of one notebook, folded for searching.

    Parameters
    ----------
    name : str
        Notebook file name without ``.ipynb``, e.g. ``"03_plasma_exchange"``.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        cells = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
        self.cells = [_fold("".join(cell["source"])) for cell in cells
                      if cell["cell_type"] == "markdown"]
        self.text = " ".join(self.cells)

    def says(self, template: str, *values: object) -> bool:
        """Return True if the markdown contains ``template.format(*values)``."""
        return _fold(template.format(*values)) in self.text

    def assert_says(self, template: str, *values: object) -> None:
        """Fail unless the markdown contains the sentence built from ``template`` and ``values``.

        Parameters
        ----------
        template : str
            A piece of the sentence with ``str.format`` fields for the numbers, e.g.
            ``"falls to {:.0f}% of baseline"``.
        *values
            The recomputed values, formatted into the template.
        """
        expected = _fold(template.format(*values))
        if expected in self.text:
            return
        window = len(expected)
        candidates = [self.text[i:i + window] for i in range(0, max(1, len(self.text) - window),
                                                            max(1, window // 4))]
        nearest = difflib.get_close_matches(expected, candidates, n=1, cutoff=0.0)
        raise AssertionError(
            f"{self.name}: the markdown should say {expected!r} (recomputed from its source)"
            f"; the closest text is {nearest[0] if nearest else ''!r}")

    def assert_not_says(self, text: str) -> None:
        """Fail if the markdown contains ``text`` (a retired claim that must not come back)."""
        if _fold(text) in self.text:
            raise AssertionError(f"{self.name}: the markdown still says {text!r}")
