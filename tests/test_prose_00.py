"""Every number in notebook 00's markdown and in the README, recomputed from its source.

The model's record is recomputed from :func:`helpers.model_validation.validation_table`,
counting only rows whose ``role`` is ``measurement`` (independent published measurements;
consistency checks and calibration targets test nothing), with figures confirmed only in a
secondary source counted apart. Glossary numbers come from ``data/`` and the criteria rules;
the course map's times come from each notebook's own "Estimated time" line.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from prose import NOTEBOOKS, NotebookProse

from helpers.criteria import AREAS, FLAG_NAMES, ITEM_NAMES
from helpers.data import load_table
from helpers.model_validation import independent_record, validation_table

ROOT = Path(__file__).resolve().parents[1]
TEXT = NotebookProse("00_start_here")
README = re.sub(r"\s+", " ", (ROOT / "README.md").read_text(encoding="utf-8"))
NOTEBOOK_00 = json.loads((NOTEBOOKS / "00_start_here.ipynb").read_text(encoding="utf-8"))
MARKDOWN_00 = "\n".join("".join(cell["source"]) for cell in NOTEBOOK_00["cells"]
                        if cell["cell_type"] == "markdown")


@pytest.fixture(scope="module")
def table():
    return validation_table()


@pytest.fixture(scope="module")
def record(table):
    """``(values, scenarios, met)`` of the independent measurements in primary sources."""
    published, _ = independent_record(table)
    assert published.scenarios < len(table), "consistency checks and calibration are apart"
    return published.values, published.scenarios, published.in_range


@pytest.fixture(scope="module")
def secondary_record(table):
    """``(values, scenarios, met)`` of the independent measurements in secondary sources."""
    _, secondary = independent_record(table)
    assert secondary.scenarios > 0, "some figures come from secondary sources"
    return secondary.values, secondary.scenarios, secondary.in_range


def test_00_gives_the_record_in_one_plain_sentence(record, secondary_record):
    _values, scenarios, met = record
    _, secondary_scenarios, secondary_met = secondary_record
    TEXT.assert_says("The course's model of IgG levels matches {} of {} comparisons with "
                     "published measurements it was not built from, and {} of {} comparisons "
                     "with figures reported only by secondary sources; notebooks 03 and 04 show "
                     "every comparison and explain the misses.", met, scenarios, secondary_met,
                     secondary_scenarios)
    assert TEXT.text.count("comparisons with published measurements") == 1
    for retired in ("validated", "It misses", "nadir", "rozanolixizumab", "batoclimab",
                    "albumin replacement", "notebook 03 shows each one"):
        TEXT.assert_not_says(retired)


def test_00_no_longer_prints_the_list_of_misses():
    sources = [("".join(cell["source"]), cell.get("outputs", []))
               for cell in NOTEBOOK_00["cells"] if cell["cell_type"] == "code"]
    assert not any("describe_validation" in source for source, _ in sources)


def test_readme_reports_the_same_record(record):
    values, scenarios, met = record
    sentence = (f"tested against {values} independent published values, in {scenarios} "
                f"scenarios; it meets {met} of the {scenarios}")
    assert README.count(sentence) == 2, f"README.md should say {sentence!r} twice"
    assert "validated model" not in README.lower()


def test_the_women_per_man_range_names_its_criteria():
    ratio = load_table("prevalence_by_criteria")["women_per_man"]
    TEXT.assert_says("depends on the criteria used: from {:g} to {:g} women per man in one "
                     "population, counted three ways (notebook 01 shows how)",
                     ratio.min(), ratio.max())
    for retired in ("mostly women", "notebook 01 shows why", "a study showed that antibodies",
                    "a hopeful question", "depends on the diagnostic criteria"):
        TEXT.assert_not_says(retired)
    TEXT.assert_says("In 2021 a study reported that antibodies")


def test_glossary_numbers_come_from_the_rules_and_the_data():
    TEXT.assert_says("how many of {} body areas hurt in the past week (0–{})", len(AREAS),
                     len(AREAS))
    TEXT.assert_says("symptoms (0–3 each) plus {} symptoms in the past 6 months (0–{} in all)",
                     {3: "three"}[len(FLAG_NAMES)], 3 * len(ITEM_NAMES) + len(FLAG_NAMES))
    outcomes = load_table("outcome_measures")
    pain = outcomes[outcomes["measure"].str.startswith("Pain numeric")].set_index("unit")
    assert "one person's change" in pain.loc["points", "meaning"]
    TEXT.assert_says("Clinically important change in pain: a fall of about {:g} points out of "
                     "10, or about {:g}%, in one person. This matched patients rating themselves "
                     "\"much\" or \"very much improved\" (Farrar 2001). It is a threshold for "
                     "one person's change, not the smallest change that counts, and not the "
                     "difference to expect between trial arms.",
                     pain.loc["points", "threshold"], pain.loc["% reduction", "threshold"])
    for retired in ("the smallest change patients themselves count",
                    "Clinically important difference:", "The 2016 revision is current",
                    "without tissue damage or nerve injury"):
        TEXT.assert_not_says(retired)
    TEXT.assert_says("without clear evidence of tissue damage or of a lesion or disease of the "
                     "somatosensory nervous system")
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


def test_glossary_anchor_ids_that_later_notebooks_link_to_are_kept():
    for anchor in ("glossary", "fibromyalgia", "acr-criteria", "wpi", "sss", "nociplastic",
                   "central-sensitisation", "mcid", "igg", "autoantibody", "passive-transfer",
                   "drg", "half-life", "plasma", "haematocrit", "plasma-volume", "tpe", "fcrn",
                   "ivig", "immunoadsorption"):
        assert f'<a id="{anchor}"></a>' in MARKDOWN_00, anchor


def _minutes(text: str) -> tuple[int, int]:
    """``(low, high)`` minutes from the first "N" or "N–M" in ``text``."""
    match = re.search(r"(\d+)(?:–(\d+))?", text)
    low = int(match.group(1))
    return low, int(match.group(2) or low)


def _estimated_time(name: str) -> str:
    """The rest of the line after "Estimated time" in a notebook's own markdown."""
    prose = NotebookProse(name).text
    return re.search(r"Estimated time\W*\s*([^|]*?)(?: \||\. [A-Z*]|$)", prose).group(1)


