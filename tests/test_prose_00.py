"""Every number in notebook 00's markdown and in the README, recomputed from its source.

The model's record ("tested against N independent published values; it meets M") is
recomputed from :func:`helpers.model_validation.validation_table`, counting only independent
comparisons; glossary numbers come from ``data/`` and the criteria rules.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from prose import NOTEBOOKS, NotebookProse

from helpers.criteria import AREAS, FLAG_NAMES, ITEM_NAMES
from helpers.data import load_table
from helpers.model_validation import validation_table

ROOT = Path(__file__).resolve().parents[1]
TEXT = NotebookProse("00_start_here")
README = re.sub(r"\s+", " ", (ROOT / "README.md").read_text(encoding="utf-8"))
MARKDOWN_00 = "\n".join(
    "".join(cell["source"]) for cell in json.loads(
        (NOTEBOOKS / "00_start_here.ipynb").read_text(encoding="utf-8"))["cells"]
    if cell["cell_type"] == "markdown")


@pytest.fixture(scope="module")
def record():
    """``(values, scenarios, met)`` of the independent comparisons with published values.

    Comparisons that hold by construction test nothing, and figures found only in a secondary
    source are not published values: both are left out. A value compared at several settings
    counts once among the values and once per setting among the scenarios.
    """
    table = validation_table()
    independent = table[~table["by_construction"].astype(bool)]
    assert len(independent) < len(table), "some comparisons hold by construction"
    published = independent[independent["source_kind"] != "secondary"]
    assert len(published) < len(independent), "some figures come from secondary sources"
    return (published["id"].nunique(), len(published),
            int(published["within_tolerance"].sum()))


def test_00_reports_the_independent_record_twice(record):
    values, scenarios, met = record
    TEXT.assert_says("The model is tested against {} independent published values, in {} "
                     "scenarios; it meets {} of the {}.", values, scenarios, met, scenarios)
    TEXT.assert_says("tested against {} independent published values, in {} scenarios; it meets "
                     "{} of the {}: in {} it lies inside the range the course accepts as a fit",
                     values, scenarios, met, scenarios, met)
    TEXT.assert_not_says("validated")


def test_readme_reports_the_same_record(record):
    values, scenarios, met = record
    sentence = (f"tested against {values} independent published values, in {scenarios} "
                f"scenarios; it meets {met} of the {scenarios}")
    assert README.count(sentence) == 2, f"README.md should say {sentence!r} twice"
    assert "validated model" not in README.lower()


def test_the_women_per_man_range_names_its_criteria():
    ratio = load_table("prevalence_by_criteria")["women_per_man"]
    TEXT.assert_says("from {:g} to {:g} women per man in one population, counted three ways",
                     ratio.min(), ratio.max())
    TEXT.assert_not_says("mostly women")


def test_glossary_numbers_come_from_the_rules_and_the_data():
    TEXT.assert_says("how many of {} body areas hurt in the past week (0–{})", len(AREAS),
                     len(AREAS))
    TEXT.assert_says("symptoms (0–3 each) plus {} symptoms in the past 6 months (0–{} in all)",
                     {3: "three"}[len(FLAG_NAMES)], 3 * len(ITEM_NAMES) + len(FLAG_NAMES))
    outcomes = load_table("outcome_measures")
    pain = outcomes[outcomes["measure"].str.startswith("Pain numeric")].set_index("unit")
    TEXT.assert_says("(for pain, about {:g} points out of 10, or {:g}%)",
                     pain.loc["points", "threshold"], pain.loc["% reduction", "threshold"])
    params = load_table("igg_model_parameters").set_index("parameter")["value"]
    TEXT.assert_says("About {:.0f}% of the body's IgG is in the plasma",
                     100 * params["intravascular_fraction"])
    TEXT.assert_says("For IgG in people, about {:g} days.", params["half_life_days"])
    examples = load_table("plasma_volume_examples")
    shown = float(re.search(r"red cells \(for example (0\.\d+)\)", TEXT.text).group(1))
    assert shown in set(examples["hematocrit"]), "the example haematocrit is not in data/"
    volumes = examples[["nadler_plasma_volume_l", "kaplan_plasma_volume_l"]].to_numpy()
    low, high = int(volumes.min()), int(-(-volumes.max() // 1))
    TEXT.assert_says("about {}–{} litres in adults", low, high)


def test_the_answer_checker_exercise_matches_the_glossary():
    from helpers.apps.start import EXERCISES

    assert EXERCISES["wpi-areas"].answer() == len(AREAS)


def _map_rows(text: str) -> dict[str, str]:
    """Notebook name -> status, from a Markdown course table whose last column is the status."""
    rows = {}
    for line in text.splitlines():
        match = re.match(r"^\|\s*\[?`(\d\d_[a-z_]+)(?:\.ipynb)?`", line)
        if match:
            rows[match.group(1)] = line.rstrip(" |").rsplit("|", 1)[-1].strip()
    return rows


@pytest.mark.parametrize("where", ["00 map", "README"])
def test_nothing_is_marked_ready_that_does_not_exist(where):
    text = (ROOT / "README.md").read_text(encoding="utf-8") if where == "README" else MARKDOWN_00
    rows = _map_rows(text)
    assert {f"0{n}" for n in range(6)} <= {name[:2] for name in rows}, rows
    for name, status in rows.items():
        assert status in {"ready", "coming"}, (name, status)
        if status == "ready":
            assert (NOTEBOOKS / f"{name}.ipynb").exists(), f"{where}: {name} is not there yet"


def test_the_map_on_the_start_page_agrees_with_the_readme():
    readme = _map_rows((ROOT / "README.md").read_text(encoding="utf-8"))
    start = _map_rows(MARKDOWN_00)
    assert set(start) == set(readme), "00's map and the README list different notebooks"
    for name, status in readme.items():
        assert start[name] == status, f"{name}: README says {status!r}, 00 says {start[name]!r}"


def test_reopening_advice_is_right_for_a_stopped_kernel():
    TEXT.assert_says("Reloading the page does not bring them back. Run the notebook again with "
                     "*Run → Run All Cells*.")
    TEXT.assert_not_says("reload once more")


def test_no_raw_validation_codes_on_the_welcome_page():
    assert not re.search(r"\bV\d+\b", TEXT.text), "raw target codes such as 'V4' are shown"
