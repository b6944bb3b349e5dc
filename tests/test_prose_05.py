"""Every number in notebook 05's markdown, recomputed from data/ or the model."""

from __future__ import annotations

import inspect
import re
from statistics import NormalDist

import pytest
from prose import NotebookProse

from helpers import trial
from helpers.apps import trial as trial_apps
from helpers.data import load_table
from helpers.trial import detectable_effect_points, n_per_arm_for_power

NAME = "05_evidence_and_trial"
WORDS = {2: "two", 3: "three"}


@pytest.fixture(scope="module")
def text():
    return NotebookProse(NAME)


@pytest.fixture(scope="module")
def evidence():
    return load_table("fibromyalgia_evidence").set_index("id")


def _number_in(finding: str, pattern: str) -> str:
    match = re.search(pattern, finding)
    assert match, f"{pattern!r} not in {finding!r}"
    return match.group(1)


def test_fm0001_facts(text, evidence):
    enrolled = int(evidence.loc["E06", "n_patients"])
    assert enrolled == trial.FM0001_ENROLLED
    text.assert_says("(rozanolixizumab, {} patients)", enrolled)
    text.assert_says("{} patients with severe fibromyalgia", enrolled)
    text.assert_says("{} patients is small", enrolled)
    text.assert_says("(rozanolixizumab, FM0001, {} patients) is completed", enrolled)
    text.assert_says("FM0001 (rozanolixizumab) enrolled {} patients", enrolled)
    assert "NCT05643794" in evidence.loc["E01", "study"]
    text.assert_says("in the UK ({})", "NCT05643794")
    design = evidence.loc["E02", "finding"]
    assert "three treatment sequences" in design and "one with placebo only" in design
    text.assert_says("{} with three treatment sequences (one of them placebo only)",
                     "a crossover design")
    weeks = _number_in(evidence.loc["E05", "finding"], r"after (\d+) weeks of treatment")
    text.assert_says("pain interference (BPI-SF) after {} weeks of treatment", weeks)
    year = _number_in(evidence.loc["E06", "finding"], r"estimated study completion .* (\d{4})")
    text.assert_says("the trial was due to finish in {}", year)
    month = _number_in(evidence.loc["E08", "finding"], r"as of ([A-Z][a-z]+ \d{4})")
    for sentence in ("no results had been found as of {}",
                     "No results had been found as of {}",
                     "with no results found as of {}"):
        text.assert_says(sentence, month)
    assert "no blood tests" in evidence.loc["E10", "finding"]
    text.assert_says("the registered outcomes list no blood tests")


def test_ivig_and_placebo_arithmetic(text, evidence):
    caro = int(evidence.loc["E11", "n_patients"])
    text.assert_says("In Caro 2008, {} patients with fibromyalgia", caro)
    rate = 100 * trial.PLACEBO_RESPONDER_RATE
    text.assert_says("{:.1f}% of patients report at least 30% less pain", rate)
    text.assert_says("In an open-label group of {}, about {} could improve", caro,
                     round(trial.PLACEBO_RESPONDER_RATE * caro))
    text.assert_says("About {}: {:.1f}% of {} is {:.1f}", round(trial.PLACEBO_RESPONDER_RATE
                                                                 * caro), rate, caro,
                     trial.PLACEBO_RESPONDER_RATE * caro)
    text.assert_says("In an open-label series of {} patients", caro)


def test_controlled_evidence(text, evidence):
    pilot = int(evidence.loc["E19", "n_patients"])
    points = _number_in(evidence.loc["E19", "finding"], r"pain was ([\d.]+) points lower")
    text.assert_says("a crossover pilot of {} patients found pain {} points lower", pilot, points)
    text.assert_says("the larger LIPS trial, with {} patients", int(evidence.loc["E20",
                                                                                 "n_patients"]))
    ivig, placebo = re.search(r"(\d+)% on IVIG vs (\d+)% on placebo",
                              evidence.loc["E17", "finding"]).groups()
    p_value = _number_in(evidence.loc["E17", "finding"], r"p = ([\d.]+)")
    text.assert_says("{}% of patients on IVIG and {}% on placebo improved", ivig, placebo)
    text.assert_says("(p = {}, {} patients)", p_value, int(evidence.loc["E17", "n_patients"]))
    text.assert_says("no dose of IVIG helped in {} patients", int(evidence.loc["E21",
                                                                               "n_patients"]))


def test_antibody_cohorts(text, evidence):
    patients, controls = re.search(r"(\d+) patients vs (\d+) controls",
                                   evidence.loc["E24", "finding"]).groups()
    text.assert_says("again in {} patients against {} controls", patients, controls)
    share = _number_in(evidence.loc["E25", "finding"], r"More than (\d+)%")
    text.assert_says("in more than {}% of patients in an independent study", share)


def test_blog_section(text):
    claims = load_table("blog_claims")
    paraphrases = int((claims["wording"] == "paraphrase").sum())
    text.assert_says("({} are paraphrases", WORDS[paraphrases])
    assert claims["claim"].str.contains("80–90%").any()
    text.assert_says('the "blood wash" that "targets" proteins and the "80–90%"')


