"""The condition notebook's apps and tables: every control, and the text they write.

The sweeps check the sentences the apps write against an oracle written here from the
sourcebook (not from helpers.criteria), at every setting they reach.
"""

from __future__ import annotations

import itertools
import random
import re

import pandas as pd
import pytest
from test_criteria import REGION_AREAS  # the oracle written from the sourcebook's table

from helpers.apps import condition
from helpers.apps.condition import (
    EXERCISES,
    case_results,
    criteria_calculator,
    criteria_prevalence_app,
    exercise,
    regions_text,
    vignette_quiz,
)
from helpers.checks import ParameterError
from helpers.criteria import AREAS
from helpers.data import load_table
from helpers.figures.condition import (
    describe_prevalence,
    outcome_table,
    prevalence_figure,
    prevalence_table,
    sample_kinds,
    source_labels,
)

CASES = load_table("criteria_vignettes")
LETTERS = list(CASES["case"])
BANDS = [(5, "remission"), (15, "mild"), (20, "moderate"), (25, "severe"), (31, "very severe")]
RAW_REPRS = ["[", "]", "frozenset", "None", "True", "False", "nan", "dtype"]


def _visible(html_text: str) -> str:
    """The text a reader sees: tags removed, entities left as they are."""
    return re.sub(r"<[^>]+>", "", html_text)


def _oracle(areas, items, flags, months):
    wpi = len(areas)
    sss = sum(items) + sum(flags)
    regions = sorted(r for r, names in REGION_AREAS.items() if set(names) & set(areas))
    score = (wpi >= 7 and sss >= 5) or (4 <= wpi <= 6 and sss >= 9)
    meets = score and len(regions) >= 4 and months >= 3
    older = ((wpi >= 7 and sss >= 5) or (3 <= wpi <= 6 and sss >= 9)) and months >= 3
    band = next(name for top, name in BANDS if wpi + sss <= top)
    return wpi, sss, regions, meets, older, band


def _assert_calculator_says(calculator, areas, items, flags, months):
    wpi, sss, regions, meets, older, band = _oracle(areas, items, flags, months)
    text = _visible(calculator.output.value)
    assert f"WPI {wpi}/19 · SSS {sss}/12" in text
    assert f"regions counted: {regions_text(frozenset(regions))} ·" in text
    assert f"FS score {wpi + sss}/31" in text
    assert ("Result: these answers satisfy the 2016 rules" in text) is meets
    assert ("Result: these answers do not satisfy the 2016 rules" in text) is (not meets)
    # the severity band is named only for answers that satisfy the rules, with its source
    assert (f"Severity band: {band} (bands from a survey of 2,339 Italian patients, "
            "reported by OnMedica; citation unconfirmed)" in text) is meets
    assert ("band" in text.replace("4–6 band", "")) is meets
    # the teaching notice comes before the result, and the verdict has no traffic-light colour
    assert text.index("It is not a diagnosis") < text.index("Result:")
    assert "color" not in calculator.output.value
    assert f"the same answers {'meet' if older else 'do not meet'} the criteria" in text
    assert f"symptoms for {months:g} months" in text
    for raw in ("frozenset", "None", "True", "False", "nan"):
        assert raw not in text


def _answer(calculator, areas, items, flags, months):
    """Set every control of the calculator, as a student would, one by one."""
    for area, box in calculator.areas.items():
        box.value = area in areas
    for box, value in zip(calculator.items.values(), items, strict=True):
        box.value = value
    for box, value in zip(calculator.flags.values(), flags, strict=True):
        box.value = value
    calculator.duration.value = months


@pytest.fixture
def calculator():
    return criteria_calculator()


# ----- the calculator: every control ----------------------------------------------------------

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
    for months in range(calculator.duration.min, calculator.duration.max + 1):
        calculator.duration.value = months
        assert calculator.result.duration_met is (months >= 3)
        assert f"symptoms for {months} months" in calculator.output.value


