"""Every link to the repository is generated from ``[project.urls] Source`` and agrees with it.

The README badge, the first cell of every notebook in ``notebooks/`` (its Binder badge and the
line telling the student to run it), the "open an issue" links and ``CITATION.cff`` must all
be what ``tools/course_links.py`` builds from the one URL in ``pyproject.toml``.
"""

from __future__ import annotations

import importlib.util
import json
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_SPEC = importlib.util.spec_from_file_location("course_links", ROOT / "tools" / "course_links.py")
links = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(links)

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SOURCE = PYPROJECT["project"]["urls"]["Source"]
OWNER_REPO = SOURCE.removeprefix("https://github.com/")
# Links that must point at the course's own repository: Binder launches and issue pages.
REPO_LINK = re.compile(r"mybinder\.org/v2/gh/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)"
                       r"|github\.com/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)/issues")


def _first_cell(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))["cells"][0]


def test_the_generated_links_follow_the_source_url():
    assert links.source_url() == SOURCE
    assert links.binder_url("01_the_condition.ipynb") == (
        f"https://mybinder.org/v2/gh/{OWNER_REPO}/main"
        "?urlpath=lab/tree/notebooks/01_the_condition.ipynb")
    assert links.issues_url() == f"{SOURCE}/issues/new"


def test_a_different_source_url_changes_every_generated_link(tmp_path):
    other = tmp_path / "pyproject.toml"
    other.write_text('[project]\nname = "x"\n[project.urls]\n'
                     'Source = "https://github.com/someone/else"\n', encoding="utf-8")
    url = links.source_url(other)
    assert links.repository(url) == "someone/else"
    assert "/gh/someone/else/main?" in links.first_cell("00_start_here.ipynb", url)
    assert links.issues_url(url) == "https://github.com/someone/else/issues/new"
    other.write_text('[project]\nname = "x"\n[project.urls]\nSource = "placeholder"\n',
                     encoding="utf-8")
    with pytest.raises(ValueError, match="Source"):
        links.source_url(other)


def test_readme_badge_is_generated_from_pyproject():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert links.readme_badge() in readme


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_opens_with_its_badge_and_the_run_line(path):
    cell = _first_cell(path)
    assert cell["cell_type"] == "markdown", f"{path.name}: the first cell must be markdown"
    source = "".join(cell["source"]).strip()
    assert source == links.first_cell(path.name), (
        f"{path.name}: the first cell should be exactly\n{links.first_cell(path.name)}\n"
        "(write it with: .venv/bin/python tools/course_links.py --write notebooks/"
        f"{path.name})")


@pytest.mark.parametrize("path", [ROOT / "README.md", ROOT / "CITATION.cff", *NOTEBOOKS],
                         ids=lambda p: p.name)
def test_every_binder_and_issue_link_points_at_the_one_repository(path):
    found = {"".join(match) for match in REPO_LINK.findall(path.read_text(encoding="utf-8"))}
    assert found <= {OWNER_REPO}, f"{path.name} links to {found - {OWNER_REPO}}"


def test_issue_links_come_from_the_same_place():
    start = "".join("".join(c["source"]) for c in json.loads(
        (ROOT / "notebooks" / "00_start_here.ipynb").read_text(encoding="utf-8"))["cells"])
    assert f"]({links.issues_url()})" in start
    assert f"]({links.issues_url()})" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_citation_file_matches_pyproject():
    citation = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(r"^cff-version: 1\.2\.0$", citation, flags=re.MULTILINE)
    assert f'repository-code: "{SOURCE}"' in citation
    assert f'version: "{PYPROJECT["project"]["version"]}"' in citation
    for key in ("title:", "authors:", "message:", "license:"):
        assert re.search(rf"^{key}", citation, flags=re.MULTILINE), key


def test_the_checker_reports_a_notebook_without_its_badge(tmp_path, monkeypatch):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    good = {"cells": [{"cell_type": "markdown", "metadata": {}, "id": "a1",
                       "source": links.first_cell("good.ipynb")}],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    bad = {**good, "cells": [{**good["cells"][0], "source": "# A title first"}]}
    (notebooks / "good.ipynb").write_text(json.dumps(good), encoding="utf-8")
    (notebooks / "bad.ipynb").write_text(json.dumps(bad), encoding="utf-8")
    monkeypatch.setattr(links, "NOTEBOOKS", notebooks)
    found = links.problems()
    assert any(p.startswith("bad.ipynb") for p in found)
    assert not any(p.startswith("good.ipynb") for p in found)
    links.write([notebooks / "bad.ipynb"])
    assert not any(p.startswith("bad.ipynb") for p in links.problems())
    cells = json.loads((notebooks / "bad.ipynb").read_text(encoding="utf-8"))["cells"]
    assert "".join(cells[1]["source"]) == "# A title first"  # the old first cell is kept
