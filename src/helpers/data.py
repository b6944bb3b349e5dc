"""Load the course's data tables and check them against their schema.

Every table in ``data/`` is a CSV file described by ``data/datapackage.json`` (a
Frictionless Data Package). :func:`load_table` reads one table, checks each cell
against the field's type and constraints, and returns a typed ``pandas.DataFrame``.
A problem raises :class:`DataValidationError` naming the file, the line and the column.

Nothing here writes to ``data/``.
"""

from __future__ import annotations

import csv
import json
import math
import os
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["DataValidationError", "data_dir", "datapackage", "load_table", "table_names"]

DATA_DIR_ENV = "COURSE_DATA_DIR"
_PACKAGE_DATA = Path(__file__).resolve().parent / "_data"  # present in a built wheel
_REPO_DATA = Path(__file__).resolve().parents[2] / "data"  # editable install / checkout
_TRUE = {"true", "True", "TRUE", "1"}
_FALSE = {"false", "False", "FALSE", "0"}


class DataValidationError(ValueError):
    """A data file does not match its schema in ``datapackage.json``."""


def data_dir() -> Path:
    """Return the folder holding ``datapackage.json``.

    The environment variable ``COURSE_DATA_DIR`` overrides the search (used by tests that
    check the loader on deliberately broken copies). Otherwise the data shipped inside an
    installed wheel is used, then the ``data/`` folder of the source checkout.

    Raises
    ------
    DataValidationError
        If no folder with a ``datapackage.json`` is found.
    """
    override = os.environ.get(DATA_DIR_ENV)
    candidates = [Path(override)] if override else [_PACKAGE_DATA, _REPO_DATA]
    for folder in candidates:
        if (folder / "datapackage.json").is_file():
            return folder
    searched = ", ".join(str(folder) for folder in candidates)
    raise DataValidationError(f"No datapackage.json found (looked in: {searched}).")


@cache
def _read_datapackage(folder: Path) -> dict[str, Any]:
    path = folder / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DataValidationError(f"{path}: not valid JSON ({error}).") from None


def datapackage() -> dict[str, Any]:
    """Return the parsed ``datapackage.json`` descriptor (a fresh copy)."""
    return json.loads(json.dumps(_read_datapackage(data_dir())))


def table_names() -> list[str]:
    """Return the names of all tables (resources) in the data package."""
    return [resource["name"] for resource in datapackage()["resources"]]


def _resource(name: str) -> dict[str, Any]:
    for resource in _read_datapackage(data_dir())["resources"]:
        if resource["name"] == name:
            return resource
    known = ", ".join(table_names())
    raise DataValidationError(f"No table named {name!r} in datapackage.json; known: {known}.")


def _convert(text: str, field: dict[str, Any]) -> object:
    """Convert one CSV cell to the field's type; raise ``ValueError`` with the reason."""
    kind = field.get("type", "string")
    if kind == "string":
        return text
    if kind == "number":
        number = float(text)
        if not math.isfinite(number):
            raise ValueError("is not a finite number")
        return number
    if kind == "integer":
        return int(text)
    if kind == "boolean":
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError("is not true or false")
    raise ValueError(f"has unsupported schema type {kind!r}")


def _check_constraints(value: object, text: str, field: dict[str, Any]) -> str | None:
    """Return a description of the first broken constraint, or None."""
    constraints = field.get("constraints", {})
    if "enum" in constraints and text not in constraints["enum"]:
        return f"{text!r} is not one of {constraints['enum']}"
    if "minimum" in constraints and value < constraints["minimum"]:  # type: ignore[operator]
        return f"{text} is below the minimum {constraints['minimum']}"
    if "maximum" in constraints and value > constraints["maximum"]:  # type: ignore[operator]
        return f"{text} is above the maximum {constraints['maximum']}"
    return None


def _parse_rows(path: Path, fields: list[dict[str, Any]]) -> list[dict[str, object]]:
    names = [field["name"] for field in fields]
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header != names:
            raise DataValidationError(
                f"{path.name}, line 1: header {header} does not match the schema fields {names}."
            )
        rows = []
        for line_number, cells in enumerate(reader, start=2):
            if len(cells) != len(names):
                raise DataValidationError(
                    f"{path.name}, line {line_number}: {len(cells)} cells, expected {len(names)}."
                )
            row: dict[str, object] = {}
            for field, text in zip(fields, cells, strict=True):
                where = f"{path.name}, line {line_number}, column {field['name']!r}"
                if text == "":
                    if field.get("constraints", {}).get("required", False):
                        raise DataValidationError(f"{where}: a value is required.")
                    row[field["name"]] = None
                    continue
                try:
                    value = _convert(text, field)
                except ValueError as error:
                    reason = str(error) if "is not" in str(error) else f"is not a {field['type']}"
                    raise DataValidationError(f"{where}: {text!r} {reason}.") from None
                broken = _check_constraints(value, text, field)
                if broken:
                    raise DataValidationError(f"{where}: {broken}.")
                row[field["name"]] = value
            rows.append(row)
    return rows


def _check_primary_key(path: Path, schema: dict[str, Any], rows: list[dict[str, object]]) -> None:
    key = schema.get("primaryKey")
    if not key:
        return
    columns = [key] if isinstance(key, str) else list(key)
    seen: dict[tuple[object, ...], int] = {}
    for line_number, row in enumerate(rows, start=2):
        value = tuple(row[column] for column in columns)
        if value in seen:
            raise DataValidationError(
                f"{path.name}, line {line_number}, column {columns}: duplicate key {value} "
                f"(first on line {seen[value]})."
            )
        seen[value] = line_number


_PANDAS_DTYPES = {"number": "float64", "integer": "Int64", "boolean": "boolean", "string": "object"}


@cache
def _load_validated(folder: Path, name: str) -> pd.DataFrame:
    resource = _resource(name)
    path = folder / resource["path"]
    if not path.is_file():
        raise DataValidationError(
            f"{resource['path']}: file listed in datapackage.json is missing.")
    fields = resource["schema"]["fields"]
    rows = _parse_rows(path, fields)
    _check_primary_key(path, resource["schema"], rows)
    frame = pd.DataFrame(rows, columns=[field["name"] for field in fields])
    for field in fields:
        frame[field["name"]] = frame[field["name"]].astype(_PANDAS_DTYPES[field["type"]])
    return frame


def load_table(name: str) -> pd.DataFrame:
    """Load one validated data table.

    Parameters
    ----------
    name : str
        The resource name in ``datapackage.json`` (e.g. ``"igg_model_parameters"``).

    Returns
    -------
    pandas.DataFrame
        One column per schema field, typed as the schema says. A copy: changing it does not
        change what the next call returns, and nothing is ever written back to ``data/``.

    Raises
    ------
    DataValidationError
        If the file is missing, or a header, cell, constraint or key does not match the
        schema; the message names the file, line and column.
    """
    return _load_validated(data_dir(), name).copy()