def test_the_text_is_true_at_every_setting_swept(calculator):
    """Random and boundary settings of every control: the output must match the oracle."""
    rng = random.Random(20261129)
    settings = [([], (0, 0, 0), (False,) * 3, 0), (list(AREAS), (3, 3, 3), (True,) * 3, 24)]
    for _ in range(150):
        areas = rng.sample(AREAS, rng.randint(0, len(AREAS)))
        items = tuple(rng.randint(0, 3) for _ in range(3))
        flags = tuple(rng.random() < 0.5 for _ in range(3))
        settings.append((areas, items, flags, rng.randint(0, 24)))
    for areas, items, flags, months in settings:
        _answer(calculator, areas, items, flags, months)
        _assert_calculator_says(calculator, areas, items, flags, months)


@pytest.mark.parametrize(("wpi", "sss"), list(itertools.product(range(20), [0, 4, 5, 8, 9, 12])))
def test_score_boundaries_through_the_widgets(calculator, wpi, sss):
    order = [names[0] for names in REGION_AREAS.values()] + [
        a for names in REGION_AREAS.values() for a in names[1:]] + [
        "left_jaw", "right_jaw", "chest", "abdomen"]
    areas = order[:wpi]
    items = [min(3, max(0, sss - 3 * k)) for k in range(3)]
    flags = [k < max(0, sss - 9) for k in range(3)]
    _answer(calculator, areas, items, flags, calculator.duration.value)
    _assert_calculator_says(calculator, areas, items, flags, calculator.duration.value)


def test_toggling_areas_changes_the_verdict_as_the_rules_say(calculator):
    calculator.load_case("G")
    assert not calculator.result.meets_criteria and len(calculator.result.regions) == 3
    assert "these answers do not satisfy the 2016 rules" in calculator.output.value
    calculator.areas["left_shoulder_girdle"].value = True  # region 1 now counts
    assert calculator.result.meets_criteria and len(calculator.result.regions) == 4
    assert "these answers satisfy the 2016 rules" in calculator.output.value
    calculator.areas["left_shoulder_girdle"].value = False
    calculator.areas["left_jaw"].value = False  # jaw never counted for regions
    assert len(calculator.result.regions) == 3 and calculator.result.wpi == 7


# ----- the case picker ------------------------------------------------------------------------

def test_the_picker_offers_every_case_by_name_and_starts_on_own_answers(calculator):
    labels = [label for label, _ in calculator.case_picker.options]
    assert calculator.case_picker.value is None and labels[0] == "— your own answers —"
    assert labels[1:] == [f"Case {c.case}: {c.title}" for c in CASES.itertuples()]


@pytest.mark.parametrize("letter", LETTERS)
def test_picking_each_case_fills_the_form_and_reproduces_its_outcome(calculator, letter):
    case = CASES.set_index("case").loc[letter]
    calculator.case_picker.value = letter
    painful = case["painful_areas"].split(";")
    assert [a for a, box in calculator.areas.items() if box.value] == [
        a for a in AREAS if a in painful]
    assert calculator.duration.value == int(case["duration_months"])
    assert calculator.result.meets_criteria == case["expected_acr2016"]
    older = "meet" if case["expected_acr2011"] else "do not meet"
    assert f"the same answers <b>{older}</b>" in calculator.output.value
    items = [int(case[name]) for name in ("fatigue", "waking_unrefreshed", "cognitive_symptoms")]
    flags = [bool(case[name]) for name in ("headaches", "lower_abdominal_pain", "depression")]
    _assert_calculator_says(calculator, painful, items, flags, int(case["duration_months"]))
    assert calculator.case_picker.value == letter  # loading does not reset the picker


def test_changing_an_answer_after_picking_says_own_answers(calculator):
    calculator.case_picker.value = "A"
    calculator.flags["depression"].value = True
    assert calculator.case_picker.value is None
    calculator.case_picker.value = "B"
    calculator.duration.value = 1
    assert calculator.case_picker.value is None


