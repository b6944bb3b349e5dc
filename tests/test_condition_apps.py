"""The condition notebook's apps: calculator, vignette quiz, criteria-versus-prevalence."""

from __future__ import annotations

import pytest

from helpers.apps.condition import criteria_calculator, criteria_prevalence_app, vignette_quiz
from helpers.criteria import AREAS
from helpers.data import load_table

CASES = load_table("criteria_vignettes")


@pytest.fixture
def calculator():
    return criteria_calculator()


def test_each_area_checkbox_raises_the_wpi_by_one(calculator):
    for count, area in enumerate(AREAS, start=1):
        calculator.areas[area].value = True
        assert calculator.result.wpi == count
        assert f"WPI <b>{count}</b>/19" in calculator.output.value
    for area in AREAS:
        calculator.areas[area].value = False
    assert calculator.result.wpi == 0


def test_symptom_controls_across_their_range(calculator):
    for name, dropdown in calculator.items.items():
        for value in range(4):
            dropdown.value = value
            assert calculator.result.sss == sum(d.value for d in calculator.items.values()) + sum(
                f.value for f in calculator.flags.values()), name
    for flag in calculator.flags.values():
        before = calculator.result.sss
        flag.value = True
        assert calculator.result.sss == before + 1
    for months in (0, 2, 3, 24):
        calculator.duration.value = months
        assert calculator.result.duration_met is (months >= 3)


def test_toggling_areas_changes_the_verdict_as_the_rules_say(calculator):
    calculator.load_case(CASES[CASES["case"] == "G"].iloc[0])
    assert not calculator.result.meets_criteria and len(calculator.result.regions) == 3
    assert "does not meet the ACR 2016 criteria" in calculator.output.value
    calculator.areas["left_shoulder_girdle"].value = True  # region 1 now counts
    assert calculator.result.meets_criteria and len(calculator.result.regions) == 4
    assert "meets the ACR 2016 criteria" in calculator.output.value
    calculator.areas["left_shoulder_girdle"].value = False
    calculator.areas["left_jaw"].value = False  # jaw never counted for regions
    assert len(calculator.result.regions) == 3 and calculator.result.wpi == 7


@pytest.mark.parametrize("letter", list(CASES["case"]))
def test_loading_each_case_reproduces_its_expected_outcome(calculator, letter):
    case = CASES[CASES["case"] == letter].iloc[0]
    calculator.load_case(case)
    assert calculator.result.meets_criteria == case["expected_acr2016"]
    older = "meets" if case["expected_acr2011"] else "does not meet"
    assert f"the same answers <b>{older}</b>" in calculator.output.value


@pytest.mark.parametrize("letter", list(CASES["case"]))
def test_vignette_quiz_feedback(letter):
    quiz = vignette_quiz(letter)
    assert quiz.check() is None and "Choose a prediction" in quiz.feedback.value
    expected = bool(CASES[CASES["case"] == letter].iloc[0]["expected_acr2016"])
    quiz.prediction.value = expected
    assert quiz.check() is True and "Right" in quiz.feedback.value
    quiz.prediction.value = not expected
    assert quiz.check() is False and "Not quite" in quiz.feedback.value


def test_unknown_vignette_lists_the_cases():
    with pytest.raises(ValueError, match="'A'"):
        vignette_quiz("Z")


def test_criteria_choice_highlights_its_bars_and_counts_people():
    app = criteria_prevalence_app()
    seen = set()
    for criteria in app.choice.options:
        app.choice.value = criteria
        colours = list(app.figure.data[0].marker.color)
        chosen = list(app.table["criteria"]).index(criteria)
        assert colours[chosen] != colours[(chosen + 1) % 3]
        assert list(app.figure.data[0].marker.pattern.shape)[chosen] == "x"
        seen.add(app.readout.value)
    assert len(seen) == 3
    app.choice.value = "modified ACR 2010 (self-report)"
    assert "5,400" in app.readout.value and "2.3 women per man" in app.readout.value
