"""The widget apps, driven through their controls across their whole range."""

from __future__ import annotations

import html
import math
import random
import re

import numpy as np
import pytest
from figure_widget_checks import assert_one_batched_update, synced_trace_y

from helpers.apps.exchange import (
    EXERCISES,
    GUIDELINE_VOLUME_PV,
    course_explorer,
    exercise,
    plasma_volume_app,
    shortest_interval_days,
    single_exchange_app,
)
from helpers.checks import ParameterError
from helpers.data import load_table
from helpers.kinetics import plasma_volume_l, simulate, tpe_course
from helpers.metrics import RECOVERY_THRESHOLD_PCT, longest_run_below_days

MODEL_CONTROLS = ["volume_pv", "n_sessions", "interval_days", "duration_hours",
                  "intravascular_fraction", "return_rate_pct_per_hour", "half_life_days",
                  "fcrn_exponent"]
PATIENT_CONTROLS = ["height_cm", "weight_kg", "hematocrit"]


@pytest.fixture(scope="module")
def app():
    return course_explorer()


@pytest.fixture(autouse=True)
def _reset(app):
    """Each test starts from the explorer's defaults."""
    defaults = {name: control.value for name, control in course_explorer().controls.items()}
    yield
    for name, value in defaults.items():
        app.controls[name].value = value
    app.clear_pin()
    app.table_toggle.value = False


def _y(app, trace: int = 0) -> np.ndarray:
    return np.asarray(app.figure.data[trace].y, dtype=float)


def _sweep_values(control) -> list:
    if hasattr(control, "options") and control.options and isinstance(control.options[0], tuple):
        return [value for _label, value in control.options]
    low, high = control.min, control.max
    points = [low, high, *np.linspace(low, high, 6)[1:-1]]
    if isinstance(control.value, int) and not isinstance(control.value, bool):
        return sorted({round(p) for p in points})
    return [float(p) for p in points]


def _assert_physical(app) -> None:
    days = app.controls["days"].value
    for trace in range(3):
        y = _y(app, trace)
        x = np.asarray(app.figure.data[trace].x, dtype=float)
        assert y.size == x.size == days * 24 + 1
        assert np.isfinite(y).all()
        assert y.min() >= 0.0 and y.max() <= 100.0 + 1e-6
        assert x[0] == 0.0 and x[-1] == pytest.approx(days)


def _text(value: str) -> str:
    """Visible text of an HTML output: list items separated by " | ", no tags."""
    items = re.sub(r"</li>|</p>|</div>", " | ", value)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", items)))


def _course_end_day(app) -> float:
    c = app.controls
    n = c["n_sessions"].value
    return (n - 1) * c["interval_days"].value + c["duration_hours"].value / 24 if n else 0.0


