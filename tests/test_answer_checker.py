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
    assert transfer.exercise("course-per-kg").correct == pytest.approx(1.28)
    assert transfer.exercise("removed-from-mouse").correct == 0
    assert exchange.exercise("volume-for-90-percent").correct == pytest.approx(2.3)


def test_an_unknown_exercise_names_the_choices():
    with pytest.raises(ParameterError, match="course-per-kg"):
        build_exercise(transfer.EXERCISES, "no-such-exercise")


def _checker_with_mistakes():
    return AnswerChecker("How many g/kg?", 1.28, tolerance=0.05, unit="g/kg",
                         explanation="Because.", hint="General hint.",
                         common_mistakes={1280.0: "That is mg/kg.", -1.28: "No minus sign."})


@pytest.mark.parametrize(("typed", "hint"), [
    ("1280", "That is mg/kg."), ("1300", "That is mg/kg."), ("1250", "That is mg/kg."),
    ("-1.28", "No minus sign."), ("-1.3", "No minus sign."),
    ("1200", "General hint."), ("-1.4", "General hint."), ("5", "General hint.")])
def test_a_foreseen_mistake_gets_its_own_hint_at_the_answers_relative_precision(typed, hint):
    checker = _checker_with_mistakes()
    checker.answer.value = typed
    assert checker.check() is False
    assert hint in checker.feedback.value
    others = {"That is mg/kg.", "No minus sign.", "General hint."} - {hint}
    assert not any(other in checker.feedback.value for other in others)
    assert "1.28" not in checker.feedback.value  # a hint never gives the answer away


def test_a_foreseen_mistake_still_costs_a_try_and_the_right_answer_still_wins():
    checker = _checker_with_mistakes()
    checker.answer.value = "1280"
    checker.check()
    checker.answer.value = "-1.28"
    checker.check()
    assert checker.tries == 2 and checker.reveal_button.layout.display != "none"
    assert "No minus sign." in checker.feedback.value and "show the answer" in \
        checker.feedback.value
    checker.answer.value = "1.3"
    assert checker.check() is True


def test_mistakes_around_a_correct_value_of_zero_use_the_plain_tolerance():
    checker = AnswerChecker("How many mg removed?", 0.0, tolerance=0.0, unit="mg",
                            explanation="None.", hint="General hint.",
                            common_mistakes={32.0: "That is what was injected."})
    checker.answer.value = "32"
    checker.check()
    assert "That is what was injected." in checker.feedback.value
    checker.answer.value = "31"
    checker.check()
    assert "General hint." in checker.feedback.value


def test_exercises_without_foreseen_mistakes_keep_the_general_hint():
    checker = _checker()
    assert checker.common_mistakes == {}
    assert checker.hint_for(-9.0) == "Count them."
