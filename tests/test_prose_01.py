"""Every number in notebook 01's markdown, recomputed from data/ and the criteria rules.

Editing a number by hand in the notebook (or changing the data or the rules) makes the
sentence disappear and a test here fail, naming the closest text the notebook does contain.
"""

from __future__ import annotations

import re

import pandas as pd
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


def _modified_2010() -> pd.DataFrame:
    rows = ESTIMATES[(ESTIMATES["criteria"] == "modified ACR 2010")
                     & (ESTIMATES["group"] == "all")]
    assert len(rows) == 2
    return rows.sort_values("prevalence_pct")


def test_what_to_notice_and_summary_give_the_ranges_in_the_data():
    low, high = _strict_range()
    TEXT.assert_says("Whole-population figures under the ACR 1990 or 2010 criteria, or pooled "
                     "across many studies, lie between {} and {}.", _pct(low), _pct(high))
    TEXT.assert_says("Whole-population figures lie between {} and {} under the ACR 1990 or 2010 "
                     "criteria or pooled across studies", _pct(low), _pct(high))
    jones, vincent = (row for _, row in _modified_2010().iterrows())
    assert jones["study"].startswith("Jones") and vincent["study"].startswith("Vincent")
    TEXT.assert_says("Two surveys using the modified 2010 criteria found more: {} (Jones et al. "
                     "2015) and {} (Vincent et al. 2013, as reported by {}).",
                     _pct(jones["prevalence_pct"]), _pct(vincent["prevalence_pct"]),
                     vincent["reported_by"])
    TEXT.assert_says("two surveys using the modified 2010 criteria found {} and {} (the second "
                     "as reported by {})", _pct(jones["prevalence_pct"]),
                     _pct(vincent["prevalence_pct"]), vincent["reported_by"])
    germany = ESTIMATES.loc["germany"]
    assert germany["criteria"] == "ACR 2010" and "survey" in germany["setting"]
    TEXT.assert_says("A German population survey using the {} criteria found {} (as reported by "
                     "{})", germany["criteria"], _pct(germany["prevalence_pct"]),
                     germany["reported_by"])
    clinic = ESTIMATES[ESTIMATES["setting"].str.startswith("mostly clinic")]["prevalence_pct"]
    TEXT.assert_says("Samples drawn mostly from clinics reach {}.", _pct(clinic.iloc[0]))
    for retired in ("with self-report questionnaires", "For whole populations they range from 1.1%",
                    "modified (self-report) 2010"):
        TEXT.assert_not_says(retired)


