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
from helpers.figures.alternatives import FCRN_CALIBRATION_WARNING, teaching_numbers
from helpers.kinetics import (
    FCRN_DRUGS,
    FCRN_FREE_MULTIPLIER,
    IgGParameters,
    Schedule,
    fcrn_blocker_course,
    immunoadsorption_course,
    ivig_course,
    rituximab_course,
    simulate,
    tpe_course,
    treatment_value,
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
    app.view.value = fresh.view.value
    for panel, default in zip(app.panels, fresh.panels, strict=True):
        panel.option.value = default.option.value
        for name, value in default.settings().items():
            panel.controls[name].value = value
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


TOP_ROW = {"plasma": "autoantibody_plasma_pct", "body": "autoantibody_total_pct"}
SHORT = {"none": "Nothing", "exchange": "Plasma exchange", "rituximab": "Rituximab"}


def _assert_text_true(app) -> None:
    """The figure, the summary and the description agree with a fresh simulation."""
    days = float(app.days.value)
    items = _items(app)
    assert len(items) == 3
    description = app.description.value
    for index, (panel, item) in enumerate(zip(app.panels, items, strict=True)):
        option = panel.option.value
        settings = panel.settings()
        schedule = _schedule(option, settings)
        result = simulate(schedule, days=days, step_hours=1.0)
        auto, total = result["autoantibody_plasma_pct"], result["plasma_igg_g_per_l"]
        assert np.allclose(app.figure.data[index].y, result[TOP_ROW[app.view.value]])
        assert np.allclose(app.figure.data[index + 3].y, total)
        starts = sorted(start for start, _, _ in schedule.procedures() if start < days)
        assert np.allclose(app.figure.data[index + 6].x, starts)
        name = app.figure.data[index].name
        assert name == app.figure.data[index + 3].name and name.startswith(f"{panel.letter}: ")
        assert "Option" not in name and SHORT.get(option, name) in name
        if option == "fcrn":
            assert settings["drug"] in name
        assert item.startswith(f"<b>{panel.letter}</b>")
        assert "every 1 days" not in item and " PV" not in item and "1 days" not in item
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
            body = result["autoantibody_total_pct"].min()
            assert f"in the whole body, plasma and tissues: lowest {body:.0f}%)" in item
            assert f"(in the whole body {body:.0f}%)" in description
        found = re.search(r"stays between ([\d.]+) g/L \(lowest\) and ([\d.]+) g/L \(highest\)",
                          item)
        assert found, item
        assert float(found[1]) == pytest.approx(total.min(), abs=0.006)
        assert float(found[2]) == pytest.approx(total.max(), abs=0.006)
        raised = total.max() > BASELINE + 0.05
        assert ("above normal because donor IgG was given" in item) == raised
        if raised:
            assert option == "ivig"
        beyond = option == "ivig" and (
            settings["dose_g_per_kg"] > treatment_value("ivig", "any", "standard_dose_g_per_kg")
            or total.max() > treatment_value("ivig", "any", "expected_peak_high_g_per_l"))
        assert ("Beyond practice" in item) == beyond
        if option == "fcrn":
            action = (treatment_value("fcrn_blocker", settings["drug"], "standard_dose_mg_per_kg")
                      * treatment_value("fcrn_blocker", settings["drug"],
                                        "action_days_per_mg_per_kg"))
            overlap = settings["n_doses"] > 1 and settings["dose_interval_days"] < action
            assert ("overlapping doses do not add up" in item) == overlap


def _sweep_values(control) -> list:
    if hasattr(control, "options"):
        return [value for _label, value in control.options]
    low, high = control.min, control.max
    points = [low, high, (low + high) / 2]
    if isinstance(control.value, int):
        return sorted({round(p) for p in points})
    return [round(p / control.step) * control.step for p in points]


SWEEPS = [(option, name) for option, names in OPTION_CONTROLS.items() for name in names
          if name != "drug_note"]


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
    assert [child._dom_classes for child in box.children][:2] == [("explorer-controls",),
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

    sentence, *role_tables = figures.validation_views(validation_table())
    assert "published value (checked in the primary source)" in sentence
    assert "known only from secondary sources" in sentence
    tables = [figures.requirements_view(), figures.model_parameter_view(),
              figures.session_comparison_view(), *role_tables]
    for table in tables:
        headers = re.findall(r"<th scope[^>]*>(.*?)</th>", table.html)
        assert headers and not any("_" in header for header in headers), headers
        assert "<caption" in table.html and "<td" in table.html
        assert "by_construction" not in table.html and "fcrn_blocker" not in table.html
        assert "\n" not in table._repr_mimebundle_()["text/plain"]


def test_requirements_table_says_what_the_sources_do_not_cover_rather_than_guess():
    from helpers.data import load_table
    from helpers.figures.alternatives import requirements_view

    data = load_table("treatment_requirements")
    assert len(data) == 5 * 8  # every option, every item
    costs = data[data["item"] == "cost"]
    assert costs["value"].str.startswith("not covered in the course sources").all()
    assert not data["value"].str.contains("not known").any()
    sourced = data[~data["value"].str.startswith("not covered")]
    assert sourced["source"].str.len().gt(5).all()
    html = requirements_view().html
    # a checked primary trial is not credited to the encyclopedia-style page
    assert "5 daily sessions in an MS relapse trial (EClinicalMedicine 2019)" in html
    assert "(reported by grokipedia.com" in html and html.count("grokipedia") == 2
    assert "from the course above" not in html and "Course sourcebook" not in html
    assert "9-18 g in total" in html and "all apheresis types" in html


def test_the_top_row_switches_to_the_whole_body(app):
    plasma = np.asarray(app.figure.data[0].y)
    app.view.value = "body"
    assert "whole body" in app.figure.layout.annotations[0].text
    assert not np.allclose(app.figure.data[0].y, plasma)
    assert "in the whole body (plasma and tissues)" in app.description.value
    _assert_text_true(app)
    exchange, fcrn, _ = app.outcomes
    # removal looks much better than FcRn blockade in plasma than in the whole body
    plasma_gap = fcrn.lowest_autoantibody_pct - exchange.lowest_autoantibody_pct
    body_gap = fcrn.lowest_body_autoantibody_pct - exchange.lowest_body_autoantibody_pct
    assert body_gap < 0.5 * plasma_gap


@pytest.mark.parametrize("drug", FCRN_DRUGS)
def test_each_fcrn_drug_shows_its_dose_and_the_calibration_warning_is_shown(app, drug):
    panel = app.panels[1]
    panel.option.value = "fcrn"
    panel.controls["drug"].value = drug
    dose = treatment_value("fcrn_blocker", drug, "standard_dose_mg_per_kg")
    multiplier = treatment_value("fcrn_blocker", drug, "catabolism_multiplier")
    note = panel.controls["drug_note"].value
    assert f"{dose:g} mg/kg a dose" in note and f"breakdown {multiplier:g} times normal" in note
    share = 100 * (multiplier - 1) / (FCRN_FREE_MULTIPLIER - 1)
    assert f"{share:.0f}% of the FcRn receptors" in note
    assert panel.controls["drug_note"] in panel.settings_box.children
    assert f"{drug} {dose:g} mg/kg" in _items(app)[1]
    assert FCRN_CALIBRATION_WARNING in str([child.value for child in _html_widgets(app.widget)])


def _html_widgets(widget):
    children = getattr(widget, "children", ())
    found = [widget] if hasattr(widget, "value") and isinstance(widget.value, str) else []
    for child in children:
        found += _html_widgets(child)
    return found


def test_ivig_far_beyond_practice_is_flagged(app):
    panel = app.panels[2]
    panel.controls["dose_g_per_kg"].value = 3.0
    panel.controls["infusion_days"].value = 1
    item = _items(app)[2]
    assert "Beyond practice" in item and "over 1 day" in item
    _assert_text_true(app)


def test_daily_schedules_read_as_daily(app):
    panel = app.panels[0]
    panel.controls["interval_days"].value = 1.0
    assert "5 sessions of 1 plasma volume every day" in _items(app)[0]


FORESEEN = {
    "fcrn-floor": [0.0, 100 - 100 / FCRN_FREE_MULTIPLIER, 1 / FCRN_FREE_MULTIPLIER],
    "ivig-autoantibody": [0.0],
    "rituximab-month": [100 * 2 ** (-30 / IgGParameters().half_life_days)],
}


@pytest.mark.parametrize(("name", "mistakes"), list(FORESEEN.items()))
def test_likely_wrong_answers_get_their_own_hint(name, mistakes):
    checker = exercise(name)
    for mistake in mistakes:
        checker.answer.value = f"{mistake:.3g}"
        assert checker.check() is False
        assert checker.hint_for(float(checker.answer.value)) != checker.hint, mistake


def test_revealed_answers_are_rounded_to_one_decimal():
    numbers = teaching_numbers()
    for name, exact in (("fcrn-floor", numbers.fcrn_floor_pct),
                        ("rituximab-month", numbers.rituximab_month_pct),
                        ("ivig-autoantibody", 100 - numbers.ivig_auto_low_pct)):
        checker = exercise(name)
        assert checker.correct == round(exact, 1)
        checker.reveal()
        assert f"<b>{round(exact, 1):g}%</b>" in checker.feedback.value
