"""Notebook 04's comparison explorer, exercises and tables, driven through their controls.

Every control is moved to its ends (and between), for every option, and after each move the
figure and every sentence the app writes are checked against values recomputed here from the
engine's public builders.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from figure_widget_checks import assert_one_batched_update, synced_trace_y

from helpers.apps.alternatives import (
    EXERCISES,
    OPTION_CONTROLS,
    comparison_explorer,
    exercise,
)
from helpers.kinetics import (
    IgGParameters,
    Schedule,
    fcrn_blocker_course,
    immunoadsorption_course,
    ivig_course,
    rituximab_course,
    simulate,
    tpe_course,
)

BASELINE = IgGParameters().baseline_igg_g_per_l


@pytest.fixture(scope="module")
def app():
    return comparison_explorer()


@pytest.fixture(autouse=True)
def _reset(app):
    fresh = comparison_explorer()
    yield
    app.days.value = fresh.days.value
    for panel, default in zip(app.panels, fresh.panels, strict=True):
        panel.option.value = default.option.value
        for name, control in panel.controls.items():
            control.value = default.controls[name].value
    app.table_toggle.value = False


def _schedule(option: str, s: dict) -> Schedule:
    """The schedule a panel describes, built here from the engine's builders."""
    if option == "exchange":
        return tpe_course(s["n_sessions"], s["volume_pv"], s["interval_days"],
                          start_day=s["start_day"], replacement=s["replacement"])
    if option == "adsorption":
        return immunoadsorption_course(s["n_sessions"], s["adsorption_volume_pv"],
                                       s["interval_days"], start_day=s["start_day"],
                                       column=s["column"])
    if option == "fcrn":
        return fcrn_blocker_course(s["n_doses"], s["dose_interval_days"],
                                   start_day=s["start_day"], drug=s["drug"])
    if option == "ivig":
        return ivig_course(s["dose_g_per_kg"], infusion_days=s["infusion_days"],
                           start_day=s["start_day"])
    if option == "rituximab":
        return rituximab_course(start_day=s["start_day"])
    return Schedule()


def _items(app) -> list[str]:
    return re.findall(r"<li>(.*?)</li>", app.summary.value)


def _assert_text_true(app) -> None:
    """The figure, the summary and the description agree with a fresh simulation."""
    days = float(app.days.value)
    items = _items(app)
    assert len(items) == 3
    description = app.description.value
    for index, (panel, item) in enumerate(zip(app.panels, items, strict=True)):
        option = panel.option.value
        settings = {name: control.value for name, control in panel.controls.items()}
        result = simulate(_schedule(option, settings), days=days, step_hours=1.0)
        auto, total = result["autoantibody_plasma_pct"], result["plasma_igg_g_per_l"]
        assert np.allclose(app.figure.data[index].y, auto)
        assert np.allclose(app.figure.data[index + 3].y, total)
        assert item.startswith(f"<b>{panel.letter}</b>")
        if option == "none":
            assert "nothing given" in item and np.allclose(auto, 100.0)
            continue
        if settings["start_day"] >= days:
            assert f"starts on day {settings['start_day']:g}" in item
            assert np.allclose(auto, 100.0) and np.allclose(total, BASELINE)
            continue
        if auto.min() >= 99.5:
            assert "stays at about 100%" in item
        else:
            found = re.search(r"lowest at <b>(\d+)%</b> of baseline on day ([\d.]+), and at "
                              r"(\d+)% on day (\d+)", item)
            assert found, item
            assert int(found[1]) == round(auto.min())
            assert float(found[2]) == pytest.approx(result.loc[auto.idxmin(), "day"], abs=0.051)
            assert int(found[3]) == round(auto.iloc[-1]) and int(found[4]) == days
            assert f"lowest at {auto.min():.0f}%" in description
        found = re.search(r"total IgG from ([\d.]+) to ([\d.]+) g/L", item)
        assert found, item
        assert float(found[1]) == pytest.approx(total.min(), abs=0.006)
        assert float(found[2]) == pytest.approx(total.max(), abs=0.006)
        raised = total.max() > BASELINE + 0.05
        assert ("above normal because donor IgG was given" in item) == raised
        if raised:
            assert option == "ivig"


def _sweep_values(control) -> list:
    if hasattr(control, "options"):
        return [value for _label, value in control.options]
    low, high = control.min, control.max
    points = [low, high, (low + high) / 2]
    if isinstance(control.value, int):
        return sorted({round(p) for p in points})
    return [round(p / control.step) * control.step for p in points]


SWEEPS = [(option, name) for option, names in OPTION_CONTROLS.items() for name in names]


