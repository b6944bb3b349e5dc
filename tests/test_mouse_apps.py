"""The passive-transfer explorer and exercises, driven through their controls.

Every control is moved to its ends and through its interior, alone and in combination, and
every sentence the explorer writes (summary and figure description) is checked against an
independent reading of the model's result at that setting: numbers and words.
"""

from __future__ import annotations

import itertools
import random
import re

import numpy as np
import pytest
from figure_widget_checks import assert_one_batched_update, synced_trace_y

from helpers.apps.transfer import (
    EXERCISES,
    ILLUSTRATIVE_POSITIVE_SHARE,
    exercise,
    passive_transfer_explorer,
)
from helpers.data import load_table
from helpers.figures import transfer as figures
from helpers.figures.transfer import SHADED_KINDS, SPAN_TRACES_FROM
from helpers.mouse import dose_in_context, parameter_sources, simulate_passive_transfer

MODEL_CONTROLS = ["dose_mg", "n_doses", "interval_days", "half_life_days",
                  "absorption_half_life_hours"]


@pytest.fixture(scope="module")
def app():
    return passive_transfer_explorer()


@pytest.fixture(autouse=True)
def _reset(app):
    """Each test starts from the study's regimen."""
    yield
    app.reset()
    app.table_toggle.value = False


def _y(app, trace: int = 0) -> np.ndarray:
    return np.asarray(app.figure.data[trace].y, dtype=float)


def _on_step(control, value: float) -> float:
    """The value a student can reach: the slider's minimum plus whole steps."""
    steps = round((value - control.min) / control.step)
    return min(control.max, control.min + steps * control.step)


def _sweep_values(control) -> list:
    """Both ends of a control and four values inside, as the slider offers them."""
    low, high = control.min, control.max
    points = [low, high, *np.linspace(low, high, 6)[1:-1]]
    if isinstance(control.value, int):
        return sorted({round(p) for p in points})
    return sorted({round(_on_step(control, p), 10) for p in points})


def _assert_physical(app) -> None:
    days = app.controls["days"].value
    for trace in (0, 1):
        x = np.asarray(app.figure.data[trace].x, dtype=float)
        y = _y(app, trace)
        assert x.size == y.size == days * 24 + 1
        assert np.isfinite(y).all() and y.min() >= -1e-12
        assert x[0] == 0.0 and x[-1] == pytest.approx(days)
    assert (_y(app, 1) <= app.result["injected_mg"].to_numpy() + 1e-9).all()
    assert list(app.figure.layout.xaxis.range) == [0, days]
    top = app.figure.layout.yaxis.range[1]
    assert top > _y(app).max()
    for offset in range(len(SHADED_KINDS)):  # every shaded span reaches the top of the axis
        assert max(app.figure.data[SPAN_TRACES_FROM + offset].y) == pytest.approx(top)
    assert app.message.value == ""


# ---------------------------------------------------------------- the text, read independently


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).replace("&#x27;", "'")


def _items(html: str) -> list[str]:
    return [_text(item) for item in re.findall(r"<li>(.*?)</li>", html)]


def _first_below(day: np.ndarray, serum: np.ndarray, level: float, after: float):
    later = np.flatnonzero((day > after) & (serum < level))
    return float(day[later[0]]) if later.size else None


def _truth(app) -> dict:
    """What the model's result says at the current setting, computed here, not by the app."""
    args = app.arguments()
    day = app.result["day"].to_numpy()
    serum = app.result["serum_human_igg_mg_per_ml"].to_numpy()
    schedule = np.arange(args["n_doses"]) * args["interval_days"]
    given = schedule[schedule <= args["days"] + 1e-9]
    top = int(np.argmax(serum))
    rising = serum[-1] > serum[-2]
    return {
        "args": args, "day": day, "serum": serum, "given": given,
        "all_given": given.size == args["n_doses"],
        "last_dose": float(given[-1]), "top": float(serum[top]), "top_day": float(day[top]),
        "rising": rising, "still_rising": rising and top == serum.size - 1,
        "below_half": _first_below(day, serum, 0.5 * serum[top], day[top]),
        "below_tenth": _first_below(day, serum, 0.1 * serum[top], day[top]),
    }


