"""The data package: every table loads, carries sources, and broken files fail clearly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers import data
from helpers.data import DataValidationError, datapackage, load_table, table_names

ROOT = Path(__file__).resolve().parents[1]


def test_every_csv_in_data_is_described_and_every_resource_exists():
    described = {resource["path"] for resource in datapackage()["resources"]}
    on_disk = {path.name for path in (ROOT / "data").glob("*.csv")}
    assert described == on_disk


@pytest.mark.parametrize("name", table_names())
def test_table_loads_with_schema_types_and_provenance(name):
    table = load_table(name)
    assert len(table) > 0
    resource = next(r for r in datapackage()["resources"] if r["name"] == name)
    assert list(table.columns) == [field["name"] for field in resource["schema"]["fields"]]
    assert set(table["status"]) <= {"measured", "derived", "assumption"}
    assert table["source"].str.len().min() > 10, "every row needs a real citation"
    for field in resource["schema"]["fields"]:
        if field["type"] == "number":
            assert pd.api.types.is_float_dtype(table[field["name"]])


def test_measured_rows_point_to_where_they_were_checked():
    for name in table_names():
        table = load_table(name)
        if "url" not in table:
            continue
        measured = table[table["status"] == "measured"]
        assert measured["url"].notna().all(), f"{name}: a measured row lacks its URL"


def test_parameter_defaults_lie_inside_their_ranges():
    table = load_table("igg_model_parameters")
    assert ((table["range_min"] <= table["value"]) & (table["value"] <= table["range_max"])).all()


def test_load_table_returns_a_copy():
    first = load_table("igg_model_parameters")
    first.loc[0, "value"] = -999.0
    assert load_table("igg_model_parameters").loc[0, "value"] != -999.0


def test_unknown_table_names_the_known_ones():
    with pytest.raises(DataValidationError, match="igg_model_parameters"):
        load_table("no_such_table")


@pytest.fixture
def broken_copy(tmp_path, monkeypatch):
    """A copy of data/ that a test may damage, selected through COURSE_DATA_DIR."""
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    monkeypatch.setenv(data.DATA_DIR_ENV, str(copy))
    return copy


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("igg_model_parameters.csv", ",0.45,", ",zero point four,",
         r"igg_model_parameters\.csv, line 2, column 'value': 'zero point four' is not a number"),
        ("igg_model_parameters.csv", ",measured,", ",guessed,",
         r"line 2, column 'status': 'guessed' is not one of"),
        ("plasma_volume_removal.csv", "0.5,39.3", "0.5,139.3",
         r"plasma_volume_removal\.csv, line 2, column 'percent_removed': "
         r"139\.3 is above the maximum 100"),
        ("plasma_volume_coefficients.csv", "nadler,male,height_m_cubed,0.3669",
         "nadler,male,height_m_cubed,", r"line 2, column 'value': a value is required"),
        ("plasma_volume_coefficients.csv", "method,sex,term", "method,gender,term",
         r"plasma_volume_coefficients\.csv, line 1: header"),
        ("plasma_volume_removal.csv", "1.0,63.2", "0.5,63.2", r"line 3, .*duplicate key"),
        ("validation_targets.csv", "V21,man", "V21,man,extra",
         r"validation_targets\.csv, line \d+: 28 cells"),
    ],
)
def test_broken_file_names_file_line_and_column(broken_copy, file, old, new, expected):
    _replace(broken_copy / file, old, new)
    with pytest.raises(DataValidationError, match=expected):
        load_table(file.removesuffix(".csv"))


def test_missing_file_is_named(broken_copy):
    (broken_copy / "plasma_volume_examples.csv").unlink()
    with pytest.raises(DataValidationError, match=r"plasma_volume_examples\.csv: file listed"):
        load_table("plasma_volume_examples")


def test_missing_datapackage_is_reported(tmp_path, monkeypatch):
    monkeypatch.setenv(data.DATA_DIR_ENV, str(tmp_path))
    with pytest.raises(DataValidationError, match=r"No datapackage\.json"):
        load_table("igg_model_parameters")
