"""Every number in notebook 01's markdown, recomputed from data/ and the criteria rules.

Editing a number by hand in the notebook (or changing the data or the rules) makes the
sentence disappear and a test here fail, naming the closest text the notebook does contain.
"""

from __future__ import annotations

import re

import pytest
from prose import NotebookProse

from helpers.criteria import acr2016
from helpers.data import load_table

TEXT = NotebookProse("01_the_condition")
RULES = {(row.criteria, row.rule): int(row.value)
         for row in load_table("acr_criteria_rules").itertuples()}
AREAS = load_table("wpi_areas")
ESTIMATES = load_table("prevalence_estimates").set_index("estimate")
JONES = load_table("prevalence_by_criteria").set_index("criteria")
OUTCOMES = load_table("outcome_measures")


def _rule(name: str, criteria: str = "acr2016") -> int:
    return RULES[(criteria, name)]


def _pct(value: float) -> str:
    return f"{value:g}%".replace("-", "−")


def _symptoms(sss: int) -> dict[str, object]:
    items = [min(3, max(0, sss - 3 * k)) for k in range(3)]
    flags = max(0, sss - 9)
    return {"fatigue": items[0], "waking_unrefreshed": items[1], "cognitive_symptoms": items[2],
            "headaches": flags >= 1, "lower_abdominal_pain": flags >= 2, "depression": flags >= 3}


# ----- Section 2: prevalence ------------------------------------------------------------------

def _strict_range() -> tuple[float, float]:
    """Whole populations under ACR 1990 or 2010, or pooled ("mixed"), clinic samples apart."""
    values = ESTIMATES[(ESTIMATES["group"] == "all")
                       & ESTIMATES["criteria"].isin(["ACR 1990", "ACR 2010", "mixed"])
                       & ~ESTIMATES["setting"].str.startswith("mostly clinic")]["prevalence_pct"]
    assert len(values) >= 4
    return values.min(), values.max()


def _self_report_range() -> tuple[float, float]:
    self_report = ESTIMATES[ESTIMATES["criteria"].str.contains("self-report")
                            & (ESTIMATES["group"] == "all")]["prevalence_pct"]
    return self_report.min(), self_report.max()


def test_what_to_notice_and_summary_give_the_ranges_in_the_data():
    low, high = _strict_range()
    TEXT.assert_says("Whole-population figures under the ACR 1990 or 2010 criteria, or pooled "
                     "across many studies, lie between {} and {}.", _pct(low), _pct(high))
    TEXT.assert_says("Whole-population figures lie between {} and {} under the ACR 1990 or 2010 "
                     "criteria or pooled across studies", _pct(low), _pct(high))
    low, high = _self_report_range()
    TEXT.assert_says("They rise to {:g}–{} with self-report questionnaires", low, _pct(high))
    TEXT.assert_says("reach {:g}–{} with self-report questionnaires", low, _pct(high))
    clinic = ESTIMATES[ESTIMATES["setting"].str.startswith("mostly clinic")]["prevalence_pct"]
    TEXT.assert_says("and reach {} in samples drawn mostly from clinics", _pct(clinic.iloc[0]))


def test_olmsted_figures_are_labelled_as_reported_by_their_secondary_source():
    survey, records = ESTIMATES.loc["vincent_survey"], ESTIMATES.loc["vincent_records"]
    TEXT.assert_says("counted {}, while medical records gave {}: only about a quarter",
                     _pct(survey["prevalence_pct"]), _pct(records["prevalence_pct"]))
    share = int(re.search(r"about (\d+)%", survey["note"]).group(1))
    assert 20 <= share <= 30, "'about a quarter' no longer matches the data's note"
    TEXT.assert_says("(Vincent et al. 2013, as reported by {})", records["reported_by"])


def test_every_secondary_source_the_prose_names_is_shown_as_reported_by():
    secondary = ESTIMATES[ESTIMATES["source_kind"] == "secondary"]
    mentioned = [row for _, row in secondary.iterrows()
                 if row["study"].split()[0] in TEXT.text]
    assert mentioned, "the prose should name at least one secondary-source estimate"
    for row in mentioned:
        TEXT.assert_says("reported by {}", row["reported_by"])
    for row in OUTCOMES[OUTCOMES["source_kind"] == "secondary"].itertuples():
        TEXT.assert_says("reported by {}", row.reported_by)


def test_exercise_on_the_pooled_mens_figure():
    men = ESTIMATES.loc["heidari_men"]
    TEXT.assert_says("gives {} for men with a 95% confidence interval from {} to {}",
                     _pct(men["prevalence_pct"]), _pct(men["ci_low_pct"]),
                     _pct(men["ci_high_pct"]))