def _assert_text_true(app) -> None:
    """Every sentence of the summary and the figure description is true of the plotted model."""
    summary, description = _text(app.summary.value), _text(app.description.value)
    r, c = app.result, app.controls
    day, plasma = r["day"], r["plasma_pct"]
    auto = r["autoantibody_plasma_pct"]
    n, days = c["n_sessions"].value, c["days"].value
    mark = f"{RECOVERY_THRESHOLD_PCT:g}%"
    daily = n > 1 and c["interval_days"].value <= 1.0
    assert (app.daily_warning.layout.display == "block") == daily
    large = n > 0 and c["volume_pv"].value > GUIDELINE_VOLUME_PV[1] + 1e-9
    assert (app.volume_warning.layout.display == "block") == large
    assert "Recovery" not in summary and "recovery" not in description
    assert "(illustrative arithmetic, not a prescription)" in _text(app.patient_readout.value)
    assert not re.search(r"(?<![\d.])1 plasma volumes", description)
    assert "Cannot run" not in app.message.value
    if n == 0:
        assert "No exchange sessions" in summary and "all stay at 100%" in description
        assert not re.search(r"Lowest|back above|below|day \d", summary)
        assert np.allclose(plasma, 100.0) and np.allclose(auto, 100.0)
        return
    lowest = re.search(r"Lowest plasma IgG: (\d+)% of baseline \(day ([\d.]+)\)", summary)
    if lowest:
        assert int(lowest[1]) == round(plasma.min())
        assert float(lowest[2]) == pytest.approx(day[plasma.idxmin()], abs=0.051)
        assert f"Plasma IgG falls to {lowest[1]}% on day {lowest[2]}" in description
    else:
        assert "stays at about 100%" in summary and "stays at about 100%" in description
        assert plasma.min() >= 99.5
    end = _course_end_day(app)
    complete = end <= days + 1e-9
    assert ("runs past the" in summary) == (not complete)
    assert ("goes on after the last day shown" in description) == (not complete)
    after = r[day >= end - 1e-9]
    back = re.search(rf"Plasma IgG back above {mark} of baseline: day ([\d.]+), ([\d.]+) "
                     "days after", summary)
    if back:
        recovered = float(back[1])
        assert complete and plasma.min() < RECOVERY_THRESHOLD_PCT
        first = after[after["plasma_pct"] >= RECOVERY_THRESHOLD_PCT]["day"].iloc[0]
        assert recovered == pytest.approx(first, abs=0.051)
        assert float(back[2]) == pytest.approx(first - end, abs=0.11)
        assert f"back above the dotted {mark} line on day {back[1]}" in description
    elif f"never fell below {mark}" in summary:
        assert plasma.min() >= RECOVERY_THRESHOLD_PCT
        assert f"never falls below the dotted {mark} line" in description
    elif complete:
        assert f"back above {mark} of baseline: not within the {days:g} days shown" in summary
        assert (after["plasma_pct"] < RECOVERY_THRESHOLD_PCT).all()
        assert f"still below {mark} at day {days:g}" in description
    just_after = re.search(r"Just after the last session \(day ([\d.]+)\): plasma IgG (\d+)%, "
                           r"whole-body IgG (\d+)%", summary)
    assert bool(just_after) == complete
    if just_after:
        row = after.iloc[0]
        assert float(just_after[1]) == pytest.approx(end, abs=0.051)
        assert int(just_after[2]) == round(row["plasma_pct"])
        assert int(just_after[3]) == round(row["total_pct"])
    removed = re.search(r"IgG taken out by the sessions(?: shown)?: (\d+)% of the starting "
                        r"body pool \(about (\d+) g\)(.*?)(?:Lowest autoantibody|$)", summary)
    assert int(removed[1]) == round(r["removed_pct"].iloc[-1])
    volume = plasma_volume_l(c["sex"].value, c["height_cm"].value, c["weight_kg"].value,
                             c["hematocrit"].value)
    params = app.parameters()
    body_pool_g = params.baseline_igg_g_per_l * volume / params.intravascular_fraction
    assert int(removed[2]) == round(r["removed_pct"].iloc[-1] / 100 * body_pool_g)
    explained = "more than the body held at the start" in removed[3] or \
        "donor plasma put back" in removed[3]
    assert explained or int(removed[1]) <= 100, "a removed figure above 100% needs its reason"
    assert ("donor plasma put back" in removed[3]) == (c["replacement"].value == "plasma")
    level = c["below_pct"].value
    stretch = re.search(rf"Longest stretch with plasma IgG below {level:g}% of baseline: "
                        r"([\d.]+) days( \(still below on the last day shown\))?", summary)
    if plasma.min() >= level:
        assert f"Plasma IgG never below {level:g}% of baseline" in summary and not stretch
    else:
        assert float(stretch[1]) == pytest.approx(longest_run_below_days(r, level), abs=0.051)
        assert bool(stretch[2]) == (plasma.iloc[-1] < level)
    same = float((auto - plasma).abs().max()) <= 0.5
    assert ("lies on the plasma IgG line" in description) == same
    assert ("the same as plasma IgG" in summary) == same
    if not same:
        falls = re.search(r"autoantibody \(black dash-dot line\) falls to (\d+)% on day",
                          description)
        assert int(falls[1]) == round(auto.min())
        assert f"Lowest autoantibody level: {falls[1]}%" in summary


