"""The widget apps, driven through their controls across their whole range."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from figure_widget_checks import assert_one_batched_update, synced_trace_y

from helpers.apps.exchange import course_explorer, plasma_volume_app, single_exchange_app
from helpers.kinetics import plasma_volume_l

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


@pytest.mark.parametrize("name", MODEL_CONTROLS)
def test_every_model_control_moves_the_curve_and_stays_physical(app, name):
    control = app.controls[name]
    seen = []
    for value in _sweep_values(control):
        control.value = value
        if app.message.value:  # an overlap the student can set: message, no traceback
            assert "interval_days" in app.message.value and "overlap" in app.message.value
            continue
        _assert_physical(app)
        seen.append(_y(app).copy())
    distinct = {tuple(np.round(curve, 6)) for curve in seen}
    assert len(distinct) == len(seen), f"moving {name} left the plotted curve unchanged"


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


def test_replacement_fluid_changes_total_igg_but_not_the_autoantibody(app):
    albumin_plasma, albumin_auto = _y(app, 0).copy(), _y(app, 2).copy()
    assert app.figure.data[2].visible == "legendonly"  # on top of plasma IgG with albumin
    app.controls["replacement"].value = "plasma"
    assert app.figure.data[2].visible is True
    assert _y(app, 0).min() > albumin_plasma.min() + 50
    assert np.allclose(_y(app, 2), albumin_auto)
    assert "autoantibody falls further" in app.description.value


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
        if not app.message.value:
            _assert_physical(app)
            assert "Lowest plasma IgG" in app.summary.value


def test_overlapping_sessions_give_a_readable_message_and_keep_the_last_plot(app):
    app.controls["duration_hours"].value = 3.0
    last = _y(app).copy()
    app.controls["interval_days"].value = 0.1  # 2.4 h between 3-h sessions
    assert "Cannot run this combination" in app.message.value
    assert "interval_days" in app.message.value and "3 h" in app.message.value
    assert "Traceback" not in app.message.value
    assert np.allclose(_y(app), last)
    app.controls["interval_days"].value = 1.0
    assert app.message.value == ""


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
