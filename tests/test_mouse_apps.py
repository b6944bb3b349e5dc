"""The passive-transfer explorer, driven through its controls across their whole range."""

from __future__ import annotations

import random

import numpy as np
import pytest
from figure_widget_checks import assert_one_batched_update, synced_trace_y

from helpers.apps.transfer import passive_transfer_explorer
from helpers.mouse import simulate_passive_transfer

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


def _sweep_values(control) -> list:
    low, high = control.min, control.max
    points = [low, high, *np.linspace(low, high, 6)[1:-1]]
    if isinstance(control.value, int):
        return sorted({round(p) for p in points})
    return [float(p) for p in points]


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
    assert app.figure.layout.yaxis.range[1] > _y(app).max()
    assert app.message.value == ""


def test_starts_at_the_study_regimen(app):
    assert app.arguments() == {"dose_mg": 8.0, "n_doses": 4, "interval_days": 1.0,
                               "half_life_days": 2.9, "absorption_half_life_hours": 2.773,
                               "days": 21}
    assert np.allclose(_y(app), simulate_passive_transfer()["serum_human_igg_mg_per_ml"])
    assert list(app.figure.data[3].x) == [0.0, 1.0, 2.0, 3.0]
    assert "<b>32 mg</b>" in app.summary.value and "6.8 mg/mL" in app.summary.value
    assert "Figure description" in app.description.value


@pytest.mark.parametrize("name", MODEL_CONTROLS)
def test_every_model_control_moves_the_curve_and_stays_physical(app, name):
    control = app.controls[name]
    curves, summaries = [], []
    for value in _sweep_values(control):
        control.value = value
        _assert_physical(app)
        curves.append(_y(app).copy())
        summaries.append(app.summary.value)
    distinct = {tuple(np.round(curve, 9)) for curve in curves}
    assert len(distinct) == len(curves), f"moving {name} left the plotted curve unchanged"
    assert len(set(summaries)) == len(summaries), f"moving {name} left the summary unchanged"


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


def test_random_combinations_stay_finite_and_update_the_text(app):
    generator = random.Random(20261125)
    for _ in range(30):
        before = app.summary.value
        for name in [*MODEL_CONTROLS, "days"]:
            control = app.controls[name]
            if isinstance(control.value, int):
                control.value = generator.randint(control.min, control.max)
            else:
                control.value = generator.uniform(control.min, control.max)
        _assert_physical(app)
        assert app.summary.value != before
        assert "Peak serum human IgG" in app.summary.value


def test_data_table_on_request_updates_with_the_controls(app):
    assert app.table.layout.display == "none" and app.table.value == ""
    app.table_toggle.value = True
    assert app.table.layout.display == "block"
    assert app.table.value.count("<tr") == 21 + 2  # header + day 0..21
    assert "<caption" in app.table.value
    before = app.table.value
    app.controls["half_life_days"].value = 6.0
    assert app.table.value != before
    app.table_toggle.value = False
    assert app.table.layout.display == "none"


def test_out_of_range_value_gives_a_readable_message_and_keeps_the_plot(app):
    last = _y(app).copy()
    app.controls["dose_mg"].max = 100  # a slider wider than the model allows
    try:
        app.controls["dose_mg"].value = 50
        assert "Cannot run this combination" in app.message.value
        assert "dose_mg" in app.message.value and "from 0.5 to 20" in app.message.value
        assert "Traceback" not in app.message.value
        assert np.allclose(_y(app), last)
    finally:
        app.controls["dose_mg"].max = 20
    app.reset()
    assert app.message.value == ""


def test_every_control_is_labelled(app):
    for name, control in app.controls.items():
        assert control.description.strip(), f"{name} has no label"


def test_a_control_change_sends_one_batched_update_and_no_full_state(app):
    assert_one_batched_update(app.figure,
                              lambda: setattr(app.controls["half_life_days"], "value", 4.0))


def test_a_new_view_starts_from_the_current_state(app):
    app.controls["half_life_days"].value = 7.5
    assert np.allclose(synced_trace_y(app.figure), app.result["serum_human_igg_mg_per_ml"])