@pytest.mark.parametrize(("option", "name"), SWEEPS, ids=[f"{o}-{n}" for o, n in SWEEPS])
def test_every_control_of_every_option_at_its_ends_keeps_the_text_true(app, option, name):
    panel = app.panels[0]
    panel.option.value = option
    control = panel.controls[name]
    assert control in panel.settings_box.children  # shown for this option
    for value in _sweep_values(control):
        control.value = value
        _assert_text_true(app)


@pytest.mark.parametrize("letter", [1, 2])
@pytest.mark.parametrize("option", list(OPTION_CONTROLS))
def test_panels_b_and_c_offer_every_option(app, letter, option):
    app.panels[letter].option.value = option
    _assert_text_true(app)
    assert list(app.panels[letter].settings_box.children) == [
        app.panels[letter].controls[name] for name in OPTION_CONTROLS[option]]


@pytest.mark.parametrize("days", [30, 180])
def test_days_shown_at_its_ends(app, days):
    app.days.value = days
    assert list(app.figure.layout.xaxis2.range) == [0, days]
    _assert_text_true(app)


def test_an_option_starting_on_the_last_day_says_so(app):
    app.days.value = 30
    app.panels[1].controls["start_day"].value = 30
    _assert_text_true(app)
    assert "starts on day 30, at the end of the 30 days shown" in _items(app)[1]


def test_text_check_detects_a_wrong_sentence(app, monkeypatch):
    wrong = app.summary.value.replace("lowest at <b>", "lowest at <b>1", 1)
    monkeypatch.setattr(app.summary, "value", wrong)
    with pytest.raises(AssertionError):
        _assert_text_true(app)


def test_ivig_raises_total_igg_and_the_exchange_does_not(app):
    exchange, _, ivig = app.outcomes
    assert ivig.highest_total_g_per_l > 2.5 * BASELINE
    assert exchange.highest_total_g_per_l == pytest.approx(BASELINE)
    assert exchange.lowest_autoantibody_pct < ivig.lowest_autoantibody_pct


def test_same_treatment_started_later_is_the_same_curve_shifted(app):
    for panel in app.panels[:2]:
        panel.option.value = "fcrn"
    app.panels[1].controls["start_day"].value = 14
    first, later = (np.asarray(app.figure.data[i].y) for i in (0, 1))
    assert np.allclose(first[:-14 * 24], later[14 * 24:], atol=1e-3)


def test_every_control_is_labelled_and_the_plot_sits_beside_the_controls(app):
    for control in app.all_controls():
        assert control.description.strip()
    assert "comparison-explorer" in app.widget._dom_classes
    box = app.widget.children[1]
    assert [child._dom_classes for child in box.children] == [("explorer-controls",),
                                                               ("explorer-plot",)]


def test_a_control_change_sends_one_batched_update_and_no_full_state(app):
    control = app.panels[0].controls["n_sessions"]
    assert_one_batched_update(app.figure, lambda: setattr(control, "value", 7))


def test_a_new_view_starts_from_the_current_state(app):
    app.panels[2].controls["dose_g_per_kg"].value = 1.0
    assert np.allclose(synced_trace_y(app.figure, 5), app.figure.data[5].y)


def test_data_table_on_request(app):
    app.table_toggle.value = True
    assert app.table.layout.display == "block"
    assert app.table.value.count("<tr") == 1 + len(range(0, app.days.value + 1, 7))
    headers = re.findall(r"<th scope[^>]*>(.*?)</th>", app.table.value)
    assert headers[0] == "Day" and not any("_" in header for header in headers)


@pytest.mark.parametrize("name", EXERCISES)
def test_every_exercise_accepts_its_answer_and_rejects_another(name):
    checker = exercise(name)
    checker.answer.value = f"{checker.correct:.2f}"
    assert checker.check() is True
    checker.answer.value = f"{checker.correct + checker.tolerance + 1:g}"
    assert checker.check() is False


def test_notebook_tables_are_readable_html_without_code_names():
    from helpers.figures import alternatives as figures
    from helpers.model_validation import validation_table

    sentence, independent, fitted = figures.validation_views(validation_table())
    assert "independent published values" in sentence
    tables = [figures.requirements_view(), figures.model_parameter_view(),
              figures.session_comparison_view(), independent, fitted]
    for table in tables:
        headers = re.findall(r"<th scope[^>]*>(.*?)</th>", table.html)
        assert headers and not any("_" in header for header in headers), headers
        assert "<caption" in table.html and "<td" in table.html
        assert "by_construction" not in table.html and "fcrn_blocker" not in table.html
        assert "\n" not in table._repr_mimebundle_()["text/plain"]


def test_requirements_table_says_not_known_rather_than_guess():
    from helpers.data import load_table

    data = load_table("treatment_requirements")
    assert len(data) == 5 * 8  # every option, every item
    costs = data[data["item"] == "cost"]
    assert costs["value"].str.startswith("not known").all()
    sourced = data[~data["value"].str.startswith("not known")]
    assert sourced["source"].str.len().gt(5).all()