@pytest.mark.parametrize("name", MODEL_CONTROLS)
def test_every_model_control_moves_the_curve_and_stays_physical(app, name):
    control = app.controls[name]
    seen = []
    for value in _sweep_values(control):
        control.value = value
        assert app.message.value == "", "every value a slider offers must run"
        _assert_physical(app)
        seen.append(_y(app).copy())
    distinct = {tuple(np.round(curve, 6)) for curve in seen}
    assert len(distinct) == len(seen), f"moving {name} left the plotted curve unchanged"


# Settings where the explorer's sentences used to go wrong, and the default.
EDGE_SETTINGS = {
    "default": {},
    "donor plasma": {"replacement": "plasma"},
    "zero sessions": {"n_sessions": 0},
    "20 sessions": {"n_sessions": 20},
    "20 weekly sessions, 20 days shown": {"n_sessions": 20, "interval_days": 7.0, "days": 20},
    "interval at its edge": {"duration_hours": 3.0, "interval_days": 0.0},
    "one small session": {"n_sessions": 1, "volume_pv": 0.5},
    "level for days below at its top": {"below_pct": 90.0},
}
TEXT_CONTROLS = [*MODEL_CONTROLS, "replacement", "days", "below_pct", *PATIENT_CONTROLS, "sex"]


def _apply(app, setting: dict) -> None:
    for name, value in setting.items():
        control = app.controls[name]
        control.value = max(value, control.min) if name == "interval_days" else value


@pytest.mark.parametrize("setting", EDGE_SETTINGS, ids=str)
@pytest.mark.parametrize("name", TEXT_CONTROLS)
def test_summary_and_description_are_true_at_every_setting(app, setting, name):
    _apply(app, EDGE_SETTINGS[setting])
    _assert_text_true(app)
    control = app.controls[name]
    values = _sweep_values(control)
    if name == "interval_days":
        values = [control.min, *values]
    for value in values:
        control.value = value
        _assert_text_true(app)


def test_text_sweep_detects_a_wrong_sentence(app, monkeypatch):
    """The text check itself fails when the summary misstates the recovery day."""
    app.controls["volume_pv"].value = 1.5
    broken = app.summary.value.replace("back above 80% of baseline: day",
                                       "back above 80% of baseline: day 1")
    assert broken != app.summary.value
    monkeypatch.setattr(app.summary, "value", broken)
    with pytest.raises(AssertionError):
        _assert_text_true(app)


def test_donor_plasma_summary_explains_the_removed_figure(app):
    app.controls["replacement"].value = "plasma"
    summary = _text(app.summary.value)
    assert "taken out by the sessions: 225%" in summary and "donor plasma put back 225%" in summary
    assert "Much of that is donors' IgG" in summary
    assert "never fell below 80%" in summary and "back above 80% of baseline: day" not in summary
    assert "Lowest plasma IgG" not in summary


def test_zero_sessions_say_nothing_about_recovery_or_a_lowest_day(app):
    app.controls["n_sessions"].value = 0
    summary = _text(app.summary.value)
    assert "back above" not in summary and "day 0.0" not in summary and "(day" not in summary


def test_removed_above_100_percent_comes_with_its_reason(app):
    app.controls["n_sessions"].value = 7
    summary = _text(app.summary.value)
    made = re.search(r"it made another (\d+)% during the course", summary)
    assert made and int(made[1]) > 0
    assert re.search(r"taken out by the sessions: 1\d\d%", summary)


@pytest.mark.parametrize("name", [*PATIENT_CONTROLS, "sex"])
def test_patient_size_changes_litres_and_grams_but_not_percentages(app, name):
    control = app.controls[name]
    before_curve, before_text = _y(app).copy(), app.patient_readout.value
    before_summary = app.summary.value
    values = _sweep_values(control)
    control.value = values[-1] if control.value != values[-1] else values[0]
    assert np.allclose(_y(app), before_curve)
    assert app.patient_readout.value != before_text
    assert app.summary.value != before_summary  # grams removed depend on body size
    c = app.controls
    expected = plasma_volume_l(c["sex"].value, c["height_cm"].value, c["weight_kg"].value,
                               c["hematocrit"].value)
    assert f"{expected:.2f} L" in app.patient_readout.value