def _assert_summary_true(app) -> None:
    truth, text = _truth(app), _text(app.summary.value)
    args, given = truth["args"], truth["given"]
    n, dose, days = args["n_doses"], args["dose_mg"], args["days"]
    injected = app.result["injected_mg"].iloc[-1]
    assert injected == pytest.approx(given.size * dose)
    # How much was injected: only what lies inside the days shown, the rest named as later.
    if n == 1:
        assert f"Injected: {dose:g} mg of human IgG, once, on day 0" in text
    elif truth["all_given"]:
        assert f"Injected: {n} × {dose:g} mg = {injected:g} mg of human IgG" in text
        assert f"the last on day {truth['last_dose']:g}" in text
    else:
        later = n - given.size
        assert (f"Injected within the {days:g} days shown: {given.size} of {n} injections, "
                f"{injected:g} mg, the last on day {truth['last_dose']:g}") in text
        assert f"({later * dose:g} mg) would come after day {days:g}" in text
        assert f"= {n * dose:g} mg" not in text
    # The highest level: called the peak only if it is the peak of the whole schedule.
    is_peak = truth["all_given"] and truth["top_day"] >= truth["last_dose"] and not truth["rising"]
    assert ("Peak serum human IgG" in text) == is_peak
    assert f"{truth['top']:.1f} mg/mL" in text
    assert ("still rising" in text) == truth["still_rising"]
    if truth["still_rising"]:
        assert "Below" not in text and f"on day {days:g}, still rising" in text
    else:
        assert f"on day {truth['top_day']:.1f} (" in text
        hours = 24 * (truth["top_day"] - truth["last_dose"])
        assert (f"{hours:.0f} h after" in text) == (hours >= 0)
        items = _items(app.summary.value)
        for words, found in [("Below half of", truth["below_half"]),
                             ("Below a tenth of", truth["below_tenth"])]:
            line = next(item for item in items if item.startswith(words))
            if found is None:
                assert f"not within the {days:g} days shown" in line
            else:
                assert f"day {found:.1f}" in line
                if found >= truth["last_dose"]:
                    assert f"({found - truth['last_dose']:.1f} days after" in line
                else:
                    assert "between injections" in line
        assert ("Rising again" in text) == truth["rising"]
    # Every day written lies inside the days shown; no negative number anywhere.
    for number in re.findall(r"day (\d+(?:\.\d+)?)", text):
        assert 0 <= float(number) <= days
    assert not re.search(r"(?<![\w–])-\d", text), text


def _assert_description_true(app) -> None:
    truth, text = _truth(app), _text(app.description.value)
    args, given = truth["args"], truth["given"]
    n, days = args["n_doses"], args["days"]
    assert f"over the {days:g} days shown" in text
    if truth["all_given"]:
        assert f"with {n} injection{'s' if n != 1 else ''} of {args['dose_mg']:g} mg" in text
    else:
        assert f"the first {given.size} of {n} injections" in text
        assert f"would come after day {days:g}" in text
    is_peak = truth["all_given"] and truth["top_day"] >= truth["last_dose"] and not truth["rising"]
    if truth["still_rising"]:
        assert "still rising" in text
    else:
        word = "peak" if is_peak else "highest level shown"
        assert f"Its {word} is {truth['top']:.1f} mg/mL on day {truth['top_day']:.1f}" in text
        if truth["below_tenth"] is None:
            assert f"At day {days:g} it is still above a tenth" in text
        else:
            assert f"below a tenth of its {word} on day {truth['below_tenth']:.1f}" in text
    assert not re.search(r"(?<![\d.])1 days", text)
    assert "until at least day 8 to 9, end not reported" in text
    assert "day 10, where the paper's plotted time courses end" in text


def _assert_all_true(app) -> None:
    _assert_physical(app)
    _assert_summary_true(app)
    _assert_description_true(app)