def test_load_case_takes_a_letter_or_a_row_and_rejects_others(calculator):
    calculator.load_case("C")
    assert calculator.case_picker.value == "C" and calculator.result.wpi == 3
    calculator.load_case(CASES.iloc[0])
    assert calculator.case_picker.value == "A" and calculator.result.wpi == 8
    with pytest.raises(ParameterError, match="'A'"):
        calculator.load_case("Z")


def test_clear_empties_the_form(calculator):
    calculator.load_case("A")
    calculator.clear_button.click()
    assert calculator.result.wpi == 0 and calculator.result.sss == 0
    assert calculator.case_picker.value is None
    assert "WPI <b>0</b>/19" in calculator.output.value


# ----- the predict-first quizzes --------------------------------------------------------------

def test_case_titles_never_give_the_answer_away():
    for title in CASES["title"]:
        assert re.fullmatch(r"[A-Z][a-z]+(, \d+)?", title), title


@pytest.mark.parametrize("letter", LETTERS)
def test_quiz_shows_no_result_until_a_prediction_is_checked(letter):
    quiz = vignette_quiz(letter)
    assert quiz.feedback.value == ""
    assert quiz.prediction.value is None
    shown = _visible(quiz.widget.children[0].value)
    for word in ("meets", "does not meet", "fails", "WPI", "regions counted"):
        assert word not in shown


@pytest.mark.parametrize("letter", LETTERS)
def test_quiz_feedback_answers_the_question_asked(letter):
    case = CASES.set_index("case").loc[letter]
    name = case["title"].split(",")[0]
    quiz = vignette_quiz(letter)
    assert f"Does {name} meet the ACR 2016 criteria?" in quiz.widget.children[0].value
    assert quiz.check() is None and "Choose a prediction first" in quiz.feedback.value
    expected = bool(case["expected_acr2016"])
    verdict = "meets" if expected else "does not meet"
    for prediction, right in ((expected, True), (not expected, False)):
        quiz.prediction.value = prediction
        assert quiz.check() is right
        text = _visible(quiz.feedback.value)
        assert text.startswith("Right." if right else "Not quite.")
        assert f"{name} {verdict} the ACR 2016 criteria." in text
        assert ("Generalized pain met" in text) or ("Generalized pain not met" in text)
        assert case["teaching_point"] in text.replace("&#x27;", "'")
        assert "frozenset" not in text and "None" not in text
        # the working, item by item, adds up to the case's WPI and SSS
        working = re.search(r"WPI (\d+): ([^.]+)\. SSS (\d+) = ([^.]+)\.", text)
        areas = case["painful_areas"].split(";")
        assert working and int(working.group(1)) == len(areas)
        assert len(working.group(2).split(", ")) == len(areas)
        terms = [int(n) for n in re.findall(r" (\d)(?= \+|$)", working.group(4))]
        assert len(terms) == 6 and sum(terms) == int(working.group(3))
        assert int(working.group(3)) == sum(int(case[k]) for k in (
            "fatigue", "waking_unrefreshed", "cognitive_symptoms")) + sum(
            bool(case[k]) for k in ("headaches", "lower_abdominal_pain", "depression"))


def test_unknown_vignette_lists_the_cases():
    with pytest.raises(ValueError, match="'A'"):
        vignette_quiz("Z")


def test_case_results_are_hidden_until_asked_and_then_match_the_rules():
    results = case_results()
    assert results.table.value == "" and "Show the results of all 7 cases" in (
        results.toggle.description)
    results.toggle.value = True
    text = _visible(results.table.value)
    assert "Hide the results" in results.toggle.description
    for case in CASES.itertuples():
        verdict = "meets" if case.expected_acr2016 else "does not meet"
        row = re.search(rf"{case.case}: {case.title}(.*?)(?={chr(10)}|$)", text)
        assert row and verdict in row.group(1)
        assert case.story.replace("'", "&#x27;") in text, "every case shows its story"
    rows = results.rows()
    assert list(rows["acr2016"] == "meets") == list(CASES["expected_acr2016"])
    assert list(rows["acr2011"] == "meets") == list(CASES["expected_acr2011"])
    for raw in RAW_REPRS:
        assert raw not in text
    results.toggle.value = False
    assert results.table.value == ""