def test_the_three_criteria_figure_description():
    responders = int(re.search(r"(\d+) survey responders",
                               ESTIMATES.loc["jones_1990", "setting"]).group(1))
    TEXT.assert_says("two bar charts for the same {:,} survey responders", responders)
    prevalence = JONES["prevalence_pct"]
    TEXT.assert_says("prevalence was {} under ACR 1990, {} under ACR 2010 and {} under the "
                     "modified (self-report) 2010 criteria", _pct(prevalence["ACR 1990"]),
                     _pct(prevalence["ACR 2010"]),
                     _pct(prevalence["modified ACR 2010 (self-report)"]))
    ratio = JONES["women_per_man"]
    TEXT.assert_says("there were {:g}, {:g} and {:g} women per man", ratio["ACR 1990"],
                     ratio["ACR 2010"], ratio["modified ACR 2010 (self-report)"])


def test_summary_and_self_check_give_the_spread_under_the_criteria():
    ratio = JONES["women_per_man"]
    TEXT.assert_says("from {:g} to {:g} women per man in one population", ratio.min(),
                     ratio.max())
    TEXT.assert_says("the same population gives {} to {} depending on the criteria, and the "
                     "share of women from {:g} to {:g} per man",
                     _pct(JONES["prevalence_pct"].min()), _pct(JONES["prevalence_pct"].max()),
                     ratio.min(), ratio.max())


# ----- Section 3: the criteria ----------------------------------------------------------------

def test_scores_areas_and_regions():
    n_areas, n_regions = len(AREAS), AREAS["region"].nunique()
    sss_max = 3 * 3 + 3
    TEXT.assert_says("Widespread Pain Index (WPI), 0–{}: how many of {} body areas", n_areas,
                     n_areas)
    TEXT.assert_says("The areas are grouped into {} regions", n_regions)
    TEXT.assert_says("Symptom Severity Scale (SSS), 0–{}", sss_max)
    TEXT.assert_says("fibromyalgia severity (FS) score is WPI + SSS (0–{})", n_areas + sss_max)


def test_the_2016_rules_as_the_data_state_them():
    for prefix in ("1. ", "ACR 2016: "):
        TEXT.assert_says(prefix + "WPI ≥ {} {} SSS ≥ {}, or WPI {}–{} {} SSS ≥ {}",
                         _rule("wpi_high_min"), "and" if prefix == "1. " else "with",
                         _rule("sss_with_high_wpi_min"), _rule("wpi_low_min"),
                         _rule("wpi_low_max"), "and" if prefix == "1. " else "with",
                         _rule("sss_with_low_wpi_min"))
    TEXT.assert_says("pain in at least {} of the {} regions", _rule("regions_min"),
                     AREAS["region"].nunique())
    TEXT.assert_says("symptoms generally present for at least {} months",
                     _rule("duration_months_min"))
    TEXT.assert_says("pain in ≥ {} of {} regions (jaw, chest and abdomen excluded); ≥ {} months",
                     _rule("regions_min"), AREAS["region"].nunique(),
                     _rule("duration_months_min"))


def test_the_areas_that_never_count_for_regions():
    excluded = set(AREAS.loc[~AREAS["counts_for_generalized_pain"], "label"])
    assert excluded == {"Left jaw", "Right jaw", "Chest", "Abdomen"}
    TEXT.assert_says("jaw, chest and abdominal pain do not count towards regions")


def test_fs_cut_offs():
    TEXT.assert_says("Fibromyalgia usually goes with a score of {} or more (as reported by {})",
                     _rule("fs_typical_min"),
                     OUTCOMES.set_index("threshold_kind").loc["case-level cut-off",
                                                              "reported_by"])
    TEXT.assert_says("the 2011 work used {} or more", _rule("fs_typical_min", "acr2011"))


def test_the_2010_to_2016_table():
    TEXT.assert_says("| Lower WPI band | {}–{} (with SS ≥ {}) | {}–{} (with SSS ≥ {}) |",
                     _rule("wpi_low_min", "acr2011"), _rule("wpi_low_max", "acr2011"),
                     _rule("sss_with_low_wpi_min", "acr2011"), _rule("wpi_low_min"),
                     _rule("wpi_low_max"), _rule("sss_with_low_wpi_min"))
    TEXT.assert_says("pain in ≥ {} of {} regions, jaw/chest/abdomen excluded",
                     _rule("regions_min"), AREAS["region"].nunique())
    # The 2011 exclusion rule is unconfirmed in the sourcebook: it must be labelled.
    TEXT.assert_says("(that the 2011 version kept this rule is *unconfirmed*)")