# ---------------------------------------------------------------- tests


def test_starts_at_the_study_regimen(app):
    assert app.arguments() == {"dose_mg": 8.0, "n_doses": 4, "interval_days": 1.0,
                               "half_life_days": 2.9, "absorption_half_life_hours": 2.773,
                               "days": 21}
    assert np.allclose(_y(app), simulate_passive_transfer()["serum_human_igg_mg_per_ml"])
    assert list(app.figure.data[3].x) == [0.0, 1.0, 2.0, 3.0]
    assert "<b>4 × 8 mg = 32 mg</b>" in app.summary.value and "6.8 mg/mL" in app.summary.value
    assert "Figure description" in app.description.value
    _assert_all_true(app)


def test_sliders_offer_exactly_the_values_the_model_accepts(app):
    sources = parameter_sources().set_index("parameter")
    for name in MODEL_CONTROLS:
        control = app.controls[name]
        assert (control.min, control.max) == (sources.loc[name, "range_min"],
                                              sources.loc[name, "range_max"]), name


@pytest.mark.parametrize("name", [*MODEL_CONTROLS, "days"])
def test_every_control_at_its_ends_and_inside_writes_only_true_text(app, name):
    control = app.controls[name]
    curves, summaries = [], []
    for value in _sweep_values(control):
        control.value = value
        _assert_all_true(app)
        curves.append(_y(app).copy())
        summaries.append(app.summary.value)
    if name != "days":
        distinct = {tuple(np.round(curve, 9)) for curve in curves}
        assert len(distinct) == len(curves), f"moving {name} left the plotted curve unchanged"
        assert len(set(summaries)) == len(summaries), f"moving {name} left the summary unchanged"


@pytest.mark.parametrize("n_doses", [1, 2, 4, 10])
def test_schedules_that_run_past_the_window_are_described_truly(app, n_doses):
    """The combinations where the text used to go wrong: injections after the days shown,
    a rise cut off by the end of the window, a peak before the last injection shown."""
    app.controls["n_doses"].value = n_doses
    for interval, days, dose in itertools.product([0.25, 1.0, 2.5, 6.75, 7.0], [7, 14, 20, 21, 60],
                                                  [0.5, 20.0]):
        app.controls["interval_days"].value = interval
        app.controls["days"].value = days
        app.controls["dose_mg"].value = dose
        _assert_all_true(app)


def test_ten_injections_of_20_mg_with_the_last_after_the_window(app):
    """The case of issue 9: 10 × 20 mg, 2.5 days apart, 21 days shown."""
    for name, value in {"n_doses": 10, "dose_mg": 20.0, "interval_days": 2.5,
                        "days": 21}.items():
        app.controls[name].value = value
    text = _text(app.summary.value)
    assert "9 of 10 injections, 180 mg" in text
    assert "the last one (20 mg) would come after day 21" in text
    assert "200 mg" not in text and "Peak serum" not in text
    assert "Highest serum human IgG shown" in text
    _assert_all_true(app)


def test_a_rise_cut_off_by_the_end_of_the_window_is_not_called_a_peak(app):
    app.controls["n_doses"].value = 3
    app.controls["interval_days"].value = 7.0
    app.controls["days"].value = 14  # the third injection is given on the last day shown
    text = _text(app.summary.value)
    assert "Highest serum human IgG shown" in text and "Peak" not in text
    assert "between injections (before the last injection, on day 14)" in text
    _assert_all_true(app)


def test_random_combinations_stay_finite_and_write_only_true_text(app):
    generator = random.Random(20261125)
    for _ in range(40):
        for name in [*MODEL_CONTROLS, "days"]:
            control = app.controls[name]
            if isinstance(control.value, int):
                control.value = generator.randint(control.min, control.max)
            else:
                control.value = _on_step(control, generator.uniform(control.min, control.max))
        _assert_all_true(app)