def test_regions_text_reads_like_a_person_wrote_it():
    assert regions_text(frozenset()) == "none"
    assert regions_text(frozenset({5})) == "5"
    assert regions_text(frozenset({5, 1, 2})) == "1, 2 and 5"


# ----- one population, three criteria ---------------------------------------------------------

def test_criteria_choice_highlights_its_bars_and_counts_people():
    app = criteria_prevalence_app()
    table = load_table("prevalence_by_criteria").set_index("criteria")
    seen = set()
    for criteria in app.choice.options:
        app.choice.value = criteria
        colours = list(app.figure.data[0].marker.color)
        chosen = list(app.table["criteria"]).index(criteria)
        assert colours[chosen] != colours[(chosen + 1) % 3]
        assert list(app.figure.data[0].marker.pattern.shape)[chosen] == "x"
        # the state a reloaded page is drawn from follows the choice
        assert app.figure._widget_data[0]["marker"]["pattern"]["shape"][chosen] == "x"
        text = _visible(app.readout.value)
        people = table.loc[criteria, "prevalence_pct"] * 1000
        count = re.search(r"about ([\d,]+) of 100,000 adults", text).group(1)
        assert float(count.replace(",", "")) == pytest.approx(people)
        ratio = table.loc[criteria, "women_per_man"]
        assert (f"with {ratio:g} women per man in this survey (a ratio based on few cases, "
                "given without a confidence interval)") in text
        assert "women and" not in text, "no false-precision split into women and men"
        seen.add(text)
    assert len(seen) == 3


# ----- numeric exercises ----------------------------------------------------------------------

def test_exercise_answers_come_from_the_data_and_rules():
    jones = load_table("prevalence_by_criteria").set_index("criteria")["prevalence_pct"]
    rules = {row.rule: int(row.value) for row in load_table("acr_criteria_rules").itertuples()
             if row.criteria == "acr2016"}
    assert EXERCISES["self-report-ratio"].answer() == pytest.approx(
        jones["modified ACR 2010"] / jones["ACR 2010"])
    assert EXERCISES["lowest-fs"].answer() == min(
        rules["wpi_high_min"] + rules["sss_with_high_wpi_min"],
        rules["wpi_low_min"] + rules["sss_with_low_wpi_min"])
    before, after = condition.PAIN_BEFORE, condition.PAIN_AFTER
    assert EXERCISES["pain-fall"].answer() == round(100 * (before - after) / before)
    assert "Ms X" in EXERCISES["pain-fall"].question  # one person's change, not a trial arm
    assert "one person's change" in EXERCISES["pain-fall"].explanation
    outcomes = load_table("outcome_measures")
    pain = outcomes[outcomes["measure"].str.startswith("Pain numeric")].set_index("unit")
    assert (f"({pain.loc['points', 'threshold']:g} points, "
            f"{pain.loc['% reduction', 'threshold']:g}%)") in EXERCISES["pain-fall"].explanation


@pytest.mark.parametrize("name", list(EXERCISES))
def test_each_exercise_accepts_its_answer_and_hints_on_a_wrong_one(name):
    checker = exercise(name)
    assert checker.check() is None  # an empty box is not an answer
    checker.answer.value = f"{checker.correct + 10 * checker.tolerance + 5:g}"
    assert checker.check() is False and "Not quite" in checker.feedback.value
    checker.answer.value = f"{checker.correct:.1f}"
    assert checker.check() is True and "Right." in checker.feedback.value
    assert str(round(checker.correct, 1)) not in exercise(name).widget.children[0].value


# ----- tables and descriptions ----------------------------------------------------------------

