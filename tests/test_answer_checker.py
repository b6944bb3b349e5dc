"""The numeric exercises: answers computed in helpers, a required answer, two tries, then help."""

from __future__ import annotations

import pytest

from helpers.apps import exchange, transfer
from helpers.apps.common import AnswerChecker, build_exercise, format_quantity
from helpers.checks import ParameterError


def _checker(correct=9.0, tolerance=0.0, unit="sessions"):
    return AnswerChecker("How many?", correct, tolerance=tolerance, unit=unit,
                         explanation="Because.", hint="Count them.")


def test_an_empty_box_is_not_an_answer_and_costs_no_try():
    checker = _checker(correct=0.0, unit="mg")
    assert checker.check() is None
    assert "Type a number first" in checker.feedback.value
    assert checker.tries == 0


def test_text_that_is_not_a_number_is_explained():
    checker = _checker()
    checker.answer.value = "nine"
    assert checker.check() is None
    assert "is not a number" in checker.feedback.value and "sessions" in checker.feedback.value


def test_a_right_answer_is_confirmed_with_the_explanation():
    checker = _checker()
    checker.answer.value = "9"
    assert checker.check() is True
    assert "Right." in checker.feedback.value and "Because." in checker.feedback.value


def test_a_decimal_comma_is_accepted():
    checker = _checker(correct=2.3, tolerance=0.1, unit="plasma volumes")
    checker.answer.value = "2,3"
    assert checker.check() is True


def test_two_tries_before_the_answer_is_offered_and_never_shown_unasked():
    checker = _checker()
    checker.answer.value = "8"
    assert checker.check() is False
    assert "Try once more" in checker.feedback.value and "Count them." in checker.feedback.value
    assert checker.reveal_button.layout.display == "none"
    assert "9" not in checker.feedback.value.replace("aria", "")
    checker.answer.value = "7"
    assert checker.check() is False
    assert checker.reveal_button.layout.display != "none"
    assert "The answer is" not in checker.feedback.value
    checker.reveal()
    assert "The answer is <b>9 sessions</b>" in checker.feedback.value


def test_the_tolerance_is_inclusive_and_no_wider():
    checker = _checker(correct=10.0, tolerance=0.5, unit="days")
    checker.answer.value = "10.5"
    assert checker.check() is True
    checker.answer.value = "10.51"
    assert checker.check() is False


@pytest.mark.parametrize(("value", "unit", "text"), [
    (13, "days", "13 days"), (1, "days", "1 day"), (63.2, "%", "63.2%"),
    (32, "mg", "32 mg"), (2.3, "plasma volumes", "2.3 plasma volumes")])
def test_quantities_read_as_a_person_writes_them(value, unit, text):
    assert format_quantity(value, unit) == text


@pytest.mark.parametrize("module", [transfer, exchange], ids=["transfer", "exchange"])
def test_every_exercise_of_a_topic_builds_and_accepts_its_own_answer(module):
    for name, item in module.EXERCISES.items():
        checker = module.exercise(name)
        assert checker.correct == item.answer()
        checker.answer.value = format(checker.correct, "g")
        assert checker.check() is True, name
        assert f"{checker.correct:g}" not in item.question, f"{name} gives its answer away"


def test_known_answers_of_the_course_exercises():
    assert transfer.exercise("injected-total").correct == 32
    assert transfer.exercise("removed-from-mouse").correct == 0
    assert exchange.exercise("volume-for-90-percent").correct == pytest.approx(2.3)


def test_an_unknown_exercise_names_the_choices():
    with pytest.raises(ParameterError, match="injected-total"):
        build_exercise(transfer.EXERCISES, "no-such-exercise")
