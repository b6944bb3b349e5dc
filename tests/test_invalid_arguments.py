"""Every public function rejects bad input with a ValueError naming parameter, unit and range."""

from __future__ import annotations

import math

import pytest

from helpers.checks import ParameterError
from helpers.kinetics import (
    IgGParameters,
    Schedule,
    blood_volume_l,
    combine,
    fcrn_blocker_course,
    fraction_remaining,
    immunoadsorption_course,
    ivig_course,
    plasma_volume_l,
    reference_plasma_volume_l,
    rituximab_course,
    session_levels,
    simulate,
    tpe_course,
    volume_pv_for_removal,
)

GOOD_PV = {"sex": "female", "height_cm": 165, "weight_kg": 60, "hematocrit": 0.4}
GOOD_COURSE = {"n_sessions": 5, "volume_pv": 1.0, "interval_days": 2.0}
GOOD_IA = {"n_sessions": 5, "volume_pv": 2.0, "interval_days": 1.0}
GOOD_FCRN = {"n_doses": 4, "interval_days": 7.0}

# (function, keyword arguments, expected fragments of the message)
CASES = [
    (plasma_volume_l, {**GOOD_PV, "sex": "F"}, ["sex", "'female', 'male'"]),
    (plasma_volume_l, {**GOOD_PV, "height_cm": 1.65}, ["height_cm", "cm", "from 100 to 230"]),
    (plasma_volume_l, {**GOOD_PV, "height_cm": "165"}, ["height_cm", "cm"]),
    (plasma_volume_l, {**GOOD_PV, "weight_kg": 15}, ["weight_kg", "kg", "from 20 to 300"]),
    (plasma_volume_l, {**GOOD_PV, "weight_kg": 301}, ["weight_kg", "from 20 to 300"]),
    (plasma_volume_l, {**GOOD_PV, "weight_kg": math.nan}, ["weight_kg", "kg"]),
    (plasma_volume_l, {**GOOD_PV, "hematocrit": 40}, ["hematocrit", "from 0.15 to 0.7",
                                                      "fraction (0.40 for 40%)"]),
    (plasma_volume_l, {**GOOD_PV, "hematocrit": 0.1}, ["hematocrit", "from 0.15 to 0.7"]),
    (plasma_volume_l, {**GOOD_PV, "hematocrit": True}, ["hematocrit"]),
    (plasma_volume_l, {**GOOD_PV, "method": "guess"}, ["method", "'nadler', 'kaplan'"]),
    (blood_volume_l, {"sex": "male", "height_cm": 175, "weight_kg": math.inf}, ["weight_kg"]),
    (fraction_remaining, {"volume_pv": -0.1}, ["volume_pv", "plasma volumes", "from 0 to 3"]),
    (fraction_remaining, {"volume_pv": 3.5}, ["volume_pv", "from 0 to 3"]),
    (fraction_remaining, {"volume_pv": None}, ["volume_pv"]),
    (fraction_remaining, {"volume_pv": [0.5, math.nan]}, ["volume_pv", "from 0 to 3"]),
    (fraction_remaining, {"volume_pv": [0.5, 4.0]}, ["volume_pv", "from 0 to 3"]),
    (volume_pv_for_removal, {"fraction_removed": 0.99}, ["fraction_removed", "from 0 to 0.95"]),
    (tpe_course, {**GOOD_COURSE, "n_sessions": 31}, ["n_sessions", "from 0 to 30 sessions"]),
    (tpe_course, {**GOOD_COURSE, "n_sessions": 2.5}, ["n_sessions", "whole number"]),
    (tpe_course, {**GOOD_COURSE, "n_sessions": -1}, ["n_sessions"]),
    (tpe_course, {**GOOD_COURSE, "volume_pv": 3.01}, ["volume_pv", "plasma volumes"]),
    (tpe_course, {**GOOD_COURSE, "interval_days": 0}, ["interval_days", "greater than 0",
                                                       "days"]),
    (tpe_course, {**GOOD_COURSE, "interval_days": -2}, ["interval_days", "days"]),
    (tpe_course, {**GOOD_COURSE, "interval_days": 0.05}, ["interval_days", "overlap",
                                                          "2 h"]),
    (tpe_course, {**GOOD_COURSE, "start_day": -1}, ["start_day", "days", "from 0 to 365"]),
    (tpe_course, {**GOOD_COURSE, "duration_hours": 0.1}, ["duration_hours", "hours",
                                                          "from 0.5 to 6"]),
    (tpe_course, {**GOOD_COURSE, "replacement": "saline"}, ["replacement",
                                                            "'albumin', 'plasma'"]),
    (simulate, {"schedule": "5 sessions"}, ["schedule", "tpe_course"]),
    (simulate, {"schedule": Schedule(), "days": 0}, ["days", "greater than 0"]),
    (simulate, {"schedule": Schedule(), "days": 1000}, ["days", "at most 730"]),
    (simulate, {"schedule": Schedule(), "step_hours": 0.01}, ["step_hours", "hours"]),
    (simulate, {"schedule": Schedule(), "params": {"half_life_days": 21}}, ["params",
                                                                           "IgGParameters"]),
    (session_levels, {"schedule": None}, ["schedule"]),
    (IgGParameters, {"half_life_days": 5}, ["half_life_days", "(d)", "from 12 to 28"]),
    (IgGParameters, {"intravascular_fraction": 0.9}, ["intravascular_fraction",
                                                     "from 0.33 to 0.55"]),
    (IgGParameters, {"return_rate_per_day": 0.0}, ["return_rate_per_day", "(1/d)"]),
    (IgGParameters, {"fcrn_exponent": -0.1}, ["fcrn_exponent", "from 0 to 0.85"]),
    (IgGParameters, {"synthesis_multiplier": math.nan}, ["synthesis_multiplier"]),
    (IgGParameters, {"baseline_igg_g_per_l": "11.85"}, ["baseline_igg_g_per_l", "g/L"]),
    (fcrn_blocker_course, {**GOOD_FCRN, "n_doses": 53}, ["n_doses", "from 0 to 52 doses"]),
    (fcrn_blocker_course, {**GOOD_FCRN, "n_doses": 1.5}, ["n_doses", "whole number"]),
    (fcrn_blocker_course, {**GOOD_FCRN, "interval_days": 0}, ["interval_days", "days",
                                                              "greater than 0"]),
    (fcrn_blocker_course, {**GOOD_FCRN, "interval_days": 90}, ["interval_days", "at most 60"]),
    (fcrn_blocker_course, {**GOOD_FCRN, "start_day": 400}, ["start_day", "from 0 to 365"]),
    (fcrn_blocker_course, {**GOOD_FCRN, "drug": "eculizumab"}, ["drug", "'efgartigimod'",
                                                                "'nipocalimab'"]),
    (fcrn_blocker_course, {**GOOD_FCRN, "dose_mg_per_kg": 20}, ["dose_mg_per_kg",
                                                                "mg/kg for efgartigimod",
                                                                "from 10 to 10"]),
    (fcrn_blocker_course, {**GOOD_FCRN, "drug": "rozanolixizumab", "dose_mg_per_kg": 0.5},
     ["dose_mg_per_kg", "from 1 to 7 mg/kg for rozanolixizumab"]),
    (ivig_course, {"dose_g_per_kg": 2000}, ["dose_g_per_kg", "g/kg", "from 0 to 3"]),
    (ivig_course, {"dose_g_per_kg": -1}, ["dose_g_per_kg", "g/kg"]),
    (ivig_course, {"infusion_days": 0}, ["infusion_days", "days", "from 0.5 to 7"]),
    (ivig_course, {"infusion_days": 10}, ["infusion_days", "from 0.5 to 7"]),
    (ivig_course, {"start_day": -3}, ["start_day", "days"]),
    (ivig_course, {"weight_kg": 7}, ["weight_kg", "kg", "from 20 to 300"]),
    (immunoadsorption_course, {**GOOD_IA, "n_sessions": 31}, ["n_sessions",
                                                              "from 0 to 30 sessions"]),
    (immunoadsorption_course, {**GOOD_IA, "volume_pv": 4}, ["volume_pv", "plasma volumes",
                                                            "from 0 to 3"]),
    (immunoadsorption_course, {**GOOD_IA, "interval_days": 0.1}, ["interval_days", "overlap",
                                                                  "4 h"]),
    (immunoadsorption_course, {**GOOD_IA, "duration_hours": 10}, ["duration_hours", "hours",
                                                                  "from 0.5 to 8"]),
    (immunoadsorption_course, {**GOOD_IA, "column": "heparin"}, ["column", "'protein_a'",
                                                                 "'tryptophan'"]),
    (immunoadsorption_course, {**GOOD_IA, "weight_kg": 500}, ["weight_kg", "kg"]),
    (rituximab_course, {"start_day": 366}, ["start_day", "days", "from 0 to 365"]),
    (reference_plasma_volume_l, {"weight_kg": 0}, ["weight_kg", "kg", "from 20 to 300"]),
]