def test_think_first_answers():
    region_1 = AREAS[(AREAS["region"] == 1) & AREAS["counts_for_generalized_pain"]]["label"]
    assert list(region_1) == ["Left shoulder girdle", "Left upper arm", "Left lower arm"]
    assert acr2016(["left_jaw"], **_symptoms(12), duration_months=12).regions == frozenset()
    TEXT.assert_says("region 1 counts only through the left shoulder girdle, upper arm or "
                     "lower arm")
    three = ["left_shoulder_girdle", "right_upper_leg", "neck"]
    assert not acr2016(three, **_symptoms(12), duration_months=12).score_rule_met
    TEXT.assert_says("The lower WPI band of the score rule starts at a WPI of {} (in 2010/2011 "
                     "it started at {})", _rule("wpi_low_min"),
                     _rule("wpi_low_min", "acr2011"))
    twelve = list(AREAS.loc[AREAS["counts_for_generalized_pain"], "area"])[:12]
    result = acr2016(twelve, **_symptoms(4), duration_months=12)
    assert result.generalized_pain and result.duration_met and not result.score_rule_met
    TEXT.assert_says("Which rule does a person with a WPI of {} and an SSS of {} fail?",
                     result.wpi, result.sss)
    TEXT.assert_says("The score rule: with a WPI of {} or more the SSS must be at least {}.",
                     _rule("wpi_high_min"), _rule("sss_with_high_wpi_min"))


# ----- Section 6: outcome measures ------------------------------------------------------------

def test_outcome_thresholds_and_their_labels():
    pain = OUTCOMES[OUTCOMES["measure"].str.startswith("Pain numeric")].set_index("unit")
    TEXT.assert_says("A pain score falling by about {:g} points out of 10, or by about {:g}%",
                     pain.loc["points", "threshold"], pain.loc["% reduction", "threshold"])
    TEXT.assert_says("A {:g}-point or {:g}% fall in pain is the usual bar",
                     pain.loc["points", "threshold"], pain.loc["% reduction", "threshold"])
    fiq = OUTCOMES[OUTCOMES["measure"].str.contains("original version")].iloc[0]
    TEXT.assert_says("The {:g}% change was derived for the original FIQ, not for the FIQR",
                     fiq["threshold"])
    cut_off = OUTCOMES[OUTCOMES["threshold_kind"] == "case-level cut-off"].iloc[0]
    assert cut_off["measure"].startswith("FS ")
    TEXT.assert_says("The FS score of {:g} is a case-level cut-off, not a change",
                     cut_off["threshold"])
    TEXT.assert_says("an FS score of {:g} or more is a level", cut_off["threshold"])


def test_fiqr_total_is_labelled_as_an_assumption():
    top = int(load_table("fs_severity_bands")["fiqr_max"].max())
    TEXT.assert_says("its total is usually given as 0–{}, but the course's sources have not "
                     "confirmed that scoring, so treat the 0–{} range as an *assumption*", top, top)


# ----- Self-check -----------------------------------------------------------------------------

SELF_CHECK_AREAS = ["left_jaw", "right_jaw", "chest", "abdomen", "left_hip", "right_hip", "neck"]


def test_self_check_question_2_matches_the_rules():
    result = acr2016(SELF_CHECK_AREAS, **_symptoms(10), duration_months=12)
    TEXT.assert_says("pain for a year in both jaws, the chest, the abdomen, both hips and the "
                     "neck, and has an SSS of {}", result.sss)
    TEXT.assert_says("WPI {}: jaw, chest and abdominal pain count towards the WPI", result.wpi)
    assert result.score_rule_met and result.wpi >= _rule("wpi_high_min")
    TEXT.assert_says("The score rule is met (WPI ≥ {} with SSS ≥ {})", _rule("wpi_high_min"),
                     _rule("sss_with_high_wpi_min"))
    assert result.duration_met
    regions = sorted(result.regions)
    TEXT.assert_says("but only regions {}, {} and {} count", *regions)
    assert not result.generalized_pain and not result.meets_criteria
    TEXT.assert_says("generalized pain (at least {} regions) fails and the person does not "
                     "meet the 2016 criteria", _rule("regions_min"))


@pytest.mark.parametrize("retired", [
    "Nothing is visibly damaged",
    "WPI 6) and",
    "FS scale: 12 points",
    "calculator.load_case",
    "mostly women",
])
def test_retired_claims_do_not_come_back(retired):
    TEXT.assert_not_says(retired)