def test_days_shown_changes_the_axis_but_not_the_model(app):
    first = _y(app).copy()
    for days in _sweep_values(app.controls["days"]):
        app.controls["days"].value = days
        _assert_physical(app)
        shared = min(days, 21) * 24 + 1
        assert np.allclose(_y(app)[:shared], first[:shared])


def test_injection_markers_follow_the_schedule(app):
    app.controls["n_doses"].value = 3
    app.controls["interval_days"].value = 2.5
    assert list(app.figure.data[3].x) == [0.0, 2.5, 5.0]
    app.controls["n_doses"].value = 10
    app.controls["interval_days"].value = 7.0  # only the doses inside 21 days are drawn
    assert list(app.figure.data[3].x) == [0.0, 7.0, 14.0, 21.0]


def test_reference_curve_stays_at_the_study_regimen(app):
    reference = _y(app, 2).copy()
    app.controls["dose_mg"].value = 20.0
    assert np.allclose(_y(app, 2), reference)
    assert _y(app).max() > reference.max() * 2


def test_shaded_spans_are_named_in_the_legend_not_written_on_the_plot(app):
    """Labels on the plot collided when 60 days were shown; the legend cannot collide."""
    design = load_table("mouse_study_design").set_index("kind")
    spans = app.figure.data[SPAN_TRACES_FROM:]
    kinds = ["onset_window", "present", "end_window"]
    assert len(spans) == len(kinds)
    for span, kind in zip(spans, kinds, strict=True):
        assert (min(span.x), max(span.x)) == (design.loc[kind, "day_start"],
                                              design.loc[kind, "day_end"])
        assert span.fill == "toself" and span.name and span.showlegend is not False
        assert span.zorder < 0, "a span must lie beneath the curves"
    names = [trace.name for trace in app.figure.data] + [shape.name for shape in
                                                         app.figure.layout.shapes]
    assert len(set(names)) == len(names)
    assert all(note.xref == "paper" for note in app.figure.layout.annotations)
    # No span ends on day 7 as if the effect had stopped there.
    assert max(max(span.x) for span in spans) == design.loc["end_window", "day_end"] > 7
    line = next(shape for shape in app.figure.layout.shapes if shape.type == "line")
    assert line.x0 == line.x1 == design.loc["behaviour_tests", "day_end"]


def test_the_two_pale_spans_have_different_fills(app):
    """The student could not tell "established by day 1–2" from "at least until day 8–9"."""
    onset, present, end = app.figure.data[SPAN_TRACES_FROM:]
    assert onset.fillpattern.shape and end.fillpattern.shape
    assert onset.fillpattern.shape != end.fillpattern.shape
    assert not present.fillpattern.shape and present.fillcolor
    assert onset.line.dash != end.line.dash


def test_the_abdomen_curve_starts_hidden_and_the_reference_shows_around_the_serum_curve(app):
    serum, abdomen, reference = app.figure.data[:3]
    assert abdomen.visible == "legendonly" and "click to show" in abdomen.name
    assert serum.visible is True and reference.visible is True
    assert reference.line.width > 2 * serum.line.width  # a band wider than the blue line
    assert "rgba" in reference.line.color  # translucent: the blue line shows through it
    assert len(abdomen.y) == len(serum.y)  # hidden, not empty: the legend click shows data
    assert "hidden until its legend entry is clicked" in _text(app.description.value)


def test_data_table_on_request_updates_with_the_controls(app):
    assert app.table.layout.display == "none" and app.table.value == ""
    app.table_toggle.value = True
    assert app.table.layout.display == "block"
    assert app.table.value.count("<tr") == 21 + 2  # header + day 0..21
    assert "<caption" in app.table.value
    for column in ["In the body (mg)", "Eliminated so far (mg)", "Never reached the blood (mg)"]:
        assert column in app.table.value
    before = app.table.value
    app.controls["half_life_days"].value = 6.0
    assert app.table.value != before
    app.table_toggle.value = False
    assert app.table.layout.display == "none"


