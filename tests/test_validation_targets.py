"""The model against every published target it covers (data/validation_targets.csv).

Targets the model meets must stay met. Targets it is known to miss are listed with the
reason; they must still miss, so that the notebooks' "where the model doesn't fit" text
cannot silently go stale if the model changes.
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.data import load_table
from helpers.model_validation import IMPLEMENTED_SCOPES, equilibrium_level, validation_table

TABLE = validation_table()

KNOWN_MISSES = {
    ("V4", "1 PV"): "with 45% of IgG in plasma, one exchange cannot remove enough body IgG for "
                    "plasma to settle at about half; the model settles near 76%",
    ("V4", "1.5 PV"): "as for 1 PV; the model settles near 71%, just above the loose 70% bound",
    ("V13", "1.5 PV x5"): "five 1.5-PV exchanges every other day remove more than 90% of the "
                          "baseline body pool in the model (new IgG made during the course is "
                          "removed too); the source treats 90% as an upper bound",
}


def _row(target_id: str, case: str) -> pd.Series:
    return TABLE[(TABLE["id"] == target_id) & (TABLE["case"] == case)].iloc[0]


def test_every_target_in_scope_gets_a_model_value():
    targets = load_table("validation_targets")
    in_scope = targets[targets["model_scope"].isin(IMPLEMENTED_SCOPES)]
    assert len(TABLE) == len(in_scope) == 18
    assert TABLE["model_value"].notna().all()


@pytest.mark.parametrize(
    ("target_id", "case"),
    [(row.id, row.case) for row in TABLE.itertuples() if (row.id, row.case) not in KNOWN_MISSES],
)
def test_target_met_within_tolerance(target_id, case):
    row = _row(target_id, case)
    assert row["tolerance_low"] <= row["model_value"] <= row["tolerance_high"], (
        f"{target_id} {case}: published {row['published_value']}, tolerance {row['tolerance']} "
        f"{row['unit']}, model {row['model_value']:.2f}")


@pytest.mark.parametrize(("target_id", "case"), list(KNOWN_MISSES))
def test_known_miss_still_misses(target_id, case):
    row = _row(target_id, case)
    assert not row["within_tolerance"], (
        f"{target_id} {case} now fits ({row['model_value']:.2f}): update KNOWN_MISSES and the "
        "notebooks' text on where the model does not fit")


def test_known_values_from_the_sourcebook():
    # Single-exchange and course values quoted in kinetics.md and validation.md
    assert _row("V11", "0.9 PV")["model_value"] == pytest.approx(58.6, abs=0.5)
    assert _row("V14", "no exchange")["model_value"] == pytest.approx(21.0, abs=0.05)
    assert _row("V21", "man 1.75 m 70 kg")["model_value"] == pytest.approx(4.824, abs=0.001)
    # Mouse: the 2.9-day half-life and a 13.4-h single-dose peak (closed form ln(ka/kel)/(ka-kel))
    assert _row("V19", "control mice")["model_value"] == pytest.approx(2.9, abs=0.02)
    assert _row("V20", "supine rat")["model_value"] == pytest.approx(13.43, abs=0.1)


def test_equilibrium_is_reached_days_after_the_session():
    days_after, level = equilibrium_level(1.0)
    assert 3.0 < days_after < 6.0
    assert 70.0 < level < 80.0


def test_planned_targets_are_listed_without_a_model_value():
    table = validation_table(include_planned=True)
    planned = table[table["id"].isin(["V15", "V16", "V18"])]
    assert len(planned) == 3
    assert planned["model_value"].isna().all() and planned["within_tolerance"].isna().all()


def test_validation_table_responds_to_parameters():
    from helpers.kinetics import IgGParameters

    slow = validation_table(IgGParameters(return_rate_per_day=0.12))
    fast = validation_table(IgGParameters(return_rate_per_day=0.48))
    v3_slow = slow[(slow["id"] == "V3") & (slow["case"] == "1 PV")]["model_value"].iloc[0]
    v3_fast = fast[(fast["id"] == "V3") & (fast["case"] == "1 PV")]["model_value"].iloc[0]
    assert v3_fast > v3_slow  # faster refill during the session leaves more IgG in plasma
