"""Notebook 05's figures, tables, exercises and the virtual-trial explorer, swept end to end."""

from __future__ import annotations

import html
import random
import re

import ipywidgets as widgets
import numpy as np
import plotly.graph_objects as go
import pytest
from figure_widget_checks import assert_one_batched_update, synced_trace_y

from helpers import kinetics
from helpers.apps import trial as trial_apps
from helpers.apps.trial import (
    CURVE_SIZES,
    FM0001_PER_ARM,
    FORMULA_SIZES,
    IDEAL,
    TREATMENTS,
    YOUR_TRIALS,
    virtual_trial_explorer,
)
from helpers.data import load_table
from helpers.figures import trial as trial_figures
from helpers.trial import (
    assumed_effect,
    autoantibody_recovery_day,
    detectable_effect_points,
    n_per_arm_for_power,
    normal_approx_power,
    virtual_trial,
)

SLIDERS = ["subset_fraction", "effect_if_all_removed_points", "sd_points",
           "placebo_responder_pct"]


@pytest.fixture(scope="module")
def app():
    return virtual_trial_explorer()


@pytest.fixture(autouse=True)
def _reset(app):
    yield
    app.reset()
    app.table_toggle.value = False


def _expected(app) -> dict:
    """Recompute every number the explorer shows, independently of the app."""
    chosen = app.settings()
    builder = TREATMENTS[chosen["treatment"]].build
    lowering = 1.0 if builder is None else assumed_effect(builder()) \
        .mean_lowering_fraction
    effect = lowering * chosen["effect_if_all_removed_points"]
    design = {"effect_points": effect, "sd_points": chosen["sd_points"],
              "subset_fraction": chosen["subset_fraction"]}
    return {
        "lowering": lowering, "effect": effect, "design": design,
        "n_required": n_per_arm_for_power(**design),
        "n_enriched": n_per_arm_for_power(**{**design, "subset_fraction": 1.0}),
        "fm0001": normal_approx_power(FM0001_PER_ARM, **design),
        "detectable": detectable_effect_points(FM0001_PER_ARM, sd_points=chosen["sd_points"],
                                               subset_fraction=chosen["subset_fraction"]),
        "your": virtual_trial(chosen["n_per_arm"], **design, n_trials=YOUR_TRIALS, seed=0,
                              placebo_responder_rate=chosen["placebo_responder_pct"] / 100),
    }