def test_olmsted_figures_are_labelled_as_reported_by_their_secondary_source():
    survey, records = ESTIMATES.loc["vincent_survey"], ESTIMATES.loc["vincent_records"]
    TEXT.assert_says("the survey counted {}, while medical records gave {}: only about a quarter",
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
    assert men["ci_low_pct"] < 0
    # only "implausible" and "crosses zero" are sourced; the reasons are labelled as likely
    TEXT.assert_says("The likely reasons the pooled figure is so odd are that the pooled studies "
                     "differed a lot (probably in criteria, countries and settings) and that "
                     "probably few of them reported men separately; the course's sources say "
                     "only that the figure is implausible.")
    TEXT.assert_not_says("the statistical method does not suit the data")


def test_the_jones_survey_numbers_and_the_examination():
    note = ESTIMATES.loc["jones_1990", "note"]
    mailed, responded, examined = (int(n) for n in re.search(
        r"(\d+) mailed, (\d+) responders, (\d+) examined in clinic", note).groups())
    TEXT.assert_says("The survey was mailed to {:,} people; {:,} responded, and {} of them were "
                     "examined in clinic. The ACR 1990 criteria need a tender-point "
                     "examination, which only those {} had", mailed, responded, examined,
                     examined)
    smallest = JONES["prevalence_pct"].min()
    TEXT.assert_says("The ratios rest on few cases ({} of {:,} responders is about {:.0f} people) "
                     "and are given without confidence intervals", _pct(smallest), responded,
                     smallest / 100 * responded)
    TEXT.assert_says("*Why* the share of women changes with the criteria is not established in "
                     "the course's sources.")
    heidari = ESTIMATES.loc["heidari_all", "setting"]
    assert "patient groups" in heidari and "65 papers" in heidari


def test_the_three_criteria_figure_description():
    responders = int(re.search(r"(\d+) survey responders",
                               ESTIMATES.loc["jones_1990", "setting"]).group(1))
    TEXT.assert_says("two bar charts for the same {:,} survey responders", responders)
    prevalence = JONES["prevalence_pct"]
    TEXT.assert_says("prevalence was {} under ACR 1990, {} under ACR 2010 and {} under the "
                     "modified 2010 criteria", _pct(prevalence["ACR 1990"]),
                     _pct(prevalence["ACR 2010"]), _pct(prevalence["modified ACR 2010"]))
    ratio = JONES["women_per_man"]
    TEXT.assert_says("there were {:g}, {:g} and {:g} women per man", ratio["ACR 1990"],
                     ratio["ACR 2010"], ratio["modified ACR 2010"])
    # "self-report" is the course's reading of "modified 2010", unconfirmed in the sources
    TEXT.assert_says("the course reads these as self-report versions, but that reading is")
    TEXT.assert_says("*unconfirmed* in the course's sources. > - 2016 revision")


def test_summary_and_self_check_give_the_spread_under_the_criteria():
    ratio = JONES["women_per_man"]
    TEXT.assert_says("from {:g} to {:g} women per man in one population", ratio.min(),
                     ratio.max())
    TEXT.assert_says("the same population gives {} to {} depending on the criteria, and the "
                     "share of women from {:g} to {:g} per man",
                     _pct(JONES["prevalence_pct"].min()), _pct(JONES["prevalence_pct"].max()),
                     ratio.min(), ratio.max())


# ----- Section 3: the criteria ----------------------------------------------------------------

def test_severity_wording_and_everyday_area_names_match_the_calculator():
    from helpers.apps.condition import SYMPTOM_OPTIONS

    scale = "; ".join(f"{value} = {label.split(' – ')[1]}" for label, value in SYMPTOM_OPTIONS)
    TEXT.assert_says("each rated for the past week ({})", scale)
    labels = set(AREAS["label"].str.lower())
    for part in ("shoulder girdle", "lower arm", "upper leg", "lower leg"):
        assert any(part in label for label in labels), part
    TEXT.assert_says("the *shoulder girdle* is the shoulder, the *lower arm* the forearm, the "
                     "*upper leg* the thigh and the *lower leg* the calf")


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
    TEXT.assert_says("| Lower WPI band | {}–{} (with SSS ≥ {}) | {}–{} (with SSS ≥ {}) |",
                     _rule("wpi_low_min", "acr2011"), _rule("wpi_low_max", "acr2011"),
                     _rule("sss_with_low_wpi_min", "acr2011"), _rule("wpi_low_min"),
                     _rule("wpi_low_max"), _rule("sss_with_low_wpi_min"))
    TEXT.assert_says("pain in ≥ {} of {} regions, jaw/chest/abdomen excluded",
                     _rule("regions_min"), AREAS["region"].nunique())
    # The 2011 exclusion rule is unconfirmed in the sourcebook: it must be labelled.
    TEXT.assert_says("(that the 2011 version kept this rule is *unconfirmed*)")
    TEXT.assert_says("| Symptom scale, fourth item | 2010: a clinician's rating of other bodily "
                     "(somatic) symptoms, 0–3; 2011: a count of headaches, lower-abdominal pain "
                     "or cramps, and depression, 0–{} | as 2011 |", 3)
    TEXT.assert_says("That line uses the 2011 symptom items and assumes the 2016 list of {} areas "
                     "(that the 2010 list was the same is *unconfirmed*)", len(AREAS))


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
    assert AREAS.groupby("area")["region"].nunique().max() == 1  # one region per area
    assert _rule("regions_min") > 3
    TEXT.assert_says("so 3 areas can cover at most 3 regions, fewer than the {} the "
                     "generalized-pain rule needs", _rule("regions_min"))
    twelve = list(AREAS.loc[AREAS["counts_for_generalized_pain"], "area"])[:12]
    result = acr2016(twelve, **_symptoms(4), duration_months=12)
    assert result.generalized_pain and result.duration_met and not result.score_rule_met
    TEXT.assert_says("A person has a WPI of {} and an SSS of {}. Which rule must they fail, "
                     "whatever their areas?", result.wpi, result.sss)
    TEXT.assert_says("The score rule: with a WPI of {} or more the SSS must be at least {}, and "
                     "{} is too low, whatever the areas.", _rule("wpi_high_min"),
                     _rule("sss_with_high_wpi_min"), result.sss)
    upper = ["left_jaw", "right_jaw", "left_shoulder_girdle", "right_shoulder_girdle",
             "left_upper_arm", "right_upper_arm", "left_lower_arm", "right_lower_arm", "neck",
             "upper_back", "lower_back", "chest"]
    both = acr2016(upper, **_symptoms(4), duration_months=12)
    assert both.wpi == result.wpi and not both.generalized_pain
    TEXT.assert_says("{} areas over both jaws, both shoulder girdles, both upper and lower arms, "
                     "the neck, upper and lower back and chest cover only regions {}, {} and {}",
                     both.wpi, *sorted(both.regions))


def test_fs_of_12_is_not_the_criteria():
    three = ["left_shoulder_girdle", "right_upper_leg", "neck"]
    result = acr2016(three, **_symptoms(12), duration_months=12)
    assert not result.score_rule_met and not result.generalized_pain
    assert result.fs_score >= _rule("fs_typical_min")
    TEXT.assert_says("Anyone who meets the score rule has an FS score of at least {}.",
                     min(_rule("wpi_high_min") + _rule("sss_with_high_wpi_min"),
                         _rule("wpi_low_min") + _rule("sss_with_low_wpi_min")))
    TEXT.assert_says("Pain in {} areas with an SSS of {} gives an FS score of {}, yet fails the "
                     "score rule (and the region rule).", result.wpi, result.sss,
                     result.fs_score)
    bands = load_table("fs_severity_bands")
    patients = re.search(r"survey of ([\d,]+) Italian", bands["source"].iloc[0]).group(1)
    TEXT.assert_says("The bands come from a survey of {} Italian patients, as reported by "
                     "OnMedica (the citation is unconfirmed in the course's sources)", patients)
    TEXT.assert_says("({})", ", ".join(bands["band"].str.lower()))


def test_criterion_4_is_quoted_whole_and_clinical_judgement_named():
    TEXT.assert_says("the diagnosis is valid irrespective of other diagnoses, and it does not "
                     "exclude other clinically important illnesses.")
    TEXT.assert_says("Clinicians still take a history and examine the person to look for other "
                     "conditions, which can coexist with fibromyalgia or mimic it.")
    TEXT.assert_says("(The course's sources do not list which conditions are looked for, so "
                     "none is named here.)")
    TEXT.assert_not_says("4. and the diagnosis is valid")


# ----- Section 6: outcome measures ------------------------------------------------------------

def test_outcome_thresholds_and_their_labels():
    pain = OUTCOMES[OUTCOMES["measure"].str.startswith("Pain numeric")].set_index("unit")
    assert "several chronic pain conditions" in pain.loc["points", "source"]
    TEXT.assert_says("A fall in one person's pain of about {:g} points out of 10, or about {:g}%, "
                     "is clinically important: it matched patients rating themselves much or "
                     "very much improved on the PGIC (Farrar et al. 2001; pooled across several "
                     "chronic pain conditions)",
                     pain.loc["points", "threshold"], pain.loc["% reduction", "threshold"])
    TEXT.assert_says("A {:g}-point or {:g}% fall in one person's pain is the usual bar for a "
                     "change that matters to that person: it counts responders, and is not the "
                     "difference to expect between trial arms",
                     pain.loc["points", "threshold"], pain.loc["% reduction", "threshold"])
    TEXT.assert_says("These thresholds are for one person's change, used to count *responders*")
    mease = OUTCOMES[OUTCOMES["source"].str.startswith("Mease")].set_index("unit")
    assert (mease["status"] == "measured").all() and (mease["source_kind"] == "primary").all()
    TEXT.assert_says("about {:g} points, or {:g}% (Mease et al. 2011)",
                     mease.loc["points", "threshold"], mease.loc["% reduction", "threshold"])
    immpact = OUTCOMES[OUTCOMES["measure"].str.startswith("IMMPACT")].iloc[0]
    assert immpact["status"] == "assumption"
    TEXT.assert_says("The IMMPACT row gives the same {:g}% as a convention",
                     immpact["threshold"])
    fiq = OUTCOMES[OUTCOMES["measure"].str.contains("original version")].iloc[0]
    TEXT.assert_says("The {:g}% change was derived for the original FIQ, not for the FIQR",
                     fiq["threshold"])
    cut_off = OUTCOMES[OUTCOMES["threshold_kind"] == "case-level cut-off"].iloc[0]
    assert cut_off["measure"].startswith("FS ")
    TEXT.assert_says("The FS score of {:g} is a case-level cut-off, not a change",
                     cut_off["threshold"])
    TEXT.assert_says("An FS score of {:g} or more is a level", cut_off["threshold"])


def test_fiqr_total_is_labelled_as_an_assumption():
    top = int(load_table("fs_severity_bands")["fiqr_max"].max())
    TEXT.assert_says("its total is usually given as 0–{}, but the course's sources have not "
                     "confirmed that scoring, so treat the 0–{} range as an *assumption*", top, top)


# ----- Self-check -----------------------------------------------------------------------------

SELF_CHECK_AREAS = ["left_shoulder_girdle", "right_shoulder_girdle", "left_upper_leg",
                    "right_upper_leg", "neck", "lower_back"]
WEEKS, LATER_MONTHS = 10, 4


def test_self_check_question_2_matches_the_rules():
    months = WEEKS * 7 / (365.25 / 12)
    result = acr2016(SELF_CHECK_AREAS, **_symptoms(10), duration_months=months)
    TEXT.assert_says("pain for {} weeks in both shoulder girdles, both upper legs, the neck and "
                     "the lower back, with an SSS of {}", WEEKS, result.sss)
    assert result.score_rule_met and _rule("wpi_low_min") <= result.wpi <= _rule("wpi_low_max")
    TEXT.assert_says("WPI {}, in the {}–{} band, with SSS {} (at least {} needed): the score "
                     "rule is met", result.wpi, _rule("wpi_low_min"), _rule("wpi_low_max"),
                     result.sss, _rule("sss_with_low_wpi_min"))
    assert result.generalized_pain
    TEXT.assert_says("The painful areas cover regions {}, so generalized pain is met",
                     ", ".join(map(str, sorted(result.regions)[:-1]))
                     + f" and {max(result.regions)}")
    assert not result.duration_met and not result.meets_criteria
    TEXT.assert_says("But {} weeks is about {:.1f} months, short of the {} months needed", WEEKS,
                     months, _rule("duration_months_min"))
    later = acr2016(SELF_CHECK_AREAS, **_symptoms(10), duration_months=LATER_MONTHS)
    assert later.meets_criteria
    TEXT.assert_says("What if the pain had lasted {} months?", LATER_MONTHS)
    TEXT.assert_says("After {} months they would.", LATER_MONTHS)


def test_claims_held_to_the_sourcebook():
    TEXT.assert_says("Exercise (aerobic and strengthening) is the only strong recommendation in "
                     "favour of a treatment.")
    TEXT.assert_says("No immune-directed or antibody-lowering treatment appears among the "
                     "recommendations.")
    TEXT.assert_says("raises the possibility of an immune, peripheral contribution in a subset "
                     "of patients")
    TEXT.assert_says("the transfer has not yet been independently replicated")
    TEXT.assert_says("there is no clear evidence of tissue damage, or of a lesion or disease of "
                     "the somatosensory nervous system, to explain it")
    TEXT.assert_says("typical examples (Kosek et al. 2021)")
    TEXT.assert_says("Kosek E, Clauw D, Nijs J, et al.")
    TEXT.assert_says("EULAR recommendations (2016, published 2017)")


@pytest.mark.parametrize("retired", [
    "the only strong recommendation.",
    "only strong recommendation;",
    "no immune treatment is recommended",
    "for some patients",
    "That suggests an immune",
    "in at least some patients",
    "(Kosek et al. 2016;",
    "no nerve lesion to explain it",
    "the nerves that carry pain signals",
    "To judge any new treatment",
    "In a trial, average pain",
    "Diagnosis: the ACR 2016 criteria",
    "4. and the diagnosis is valid whatever other diagnoses",
    "(with SS ≥",
    "headaches this year",
    "low mood.",
    "Nothing is visibly damaged",
    "WPI 6) and",
    "FS scale: 12 points",
    "calculator.load_case",
    "mostly women",
])
def test_retired_claims_do_not_come_back(retired):
    TEXT.assert_not_says(retired)