def test_secondary_rows_show_as_reported_by_everywhere_students_see_them():
    for name, build in (("prevalence_estimates", prevalence_table),
                        ("outcome_measures", outcome_table)):
        table = load_table(name)
        html_text = build(table).html
        labels = source_labels(table)
        for row, label in zip(table.itertuples(), labels, strict=True):
            if row.status == "assumption":
                assert label == "assumption (unconfirmed)"
            elif row.source_kind == "secondary":
                assert row.reported_by and label == f"reported by {row.reported_by}"
            else:
                assert label == "published"
            assert label in html_text
        assert "<th scope=\"col\"" in html_text and ">index<" not in html_text
        for raw in ("nan", "None", "NaN"):
            assert f">{raw}<" not in html_text


def test_outcome_table_separates_changes_from_the_case_level_cut_off():
    html_text = outcome_table(load_table("outcome_measures")).html
    fs_row = re.search(r"<tr>(?:(?!</tr>).)*FS \(polysymptomatic(?:(?!</tr>).)*</tr>", html_text)
    assert fs_row and "case-level cut-off" in fs_row.group(0)
    fiq_row = re.search(r"<tr>(?:(?!</tr>).)*original version \(FIQ\)(?:(?!</tr>).)*</tr>",
                        html_text)
    assert fiq_row and "important change" in fiq_row.group(0)
    assert "reported by Rheumatology Network" in fiq_row.group(0)


def test_prevalence_description_is_generated_from_the_data():
    estimates = load_table("prevalence_estimates")
    text = describe_prevalence(estimates)
    assert f"Bar chart of {len(estimates)} prevalence estimates" in text
    secondary = int((estimates["source_kind"] == "secondary").sum())
    assert f"{secondary} of them (hatched bars) are reported by a secondary source" in text
    assert ("General-population estimates counted with criteria range from 1.2% (Jones 2015, "
            "Scotland; ACR 2010 criteria) to 6.4% (Vincent 2013, Olmsted County USA; modified "
            "ACR 2010 criteria; reported by BMJ Best Practice).") in text
    assert ("Two figures stand apart, counted in other ways: 13.4% (Saudi Arabia "
            "meta-analysis; mostly clinic samples") in text
    assert ("and 1.1% (Vincent 2013, Olmsted County USA; medical-record diagnosis; reported "
            "by BMJ Best Practice).") in text
    assert "For whole populations they range from 1.1%" not in text
    assert ("puts women higher: 3.98% against 0.01% (the men's figure is implausibly low: "
            "its 95% interval goes below zero; see Exercise 2.1)") in text
    swapped = estimates.copy()
    swapped.loc[swapped["group"] == "women", "prevalence_pct"] = 0.001
    assert "puts women not higher: 0.001% against 0.01%" in describe_prevalence(swapped)
    plausible = estimates.copy()
    plausible.loc[plausible["group"] == "men", "ci_low_pct"] = 0.005
    assert "implausibly low" not in describe_prevalence(plausible)
    two = pd.concat([estimates, estimates[estimates["group"].isin(["women", "men"])].assign(
        study="Another study")])
    assert "2 of the 2 sources that give women and men separately put women higher" in (
        describe_prevalence(two))


def test_prevalence_bars_say_who_was_counted_and_the_table_says_status():
    estimates = load_table("prevalence_estimates")
    labels = [label for trace in prevalence_figure(estimates).data for label in trace.y]
    assert len(labels) == len(estimates)
    kinds = dict(zip(estimates["study"] + estimates["group"], sample_kinds(estimates),
                     strict=True))
    assert set(kinds.values()) == {"general population", "mostly clinic samples",
                                   "medical records"}
    for row in estimates.itertuples():
        kind = kinds[row.study + row.group]
        assert any(label.startswith(f"{row.study}: {kind}; ") for label in labels), row.study
    html_text = prevalence_table(estimates).html
    assert ">Status<" in html_text and ">Source<" not in html_text
    assert ">Status<" in outcome_table(load_table("outcome_measures")).html