def _plain(html_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


def _assert_true_to_the_model(app) -> None:
    """Every sentence of the summary and description, and every trace, matches the model."""
    expected = _expected(app)
    summary = _plain(app.summary.value)
    chosen = app.settings()
    effect = expected["effect"]
    assert app.message.value == ""
    if chosen["treatment"] == IDEAL:
        assert f"would be all of it, {effect:.2f} points (an assumption" in summary
    else:
        assert (f"If the hypothesis were true: {chosen['treatment']} lowers the modelled "
                f"autoantibody by {100 * expected['lowering']:.0f}% on average over days 77–84 "
                "(assumed window; model)") in summary
        assert (f"= {effect:.2f} points in antibody-positive patients (an assumption, not a "
                "prediction)") in summary
        assert (f"Key assumption of this regimen: "
                f"{TREATMENTS[chosen['treatment']].key_assumption}") in summary
    share = f"{100 * chosen['subset_fraction']:.0f}%"
    if chosen["subset_fraction"] * effect == 0:
        assert expected["n_required"] is None
        assert f"With {share} antibody-positive patients and no effect in them" in summary
        assert "no trial size helps" in summary
        assert (f"about {100 * expected['your'].power:.0f}% of trials still come out "
                "significant") in summary
    elif expected["n_required"] is None:
        assert "no realistic trial (more than 10 million per arm)" in summary
    else:
        n = expected["n_required"]
        assert f"a {effect:.2f}-point effect in them" in summary
        assert f"about {n:,} per arm ({2 * n:,} patients) are needed for 80% power" in summary
    if effect == 0:
        assert "Testing for the antibody first would not help: there is no effect." in summary
    else:
        enriched = expected["n_enriched"]
        words = ("no realistic trial" if enriched is None
                 else f"about {enriched:,} per arm ({2 * enriched:,} patients)")
        assert f"enrolling only positive patients: {words}" in summary
        if enriched is not None and chosen["subset_fraction"] > 0:
            screened = 2 * enriched / chosen["subset_fraction"]
            assert (f"found by testing about {screened:,.0f} people when {share} are "
                    "positive") in summary
    assert (f"A parallel trial of FM0001's size (63 patients, 31 per arm) on a 0–10 "
            f"pain-intensity scale has {100 * expected['fm0001']:.0f}% power here (not "
            "FM0001's own power") in summary
    if expected["detectable"] is None:
        assert "could not reliably find even a 10-point effect" in summary
    else:
        assert f"at least {expected['detectable']:.1f} points" in summary
    your = expected["your"]
    assert app.state["your"] == your
    assert (f"Your trial, {chosen['n_per_arm']} per arm (1,000 simulated trials): significant "
            f"in {100 * your.power:.0f}%") in summary
    assert (f"{100 * your.responder_rate_placebo:.0f}% on placebo and "
            f"{100 * your.responder_rate_active:.0f}% on treatment") in summary
    # The figure shows the same numbers.
    formula = [normal_approx_power(int(n), **expected["design"]) for n in FORMULA_SIZES]
    np.testing.assert_allclose(app.figure.data[0].y, 100 * np.array(formula))
    assert list(app.figure.data[1].x) == CURVE_SIZES
    simulated = np.asarray(app.figure.data[1].y, dtype=float)
    assert np.isfinite(simulated).all() and (simulated >= 0).all() and (simulated <= 100).all()
    assert list(app.figure.data[3].x) == [FM0001_PER_ARM]
    assert app.figure.data[3].y[0] == pytest.approx(100 * expected["fm0001"])
    assert list(app.figure.data[4].x) == [chosen["n_per_arm"]]
    assert app.figure.data[4].y[0] == pytest.approx(100 * your.power)
    # The description states the crossings the curves really have.
    description = _plain(app.description.value)
    n = expected["n_required"]
    if n is not None and 10 <= n <= 2000:
        assert f"crosses 80% at about {n:,} per arm" in description
        assert normal_approx_power(n, **expected["design"]) >= 0.8
    assert f"power {100 * expected['fm0001']:.0f}%" in description


def _ends_and_middle(control) -> list:
    if isinstance(control.value, str) or hasattr(control, "options"):
        options = list(control.options)
        return [options[0], options[-1], options[len(options) // 2]]
    middle = control.min + (control.max - control.min) / 2
    if isinstance(control.value, int):
        middle = round(middle)
    return [control.min, control.max, middle]


def test_starts_at_the_data_defaults(app):
    inputs = load_table("trial_inputs").set_index("parameter")["value"]
    chosen = app.settings()
    assert chosen["subset_fraction"] == inputs["antibody_positive_fraction"]
    assert chosen["effect_if_all_removed_points"] == inputs["effect_if_all_removed_points"]
    assert chosen["sd_points"] == inputs["sd_change_points"]
    assert chosen["placebo_responder_pct"] == pytest.approx(100 * inputs["placebo_responder_rate"])
    assert chosen["treatment"] == next(iter(TREATMENTS))
    _assert_true_to_the_model(app)


@pytest.mark.parametrize("name", [*SLIDERS, "n_per_arm", "treatment"])
def test_every_control_at_its_ends_keeps_the_text_true(app, name):
    control = app.controls[name]
    summaries = []
    for value in _ends_and_middle(control):
        control.value = value
        _assert_true_to_the_model(app)
        summaries.append(app.summary.value)
    assert len(set(summaries)) == len(summaries), f"moving {name} left the summary unchanged"


def test_every_treatment_gives_its_own_effect(app):
    effects = set()
    for label in TREATMENTS:
        app.controls["treatment"].value = label
        _assert_true_to_the_model(app)
        effects.add(round(app.state["effect_points"], 6))
    assert len(effects) == len(TREATMENTS)


def test_no_effect_says_so_and_keeps_about_five_percent_positive(app):
    app.controls["effect_if_all_removed_points"].value = 0.0
    _assert_true_to_the_model(app)
    assert 0.02 < app.state["your"].power < 0.08
    assert "crosses 80%" not in app.description.value


def test_a_tiny_diluted_effect_is_beyond_any_realistic_trial(app):
    app.controls["treatment"].value = "Plasma exchange, 5 × 1 plasma volume in the first 10 days"
    app.controls["subset_fraction"].value = app.controls["subset_fraction"].min
    app.controls["effect_if_all_removed_points"].value = 0.25
    _assert_true_to_the_model(app)
    assert app.state["n_required"] is None or app.state["n_required"] > 2000
    assert "stays below 80% across the plot" in app.description.value or \
        "never reaches 80%" in app.description.value


def test_placebo_response_moves_responders_not_the_power_curve(app):
    app.controls["placebo_responder_pct"].value = app.controls["placebo_responder_pct"].min
    low_curve = np.array(app.figure.data[0].y)
    low = app.state["your"].responder_rate_placebo
    app.controls["placebo_responder_pct"].value = app.controls["placebo_responder_pct"].max
    np.testing.assert_array_equal(app.figure.data[0].y, low_curve)
    assert app.state["your"].responder_rate_placebo > low + 0.2


def test_enrichment_curve_lies_above_the_all_comers_curve(app):
    for fraction in (0.05, 0.35, 0.7):
        app.controls["subset_fraction"].value = fraction
        assert (np.array(app.figure.data[2].y) >= np.array(app.figure.data[0].y) - 1e-9).all()


def test_random_combinations_keep_the_text_true(app):
    rng = random.Random(5)
    for _ in range(8):
        with app.widget.hold_sync():
            for name in SLIDERS:
                control = app.controls[name]
                value = rng.uniform(control.min, control.max)
                control.value = round(value) if isinstance(control.value, int) else value
            app.controls["n_per_arm"].value = rng.choice(list(app.controls["n_per_arm"].options))
            app.controls["treatment"].value = rng.choice(list(TREATMENTS))
        _assert_true_to_the_model(app)


@pytest.mark.parametrize("name", [*SLIDERS, "n_per_arm", "treatment"])
def test_controls_driven_through_widget_messages_raise_nothing(app, name):
    """Drive each control as the browser does (a comm 'update' message), at both ends."""
    control = app.controls[name]
    if hasattr(control, "options"):
        states = [{"index": 0}, {"index": len(control.options) - 1}]
    else:
        states = [{"value": control.min}, {"value": control.max}]
    for state in states:
        control._handle_msg({"content": {"data": {"method": "update", "state": state,
                                                  "buffer_paths": []}}})
        _assert_true_to_the_model(app)


def test_data_table_on_request(app):
    assert app.table.layout.display == "none"
    app.table_toggle.value = True
    assert app.table.layout.display == "block"
    assert app.table.value.count("<tr>") == len(CURVE_SIZES) + 1
    assert "Patients per arm" in app.table.value and "Monte-Carlo SE" in app.table.value
    app.controls["sd_points"].value = 2.8
    last = round(100 * app.curve["power_formula"].iloc[-2], 1)
    assert f">{last:g}<" in app.table.value


def test_every_control_is_labelled(app):
    for control in app.controls.values():
        assert control.description.strip()


def test_a_control_change_sends_one_batched_update(app):
    assert_one_batched_update(app.figure, lambda: setattr(app.controls["sd_points"], "value",
                                                          2.0))


def test_a_new_view_starts_from_the_current_state(app):
    app.controls["subset_fraction"].value = 0.8
    np.testing.assert_allclose(synced_trace_y(app.figure, 0), app.figure.data[0].y)


def test_reset_returns_to_the_defaults(app):
    defaults = app.settings()
    app.controls["sd_points"].value = 1.8
    app.controls["treatment"].value = IDEAL
    app.reset()
    assert app.settings() == defaults


# ----------------------------------------------------------------- link, washout, exercises


def test_link_effects_cover_every_modelled_treatment():
    effects = trial_apps.link_effects(4.0)
    assert sorted(effects["treatment"]) == sorted(label for label in TREATMENTS if label != IDEAL)
    assert list(effects["panel"]) == sorted(effects["panel"], key=[trial_apps.SHORT_COURSE,
                                                                  trial_apps.THROUGH_TRIAL].index)
    assert ((effects["lowering_pct"] > 0) & (effects["lowering_pct"] < 100)).all()
    np.testing.assert_allclose(effects["effect_points"], effects["lowering_pct"] / 100 * 4.0)
    curves = trial_apps.link_curves(days=28.0)
    assert set(curves) == set(effects["treatment"])
    assert all(curve["day"].iloc[-1] == 28.0 for curve in curves.values())


def test_short_courses_wear_off_before_the_window_and_maintained_ones_do_not():
    lowering = trial_apps.link_effects().set_index("treatment")["lowering_pct"]
    assert lowering["Plasma exchange, 5 × 1 plasma volume in the first 10 days"] < 5
    assert lowering["Plasma exchange, 1 plasma volume weekly for 12 weeks"] > 30


def test_washout_text_matches_the_recovery_day():
    text = trial_apps.describe_washout()
    for label in trial_apps.WASHOUT_TREATMENTS:
        schedule = TREATMENTS[label].build()
        day = autoantibody_recovery_day(schedule, threshold_pct=90.0)
        assert f"{label}: {day - schedule.end_day:.0f} days" in text
    assert "back to 90% of baseline" in text


@pytest.mark.parametrize("name, answer", [("n-for-a-difference", 54.0),
                                          ("enrichment-ratio", 16.0)])
def test_exercises_check_the_computed_answer(name, answer):
    assert trial_apps.EXERCISES[name].answer() == answer
    checker = trial_apps.exercise(name)
    checker.answer.value = ""
    assert checker.check() is None
    checker.answer.value = f"{answer + 5:g}"
    assert checker.check() is False
    checker.answer.value = f"{answer:g}"
    assert checker.check() is True
    assert f"{answer:g}" not in checker.widget.children[0].value  # the question gives nothing away


# ----------------------------------------------------------------------- figures and tables


def test_evidence_pattern_figure_and_its_description():
    figure = trial_figures.evidence_pattern_figure()
    assert isinstance(figure, go.Figure)
    assert len({trace.marker.symbol for trace in figure.data}) == len(figure.data) == 3
    evidence = load_table("fibromyalgia_evidence")
    plotted = evidence[evidence["outcome"].isin(list(trial_figures.OUTCOME_MARKERS))]
    assert sum(len(trace.x) for trace in figure.data) == len(plotted)
    description = trial_figures.describe_evidence_pattern()
    controlled = plotted[plotted["controlled"]]
    positive = controlled[controlled["outcome"] == "better_than_placebo"]["n_patients"].max()
    larger = controlled[controlled["n_patients"] > positive]
    assert (larger["outcome"] == "no_better_than_placebo").all()
    assert f"Every placebo-controlled study larger than {int(positive)} patients" in description
    assert "none of the placebo-controlled studies is in fibromyalgia" in description
    assert (controlled["condition"] != "fibromyalgia").all()
    # Uncontrolled studies above the dotted line, controlled ones below it.
    order = list(figure.layout.yaxis.categoryarray)
    uncontrolled = plotted[~plotted["controlled"]]
    assert len(order) == len(plotted)
    assert all(str(study) in " ".join(order[:len(uncontrolled)])
               for study in uncontrolled["study"])
    assert figure.layout.shapes[0].y0 == len(uncontrolled) - 0.5
    assert f"only a {int(positive)}-patient pilot was" in figure.layout.title.text
    table = trial_figures.evidence_pattern_table()
    assert table.table.html.count("<tr>") == len(plotted) + 1
    assert "Placebo-controlled" in table.table.html and "Status" in table.table.html


def test_blog_claims_table_quotes_exact_words_and_marks_paraphrases():
    claims = load_table("blog_claims")
    view = trial_figures.blog_claims_view()
    html_table = view.table.html
    assert html_table.count("<tr>") == len(claims) + 1
    assert "What the evidence says" not in html_table  # the long text is folded below
    assert view.sources.html.count("<tr>") == len(claims) + 1
    for row in claims.itertuples():
        if row.wording == "exact":
            assert f"“{row.claim}”".replace("&", "&amp;").replace("'", "&#x27;") \
                .replace('"', "&quot;") in html_table
    assert html_table.count("paraphrase; the exact words were not checked") == \
        int((claims["wording"] == "paraphrase").sum())
    counts = trial_figures.verdict_counts()
    counted = claims[claims["same_as"].isna() & (claims["verdict"] != "not_verified")]
    assert sum(counts.values()) == len(counted) == len(claims) - 2
    assert trial_figures.describe_verdicts().startswith(
        f"The post makes {len(counted)} distinct factual claims checked here")


def test_blog_table_has_the_issue_s_claims():
    claims = " ".join(load_table("blog_claims")["claim"])
    for fragment in ("some patients", "blood wash", "targets", "the mice recovered",
                     "by as much as 80–90%", "no published clinical trials or case studies",
                     "experts are calling for trials"):
        assert fragment in claims


def test_fm0001_and_evidence_views():
    evidence = load_table("fibromyalgia_evidence")
    view = trial_figures.fm0001_view()
    fm0001 = view.table.html
    assert fm0001.count("<tr>") == int((evidence["group"] == "fm0001").sum()) + 1
    assert "No results found as of November 2026" in fm0001
    assert "Listed as completed by a registry mirror (MedPath)" in fm0001
    assert "Reported by a secondary source" in fm0001
    assert "Literature and registry search" in fm0001
    assert "further development" not in view.html  # the unconfirmed report is not a row
    assert view.html.count("<details>") == 1 and "ClinicalTrials.gov" in view.sources.html
    ivig = trial_figures.evidence_view(["ivig_fm"], "IVIG")
    assert ivig.table.html.count("<tr>") == int((evidence["group"] == "ivig_fm").sum()) + 1
    assert ivig.sources.html.count("<tr>") == ivig.table.html.count("<tr>")


def test_inputs_view_and_placebo_description():
    view = trial_figures.inputs_view()
    assert view.table.html.count("<tr>") == len(trial_figures.INPUT_LABELS) + 1
    assert "Source" not in view.table.html and "1.276 is the standard normal value" in \
        view.sources.html
    assert "derived (the arithmetic is under the table)" in view.table.html
    assert "30.8% of placebo patients" in trial_figures.describe_placebo()
    assert "-0.85 points" in trial_figures.describe_placebo()
    assert "it cancels in their difference" in trial_figures.describe_placebo()


@pytest.mark.parametrize("n_required, words", [
    (None, "never reaches 80%"), (5000, "stays below 80% across the plot"),
    (5, "is above 80% across the plot"), (150, "crosses 80% at about 150 per arm")])
def test_power_description_covers_every_case(n_required, words):
    text = trial_figures.describe_power(n_required=n_required, n_enriched=20,
                                        fm0001_power=0.3, your_n=100, your_power=0.5)
    assert words in text


def test_describe_trial_matches_the_result():
    result = virtual_trial(21, effect_points=2.0)
    text = trial_figures.describe_trial(result)
    assert f"{100 * result.power:.1f}% came out significant" in text
    formula = normal_approx_power(21, effect_points=2.0)
    assert f"the formula gives {100 * formula:.1f}%" in text
    assert "with no effect:" in trial_figures.describe_trial(virtual_trial(21, effect_points=0))
    small = virtual_trial(13, effect_points=0.5)
    share = (small.difference_points >= 1.5).mean()
    assert f"{100 * share:.1f}% of trials showed 1.5 points or more" in \
        trial_figures.describe_small_trials(small, 1.5)


def test_every_kinetics_treatment_builder_is_offered():
    for name in ("tpe_course", "fcrn_blocker_course", "ivig_course", "immunoadsorption_course",
                 "rituximab_course"):
        assert callable(getattr(kinetics, name))
    assert sum(option.build is None for option in TREATMENTS.values()) == 1


# ------------------------------------------------------- statuses, sources and the tally


def test_placebo_controlled_column_says_what_each_study_compared():
    evidence = load_table("fibromyalgia_evidence").set_index("id")
    evidence = evidence.reset_index()
    words = dict(zip(evidence["id"], evidence.apply(trial_figures.placebo_controlled, axis=1),
                     strict=True))
    assert words["E19"] == "yes" and words["E11"] == "no"
    for cohort in ("E22", "E23", "E24"):  # compared with healthy people: not a trial
        assert words[cohort] == "no: compared with healthy controls (not a trial)"
    for search in ("E14", "E15", "E16", "E26"):  # nothing was found, so nothing to describe
        assert words[search] == "–"


def test_students_see_dois_and_no_unofficial_copies():
    for name in ("fibromyalgia_evidence", "blog_claims", "trial_inputs"):
        table = load_table(name)
        for source, url in zip(table["source"], table["url"], strict=True):
            shown = trial_figures.shown_source(source, url, name)
            for host in trial_figures.UNOFFICIAL_COPY_HOSTS:
                assert host not in shown, (name, source)
            if isinstance(url, str) and url.split("/")[2].endswith(
                    trial_figures.UNOFFICIAL_COPY_HOSTS):
                assert f"data/{name}.csv" in shown
            doi = re.search(r"doi:(10\.\S+)", source)
            if doi:
                assert f"https://doi.org/{doi.group(1).rstrip('.')}" in shown
    vollmer = load_table("fibromyalgia_evidence").set_index("id").loc["E21"]
    shown = trial_figures.shown_source(vollmer["source"], vollmer["url"], "fibromyalgia_evidence")
    assert "https://doi.org/10.1016/s0002-9343(97)90045-0" in shown


def test_status_words_for_searches_secondary_sources_and_derivations():
    evidence = load_table("fibromyalgia_evidence").set_index("id")
    assert trial_figures.shown_as(evidence.loc["E15"]).startswith("Literature and registry search")
    assert trial_figures.shown_as(evidence.loc["E26"]).startswith("Derived from checked sources")
    assert trial_figures.shown_as(evidence.loc["E25"]).startswith("Reported by a secondary")
    assert trial_figures.shown_as(evidence.loc["E19"]) == "Checked in the source"


def test_verdict_tally_counts_a_repeat_once_and_leaves_out_what_could_not_be_read():
    text = trial_figures.describe_verdicts()
    assert "B12 repeats B08 and is counted once" in text
    assert "B14 could not be verified in the stored copy of the post and is not counted" in text
    assert "0 unsupported" not in text and "unsupported" not in text  # no empty categories
    claims = load_table("blog_claims")
    wrong = claims[(claims["verdict"] == "wrong") & claims["same_as"].isna()]
    assert trial_figures.verdict_counts()["wrong"] == len(wrong) == 2


def test_tables_with_sources_fold_the_sources_under_the_table():
    view = trial_figures.evidence_view(["anti_sgc"], "Cohorts")
    assert view.html.startswith(view.table.html)
    assert view.html.endswith(f"{view.sources.html}</details>")
    bundle = view._repr_mimebundle_()
    assert bundle["text/plain"] == "Cohorts (5 rows; sources folded under the table)"


# ----------------------------------------------------------------- the link, regimen by regimen


def test_link_figure_has_a_panel_for_short_courses_and_one_for_maintained_treatments():
    panels = trial_apps.link_panels(days=28.0)
    assert list(panels) == [trial_apps.SHORT_COURSE, trial_apps.THROUGH_TRIAL]
    figure = trial_figures.link_figure(panels, (21.0, 28.0))
    assert len(figure.data) == len(TREATMENTS) - 1
    by_axis = {}
    for trace in figure.data:
        by_axis.setdefault(trace.xaxis, []).append(trace.name)
    assert by_axis == {"x": list(panels[trial_apps.SHORT_COURSE]),
                       "x2": list(panels[trial_apps.THROUGH_TRIAL])}
    assert all(TREATMENTS[label].panel == trial_apps.SHORT_COURSE for label in by_axis["x"])
    assert len({(trace.line.color, trace.line.dash) for trace in figure.data}) == len(figure.data)
    assert len(figure.layout.shapes) == 2  # the window, shaded in each panel


def test_every_regimen_states_its_key_assumption_in_the_link_table():
    effects = trial_apps.link_effects()
    table = trial_figures.link_view(effects).html
    assert "Treatment (illustrative regimen, not a dose)" in table
    for label in effects["treatment"]:
        assumption = TREATMENTS[label].key_assumption
        assert len(assumption) > 30
        assert html.escape(assumption) in table
    assert "short-lived cells" in TREATMENTS["Rituximab from day 0"].key_assumption
    assert "extrapolated" in TREATMENTS[next(iter(TREATMENTS))].key_assumption


def test_the_explorer_says_the_model_has_no_harms_and_regimens_are_illustrative(app):
    assert "no side effects, burdens or risks" in trial_apps.NOTICE
    headers = [child.value for child in _all_widgets(app.widget)
               if isinstance(child, widgets.HTML)]
    assert any("illustrative regimens, not doses" in header for header in headers)
    assert app.controls["treatment"].description == "Illustrative regimen"


def _all_widgets(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _all_widgets(child)


def test_placebo_slider_shows_the_published_rate_to_one_decimal(app):
    control = app.controls["placebo_responder_pct"]
    assert control.value == 30.8 and control.readout_format == ".1f"
    control.value = 30.9
    assert app.state["placebo_rate"] == pytest.approx(0.309)


# ------------------------------------------------------------------- exercise hints


def test_sample_size_exercise_has_a_hint_for_each_foreseen_mistake():
    item = trial_apps.EXERCISES["n-for-a-difference"]
    checker = trial_apps.exercise("n-for-a-difference")
    answer = item.answer()
    assert answer == n_per_arm_for_power(trial_apps.EXERCISE_DIFFERENCE_POINTS, critical="z")
    assert answer == np.ceil(trial_apps.textbook_n_per_arm(trial_apps.EXERCISE_DIFFERENCE_POINTS))
    assert answer not in checker.common_mistakes
    for typed, words in ((answer - 1, "Round up"), (2 * answer, "both arms together"),
                         (n_per_arm_for_power(1.0, critical="z"), "1-point difference"),
                         (answer + 1, "t test"), (27, "starts with 2 ×"),
                         (24, "Square the SD"), (67, "Square the difference")):
        checker.answer.value = f"{typed:g}"
        assert checker.check() is False
        assert words in checker.feedback.value, (typed, checker.feedback.value)
    checker.answer.value = "53.1"
    checker.check()
    assert "Round up" in checker.feedback.value
    assert f"{answer:g} per arm" in item.explanation and "arm averages" in item.explanation


def test_enrichment_exercise_hints_for_a_missing_square_and_for_a_sample_size():
    checker = trial_apps.exercise("enrichment-ratio")
    for typed, words in (("4", "grows with the square"), ("357", "ratio of the two"),
                         ("0.0625", "take the inverse")):
        checker.answer.value = typed
        assert checker.check() is False
        assert words in checker.feedback.value
