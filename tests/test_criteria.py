"""The ACR 2016 criteria engine: exhaustive region/WPI rules, every boundary, vignettes."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from helpers.checks import ParameterError
from helpers.criteria import (
    AREAS,
    acr2011,
    acr2016,
    regions_with_pain,
    rule_value,
    severity_band,
    symptom_severity,
    widespread_pain_index,
)
from helpers.data import load_table

NO_SYMPTOMS = {"fatigue": 0, "waking_unrefreshed": 0, "cognitive_symptoms": 0,
               "headaches": False, "lower_abdominal_pain": False, "depression": False}
# Written from the sourcebook's table, independently of data/wpi_areas.csv.
REGION_AREAS = {
    1: ["left_shoulder_girdle", "left_upper_arm", "left_lower_arm"],
    2: ["right_shoulder_girdle", "right_upper_arm", "right_lower_arm"],
    3: ["left_hip", "left_upper_leg", "left_lower_leg"],
    4: ["right_hip", "right_upper_leg", "right_lower_leg"],
    5: ["neck", "upper_back", "lower_back"],
}
NOT_COUNTING = ["left_jaw", "right_jaw", "chest", "abdomen"]
# WPI 8 with pain in all five regions.
EIGHT_AREAS_FIVE_REGIONS = [areas[0] for areas in REGION_AREAS.values()] + [
    "left_upper_arm", "right_upper_arm", "upper_back"]


def _symptoms_for(sss: int) -> dict[str, object]:
    """Symptom answers that add up to ``sss`` (0-12)."""
    items = [min(3, max(0, sss - 3 * k)) for k in range(3)]
    flags = max(0, sss - 9)
    return {"fatigue": items[0], "waking_unrefreshed": items[1], "cognitive_symptoms": items[2],
            "headaches": flags >= 1, "lower_abdominal_pain": flags >= 2, "depression": flags >= 3}


def test_there_are_19_areas_in_5_regions():
    assert len(AREAS) == 19 and len(set(AREAS)) == 19
    assert set(AREAS) == {a for areas in REGION_AREAS.values() for a in areas} | set(NOT_COUNTING)


def test_all_2_pow_19_area_subsets_against_an_independent_oracle():
    masks = np.arange(2 ** len(AREAS), dtype=np.int64)
    bits = (masks[:, None] >> np.arange(len(AREAS))) & 1
    expected_wpi = bits.sum(axis=1)
    index = {area: i for i, area in enumerate(AREAS)}
    region_hit = np.stack([bits[:, [index[a] for a in areas]].any(axis=1)
                           for areas in REGION_AREAS.values()], axis=1)
    expected_regions = region_hit.sum(axis=1)
    for mask in range(masks.size):
        areas = [AREAS[i] for i in range(len(AREAS)) if mask >> i & 1]
        regions = regions_with_pain(areas)
        assert len(regions) == expected_regions[mask]
        assert len(areas) == expected_wpi[mask]
        # the set itself, spot-checked on every 97th subset to keep the test fast
        if mask % 97 == 0:
            assert regions == {r for r in REGION_AREAS if region_hit[mask, r - 1]}
    assert widespread_pain_index(AREAS) == 19


def test_excluded_areas_never_make_a_region_count():
    assert regions_with_pain(NOT_COUNTING) == frozenset()
    assert widespread_pain_index(NOT_COUNTING) == 4


@pytest.mark.parametrize(("wpi", "sss"), list(itertools.product(range(20), range(13))))
def test_score_rule_at_every_wpi_and_sss(wpi, sss):
    # Pain in all 5 regions whenever WPI allows, so only the score rule decides.
    counting = [a for areas in REGION_AREAS.values() for a in areas]
    order = [REGION_AREAS[r][0] for r in REGION_AREAS] + [a for a in counting
                                                          if a not in {REGION_AREAS[r][0]
                                                                       for r in REGION_AREAS}]
    areas = (order + NOT_COUNTING)[:wpi]
    result = acr2016(areas, **_symptoms_for(sss), duration_months=12)
    older = acr2011(areas, **_symptoms_for(sss), duration_months=12)
    assert (result.wpi, result.sss, result.fs_score) == (wpi, sss, wpi + sss)
    assert result.score_rule_met == ((wpi >= 7 and sss >= 5) or (4 <= wpi <= 6 and sss >= 9))
    assert older.score_rule_met == ((wpi >= 7 and sss >= 5) or (3 <= wpi <= 6 and sss >= 9))
    assert result.generalized_pain == (wpi >= 4)
    assert result.meets_criteria == (result.score_rule_met and result.generalized_pain)


def test_every_symptom_combination_adds_up():
    for items in itertools.product(range(4), repeat=3):
        for flags in itertools.product([False, True], repeat=3):
            answers = dict(zip(["fatigue", "waking_unrefreshed", "cognitive_symptoms"], items,
                               strict=True))
            answers.update(zip(["headaches", "lower_abdominal_pain", "depression"], flags,
                               strict=True))
            assert symptom_severity(**answers) == sum(items) + sum(flags)


@pytest.mark.parametrize(("regions", "expected"), [(3, False), (4, True), (5, True)])
def test_generalized_pain_needs_four_regions(regions, expected):
    areas = [REGION_AREAS[r][0] for r in range(1, regions + 1)] + ["left_jaw", "chest",
                                                                  "abdomen"]
    areas += [REGION_AREAS[1][1], REGION_AREAS[1][2]][: max(0, 7 - len(areas))]
    result = acr2016(areas, **_symptoms_for(6), duration_months=6)
    assert result.wpi >= 7 and result.generalized_pain is expected
    assert result.meets_criteria is expected


@pytest.mark.parametrize(("months", "expected"), [(0, False), (2.99, False), (3, True), (60, True)])
def test_duration_boundary(months, expected):
    result = acr2016(EIGHT_AREAS_FIVE_REGIONS, **_symptoms_for(6), duration_months=months)
    assert result.meets_criteria is expected and result.duration_met is expected


def test_other_diagnoses_exclude_only_under_2010():
    areas = EIGHT_AREAS_FIVE_REGIONS
    assert acr2011(areas, **_symptoms_for(6), duration_months=6).meets_criteria
    assert not acr2011(areas, **_symptoms_for(6), duration_months=6,
                       other_disorder_explains_pain=True).meets_criteria
    assert any("irrespective" in r or "do not exclude" in r
               for r in acr2016(areas, **_symptoms_for(6), duration_months=6).reasons)


@pytest.mark.parametrize(("score", "band"), [(0, "Remission"), (5, "Remission"), (6, "Mild"),
                                             (15, "Mild"), (16, "Moderate"), (20, "Moderate"),
                                             (21, "Severe"), (25, "Severe"),
                                             (26, "Very severe"), (31, "Very severe")])
def test_severity_bands(score, band):
    assert severity_band(score) == band


CASES = load_table("criteria_vignettes").to_dict("records")


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_vignettes_have_the_expected_outcomes(case):
    areas = case["painful_areas"].split(";")
    answers = {k: case[k] for k in ["fatigue", "waking_unrefreshed", "cognitive_symptoms"]}
    answers.update({k: bool(case[k]) for k in ["headaches", "lower_abdominal_pain",
                                               "depression"]})
    result = acr2016(areas, **answers, duration_months=case["duration_months"])
    older = acr2011(areas, **answers, duration_months=case["duration_months"])
    assert result.meets_criteria == case["expected_acr2016"]
    assert older.meets_criteria == case["expected_acr2011"]
    assert len(result.reasons) == 5 and all(result.reasons)


def test_sourcebook_worked_examples():
    a = CASES[0]
    assert a["case"] == "A"
    result = acr2016(a["painful_areas"].split(";"), fatigue=2, waking_unrefreshed=2,
                     cognitive_symptoms=1, headaches=True, lower_abdominal_pain=False,
                     depression=False, duration_months=12)
    assert (result.wpi, sorted(result.regions), result.sss, result.fs_score) == (
        8, [1, 2, 3, 5], 6, 14)


INVALID = [
    ({"painful_areas": ["left_wrist"]}, ["painful_areas", "'left_wrist'", "neck",
                                         "Wrist, ankle and foot"]),
    ({"painful_areas": ["neck", "neck"]}, ["painful_areas", "'neck'", "once"]),
    ({"painful_areas": "neck"}, ["painful_areas", "not one string"]),
    ({"painful_areas": 5}, ["painful_areas"]),
    ({"fatigue": 4}, ["fatigue", "0 to 3"]),
    ({"fatigue": -1}, ["fatigue", "0 to 3"]),
    ({"cognitive_symptoms": 1.5}, ["cognitive_symptoms", "whole number"]),
    ({"waking_unrefreshed": True}, ["waking_unrefreshed"]),
    ({"headaches": 1}, ["headaches", "True or False"]),
    ({"depression": "yes"}, ["depression", "True or False"]),
    ({"duration_months": -1}, ["duration_months", "months", "from 0 to 600"]),
    ({"duration_months": float("nan")}, ["duration_months"]),
]


@pytest.mark.parametrize(("change", "fragments"), INVALID)
def test_invalid_answers_name_the_problem(change, fragments):
    arguments = {"painful_areas": ["neck"], **NO_SYMPTOMS, "duration_months": 6, **change}
    areas = arguments.pop("painful_areas")
    with pytest.raises(ParameterError) as caught:
        acr2016(areas, **arguments)
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_invalid_fs_score():
    with pytest.raises(ValueError, match="fs_score"):
        severity_band(32)


def test_rule_value_reads_the_thresholds_and_names_bad_names():
    assert rule_value("acr2016", "wpi_low_min") == 4
    assert rule_value("acr2011", "wpi_low_min") == 3
    with pytest.raises(ParameterError, match="'acr2016'"):
        rule_value("acr1990", "wpi_low_min")
    with pytest.raises(ParameterError, match="'wpi_high_min'"):
        rule_value("acr2016", "wpi_top")


def test_the_2011_exclusion_rule_is_labelled_unconfirmed():
    for excluded in (False, True):
        reasons = acr2011(EIGHT_AREAS_FIVE_REGIONS, **_symptoms_for(6), duration_months=6,
                          other_disorder_explains_pain=excluded).reasons
        assert "that the 2011 modification kept it is unconfirmed" in reasons[-1]
