"""Text for the start page (00): the model's fit to published values, in plain words.

Only independent comparisons count as tests of the model: a comparison that holds by
construction (a formula the model contains, its calibration target, a default parameter) is a
consistency check and is counted apart (see :func:`helpers.model_validation.validation_table`).
"""

from __future__ import annotations

import pandas as pd

from helpers.model_validation import validation_table

__all__ = ["describe_validation", "independent_comparisons", "validation_counts"]

# Plain words for the shorthand used in data/validation_targets.csv.
_PLAIN = [("2-h ", "2-hour "), ("1.0 PV", "1 plasma volume"), (" PV", " plasma volumes"),
          ("after re-equilibration", "once blood and tissue IgG have re-balanced"),
          ("TPE", "plasma exchange"), (" IV ", " intravenous "), (" SC ", " under the skin ")]


def independent_comparisons(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the rows of the validation table that test the model independently.

    Parameters
    ----------
    table : pandas.DataFrame, optional
        Output of :func:`helpers.model_validation.validation_table`; computed when omitted.
    """
    table = validation_table() if table is None else table
    return table[~table["by_construction"]]


def validation_counts(table: pd.DataFrame | None = None) -> tuple[int, int]:
    """Return ``(tested, met)``: independent published values, and how many the model meets."""
    independent = independent_comparisons(table)
    return len(independent), int(independent["within_tolerance"].sum())


def _plain(text: str) -> str:
    for shorthand, words in _PLAIN:
        text = text.replace(shorthand, words)
    return text


def _model_value(row: pd.Series) -> str:
    if str(row["unit"]).startswith("%"):
        return f"{row['model_value']:.0f}{row['unit']}"
    return f"{row['model_value']:.3g} {row['unit']}"


def describe_validation(table: pd.DataFrame | None = None) -> str:
    """Say in plain words how the model compares with the published values it is tested on.

    Parameters
    ----------
    table : pandas.DataFrame, optional
        Output of :func:`helpers.model_validation.validation_table`; computed when omitted.

    Returns
    -------
    str
        How many independent values the model meets, then one line per miss: the situation,
        the published (or reported) value and the model's value.
    """
    independent = independent_comparisons(table)
    tested, met = validation_counts(independent)
    misses = independent[~independent["within_tolerance"]]
    lines = [f"The model is tested against {tested} independent published values and falls "
             f"within a fair range of {met} of them."]
    if misses.empty:
        return lines[0]
    lines.append(f"It misses {len(misses)}:")
    for row in misses.itertuples(index=False):
        row = pd.Series(row._asdict())
        said = ("the published value is" if row["source_kind"] == "primary"
                else "a secondary source reports")
        lines.append(f"- {_plain(str(row['scenario']))}: {said} {row['published_value']}; "
                     f"the model gives {_model_value(row)}.")
    return "\n".join(lines)