def test_replacement_fluid_keeps_total_igg_and_the_autoantibody_falls_further(app):
    albumin_plasma, albumin_auto = _y(app, 0).copy(), _y(app, 2).copy()
    assert np.allclose(albumin_plasma, albumin_auto)  # with albumin the two lines coincide
    assert app.figure.data[2].visible is not False and app.figure.data[2].visible != "legendonly"
    app.controls["replacement"].value = "plasma"
    assert _y(app, 0).min() > 99.0  # donors' IgG replaces what is taken out
    # With FcRn saturation, total IgG kept high keeps the autoantibody's breakdown fast.
    assert _y(app, 2).min() < albumin_auto.min()
    assert "autoantibody (black dash-dot line) falls to" in app.description.value
    assert "donor plasma replaces normal IgG" in app.description.value


def test_the_80_percent_line_is_named_in_the_legend_not_written_on_the_curves(app):
    assert not app.figure.layout.annotations
    names = [trace.name for trace in app.figure.data]
    assert any(name.startswith("80% of baseline") for name in names)
    assert [shape.y0 for shape in app.figure.layout.shapes] == [RECOVERY_THRESHOLD_PCT]


def test_session_markers_sit_above_every_curve(app):
    app.controls["volume_pv"].value = app.controls["volume_pv"].max
    markers = np.asarray(app.figure.data[5].y, dtype=float)
    assert markers.size == 5 and markers.min() > max(_y(app, t).max() for t in range(3)) + 3


def test_days_shown_changes_the_time_axis(app):
    for days in (20, 95, 180):
        app.controls["days"].value = days
        _assert_physical(app)
        assert list(app.figure.layout.xaxis.range) == [0, days]


def test_session_markers_follow_the_schedule(app):
    app.controls["n_sessions"].value = 4
    app.controls["interval_days"].value = 3.0
    assert list(app.figure.data[5].x) == [0.0, 3.0, 6.0, 9.0]
    app.controls["n_sessions"].value = 0
    assert list(app.figure.data[5].x) == []
    assert "no exchange sessions" in app.description.value
    assert list(app.figure.data[5].y) == []


def test_random_combinations_stay_finite_and_bounded(app):
    generator = random.Random(20261125)
    for _ in range(40):
        for name in MODEL_CONTROLS + PATIENT_CONTROLS + ["days", "replacement", "sex"]:
            values = _sweep_values(app.controls[name])
            if isinstance(values[0], str):
                app.controls[name].value = generator.choice(values)
            elif isinstance(values[0], int):
                app.controls[name].value = generator.randint(values[0], values[-1])
            else:
                app.controls[name].value = generator.uniform(values[0], values[-1])
        assert app.message.value == ""
        _assert_physical(app)
        _assert_text_true(app)


def test_interval_slider_never_offers_overlapping_sessions(app):
    interval, duration = app.controls["interval_days"], app.controls["duration_hours"]
    for hours in _sweep_values(duration):
        duration.value = hours
        assert interval.min == shortest_interval_days(hours) >= hours / 24
        interval.value = interval.min
        assert app.message.value == ""
    duration.value = 2.0
    interval.value = interval.min
    duration.value = 3.0  # the interval moves up with the session length
    assert interval.value == interval.min == shortest_interval_days(3.0)
    assert app.message.value == ""
    assert "one session length" in app.interval_note.value


def test_a_problem_is_explained_with_the_control_label(app):
    app.controls["duration_hours"].value = 3.0
    last = _y(app).copy()
    error = ParameterError("interval_days", 0.05, "at least the session duration (3 h)")
    message = str(app._labelled(error))
    assert message.startswith("“Days between sessions” must be")
    assert "interval_days" not in message
    app._show_problem(app._labelled(error), "course")
    assert "Days between sessions" in app.message.value and "interval_days" not in app.message.value
    assert np.allclose(_y(app), last)