def test_trial_inputs(text):
    inputs = load_table("trial_inputs").set_index("parameter")
    trials = _number_in(inputs.loc["placebo_responder_rate", "source"], r"(\d+) parallel RCTs")
    text.assert_says("Across {} placebo-controlled drug trials, {:.1f}% of patients on placebo",
                     trials, 100 * trial.PLACEBO_RESPONDER_RATE)
    text.assert_says("the SD of the change is about {:g} points", trial.SD_CHANGE_POINTS)
    text.assert_says("A fall of about {:g} points (or 30%) is clinically important",
                     trial.MCID_POINTS)
    text.assert_says("the figure is {:g} points (Mease 2011)",
                     inputs.loc["mcid_points_fm_bpi", "value"])
    text.assert_says("so that {:.1f}% of placebo patients fall by at least {:g} points",
                     100 * trial.PLACEBO_RESPONDER_RATE, trial.MCID_POINTS)
    text.assert_says("SD of change about {:g} points", trial.SD_CHANGE_POINTS)
    text.assert_says("the significance level, {:.0f}% two-sided", 100 * trial.ALPHA)
    text.assert_says("Trials are usually planned for {:.0f}%", 100 * trial.TARGET_POWER)


def test_worked_sample_sizes(text):
    z_alpha = NormalDist().inv_cdf(1 - trial.ALPHA / 2)
    z_power = NormalDist().inv_cdf(trial.TARGET_POWER)
    text.assert_says("= 2 × ({:.2f} + {:.2f})² × SD² / difference²", z_alpha, z_power)
    sizes = {effect: n_per_arm_for_power(effect, critical="z") for effect in (2.0, 1.5, 1.0, 0.5)}
    text.assert_says("With an SD of {:g} points, a 2-point difference needs {} per arm, 1.5 "
                     "points {}, 1 point {} and 0.5 points {}", trial.SD_CHANGE_POINTS,
                     *sizes.values())
    assert all(n_per_arm_for_power(effect) - n == 1 for effect, n in sizes.items())
    text.assert_says("needs one more per arm in each case")
    ratio = load_table("trial_inputs").set_index("parameter").loc["responder_rate_ratio", "value"]
    placebo = trial.PLACEBO_RESPONDER_RATE
    text.assert_says("the ratio seen for fibromyalgia drugs, {:g} (from {:.1f}% to {:.1f}%), the "
                     "trial needs {} per arm", ratio, 100 * placebo, 100 * placebo * ratio,
                     trial.n_per_arm_for_responder_power(placebo, placebo * ratio))
    text.assert_says("runs a trial of {} per arm with a 2-point effect", sizes[2.0])
    text.assert_says("**{} per arm** ({} patients)", sizes[1.0], 2 * sizes[1.0])


def test_simulation_and_window(text):
    n_trials = inspect.signature(trial.virtual_trial).parameters["n_trials"].default
    text.assert_says("simulates {:,} two-arm trials at once", n_trials)
    text.assert_says("about {:.0f}% of trials still come out positive", 100 * trial.ALPHA)
    start, end = trial.ASSESSMENT_WINDOW_DAYS
    assert end - start == 7
    text.assert_says("the final week before a {:.0f}-week endpoint", end / 7)
    text.assert_says("by weeks {:.0f}–{:.0f}", start / 7, end / 7)
    text.assert_says("at a {:.0f}-week endpoint", end / 7)


def test_explorer_discussion(text):
    per_arm = trial.FM0001_ENROLLED // 2
    text.assert_says("the star is {} patients run as a parallel trial", trial.FM0001_ENROLLED)
    text.assert_says("a trial of {} patients ({} per arm)", trial.FM0001_ENROLLED, per_arm)
    share = trial.ANTIBODY_POSITIVE_FRACTION
    text.assert_says("with {:.0f}% positive, roughly {} times as many", 100 * share,
                     {8: "eight"}[round(1 / share**2)])
    # The explorer's own numbers at its defaults agree with the "roughly eight times".
    effect = trial_apps.treatment_lowering(next(iter(trial_apps.TREATMENTS))) * \
        trial.EFFECT_IF_ALL_REMOVED_POINTS
    ratio = n_per_arm_for_power(effect, subset_fraction=share) / n_per_arm_for_power(effect)
    assert 7.5 <= ratio < 9
    text.assert_says("{} per arm reliably detects only a difference of about {:.1f} points",
                     per_arm, detectable_effect_points(per_arm))
    text.assert_says("With {:.0f}% antibody positive, it reliably detects only an effect of "
                     "about {:.1f} points", 100 * share,
                     detectable_effect_points(per_arm, subset_fraction=share))
    text.assert_says("the {:g}-point line", trial.MCID_POINTS)
    text.assert_says("recovery to {:g}% of baseline takes weeks",
                     trial_apps.WASHOUT_THRESHOLD_PCT)


def test_self_check_enrichment_answer(text):
    ratio = trial_apps.EXERCISES["enrichment-ratio"].answer()
    text.assert_says("About {:.0f} times: the average effect is 0.3 times as large", ratio)
    text.assert_says("1 / 0.3² ≈ {:.0f}", 1 / 0.3**2)
    text.assert_says("the effect exists in {:.0f}% of patients only", 100 * 0.3)


def test_retired_claims_stay_out(text):
    for phrase in ("widely shared", "popular blog", "nobody has tried", "the mice recovered when",
                   "results were negative", "results were positive"):
        text.assert_not_says(phrase)
    text.assert_says("No trial has shown that removing antibodies helps people with fibromyalgia")
