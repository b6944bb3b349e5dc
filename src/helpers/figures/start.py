"""Text for the start page (00): the model's record against published values, in plain words.

Only independent comparisons test the model: a comparison that holds by construction (a
formula the model contains, its calibration target, a default parameter) is a consistency
check and is left out (see :func:`helpers.model_validation.validation_table`). A published
value may be compared in several scenarios (for example at two exchange volumes), and a
figure found only in a secondary source is counted apart from the published values.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.model_validation import validation_table

__all__ = ["ValidationRecord", "describe_validation", "validation_record"]

# Plain words for the shorthand used in data/validation_targets.csv.
_PLAIN = [("2-h ", "2-hour "), ("1.0 PV", "1 plasma volume"), (" PV", " plasma volumes"),
          ("after re-equilibration", "once blood and tissue IgG have re-balanced"),
          ("TPE", "plasma exchange"), (" IV ", " intravenous "), (" SC ", " under the skin ")]


@dataclass(frozen=True)
class ValidationRecord:
    """How the model does in its independent comparisons.

    Attributes
    ----------
    values, scenarios, met : int
        Distinct published values (checked in the original source), the scenarios they are
        compared in, and the scenarios in which the model lies inside the accepted range.
    secondary_values, secondary_scenarios, secondary_met : int
        The same for figures reported only by a secondary source.
    """

    values: int
    scenarios: int
    met: int
    secondary_values: int
    secondary_scenarios: int
    secondary_met: int


def _split(table: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    table = validation_table() if table is None else table
    independent = table[~table["by_construction"].astype(bool)]
    secondary = independent["source_kind"] == "secondary"
    return independent[~secondary], independent[secondary]


def validation_record(table: pd.DataFrame | None = None) -> ValidationRecord:
    """Count the model's independent comparisons (see :class:`ValidationRecord`).

    Parameters
    ----------
    table : pandas.DataFrame, optional
        Output of :func:`helpers.model_validation.validation_table`; computed when omitted.
    """
    published, secondary = _split(table)
    return ValidationRecord(
        values=published["id"].nunique(), scenarios=len(published),
        met=int(published["within_tolerance"].sum()),
        secondary_values=secondary["id"].nunique(), secondary_scenarios=len(secondary),
        secondary_met=int(secondary["within_tolerance"].sum()))


def _plain(text: str) -> str:
    for shorthand, words in _PLAIN:
        text = text.replace(shorthand, words)
    return text


def _model_value(row: pd.Series) -> str:
    if str(row["unit"]).startswith("%"):
        return f"{row['model_value']:.0f}{row['unit']}"
    return f"{row['model_value']:.3g} {row['unit']}"


def _misses(rows: pd.DataFrame, said: str) -> list[str]:
    return [f"- {_plain(str(row['scenario']))}: {said} {row['published_value']}; the model "
            f"gives {_model_value(row)}."
            for _, row in rows[~rows["within_tolerance"].astype(bool)].iterrows()]


def describe_validation(table: pd.DataFrame | None = None) -> str:
    """Say in plain words how the model compares with the values it is tested against.

    Parameters
    ----------
    table : pandas.DataFrame, optional
        Output of :func:`helpers.model_validation.validation_table`; computed when omitted.

    Returns
    -------
    str
        The record against published values, then against secondary-source figures, then
        one line per miss: the situation, the value and the model's value.
    """
    published, secondary = _split(table)
    record = validation_record(table)
    lines = [
        f"The model is tested against {record.values} independent published values, in "
        f"{record.scenarios} scenarios; it lies inside the accepted range in {record.met} of "
        f"the {record.scenarios}.",
        f"Figures reported only by secondary sources are counted apart: "
        f"{record.secondary_values} figures in {record.secondary_scenarios} scenarios, inside "
        f"the range in {record.secondary_met}.",
    ]
    misses = (_misses(published, "the published value is")
              + _misses(secondary, "a secondary source reports"))
    if misses:
        lines += [f"It misses {len(misses)}:", *misses]
    return "\n".join(lines)
