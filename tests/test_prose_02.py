"""Notebook 02 (passive transfer): every number its markdown takes from the model or data/.

Each sentence is rebuilt from a value recomputed from its source (the mouse model, the tables
in ``data/``, the validation table) and looked up in the notebook's markdown, so a number
edited by hand, or a change in the model or the data that the text does not follow, fails
here. Retired wrong claims are guarded with ``assert_not_says``.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from pathlib import Path

import pytest
from prose import NOTEBOOKS, NotebookProse

from helpers.apps.transfer import passive_transfer_explorer
from helpers.data import load_table
from helpers.figures.transfer import known_time_course
from helpers.kinetics import treatment_value
from helpers.model_validation import validation_table
from helpers.mouse import (
    compare_half_lives,
    dose_in_context,
    simulate_passive_transfer,
    summarize_transfer,
)

NAME = "02_passive_transfer"
ROOT = Path(__file__).resolve().parents[1]
ORDINAL = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}


@pytest.fixture(scope="module")
def text():
    return NotebookProse(NAME)


@pytest.fixture(scope="module")
def parameters():
    return load_table("mouse_model_parameters").set_index("parameter")


@pytest.fixture(scope="module")
def timeline():
    return known_time_course(load_table("mouse_study_design"))


@pytest.fixture(scope="module")
def donors():
    """Patients, controls and cold-positive patients, read from the results table."""
    results = load_table("mouse_study_results").set_index("id")
    patients = int(re.search(r"IgG from (\d+) individual patients", results.loc["R1", "group"])[1])
    controls = int(re.search(r"IgG from (\d+) individual healthy", results.loc["R2", "group"])[1])
    cold = re.search(r"from (\d+) of the (\d+) patients", results.loc["R3", "result"])
    assert f"each of the {patients} patients" in results.loc["R1", "result"]
    assert int(cold[2]) == patients
    return {"patients": patients, "controls": controls, "cold": int(cold[1])}


@pytest.fixture(scope="module")
def compared():
    return compare_half_lives().set_index("half_life_days")


# ------------------------------------------------------------------ design and dose (section 2)


def test_donors_and_dosing(text, parameters, donors):
    text.assert_says("IgG was purified from the blood of {} individual patients with "
                     "fibromyalgia syndrome (FMS) and {} individual healthy controls",
                     donors["patients"], donors["controls"])
    text.assert_says("received {:g} mg of IgG per day intraperitoneally (into the abdominal "
                     "cavity) on {} consecutive days", parameters.loc["dose_mg", "value"],
                     int(parameters.loc["n_doses", "value"]))
    assert parameters.loc["interval_days", "value"] == 1  # "consecutive days"


def test_timeline_reading_follows_the_design_table(text, timeline):
    onset_hours = (24 * timeline["onset_from"], 24 * timeline["onset_to"])
    week = timeline["present_to"] - timeline["onset_from"]
    assert week == 7 and timeline["at_least_to"] - timeline["onset_to"] == 7
    text.assert_says("the paper says the hypersensitivity was typically established within "
                     "{:g}–{:g} hours of the first injection", *onset_hours)
    text.assert_says("counted from an onset on day {:g} or day {:g}, the effect was present "
                     "until at least day {:g} (onset on day {:g} plus {:g} days) or day {:g} "
                     "(onset on day {:g}). An earlier onset would move this lower bound earlier",
                     timeline["onset_from"], timeline["onset_to"], timeline["present_to"],
                     timeline["onset_from"], week, timeline["at_least_to"],
                     timeline["onset_to"])
    text.assert_says("(the injections of day 0 and day {:g}, perhaps day {:g})",
                     timeline["onset_from"], timeline["onset_to"])
    text.assert_says("maintained for more than 1 week and plots {:g} days", timeline["plotted_to"])


def test_the_timeline_is_described_once_and_its_answer_is_folded():
    """One full description (the checked figure description); the Think-first answer is hidden."""
    reading = _markdown("timeline-reading")
    assert reading.lstrip().startswith("<details>")
    assert "How to read the timeline" not in reading
    design = _markdown("design")
    assert "Think first" in design and "was the day on which it ended reported?" in design
    assert "On which day did the hypersensitivity end" not in design


def test_dose_in_context_numbers(text, parameters):
    context = dose_in_context().set_index("quantity")["value"]
    text.assert_says("Per kilogram, the mice received {:.1f}–{:.1f} g/kg over {} days (derived; "
                     "the body mass is assumed)",
                     context["Dose per kg over the course (25 g mouse)"],
                     context["Dose per kg over the course (20 g mouse)"],
                     int(parameters.loc["n_doses", "value"]))
    ivig = treatment_value("ivig", "any", "standard_dose_g_per_kg")
    ivig_days = treatment_value("ivig", "any", "standard_infusion_days")
    assert context["High-dose IVIG course in people, for comparison"] == ivig
    text.assert_says("in people ({:g} g/kg, for example {:g} g/kg a day for {:g} days)", ivig,
                     ivig / ivig_days, ivig_days)
    # "close to": the mouse course is within a factor of two of the human course.
    assert 0.5 < context["Dose per kg over the course (25 g mouse)"] / ivig < 1
    text.assert_says("Each mouse received the IgG of about {:.1f} mL of human serum, while a "
                     "{:g} g mouse has only about {:g} mL of plasma",
                     context["Human serum holding the whole course's IgG"],
                     parameters.loc["body_mass_g", "value"],
                     context["Plasma volume of a 25 g mouse"])
    peak = summarize_transfer(simulate_passive_transfer()).peak_mg_per_ml
    human = context["Normal IgG level of adult human serum"]
    assert 0.5 < peak / human < 1  # "more than half"
    text.assert_says("human IgG in the mouse's serum peaks at about {:.1f} mg/mL (an "
                     "illustrative height), more than half the normal IgG level of human blood "
                     "({:g} mg/mL)", peak, human)


def test_the_dose_exercise_comes_before_the_table_that_answers_it():
    ids = [cell["id"] for cell in _cells()]
    assert ids.index("exercise-course-per-kg") < ids.index("dose-in-context")
    assert "Work it out before you look at the table" in _markdown("timeline-reading")


# ------------------------------------------------------------------ results (section 3)


def test_results_in_words(text, donors):
    text.assert_says("IgG from every one of the {} patients made mice more sensitive to paw "
                     "pressure, and IgG from {} of the {} increased sensitivity to cold; IgG "
                     "from none of the {} controls did", donors["patients"], donors["cold"],
                     donors["patients"], donors["controls"])
    text.assert_says("The main individual-donor experiment used IgG from {} patients and {} "
                     "controls", donors["patients"], donors["controls"])
    text.assert_says("Eight donors were tested, selected for high severity (as reported by the "
                     "first author's blog)")
    text.assert_says("Supported, for IgG from the {} tested patients (mechanical: {} of {}; "
                     "cold: {} of {})", donors["patients"], donors["patients"],
                     donors["patients"], donors["cold"], donors["patients"])


# ------------------------------------------------------------------ the model (section 4)


def test_half_life_and_uptake_parameters(text, parameters):
    half_life = parameters.loc["half_life_days"]
    top = re.search(r"(\d+)-(\d+) d in the bovine-FcRn", half_life["note"])
    assert float(top[2]) == half_life["range_max"]
    assert "another study" in half_life["status_shown"]
    assert "Not measured in the 2021 study's mice" in half_life["note"]
    text.assert_says("comes from another study, in its control mice of an ordinary (*wild-type*, "
                     "not genetically altered) background: {:g} days", half_life["value"])
    text.assert_says("it lasted {}–{} days", top[1], top[2])
    assert "saturate mouse FcRn" in half_life["note"] and "qualitative" in half_life["note"]
    text.assert_says("so its curve is qualitative: a guide to the time scale, not a measurement")
    text.assert_says("broken down steadily, half of what is left every {:g} days",
                     half_life["value"])
    text.assert_says("each injection adds {:g} mg to", parameters.loc["dose_mg", "value"])
    uptake = parameters.loc["absorption_half_life_hours"]
    k_a = math.log(2) / uptake["value"]
    assert 1 - math.exp(-10 * k_a) >= 0.9  # "90% is absorbed within 10 hours"
    text.assert_says("ln 2 / {:g} per hour = {:.2f} hours, chosen so that 90% is absorbed "
                     "within 10 hours", round(k_a, 2), uptake["value"])


def test_distribution_volume_reasoning_follows_the_data(text, parameters):
    volume = parameters.loc["distribution_volume_ml"]
    multiple = float(re.match(r"(\d+) x the plasma volume", volume["source"])[1])
    rat = float(re.search(r"about (\d+) x plasma volume", volume["source"])[1])
    plasma_ml = parameters.loc["plasma_volume_ml_per_kg", "value"] * \
        parameters.loc["body_mass_g", "value"] / 1000
    assert volume["value"] == pytest.approx(multiple * plasma_ml)
    text.assert_says("Why is the volume {:g} times the mouse's plasma volume, when rats give {:g} "
                     "times?", multiple, rat)
    text.assert_says("The course takes {:g} times a {:g} g mouse's plasma volume ({:g} mL)",
                     multiple, parameters.loc["body_mass_g", "value"], volume["value"])
    # "with twice the volume, the peak would be half as high": the model is linear in 1/V_d.
    low = simulate_passive_transfer(distribution_volume_ml=volume["range_min"])
    high = simulate_passive_transfer(distribution_volume_ml=2 * volume["range_min"])
    assert high["serum_human_igg_mg_per_ml"].max() == pytest.approx(
        low["serum_human_igg_mg_per_ml"].max() / 2)


def test_validation_sentences_follow_the_validation_table(text):
    checks = validation_table()
    mouse = checks[checks["model_scope"] == "mouse"].set_index("id")
    assert list(mouse.index) == ["V19", "V20"]  # "two published values"
    text.assert_says("The model is set beside two published values, and neither is an "
                     "independent test")
    # True only while both hold by construction in the validation table.
    assert set(mouse["comparison_kind"]) == {"by_construction"}
    v19, v20 = mouse.loc["V19"], mouse.loc["V20"]
    assert v19["model_value"] == pytest.approx(float(v19["published_value"].split()[0]))
    text.assert_says("Its default half-life *is* the published {:g} days, so it agrees by "
                     "construction", v19["model_value"])
    published = float(re.search(r"time to peak ([\d.]+) h", v20["published_value"])[1])
    text.assert_says("whose time to peak, {:g} hours, is set beside the model's {:.1f} hours "
                     "(accepted range {:g}–{:g} hours, a range the course chose)", published,
                     v20["model_value"], v20["tolerance_low"], v20["tolerance_high"])
    assert v20["within_tolerance"] and v19["within_tolerance"]


def _stays_below_from(result, level: float) -> float:
    """First day from which the serum level stays below ``level`` to the end."""
    day = result["day"].to_numpy()
    above = day[result["serum_human_igg_mg_per_ml"].to_numpy() >= level]
    return float(day[day > above.max()][0])


def test_questions_to_explore_use_the_explorers_ranges(text, parameters):
    explorer = passive_transfer_explorer()
    text.assert_says("Set the half-life to {:g} days (the FcRn-engineered mice) and *Days "
                     "shown* to 40", explorer.controls["half_life_days"].max)
    assert explorer.controls["days"].max >= 40
    text.assert_says("Change the uptake half-time from {:.2f} to {:g} hours",
                     parameters.loc["absorption_half_life_hours", "value"],
                     explorer.controls["absorption_half_life_hours"].max)
    regimen = parameters.loc["dose_mg", "value"] * parameters.loc["n_doses", "value"]
    text.assert_says("By day {}, how much of the {:g} mg has been eliminated, and how much never "
                     "reached the blood?", explorer.controls["days"].value, regimen)
    explorer.table_toggle.value = True
    assert "Never reached the blood (mg)" in explorer.table.value  # Q4 is answerable
    assert "Eliminated so far (mg)" in explorer.table.value
    text.assert_says("Keep four injections of {:g} mg but space them {:g} days apart",
                     parameters.loc["dose_mg", "value"], explorer.controls["interval_days"].max)
    peak = summarize_transfer(simulate_passive_transfer()).peak_mg_per_ml
    text.assert_says("from which day on does each schedule stay below {:.2f} mg/mL, a tenth of "
                     "the study regimen's peak?", 0.1 * peak)


def test_notes_on_the_questions(text, parameters, compared):
    _lowest, measured, high = compared.index
    text.assert_says("With a {:g}-day half-life the level falls below a tenth of its peak about "
                     "{:.0f} days after the last injection; with {:g} days it takes about {:.0f} "
                     "days", measured, compared.loc[measured, "below_tenth_after_last_days"], high,
                     compared.loc[high, "below_tenth_after_last_days"])
    daily_result = simulate_passive_transfer(days=40)
    weekly_result = simulate_passive_transfer(
        interval_days=parameters.loc["interval_days", "range_max"], days=40)
    daily, weekly = summarize_transfer(daily_result), summarize_transfer(weekly_result)
    text.assert_says("Weekly injections give a lower peak ({:.1f} mg/mL against {:.1f} mg/mL in "
                     "the model)", weekly.peak_mg_per_ml, daily.peak_mg_per_ml)
    level = 0.1 * daily.peak_mg_per_ml
    text.assert_says("the weekly schedule stays below {:.2f} mg/mL only from day {:.1f} on (it "
                     "also dips below it before each later injection), against day {:.1f} for "
                     "daily injections", level, _stays_below_from(weekly_result, level),
                     _stays_below_from(daily_result, level))
    # The dips are real: just before the second weekly injection the level is below the mark.
    before_second = weekly_result[weekly_result["day"] < 7.0]
    assert before_second["serum_human_igg_mg_per_ml"].iloc[-1] < level
    slow_uptake = parameters.loc["absorption_half_life_hours", "range_max"]
    slow = summarize_transfer(simulate_passive_transfer(absorption_half_life_hours=slow_uptake))
    text.assert_says("with a {:g}-hour uptake half-time the level falls below a tenth of its "
                     "peak on day {:.1f} instead of day {:.1f}", slow_uptake,
                     slow.below_tenth_day, daily.below_tenth_day)
    end = simulate_passive_transfer(days=21).iloc[-1]
    loss = 1 - parameters.loc["bioavailability", "value"]
    assert end["not_absorbed_mg"] == pytest.approx(loss * end["injected_mg"])
    text.assert_says("About {:.0f} mg has been broken down and about {:.0f} mg never reached the "
                     "blood (the assumed {:.0f}% loss)", end["eliminated_mg"],
                     end["not_absorbed_mg"], 100 * loss)
    assert end["body_human_igg_mg"] + end["depot_mg"] < 1  # "a fraction of a milligram remains"


def test_what_to_notice_after_the_half_life_table(text, parameters, compared):
    measured = parameters.loc["half_life_days", "value"]
    row = compared.loc[measured]
    text.assert_says("With the published half-life of {:g} days, the modelled human IgG peaks "
                     "about {:.0f} hours after the {} injection, and about {:.0f}% of the peak "
                     "is left 10 days later", measured, row["peak_hours_after_last"],
                     ORDINAL[int(parameters.loc["n_doses", "value"])], row["left_pct"])
    text.assert_says("the arithmetic 0.5<sup>10/{:g}</sup> ≈ {:.2f} gives nearly the same answer",
                     measured, 0.5 ** (10 / measured))
    assert abs(0.5 ** (10 / measured) - row["left_pct"] / 100) < 0.02  # "nearly the same"


# ------------------------------------------------------------------ subset (section 6), trial


def test_subset_numbers_follow_the_evidence_table(text):
    evidence = load_table("fibromyalgia_evidence").set_index("id")
    replication = evidence.loc["E24"]
    controls = int(re.search(r"vs (\d+) controls", replication["finding"])[1])
    overlap = re.search(r"(\d+) of the patients and (\d+) of the controls were also in the "
                        r"earlier", replication["finding"])
    assert "conference abstract" in replication["design"]
    text.assert_says("in a conference abstract, in {} patients and {} controls, of whom {} "
                     "patients and {} controls had been in the earlier sample",
                     int(replication["n_patients"]), controls, int(overlap[1]), int(overlap[2]))
    share = int(re.search(r"More than (\d+)%", evidence.loc["E25", "finding"])[1])
    text.assert_says("found that more than {}% of patients had autoantibodies", share)
    text.assert_says('the "more than {}%" of the Würzburg study comes from a different test',
                     share)
    assert evidence.loc["E25", "source_kind"] == "secondary"
    text.assert_says("as reported by university press releases (Seefried et al., *Pain* 2025)")


def test_prerequisite_pain_change(text):
    mcid = load_table("trial_inputs").set_index("parameter").loc["mcid_points"]
    percent = int(re.search(r"or about (\d+)%\)", mcid["note"])[1])
    assert "Farrar" in mcid["source"]
    text.assert_says('A clinically important fall in pain: about {:g} points out of 10 (or {}%), '
                     'the change that matched patients rating themselves "much" or "very much" '
                     'improved (Farrar 2001); it describes one person\'s change',
                     mcid["value"], percent)
    text.assert_not_says("the smallest change patients rate as important")
    text.assert_not_says("smallest change")


def test_trial_size(text):
    enrolled = load_table("trial_inputs").set_index("parameter").loc["fm0001_enrolled", "value"]
    text.assert_says("enrolled {:.0f} people with severe fibromyalgia (NCT05643794)", enrolled)


# ------------------------------------------------------------------ summary and self-check


def test_summary_numbers(text, parameters, timeline, donors, compared):
    measured = parameters.loc["half_life_days", "value"]
    text.assert_says("IgG from each of {} patients with high symptom severity (as reported by the "
                     "first author's blog) made female mice more sensitive to pressure (and {} of "
                     "{} to cold); IgG from {} controls", donors["patients"], donors["cold"],
                     donors["patients"], donors["controls"])
    text.assert_says("The effect was typically established within {:g}–{:g} hours and lasted "
                     "more than a week: counted from an onset on day {:g}–{:g}, until at least "
                     "day {:g}–{:g}", 24 * timeline["onset_from"], 24 * timeline["onset_to"],
                     timeline["onset_from"], timeline["onset_to"], timeline["present_to"],
                     timeline["at_least_to"])
    text.assert_says("With the published {:g}-day half-life (from another study's mice), the "
                     "model leaves about {:.0f}% of the peak 10 days after the last injection",
                     measured, compared.loc[measured, "left_pct"])


def test_self_check_answers(text, parameters, timeline, compared):
    measured, high = parameters.loc["half_life_days", ["value", "range_max"]]
    text.assert_says("Until at least day {:g} or {:g} (an onset on day {:g}–{:g} plus more than "
                     "{:g} days; an earlier onset would move this bound earlier)",
                     timeline["present_to"], timeline["at_least_to"], timeline["onset_from"],
                     timeline["onset_to"], timeline["present_to"] - timeline["onset_from"])
    text.assert_says("The day it ended is not known: the paper's time courses stop at day {:g}",
                     timeline["plotted_to"])
    text.assert_says("Counted from an onset on day {:g}–{:g}, until at least which day was it "
                     "present, and is the day it ended known?", timeline["onset_from"],
                     timeline["onset_to"])
    text.assert_says("About {:.0f}% with {:g} days, and about {:.0f}% with {:g} days",
                     compared.loc[measured, "left_pct"], measured, compared.loc[high, "left_pct"],
                     high)
    text.assert_says("with the published half-life of {:g} days, and with a half-life of {:g} "
                     "days?", measured, high)


def _cells() -> list[dict]:
    return json.loads((NOTEBOOKS / f"{NAME}.ipynb").read_text(encoding="utf-8"))["cells"]


def _markdown(cell_id: str) -> str:
    return "".join(next(c for c in _cells() if c["id"] == cell_id)["source"])


def test_closing_self_check_hides_its_answers_and_comes_after_the_summary():
    headings = [line for cell in _cells() if cell["cell_type"] == "markdown"
                for line in "".join(cell["source"]).splitlines() if line.startswith("## ")]
    assert headings[-5:] == ["## Summary", "## What's next?", "## Self-check", "## References",
                             "## Appendix: the model's parameters and equations"]
    self_check = _markdown("self-check")
    questions, answers = self_check.split("<details>")
    assert len(re.findall(r"^\d\. ", questions, re.MULTILINE)) == len(
        re.findall(r"^\d\. ", answers, re.MULTILINE)) == 6
    assert "</details>" in answers
    for cell in _cells():
        source = "".join(cell["source"])
        assert source.count("<details>") == source.count("</details>")


# ------------------------------------------------------------------ quotes, labels, retired claims


def test_the_blog_is_quoted_exactly_and_without_unsourced_adjectives(text):
    claims = load_table("blog_claims").set_index("id")
    removed = claims.loc["B08"]
    assert removed["wording"] == "exact" and removed["notebook"] == NAME
    text.assert_says('says: "{}"', removed["claim"])
    text.assert_says('Rewrite the blog\'s sentence "{}" so that it is accurate',
                     removed["claim"].rstrip("."))
    for unsourced in ["widely shared", "popular", "widely read"]:
        text.assert_not_says(unsourced)
    if re.search(r"80\s*[–-]\s*90", text.text):  # the blog's removal claim, if ever quoted
        assert claims.loc["B10", "claim"] in text.text
    text.assert_not_says("80-90%")


def test_secondary_sources_are_named_as_reporters(text):
    for sentence in [
        "The UK patients had high symptom severity, as reported by the first author's blog",
        "News summaries (the ME Association and others) report totals of 44 patients and 39 "
        "controls. The course's reading is that these count every experiment",
        "group sizes of roughly 6–12 mice, as reported by a lay summary of the study",
        "The University of Liverpool's press release reports that the mice recovered after",
        "as reported by the press release, had gone after a few weeks",
        "as reported by a pathology board-review page",
        "as reported by university press releases (Seefried et al., *Pain* 2025)",
    ]:
        text.assert_says(sentence)
    text.assert_not_says("The press reported")
    text.assert_not_says("Press summaries add")


def test_retired_claims_stay_retired(text):
    """Wrong or overreaching sentences found by the reviews must not come back."""
    for retired in [
        "proven treatments",  # myasthenia: "established first-line", with its grading
        "the smallest change patients rate as important",
        "nobody measured",  # an absence in the checked sources, not a fact
        "the transfer has not been independently repeated",
        "Peer review made the claims more cautious",  # causal attribution
        "somewhere between day 1 and day 2",  # the paper gives an upper bound ("typically")
        "on which day did the hypersensitivity end",  # a trick question: no end was reported
        "Why the mice got better",
        "explain why the mice recovered",
        "the mice recovered as the human IgG was cleared",  # reads as proven causation
        "a planned notebook",
        "in preparation",
        "re-check before teaching",  # an instructor note
        "commentators on a patient forum",
        "known here only from a third-party summary",
        "measured half-life",  # the half-life is published, from another study's mice
        "(mouse and human)",  # cell types are confirmed for mouse DRG only
        "one day's dose is",  # a day's dose was set against a whole IVIG course
        "17.9 versus 22.1",  # CRPS rear counts: detail without use
    ]:
        text.assert_not_says(retired)
        assert retired.lower() not in text.text.lower(), retired  # in any capitalisation
    text.assert_says("The published wording is more cautious, a typical result of peer review")
    text.assert_says("no independent repeat of the transfer is documented in the sources checked")
    text.assert_says("the checked sources report no measurement of the mice's human IgG "
                     "alongside their behaviour")
    text.assert_says("an established first-line treatment for myasthenia: Category I in the "
                     "2013 guidelines of the American Society for Apheresis (ASFA)")
    text.assert_says("graded 1A for myasthenic crisis (a sudden, severe worsening) in a 2023 "
                     "review")
    text.assert_says("## 4. How fast would the injected IgG disappear?")
    text.assert_says("serum from long-standing CRPS did so in only 2 of 20 cases (Guo et al., "
                     "*Pain* 2020)")


def test_the_accurate_sentence_does_not_claim_that_clearance_caused_recovery(text):
    sentence = ("After the injections stopped, the mice recovered over a few weeks, roughly the "
                "time the injected human IgG would take to be cleared; nothing was removed")
    text.assert_says(sentence)
    assert text.text.count(sentence) == 2  # the discussion and self-check answer 6
    text.assert_says("That the timing matches does not show that clearance caused the recovery")


def test_later_notebooks_are_named_as_the_next_ones(text):
    for name in ["03_plasma_exchange", "04_alternatives", "05_evidence_and_trial"]:
        assert (NOTEBOOKS / f"{name}.ipynb").exists()
        text.assert_says("[`{0}`]({0}.ipynb)", name)


GLOSSARY_LINK = re.compile(r"\]\(00_start_here\.ipynb#([a-z-]+)\)")


def test_glossary_links_point_at_anchors_that_exist():
    start = json.loads((NOTEBOOKS / "00_start_here.ipynb").read_text(encoding="utf-8"))
    anchors = {anchor for cell in start["cells"] if cell["cell_type"] == "markdown"
               for anchor in re.findall(r'<a id="([a-z-]+)"></a>', "".join(cell["source"]))}
    links = {anchor for cell in _cells() if cell["cell_type"] == "markdown"
             for anchor in GLOSSARY_LINK.findall("".join(cell["source"]))}
    assert {"igg", "autoantibody", "passive-transfer", "drg", "half-life", "fcrn", "tpe",
            "ivig"} <= links
    assert links <= anchors, links - anchors


def test_terms_are_glossed_at_first_use(text):
    for gloss in [
        "American Society for Apheresis (ASFA)",
        "*polyclonal* human IgG (a natural mixture of many antibodies",
        "(*wild-type*, not genetically altered)",
        "*naive* sensory neurons (neurons not previously exposed to it)",
        "sensitisation, nerves responding more strongly to a stimulus",
        "rotating rod (a test of coordination)",
        "Skin–nerve recordings (*ex vivo*)",
        "Fibromyalgia Impact Questionnaire (FIQ",
        "IgG subclass (IgG comes in four subclasses",
        "IgM (another class of antibody)",
        "VAS, in the table, is a visual analogue scale",
        "a cytokine, that is an immune signalling protein",
        "The 2019 preprint (the version posted before peer review)",
    ]:
        text.assert_says(gloss)


def test_retired_timeline_claims_stay_retired(text):
    design = load_table("mouse_study_design")
    assert not (design["day_end"] == 7).any(), "no span may suggest the effect ended on day 7"
    assert design.loc[design["kind"] == "end_not_reported", "day_end"].isna().all()
    assert design.loc[design["kind"] == "recovery", ["day_start", "day_end"]].isna().all().all()
    text.assert_not_says("its end point is an illustration")


def test_press_rows_name_their_reporter():
    for table in ["mouse_study_design", "mouse_study_results"]:
        rows = load_table(table)
        press = rows[rows["reported_in"] == "press"]
        assert len(press) and press["reported_by"].notna().all(), table
        assert rows.loc[rows["reported_in"] != "press", "reported_by"].isna().all(), table


def test_first_cell_is_the_binder_badge_and_the_run_instruction():
    source = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    owner_repo = source["project"]["urls"]["Source"].removeprefix("https://github.com/")
    first = "".join(_cells()[0]["source"])
    assert first.startswith(
        "[![Launch this notebook on Binder](https://mybinder.org/badge_logo.svg)]"
        f"(https://mybinder.org/v2/gh/{owner_repo}/main?urlpath=lab/tree/notebooks/"
        f"{NAME}.ipynb)")
    assert "**Before you start:** run the whole notebook once (menu *Run → Run All Cells*)" in first


def test_code_cells_show_no_plumbing():
    for cell in _cells():
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        assert "print(f" not in source and "itertuples" not in source and "import numpy" \
            not in source, source
        assert len(source.splitlines()) <= 3, source