def _map_times() -> dict[str, str]:
    times = {}
    for line in MARKDOWN_00.splitlines():
        match = re.match(r"^\|\s*\[`(\d\d_[a-z_]+)`\]", line)
        if match:
            times[match.group(1)] = line.strip(" |").split("|")[2].strip()
    return times


def test_map_times_come_from_each_notebooks_own_estimate():
    times = _map_times()
    assert set(times) == {path.stem for path in NOTEBOOKS.glob("0*.ipynb")}
    for name, shown in times.items():
        estimate = _estimated_time(name)
        assert _minutes(shown) == _minutes(estimate), (name, shown, estimate)
        optional = re.search(r"optional[^.]*?adds about (\d+)", estimate)
        assert (f"(+{optional.group(1)} optional)" in shown) if optional else (
            "optional" not in shown), (name, shown, estimate)


def test_total_course_time_is_the_sum_of_the_notebooks():
    times = _map_times()
    low = sum(_minutes(shown)[0] for shown in times.values())
    optional = sum(int(n) for shown in times.values()
                   for n in re.findall(r"\+(\d+) optional", shown))
    high = sum(_minutes(shown)[1] for shown in times.values()) + optional
    TEXT.assert_says("The whole course takes about {}–{} hours", round(low / 60),
                     round(high / 60))


def test_one_symbol_for_a_problem_on_the_start_page():
    TEXT.assert_says("If a line is marked ❌, do what that line says.")
    assert "✗" not in TEXT.text


def test_status_labels_are_explained_once_with_their_data_status():
    from helpers.figures.condition import source_labels

    rows = pd.DataFrame({"status": ["measured", "measured", "derived", "assumption"],
                         "source_kind": ["primary", "secondary", "primary", "primary"],
                         "reported_by": ["", "a named source", "", ""]})
    labels = list(source_labels(rows))
    assert labels == ["published", "reported by a named source", "derived (arithmetic)",
                      "assumption (unconfirmed)"]
    TEXT.assert_says("- {}: checked in the original paper (status `measured` in `data/`);",
                     labels[0])
    TEXT.assert_says("- reported by *a named source*: found only in a secondary source")
    TEXT.assert_says("- {}: worked out from other entries", labels[2])
    TEXT.assert_says("- {}: unconfirmed or illustrative", labels[3])


# ----- README -----------------------------------------------------------------------------

def test_readme_has_no_stale_coming_sentence():
    assert "being written" not in README and '"Coming"' not in README


def test_readme_documents_source_kind_and_reported_by():
    for column in ("`source_kind`", "`reported_by`"):
        assert column in README
    for table in ("prevalence_estimates", "outcome_measures"):
        assert {"source_kind", "reported_by"} <= set(load_table(table).columns)


def test_readme_model_numbers_come_from_the_parameters():
    params = load_table("igg_model_parameters").set_index("parameter")["value"]
    assert f"IgG in plasma ({100 * params['intravascular_fraction']:.0f}% of body IgG)" in README
    assert f"half-life is {params['half_life_days']:g} days" in README
    assert (f"a continuous exchange over {params['session_duration_hours']:g} hours"
            in README)


def test_readme_python_version_matches_the_project():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    version = re.search(r'requires-python = ">=(\d+\.\d+)"', pyproject).group(1)
    assert f"Python {version} or newer" in README
    assert f"Binder builds `environment.yml` (Python {version}" in README
    assert f"python={version}" in (ROOT / "environment.yml").read_text(encoding="utf-8")