def test_volume_stays_in_the_sourcebook_range_and_beyond_the_guideline_is_flagged(app):
    volume = load_table("igg_model_parameters").set_index("parameter").loc["exchange_volume_pv"]
    control = app.controls["volume_pv"]
    assert (control.min, control.max) == (volume["range_min"], volume["range_max"]) == (0.5, 2)
    low, high = GUIDELINE_VOLUME_PV
    assert f"{low:g}-{high:g} total plasma volumes" in volume["source"]
    control.value = high
    assert app.volume_warning.layout.display == "none"
    control.value = high + control.step
    assert app.volume_warning.layout.display == "block"
    assert "Beyond guideline volumes" in app.volume_warning.value
    app.controls["n_sessions"].value = 0
    assert app.volume_warning.layout.display == "none"


def test_days_below_the_chosen_level_for_the_sessions_exercise(app):
    app.controls["below_pct"].value = 40.0
    app.controls["n_sessions"].value = 10
    summary = _text(app.summary.value)
    stretch = re.search(r"Longest stretch with plasma IgG below 40% of baseline: ([\d.]+) days",
                        summary)
    assert float(stretch[1]) >= 14.0
    app.controls["n_sessions"].value = 9
    stretch = re.search(r"below 40% of baseline: ([\d.]+) days", _text(app.summary.value))
    assert float(stretch[1]) < 14.0


def test_daily_schedules_show_the_risk_warning(app):
    assert app.daily_warning.layout.display == "none"
    app.controls["interval_days"].value = 1.0
    assert app.daily_warning.layout.display == "block"
    warning = _text(app.daily_warning.value)
    assert "fibrinogen" in warning and "reported by" in warning
    app.controls["n_sessions"].value = 1
    assert app.daily_warning.layout.display == "none"


def test_pin_compare_and_clear(app):
    app.pin()
    assert np.allclose(_y(app, 3), _y(app, 0)) and not app.clear_button.disabled
    app.controls["volume_pv"].value = 2.0
    assert not np.allclose(_y(app, 3), _y(app, 0))
    app.table_toggle.value = True
    assert "Pinned plasma IgG (%)" in app.table.value
    app.clear_pin()
    assert _y(app, 3).size == 0 and app.clear_button.disabled
    assert "Pinned plasma IgG (%)" not in app.table.value


def test_data_table_on_request_has_one_row_per_day(app):
    assert app.table.layout.display == "none"
    app.table_toggle.value = True
    assert app.table.layout.display == "block"
    days = app.controls["days"].value
    assert app.table.value.count("<tr") == days + 2  # header + day 0..days
    assert "<caption" in app.table.value


def test_advanced_parameters_are_behind_a_toggle(app):
    assert app.advanced_box.layout.display == "none"
    app.advanced_toggle.value = True
    assert app.advanced_box.layout.display == "flex"
    assert app.advanced_toggle.description == "Hide advanced parameters"


def test_every_control_is_labelled(app):
    for name, control in app.controls.items():
        assert control.description.strip(), f"{name} has no label"


def test_a_control_change_sends_one_batched_update_and_no_full_state(app):
    assert_one_batched_update(app.figure, lambda: setattr(app.controls["volume_pv"], "value", 1.7))


def test_a_new_view_starts_from_the_current_state(app):
    """What a page reload or a second view receives is the current curve, not the first."""
    app.controls["volume_pv"].value = 2.5
    assert np.allclose(synced_trace_y(app.figure), app.result["plasma_pct"])
    assert app.figure.get_state()["_widget_layout"]["xaxis"]["range"] == [0, 60]


def test_plasma_volume_app_compares_both_formulas():
    pv = plasma_volume_app()
    for name in ["sex", "height_cm", "weight_kg", "hematocrit"]:
        for value in _sweep_values(pv.controls[name]):
            pv.controls[name].value = value
            estimates = pv.estimates()
            assert all(0.5 < v < 10 for v in estimates.values())
            assert f">{round(estimates['nadler'], 2):g}</td>" in pv.output.value
    pv.controls["weight_kg"].value = 150
    pv.controls["height_cm"].value = 160
    assert "more than Nadler" in pv.output.value  # weight-only overestimates in obesity


