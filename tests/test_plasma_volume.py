"""Plasma-volume formulas and single-exchange removal: exact checks against data/."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.data import load_table
from helpers.kinetics import (
    blood_volume_l,
    fraction_remaining,
    plasma_volume_l,
    volume_pv_for_removal,
)

EXAMPLES = load_table("plasma_volume_examples").to_dict("records")
REMOVAL = load_table("plasma_volume_removal").to_dict("records")


@pytest.mark.parametrize("row", EXAMPLES, ids=[row["person"] for row in EXAMPLES])
def test_worked_examples_match_to_the_rounding_of_the_table(row):
    args = (row["sex"], row["height_cm"], row["weight_kg"])
    assert blood_volume_l(*args) == pytest.approx(row["nadler_blood_volume_l"], abs=0.005)
    assert plasma_volume_l(*args, row["hematocrit"]) == pytest.approx(
        row["nadler_plasma_volume_l"], abs=0.005)
    assert plasma_volume_l(*args, row["hematocrit"], method="kaplan") == pytest.approx(
        row["kaplan_plasma_volume_l"], abs=0.005)


def test_nadler_man_worked_value_to_four_decimals():
    # 0.3669 x 1.75^3 + 0.03219 x 70 + 0.6041 = 4.82375 L (sourcebook V21)
    assert blood_volume_l("male", 175, 70) == pytest.approx(4.82375, abs=1e-4)


def test_women_use_their_own_intercept():
    # Using the male intercept for women is a known pitfall (sourcebook 1.6).
    assert blood_volume_l("male", 165, 60) - blood_volume_l("female", 165, 60) > 0.3


def test_kaplan_ignores_height_and_sex():
    assert blood_volume_l("female", 150, 80, "kaplan") == blood_volume_l("male", 200, 80, "kaplan")
    assert blood_volume_l("male", 170, 80, "kaplan") == pytest.approx(0.065 * 80)


@pytest.mark.parametrize("row", REMOVAL, ids=[f"{row['plasma_volumes']} PV" for row in REMOVAL])
def test_removal_table_exact(row):
    remaining = fraction_remaining(row["plasma_volumes"])
    assert 100 * (1 - remaining) == pytest.approx(row["percent_removed"], abs=0.05)
    assert 100 * remaining == pytest.approx(row["percent_remaining"], abs=0.05)


def test_fraction_remaining_accepts_arrays_and_shows_diminishing_returns():
    volumes = np.linspace(0, 3, 31)
    remaining = fraction_remaining(volumes)
    assert isinstance(remaining, np.ndarray) and remaining.shape == volumes.shape
    removed_per_step = -np.diff(remaining)
    assert np.all(removed_per_step > 0) and np.all(np.diff(removed_per_step) < 0)


@pytest.mark.parametrize("target", [0.0, 0.5, 0.632, 0.9, 0.95])
def test_volume_for_removal_inverts_fraction_remaining(target):
    assert 1 - fraction_remaining(volume_pv_for_removal(target)) == pytest.approx(target)