@pytest.mark.parametrize("name", MODEL_CONTROLS)
def test_an_out_of_range_value_is_explained_with_the_controls_label(app, name):
    control = app.controls[name]
    last = _y(app).copy()
    low, high = control.min, control.max
    control.max = high * 10  # a slider wider than the model allows
    try:
        control.value = high * 5
        message = _text(app.message.value)
        assert "Cannot run this combination" in message
        assert f"“{control.description}” must be" in message
        assert name not in message, "the message shows the model's internal name"
        assert f"from {low:g} to {high:g}" in message
        assert "Traceback" not in message
        assert np.allclose(_y(app), last)
    finally:
        control.value = high
        control.max = high
    app.reset()
    assert app.message.value == ""


def test_every_control_is_labelled(app):
    for name, control in app.controls.items():
        assert control.description.strip(), f"{name} has no label"
        assert "_" not in control.description, f"{name}'s label shows an internal name"


def test_a_control_change_sends_one_batched_update_and_no_full_state(app):
    assert_one_batched_update(app.figure,
                              lambda: setattr(app.controls["half_life_days"], "value", 4.0))


def test_a_new_view_starts_from_the_current_state(app):
    app.controls["half_life_days"].value = 7.5
    assert np.allclose(synced_trace_y(app.figure), app.result["serum_human_igg_mg_per_ml"])


# ---------------------------------------------------------------- exercises


def test_exercise_answers_come_from_the_model_and_data():
    parameters = parameter_sources().set_index("parameter")["value"]
    trial = load_table("trial_inputs").set_index("parameter")["value"]
    course_g_per_kg = (parameters["dose_mg"] * parameters["n_doses"]
                       / (parameters["body_mass_g"] / 1000) / 1000)
    assert exercise("course-per-kg").correct == pytest.approx(course_g_per_kg) == 1.28
    result = simulate_passive_transfer()
    serum = result["serum_human_igg_mg_per_ml"].to_numpy()
    top = int(np.argmax(serum))
    below = result["day"].to_numpy()[top:][serum[top:] < 0.1 * serum[top]][0]
    assert exercise("below-tenth-day").correct == round(below * 2) / 2 == 13.0
    assert exercise("removed-from-mouse").correct == 0
    assert exercise("subset-average").correct == pytest.approx(
        ILLUSTRATIVE_POSITIVE_SHARE * trial["mcid_points"])


def test_the_subset_exercise_uses_no_published_share():
    """A share students could remember as a fact (the Würzburg "more than 35%") is not used."""
    trial = load_table("trial_inputs").set_index("parameter")["value"]
    assert abs(ILLUSTRATIVE_POSITIVE_SHARE - trial["antibody_positive_fraction"]) >= 0.1
    question = EXERCISES["subset-average"].question
    assert f"{100 * ILLUSTRATIVE_POSITIVE_SHARE:.0f}% of the patients" in question
    assert "not a published proportion" in question
    assert "35%" not in question


@pytest.mark.parametrize(("name", "typed", "words"), [
    ("subset-average", "-0.4", "without a minus sign"),
    ("subset-average", "20", "share of patients in %"),
    ("subset-average", "0.2", "as a fraction"),
    ("subset-average", "2", "the others fall by zero"),
    ("subset-average", "10", "multiply them instead"),
    ("below-tenth-day", "10", "counts from the last injection"),
    ("below-tenth-day", "6.5", "below half of its peak"),
    ("course-per-kg", "1280", "divide by 1000"),
    ("course-per-kg", "1300", "divide by 1000"),
    ("course-per-kg", "0.32", "one day's dose"),
    ("course-per-kg", "320", "one day's dose in mg/kg"),
    ("course-per-kg", "32", "milligrams per mouse"),
    ("course-per-kg", "1.6", "20 g mouse"),
    ("removed-from-mouse", "32", "how much was injected"),
])
def test_likely_wrong_answers_get_their_own_hint(name, typed, words):
    checker = exercise(name)
    checker.answer.value = typed
    assert checker.check() is False
    assert words in _text(checker.feedback.value)
    assert EXERCISES[name].hint not in _text(checker.feedback.value)