def test_single_exchange_app_follows_the_formula():
    single = single_exchange_app()
    for value in _sweep_values(single.slider):
        single.slider.value = value
        assert single.figure.data[1].y[0] == pytest.approx(100 * (1 - math.exp(-value)))
        assert f"{100 * (1 - math.exp(-value)):.1f}%" in single.readout.value
    assert single.table.value.count("<tr") == 7
    # Formula values, never labelled as measurements.
    assert "measured" not in single.table.value
    assert single.table.value.count("formula (checked)") == 3
    assert single.table.value.count("formula (derived)") == 3


@pytest.mark.parametrize("name", EXERCISES)
def test_every_exercise_accepts_its_answer_and_rejects_another(name):
    checker = exercise(name)
    checker.answer.value = f"{checker.correct:g}"
    assert checker.check() is True
    checker.answer.value = f"{checker.correct + checker.tolerance + 1:g}"
    assert checker.check() is False


@pytest.mark.parametrize(("name", "typed", "expected"), [
    ("one-session-body-removed", "71.6", "what is left in the whole body"),
    ("one-session-body-removed", "72", "what is left in the whole body"),
    ("one-session-body-removed", "0.29", "looks like a fraction"),
    ("one-session-body-removed", "63", "from the plasma alone"),
    ("one-session-body-removed", "37.7", "plasma IgG just after the session"),
    ("plasma-volume", "3.4", "Kaplan's weight-only estimate"),
    ("volume-for-90-percent", "0.9", "share to remove"),
    ("sessions-below-40", "9", "not quite two weeks"),
    ("sessions-below-40", "5", "explorer's default"),
])
def test_likely_wrong_answers_get_their_own_hint(name, typed, expected):
    checker = exercise(name)
    checker.answer.value = typed
    assert checker.check() is False
    assert expected in html.unescape(checker.feedback.value)
    assert EXERCISES[name].hint not in html.unescape(checker.feedback.value)


def test_the_hint_for_one_session_fewer_states_the_model_days():
    checker = exercise("sessions-below-40")
    fewer = int(checker.correct) - 1
    course_days = longest_run_below_days(
        simulate(tpe_course(fewer, 1.0, 2.0), days=90, step_hours=1.0), 40)
    assert f"{fewer} sessions keep plasma IgG below 40% for {course_days:.1f} days" in \
        checker.common_mistakes[float(fewer)]
    assert course_days < 14


def test_exercise_answers_come_from_the_model():
    assert exercise("plasma-volume").correct == round(plasma_volume_l("male", 180, 95, 0.45), 2)
    removed = exercise("one-session-body-removed")
    assert 25 <= removed.correct <= 32 and f"about {removed.correct:.0f}%" in removed.explanation
    assert exercise("volume-for-90-percent").correct == pytest.approx(2.3)


def test_notebook_tables_are_readable_html_without_code_names():
    from helpers.figures import exchange as figures
    from helpers.model_validation import validation_table

    checks = validation_table()
    tables = [figures.plasma_volume_examples_view(), figures.claim_view(),
              figures.v13_view(checks), figures.risk_view(), figures.parameter_view(),
              *[part for part in figures.validation_panel(checks).parts
                if isinstance(part, figures.Table)],
              *[part for part in figures.one_session().panel(checks).parts
                if isinstance(part, figures.Table)]]
    for table in tables:
        headers = re.findall(r"<th[^>]*>(.*?)</th>", table.html)
        assert headers and not any("_" in header for header in headers), headers
        assert "<caption" in table.html and "<td" in table.html
        assert "_pct" not in table.html and "by_construction" not in table.html
        bundle = table._repr_mimebundle_()
        assert "\n" not in bundle["text/plain"]  # one short line, never a pandas print
