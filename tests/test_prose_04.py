"""Notebook 04's prose: every number recomputed from the model, the data or the validation table.

Each test rebuilds a sentence of the notebook's markdown from its source and looks for it.
Editing a number by hand, or a change of the model that moves it, makes the test fail and
shows the closest text the notebook does contain.
"""

from __future__ import annotations

import math

import pytest
from prose import NotebookProse

from helpers.apps.alternatives import EXERCISES
from helpers.figures.alternatives import MISS_REASONS, teaching_numbers
from helpers.kinetics import FCRN_FREE_MULTIPLIER, IgGParameters, treatment_value
from helpers.model_validation import validation_table


@pytest.fixture(scope="module")
def text() -> NotebookProse:
    return NotebookProse("04_alternatives")


@pytest.fixture(scope="module")
def numbers():
    return teaching_numbers()


@pytest.fixture(scope="module")
def checks():
    return validation_table().set_index(["id", "case"])


def test_patient_and_normal_level(text):
    text.assert_says("(70 kg, normal IgG {:g} g/L)", IgGParameters().baseline_igg_g_per_l)


def test_fcrn_floor_and_ceiling(text, numbers, checks):
    text.assert_says("broken down {:g} times faster than normal", FCRN_FREE_MULTIPLIER)
    low, high = checks.loc[("F7", "efgartigimod m"), "published_value"].split()[1].split("-")
    text.assert_says("put this ceiling at {}–{}", low, high)
    text.assert_says("at 1/{:g}, about {:.1f}% of baseline", FCRN_FREE_MULTIPLIER,
                     numbers.fcrn_floor_pct)
    assert numbers.fcrn_floor_pct == pytest.approx(100 / FCRN_FREE_MULTIPLIER, rel=1e-3)
    text.assert_says("After 4 weeks of full blockade the model is at {:.1f}% of baseline, an "
                     "{:.1f}% fall", numbers.full_blockade_4_weeks_pct,
                     100 - numbers.full_blockade_4_weeks_pct)
    ceiling = checks.loc[("F7", "4-week ceiling")]
    text.assert_says("inside the {:g}–{:g}% ceiling", ceiling["tolerance_low"],
                     ceiling["tolerance_high"])
    text.assert_says("efgartigimod's calibrated multiplier is {:.2f} (it fits ADAPT+, a {}% fall",
                     numbers.efgartigimod_multiplier,
                     checks.loc[("F4", "4 weekly doses"), "published_value"].split("%")[0])
    text.assert_says("one cycle takes plasma IgG down to {:.1f}% of baseline",
                     numbers.efgartigimod_cycle_low_pct)
    text.assert_says("the model: {:.1f}%)", numbers.fcrn_floor_pct)
    text.assert_says("the model is at an {:.1f}% fall", 100 - numbers.full_blockade_4_weeks_pct)


def test_ivig_numbers(text, numbers, checks):
    text.assert_says("it peaks at {:.1f} g/L on day {:g}", numbers.ivig_peak_g_per_l,
                     numbers.ivig_peak_day)
    text.assert_says("it is still {:.1f} g/L above normal (published: {} in {} patients",
                     numbers.ivig_day_14_rise_g_per_l, "+7.8 g/L",
                     checks.loc[("I1", "2 g/kg"), "published_value"].split(", ")[1].split()[0])
    assert checks.loc[("I1", "2 g/kg"), "published_value"].startswith("+7.8 g/L")
    text.assert_says("to {:.1f}% of baseline on day {:.1f}", numbers.ivig_auto_low_pct,
                     numbers.ivig_auto_low_day)
    fall = 100 - numbers.ivig_auto_low_pct
    assert 17 < fall < 23  # "about a fifth"
    text.assert_says("a fall of about a fifth, close to the {}%",
                     checks.loc[("V15", "IVIG 2 g/kg"), "published_value"].split("about ")[1]
                     .split("%")[0])
    assert numbers.ivig_linear_auto_low_pct == pytest.approx(100.0, abs=1e-6)
    text.assert_says("With α = 0 it would not fall at all")
    assert IgGParameters().fcrn_exponent > 0