@pytest.mark.parametrize(("function", "kwargs", "fragments"), CASES,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)])
def test_invalid_argument_gives_a_helpful_value_error(function, kwargs, fragments):
    with pytest.raises(ValueError) as caught:
        function(**kwargs)
    assert isinstance(caught.value, ParameterError)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} missing from: {message}"


def test_overlapping_procedures_name_both_and_their_days():
    with pytest.raises(ValueError) as caught:
        combine(tpe_course(2, 1.0, 2.0), immunoadsorption_course(1, 2.0, 1.0, start_day=2.0))
    message = str(caught.value)
    assert isinstance(caught.value, ParameterError)
    for fragment in ["schedules", "do not overlap", "plasma exchange", "immunoadsorption",
                     "day 2", "start_day"]:
        assert fragment in message, f"{fragment!r} missing from: {message}"


def test_valid_edges_are_accepted():
    assert plasma_volume_l("male", 100, 20, 0.15) > 0
    assert plasma_volume_l("female", 230, 300, 0.70) > 0
    assert fraction_remaining(0) == 1.0 and fraction_remaining(3) == pytest.approx(math.exp(-3))
    assert tpe_course(30, 3.0, 0.5).n_sessions == 30
    assert tpe_course(1, 1.0, 0.01).n_sessions == 1  # one session cannot overlap itself
    assert tpe_course(2.0, 1.0, 1.0).n_sessions == 2  # a whole-number float is fine
    assert ivig_course(0.0) == Schedule() and ivig_course(3.0, infusion_days=0.5).infusions
    assert len(fcrn_blocker_course(52, 0.5).fcrn_doses) == 52  # doses are instants
    assert immunoadsorption_course(30, 3.0, 8 / 24, duration_hours=8.0).adsorptions
