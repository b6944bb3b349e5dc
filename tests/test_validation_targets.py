"""The model against every published target (data/validation_targets.csv).

Targets the model meets must stay met. Targets it is known to miss are listed with the
reason; they must still miss, so that the notebooks' "where the model doesn't fit" text
cannot silently go stale if the model changes. Independent comparisons and checks that hold
by construction (formula checks, calibration targets, default parameters) are kept apart,
and every calibrated value in data/ must be what its target gives.
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.data import load_table
from helpers.kinetics import IgGParameters, treatment_value
from helpers.model_validation import (
    IMPLEMENTED_SCOPES,
    ROLES,
    RoleCounts,
    calibration_table,
    equilibrium_level,
    independent_record,
    inside_published,
    monthly_falls,
    role_counts,
    validation_table,
)

TABLE = validation_table()

KNOWN_MISSES = {
    ("V4", "1 PV"): "with 45% of IgG in plasma, one exchange cannot remove enough body IgG for "
                    "plasma to settle at about half; the model settles near 78%",
    ("V4", "1.5 PV"): "as for 1 PV; the model settles near 73%, above the loose 70% bound",
    ("V13", "1.5 PV x5"): "five 1.5-PV exchanges every other day remove more than 90% of the "
                          "baseline body pool in the model (new IgG made during the course is "
                          "removed too); the source treats 90% as an upper bound",
    ("F3", "7 mg/kg"): "the model gives each dose the same blockade for a time proportional to "
                       "the dose; the real effect grows less than in proportion, so the model's "
                       "fall (66%) is too deep",
    ("F6", "day of nadir"): "with a short step of blockade the nadir comes when the action "
                            "ends (day 2); slow absorption of an SC dose is not modelled",
    ("F8", "680 mg weekly x6"): "batoclimab's 2-day step per dose, set on one dose in healthy "
                                "volunteers, leaves gaps between weekly doses (61% vs about 75%)",
}
# Misses that are not independent measurements: a consistency check against a derived value
# and the shape of a calibration target. Both are shown in notebook 04 with their reason.
KNOWN_OTHER_MISSES = {
    ("F7", "half-life at full blockade"): ("consistency", "3.2-3.6 days comes from "
                                           "one-compartment models; in two compartments the "
                                           "model's half-life is 5.3 days"),
    ("V18", "total IgG, third month"): ("calibration", "the production cut is instant and "
                                        "permanent and FCR slows as IgG falls, so total IgG "
                                        "levels off after a fast first month"),
}

# Known values from the sourcebook and from the calibrations (model outputs).
EXPECTED = {
    ("V11", "0.9 PV"): (58.5, 0.5),
    ("V14", "no exchange"): (21.0, 0.05),
    ("V21", "man 1.75 m 70 kg"): (4.824, 0.001),
    ("V19", "control mice"): (2.9, 0.02),
    ("V20", "supine rat"): (13.43, 0.1),
    ("F7", "4-week ceiling"): (82.4, 0.5),
    ("F7", "half-life at full blockade"): (5.28, 0.05),
    ("F8", "680 mg weekly x6"): (61.1, 0.5),
    ("V18", "total IgG, third month"): (0.74, 0.05),
    ("I1", "2 g/kg"): (6.9, 0.1),
}


def _row(target_id: str, case: str) -> pd.Series:
    return TABLE[(TABLE["id"] == target_id) & (TABLE["case"] == case)].iloc[0]


def test_every_target_gets_a_model_value_and_a_kind():
    targets = load_table("validation_targets")
    assert set(targets["model_scope"]) <= set(IMPLEMENTED_SCOPES)
    assert len(TABLE) == len(targets) == 39
    assert TABLE["model_value"].notna().all()
    assert set(TABLE["comparison_kind"]) == {"independent", "by_construction"}
    assert (TABLE["by_construction"] == (TABLE["comparison_kind"] == "by_construction")).all()
    assert set(TABLE["role"]) == set(ROLES)
    # only independent measurements count as independent comparisons
    assert ((TABLE["role"] == "measurement") == (TABLE["comparison_kind"] == "independent")).all()
    assert TABLE["comparison_note"].str.len().gt(10).all()


def test_the_issue_targets_are_present_without_duplicates():
    ids = set(TABLE["id"])
    assert {"F3", "F5", "F6", "F7", "F8", "I1", "A1", "A2", "A4", "A5", "V15", "V16",
            "V18"} <= ids
    # I3 (= V15) and F4 (= V16) repeat a published value; A1 at 2.5 PV re-used the 69.9% that
    # set the column's efficiency; I5 (Privigen) was not like-for-like (patients on
    # replacement with near-normal IgG): all dropped
    assert not {"I3", "F4", "I5"} & ids
    assert set(TABLE.loc[TABLE["id"] == "A1", "case"]) == {"2 PV"}
    assert "tracer_half_life_low_igg_days" not in set(load_table("validation_targets")["quantity"])
    for name in ("V15", "V16"):
        assert "(= " in _row(name, TABLE.loc[TABLE["id"] == name, "case"].iloc[0])[
            "comparison_note"]


def test_formula_calibration_and_default_checks_are_not_independent():
    roles = TABLE.set_index(["id", "case"])["role"]
    for target in ["V1", "V2", "V21", "F7", "A5"]:
        assert (roles.loc[target] == "consistency").all(), target
    for target in ["V14", "V19", "V20", "V15", "V16", "I1", "F5", "A4", "V18"]:
        assert (roles.loc[target] == "calibration").all(), target
    for key in [("F3", "4 mg/kg"), ("F6", "depth"), ("A1", "2 PV")]:
        assert roles.loc[key] == "calibration", key
    assert roles.loc[("F3", "1 mg/kg")] == roles.loc[("F3", "7 mg/kg")] == "measurement"
    assert (roles.loc[["V3", "V4", "V7", "V10", "V11", "V13", "A2", "F8"]] == "measurement").all()


def test_secondary_sources_are_marked_as_such():
    kinds = TABLE.drop_duplicates("id").set_index("id")["source_kind"]
    for target in ["F3", "F5", "F6", "F7", "F8", "A4", "V13"]:
        assert kinds[target] == "secondary", target
    for target in ["I1", "A1", "A2", "A5", "V15", "V16", "V18"]:
        assert kinds[target] == "primary", target


@pytest.mark.parametrize(
    ("target_id", "case"),
    [(row.id, row.case) for row in TABLE.itertuples()
     if (row.id, row.case) not in KNOWN_MISSES | KNOWN_OTHER_MISSES],
)
def test_target_met_within_tolerance(target_id, case):
    row = _row(target_id, case)
    assert row["tolerance_low"] <= row["model_value"] <= row["tolerance_high"], (
        f"{target_id} {case}: published {row['published_value']}, tolerance {row['tolerance']} "
        f"{row['unit']}, model {row['model_value']:.2f}")


@pytest.mark.parametrize(("target_id", "case"), list(KNOWN_MISSES))
def test_known_miss_still_misses(target_id, case):
    row = _row(target_id, case)
    assert row["comparison_kind"] == "independent"
    assert not row["within_tolerance"], (
        f"{target_id} {case} now fits ({row['model_value']:.2f}): update KNOWN_MISSES and the "
        "notebooks' text on where the model does not fit")


@pytest.mark.parametrize(("key", "role"), [(key, role) for key, (role, _) in
                                           KNOWN_OTHER_MISSES.items()])
def test_known_consistency_and_shape_misses_still_miss(key, role):
    row = _row(*key)
    assert row["role"] == role and not row["within_tolerance"]


def test_rituximab_total_igg_falls_fast_then_levels_off():
    falls = monthly_falls()
    assert falls[0] > 10 > 5 > falls[1] > falls[2]  # not the steady ~6% per month published
    # the 3-month average still matches the calibration target (V18)
    assert _row("V18", "total IgG")["model_value"] == pytest.approx(6.0, abs=0.1)


def test_counts_by_role():
    counts = role_counts(TABLE)
    assert counts["measurement"] == RoleCounts(values=11, scenarios=16, in_range=10, in_value=5)
    assert (counts["consistency"].scenarios, counts["consistency"].in_range) == (9, 8)
    assert (counts["calibration"].scenarios, counts["calibration"].in_range) == (14, 13)
    treatments = role_counts(TABLE[TABLE["model_scope"].isin(["ivig", "fcrn_blocker",
                                                              "immunoadsorption",
                                                              "rituximab"])])
    assert treatments["measurement"] == RoleCounts(values=5, scenarios=6, in_range=3, in_value=2)


@pytest.mark.parametrize(("model", "low", "high", "unit", "expected"), [
    (8.9, 14.5, 14.5, "%", "no (below)"), (14.0, 14.5, 14.5, "%", "yes"),
    (66.4, 47.6, 47.6, "%", "no (above)"), (87.9, 68, 93, "%", "yes"),
    (6.9, 7.8, 7.8, "g/L", "no (below)"), (10.6, 11, 11, "days", "yes"),
    (5.0, float("nan"), float("nan"), "%", "")])
def test_inside_the_published_value_itself(model, low, high, unit, expected):
    assert inside_published(model, low, high, unit) == expected


def test_main_prints_the_counts(capsys):
    from helpers.model_validation import main

    main()
    out = capsys.readouterr().out
    assert "measurement: 5 values in 6 scenarios; inside the accepted range 3" in out


@pytest.mark.parametrize(("key", "expected"), list(EXPECTED.items()),
                         ids=[f"{k[0]} {k[1]}" for k in EXPECTED])
def test_known_values(key, expected):
    value, tolerance = expected
    assert _row(*key)["model_value"] == pytest.approx(value, abs=tolerance)


def test_equilibrium_is_reached_days_after_the_session():
    days_after, level = equilibrium_level(1.0)
    assert 3.0 < days_after < 6.0
    assert 75.0 < level < 80.0


def test_v14_measures_labelled_igg_not_total_igg_with_production_stopped():
    # with FcRn saturation, total IgG with all production stopped decays ever more slowly:
    # over days 60-180 its apparent half-life is far above 21 days, which is why V14 uses a
    # tracer at steady-state total IgG (how labelled-IgG studies measure the 21 days)
    from helpers.kinetics import Schedule, simulate

    stopped = simulate(Schedule(), params=IgGParameters(synthesis_multiplier=0.0), days=180,
                       step_hours=24)
    late = stopped[stopped["day"] >= 60]
    import numpy as np

    slope = np.polyfit(late["day"], np.log(late["total_pct"]), 1)[0]
    assert np.log(2) / -slope > 60
    assert _row("V14", "no exchange")["model_value"] == pytest.approx(21.0, abs=0.05)


def test_validation_table_responds_to_parameters():
    slow = validation_table(IgGParameters(return_rate_per_day=0.12))
    fast = validation_table(IgGParameters(return_rate_per_day=0.48))
    v3_slow = slow[(slow["id"] == "V3") & (slow["case"] == "1 PV")]["model_value"].iloc[0]
    v3_fast = fast[(fast["id"] == "V3") & (fast["case"] == "1 PV")]["model_value"].iloc[0]
    assert v3_fast > v3_slow  # faster refill during the session leaves more IgG in plasma
    linear = validation_table(IgGParameters(fcrn_exponent=0.0))
    ivig = linear[linear["id"] == "V15"]
    assert ivig["model_value"].iloc[0] == pytest.approx(0.0, abs=1e-6)
    assert not ivig["within_tolerance"].iloc[0]  # without FcRn saturation IVIG does nothing


CALIBRATION = calibration_table()


@pytest.mark.parametrize("row", CALIBRATION.to_dict("records"),
                         ids=[f"{r.option}-{r.parameter}" for r in CALIBRATION.itertuples()])
def test_stored_values_are_the_calibrated_ones(row):
    # data/ stores each calibrated value rounded to 3 significant figures
    assert row["stored"] == pytest.approx(row["calibrated"], rel=5e-3, abs=2e-3)
    if row["parameter"] != "fcrn_exponent":
        assert row["model_at_stored"] == pytest.approx(row["target_value"], rel=5e-3)


def test_calibrated_fcrn_multiplier_stays_under_the_published_ceiling():
    multiplier = treatment_value("fcrn_blocker", "efgartigimod", "catabolism_multiplier")
    assert 1.0 < multiplier <= 6.1


def test_independent_record_counts_published_and_secondary_measurements_apart():
    published, secondary = independent_record(TABLE)
    measured = TABLE[TABLE["role"] == "measurement"]
    assert published.scenarios + secondary.scenarios == len(measured)
    assert secondary.scenarios == int((measured["source_kind"] == "secondary").sum())
    # V13 (a design figure from teaching notes) is reported by a secondary source.
    v13 = TABLE[TABLE["id"] == "V13"]
    exchange = independent_record(v13)
    assert exchange[0].scenarios == 0 and exchange[1].scenarios == len(v13)


def test_every_plasma_exchange_row_knows_its_published_number():
    exchange = TABLE[TABLE["model_scope"].isin(["single_exchange", "two_compartment"])]
    assert (exchange["inside_published"] != "").all()