def test_the_answer_shown_and_the_explanation_agree():
    """The reveal says "13 days"; the explanation must not seem to contradict it."""
    checker = exercise("below-tenth-day")
    checker.reveal()
    shown = _text(checker.feedback.value)
    assert "The answer is 13 days" in shown
    assert "which is day 13 to the nearest half day" in shown


@pytest.mark.parametrize("name", list(EXERCISES))
def test_exercise_wording_reads_well_for_the_question_asked(name):
    checker = exercise(name)
    item = EXERCISES[name]
    assert item.unit in checker.answer.description
    assert "correct=" not in item.question and "model's answer" not in item.explanation
    checker.answer.value = str(checker.correct + 100)
    checker.check()
    checker.check()
    checker.reveal()
    shown = _text(checker.feedback.value)
    assert "(" + item.unit + ")" not in shown  # "13 days", never "13 (days)"
    assert not re.search(r"(?<![\d.])1 days", shown)


def test_exercise_explanations_state_their_numbers_from_the_source():
    context = load_table("mouse_model_parameters").set_index("parameter")["value"]
    total = context["dose_mg"] * context["n_doses"]
    dose = dose_in_context().set_index("quantity")["value"]
    per_kg = EXERCISES["course-per-kg"].explanation
    assert f"= {total:g} mg" in per_kg
    assert f"= {dose['Dose per kg over the course (25 g mouse)']:g} g/kg" in per_kg
    assert f"({dose['Dose per kg over the course (20 g mouse)']:g} g/kg for a 20 g mouse)" in \
        per_kg
    assert f"course in people is {dose['High-dose IVIG course in people, for comparison']:g} " \
        "g/kg" in per_kg
    assert f"received {total:g} mg" in EXERCISES["removed-from-mouse"].explanation
    assert "Day 13.2 in the model" in EXERCISES["below-tenth-day"].explanation
    subset = EXERCISES["subset-average"].explanation
    assert "0.2 × 2 = 0.4 points on average" in subset
    # The 2-point threshold is one person's change, never compared with a group mean.
    assert "describes one person's change" in subset and "not a difference between group " \
        "averages" in subset
    assert "patients rate as important" not in subset and "well below" not in subset


# ---------------------------------------------------------------- tables and the timeline


def test_tables_show_each_status_in_words_students_can_read():
    parameters = figures.parameter_table().html
    assert parameters.count("reported (the study&#x27;s design)") + parameters.count(
        "reported (the study's design)") == 3  # dose, injections, interval
    assert "published, in another study (control mice)" in parameters
    assert ">measured<" not in parameters
    subset = figures.subset_evidence_table(load_table("fibromyalgia_evidence")).frame
    by_study = subset.set_index("study")["where"]
    assert by_study["Karolinska replication (af Ekenstam, abstract)"] == \
        "Conference abstract (checked)"
    assert by_study["Krock 2023"] == "Published (checked in the source)"
    results = figures.results_table(load_table("mouse_study_results")).frame.set_index("id")
    binding = results.loc["R10", "result"]
    assert binding.startswith("In mouse DRG, bound satellite glial cells and neurons")
    assert "also bound human DRG tissue (cell types not specified" in binding
    dose = figures.dose_in_context_table().frame.set_index("quantity")
    assert dose.loc["High-dose IVIG course in people, for comparison", "status"] == "published"


def test_the_timeline_uses_the_same_distinct_fills_as_the_explorer():
    design = load_table("mouse_study_design")
    timeline = figures.design_timeline_figure(design)
    bars = {trace.name: trace for trace in timeline.data if trace.type == "bar"}
    rows = design.set_index("kind")
    onset = bars[rows.loc["onset_window", "label"]].marker.pattern.shape
    end = bars[rows.loc["end_window", "label"]].marker.pattern.shape
    assert onset == SHADED_KINDS["onset_window"][0] and end == SHADED_KINDS["end_window"][0]
    assert onset != end
    assert rows.loc["onset_window", "label"].startswith("Typically established by")
    assert "possibly earlier" in figures.describe_design(design)