def test_alpha_compromise(text, checks):
    rise = checks.loc[("I1", "2 g/kg"), "model_value"]
    fall = checks.loc[("I3", "2 g/kg"), "model_value"]
    text.assert_says("The model's IVIG rise at 2 weeks ({:.1f} g/L) is below the published "
                     "7.8 g/L and its autoantibody fall (about {:.0f}% in weeks 3–4) below the "
                     "predicted 25%", rise, fall)
    assert rise < 7.8 and fall < 25
    alpha = IgGParameters().fcrn_exponent
    text.assert_says("would need α = {:.2f}; the course's α = {:.2f} gives {:.0f}%",
                     math.log(1.8) / math.log(2), alpha, 100 * 2**alpha)


def test_rituximab_numbers(text, numbers):
    text.assert_says("the autoantibody is at {:.1f}% of baseline after a week, {:.1f}% after a "
                     "month and {:.1f}% after three months", numbers.rituximab_week_pct,
                     numbers.rituximab_month_pct, numbers.rituximab_3_months_pct)
    text.assert_says("is still at {:.1f}%.", numbers.rituximab_total_3_months_pct)
    text.assert_says("the model the autoantibody is still at {:.1f}% after a month",
                     numbers.rituximab_month_pct)
    half_life = IgGParameters().half_life_days
    assert 18 <= half_life <= 24  # "a half-life of about three weeks"
    text.assert_says("with a half-life of about three weeks")


def test_immunoadsorption_numbers(text, numbers):
    text.assert_says("it removes {:.1f}% of the body's IgG against {:.1f}% for the column",
                     numbers.exchange_removed_pct, numbers.adsorption_removed_pct)
    assert numbers.exchange_removed_pct > numbers.adsorption_removed_pct
    removed = numbers.tryptophan_removed_pct
    text.assert_says("a session removes {:.1f}% of body IgG with 1 litre of plasma, {:.1f}% with "
                     "2 litres and still {:.1f}% with 3 litres", removed[1.0], removed[2.0],
                     removed[3.0])
    text.assert_says("protein A removes {:g}% of IgG1 but only {:g}% of IgG3 at 2.5 plasma volumes",
                     treatment_value("immunoadsorption", "protein_a",
                                     "igg1_removed_pct_at_2_5_pv"),
                     treatment_value("immunoadsorption", "protein_a",
                                     "igg3_removed_pct_at_2_5_pv"))
    text.assert_says("its efficiency was fitted to a {:.0f}% fall in one session",
                     float(validation_table().set_index(["id", "case"])
                           .loc[("A1", "2 PV"), "published_value"].split("%")[0].strip("-")))


def test_validation_counts_and_misses(text, checks):
    treatments = checks[checks["model_scope"].isin(["ivig", "fcrn_blocker", "immunoadsorption",
                                                    "rituximab"])]
    independent = treatments[~treatments["by_construction"]]
    missed = {key for key, row in independent.iterrows() if not row["within_tolerance"]}
    assert missed == set(MISS_REASONS)
    assert len(missed) == 3
    text.assert_says("Two of the three misses above have one cause")


def test_exercise_answers_are_computed_and_not_written(text, numbers):
    assert EXERCISES["fcrn-floor"].answer() == pytest.approx(numbers.fcrn_floor_pct)
    assert EXERCISES["ivig-peak"].answer() == pytest.approx(numbers.ivig_peak_g_per_l)
    assert EXERCISES["rituximab-month"].answer() == pytest.approx(numbers.rituximab_month_pct)


def test_the_bottom_line_is_stated(text):
    text.assert_says("no trial has shown that lowering antibodies helps people with fibromyalgia")
    text.assert_says("No trial has shown that any of these helps people with fibromyalgia.")
