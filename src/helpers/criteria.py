"""The ACR 2016 fibromyalgia diagnostic criteria (and the 2010/2011 rules for comparison).

Pure Python: no widgets. The 19 body areas, their regions and every threshold come from
``data/`` (``wpi_areas.csv``, ``acr_criteria_rules.csv``, ``fs_severity_bands.csv``) with
their sources: Wolfe et al., Semin Arthritis Rheum 2016, and Wolfe et al., J Rheumatol 2011.

Teaching tool only: a diagnosis is a clinician's judgement, not the output of a calculator.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from numbers import Integral

import pandas as pd

from helpers.checks import ParameterError, check_choice, check_number
from helpers.data import load_table

__all__ = [
    "AREAS",
    "AREA_LABELS",
    "REGION_NAMES",
    "REGION_OF",
    "CriteriaResult",
    "acr2011",
    "acr2016",
    "regions_with_pain",
    "rule_value",
    "severity_band",
    "symptom_severity",
    "vignette_answers",
    "widespread_pain_index",
]

_AREA_TABLE = load_table("wpi_areas")
AREAS: tuple[str, ...] = tuple(_AREA_TABLE["area"])
AREA_LABELS: dict[str, str] = dict(zip(_AREA_TABLE["area"], _AREA_TABLE["label"], strict=True))
REGION_OF: dict[str, int] = {
    row.area: int(row.region) for row in _AREA_TABLE.itertuples(index=False)
}
_COUNTS_FOR_REGION: frozenset[str] = frozenset(
    _AREA_TABLE.loc[_AREA_TABLE["counts_for_generalized_pain"], "area"])
REGION_NAMES: dict[int, str] = {
    int(row.region): row.region_name for row in _AREA_TABLE.itertuples(index=False)
}
_RULES: dict[tuple[str, str], int] = {
    (row.criteria, row.rule): int(row.value)
    for row in load_table("acr_criteria_rules").itertuples(index=False)
}
_BANDS = load_table("fs_severity_bands")
MAX_DURATION_MONTHS = 600.0
ITEM_NAMES = ("fatigue", "waking_unrefreshed", "cognitive_symptoms")
FLAG_NAMES = ("headaches", "lower_abdominal_pain", "depression")


@dataclass(frozen=True)
class CriteriaResult:
    """The outcome of applying a set of criteria to one person's answers.

    Attributes
    ----------
    criteria : str
        ``"ACR 2016"`` or ``"ACR 2010/2011"``.
    wpi : int
        Widespread Pain Index, 0–19: painful areas in the past week.
    sss : int
        Symptom Severity Scale, 0–12.
    regions : frozenset of int
        Regions (1–5) that count towards generalized pain (jaw, chest and abdomen excluded).
    generalized_pain : bool
        Pain in at least 4 of the 5 regions (2016 only; always True for 2010/2011, which has
        no such rule).
    fs_score : int
        Fibromyalgia severity (polysymptomatic distress) score, WPI + SSS, 0–31.
    severity_band : str
        Band of the FS score (Remission, Mild, Moderate, Severe, Very severe).
    score_rule_met : bool
        The WPI/SSS thresholds are met.
    duration_met : bool
        Symptoms for at least 3 months.
    meets_criteria : bool
        All rules are met.
    reasons : tuple of str
        One line per rule, saying whether and why it is met.
    """

    criteria: str
    wpi: int
    sss: int
    regions: frozenset[int]
    generalized_pain: bool
    fs_score: int
    severity_band: str
    score_rule_met: bool
    duration_met: bool
    meets_criteria: bool
    reasons: tuple[str, ...]


def rule_value(criteria: str, rule: str) -> int:
    """Return one threshold of a set of criteria, as stored in ``data/acr_criteria_rules.csv``.

    Parameters
    ----------
    criteria : str
        ``"acr2016"`` or ``"acr2011"``.
    rule : str
        The rule's name, e.g. ``"wpi_high_min"`` (areas) or ``"duration_months_min"`` (months).

    Raises
    ------
    ParameterError
        For an unknown criteria or rule name.
    """
    check_choice("criteria", criteria, sorted({name for name, _ in _RULES}))
    check_choice("rule", rule, sorted(name for group, name in _RULES if group == criteria))
    return _RULES[(criteria, rule)]


def _check_areas(painful_areas: Iterable[str]) -> tuple[str, ...]:
    if isinstance(painful_areas, str):
        raise ParameterError("painful_areas", painful_areas,
                             "a collection of area names (a list or set), not one string")
    try:
        areas = tuple(painful_areas)
    except TypeError:
        raise ParameterError("painful_areas", painful_areas,
                             "a collection of area names") from None
    allowed = ", ".join(AREAS)
    seen: set[str] = set()
    for area in areas:
        if area not in REGION_OF:
            raise ParameterError("painful_areas", area,
                                 f"one of the 19 WPI areas: {allowed}",
                                 "Wrist, ankle and foot are not WPI areas.")
        if area in seen:
            raise ParameterError("painful_areas", area,
                                 "listed once only (it appears twice)")
        seen.add(area)
    return areas


def _check_item(name: str, value: object) -> int:
    requirement = "a whole number from 0 to 3 (0 none, 1 mild, 2 moderate, 3 severe)"
    if isinstance(value, bool) or not isinstance(value, Integral) or not 0 <= value <= 3:
        raise ParameterError(name, value, requirement)
    return int(value)


def _check_flag(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ParameterError(name, value, "True or False (present in the previous 6 months)")
    return value


def widespread_pain_index(painful_areas: Iterable[str]) -> int:
    """Count the painful WPI areas (0–19); every area counts, jaw, chest and abdomen too.

    Raises
    ------
    ParameterError
        For an unknown or repeated area name.
    """
    return len(_check_areas(painful_areas))


def regions_with_pain(painful_areas: Iterable[str]) -> frozenset[int]:
    """Return the regions (1–5) that count towards the 2016 generalized-pain rule.

    A region counts only through its non-excluded areas: jaw pain never makes region 1 or 2
    count, and chest or abdominal pain never makes region 5 count.

    Raises
    ------
    ParameterError
        For an unknown or repeated area name.
    """
    areas = _check_areas(painful_areas)
    return frozenset(REGION_OF[area] for area in areas if area in _COUNTS_FOR_REGION)


def symptom_severity(
    *,
    fatigue: int,
    waking_unrefreshed: int,
    cognitive_symptoms: int,
    headaches: bool,
    lower_abdominal_pain: bool,
    depression: bool,
) -> int:
    """Symptom Severity Scale, 0–12.

    Parameters
    ----------
    fatigue, waking_unrefreshed, cognitive_symptoms : int
        Severity in the past week, 0–3 each.
    headaches, lower_abdominal_pain, depression : bool
        Present in the previous 6 months (1 point each).

    Raises
    ------
    ParameterError
        For an item outside 0–3 or a flag that is not a bool.
    """
    items = [_check_item(name, value) for name, value in
             (("fatigue", fatigue), ("waking_unrefreshed", waking_unrefreshed),
              ("cognitive_symptoms", cognitive_symptoms))]
    flags = [_check_flag(name, value) for name, value in
             (("headaches", headaches), ("lower_abdominal_pain", lower_abdominal_pain),
              ("depression", depression))]
    return sum(items) + sum(flags)


def severity_band(fs_score: int) -> str:
    """Name the severity band of a fibromyalgia severity (FS) score, 0–31."""
    if isinstance(fs_score, bool) or not isinstance(fs_score, Integral) or not 0 <= fs_score <= 31:
        raise ParameterError("fs_score", fs_score, "a whole number from 0 to 31 (points)")
    row = _BANDS[(_BANDS["fs_min"] <= fs_score) & (fs_score <= _BANDS["fs_max"])]
    return str(row["band"].iloc[0])


def _score_rule(criteria: str, wpi: int, sss: int) -> tuple[bool, str]:
    high = _RULES[(criteria, "wpi_high_min")]
    with_high = _RULES[(criteria, "sss_with_high_wpi_min")]
    low, top = _RULES[(criteria, "wpi_low_min")], _RULES[(criteria, "wpi_low_max")]
    with_low = _RULES[(criteria, "sss_with_low_wpi_min")]
    rule = f"WPI ≥ {high} with SSS ≥ {with_high}, or WPI {low}–{top} with SSS ≥ {with_low}"
    if wpi >= high:
        met = sss >= with_high
        detail = f"SSS {sss} {'≥' if met else '<'} {with_high}"
    elif wpi >= low:
        met = sss >= with_low
        detail = f"WPI in the {low}–{top} band needs SSS ≥ {with_low}; SSS is {sss}"
    else:
        met = False
        detail = f"WPI {wpi} is below {low}"
    verdict = "met" if met else "not met"
    return met, f"Scores {verdict}: WPI {wpi}, SSS {sss} ({detail}). Rule: {rule}."


def _apply(
    criteria: str,
    painful_areas: Iterable[str],
    symptoms: dict[str, object],
    duration_months: float,
) -> tuple[int, int, frozenset[int], bool, str, bool, str]:
    areas = _check_areas(painful_areas)
    sss = symptom_severity(**symptoms)  # type: ignore[arg-type]
    duration_months = check_number("duration_months", duration_months, unit="months", low=0.0,
                                   high=MAX_DURATION_MONTHS)
    wpi = len(areas)
    regions = frozenset(REGION_OF[a] for a in areas if a in _COUNTS_FOR_REGION)
    score_met, score_reason = _score_rule(criteria, wpi, sss)
    minimum = _RULES[(criteria, "duration_months_min")]
    duration_met = duration_months >= minimum
    duration_reason = (f"Duration {'met' if duration_met else 'not met'}: symptoms for "
                       f"{duration_months:g} months (at least {minimum} needed).")
    return wpi, sss, regions, score_met, score_reason, duration_met, duration_reason


def acr2016(
    painful_areas: Iterable[str],
    *,
    fatigue: int,
    waking_unrefreshed: int,
    cognitive_symptoms: int,
    headaches: bool,
    lower_abdominal_pain: bool,
    depression: bool,
    duration_months: float,
) -> CriteriaResult:
    """Apply the ACR 2016 revised fibromyalgia criteria (Wolfe et al. 2016).

    All must hold: (1) WPI ≥ 7 and SSS ≥ 5, or WPI 4–6 and SSS ≥ 9; (2) generalized pain,
    i.e. pain in at least 4 of 5 regions, jaw, chest and abdomen not counting; (3) symptoms
    for at least 3 months. (4) The diagnosis is valid irrespective of other diagnoses, and
    it does not exclude other clinically important illnesses.

    Parameters
    ----------
    painful_areas : iterable of str
        Areas painful in the past week, from :data:`AREAS` (each at most once).
    fatigue, waking_unrefreshed, cognitive_symptoms : int
        Severity in the past week, 0–3 each.
    headaches, lower_abdominal_pain, depression : bool
        Present in the previous 6 months.
    duration_months : float
        How long symptoms have been present at a similar level, 0–600 months.

    Returns
    -------
    CriteriaResult

    Raises
    ------
    ParameterError
        For an unknown or repeated area, an item outside 0–3, a flag that is not a bool, or
        a duration out of range; the message lists what is allowed.

    Examples
    --------
    >>> result = acr2016(["neck", "upper_back", "lower_back", "left_hip", "right_hip",
    ...                   "left_shoulder_girdle", "right_shoulder_girdle"], fatigue=2,
    ...                  waking_unrefreshed=2, cognitive_symptoms=1, headaches=False,
    ...                  lower_abdominal_pain=False, depression=False, duration_months=6)
    >>> result.wpi, result.sss, sorted(result.regions), result.meets_criteria
    (7, 5, [1, 2, 3, 4, 5], True)
    """
    symptoms = {"fatigue": fatigue, "waking_unrefreshed": waking_unrefreshed,
                "cognitive_symptoms": cognitive_symptoms, "headaches": headaches,
                "lower_abdominal_pain": lower_abdominal_pain, "depression": depression}
    wpi, sss, regions, score_met, score_reason, duration_met, duration_reason = _apply(
        "acr2016", painful_areas, symptoms, duration_months)
    needed = _RULES[("acr2016", "regions_min")]
    generalized = len(regions) >= needed
    listed = ", ".join(str(r) for r in sorted(regions)) or "none"
    region_reason = (f"Generalized pain {'met' if generalized else 'not met'}: "
                     f"{len(regions)} of 5 regions ({listed}); at least {needed} needed. "
                     "Jaw, chest and abdomen do not count towards regions.")
    fs_score = wpi + sss
    band = severity_band(fs_score)
    reasons = (
        score_reason,
        region_reason,
        duration_reason,
        "Other diagnoses: under the 2016 criteria the diagnosis is valid irrespective of "
        "other diagnoses, and it does not exclude other clinically important illnesses.",
        f"FS score {fs_score} (WPI {wpi} + SSS {sss}); fibromyalgia usually goes with "
        f"{_RULES[('acr2016', 'fs_typical_min')]} or more. A level, not one of the rules.",
    )
    return CriteriaResult("ACR 2016", wpi, sss, regions, generalized, fs_score, band,
                          score_met, duration_met, score_met and generalized and duration_met,
                          reasons)


def acr2011(
    painful_areas: Iterable[str],
    *,
    fatigue: int,
    waking_unrefreshed: int,
    cognitive_symptoms: int,
    headaches: bool,
    lower_abdominal_pain: bool,
    depression: bool,
    duration_months: float,
    other_disorder_explains_pain: bool = False,
) -> CriteriaResult:
    """Apply the 2010 thresholds with the 2011 self-report symptom items, for comparison.

    WPI ≥ 7 and SS ≥ 5, or WPI 3–6 and SS ≥ 9; symptoms for at least 3 months; and no other
    disorder that would explain the pain. There is no region rule. The exclusion and the
    duration rule are confirmed for 2010; that the 2011 modification kept them is unconfirmed
    (an assumption, labelled as such in the reasons and in ``data/acr_criteria_rules.csv``).
    Strictly, the 2010 criteria rated somatic symptoms by clinician judgement; this uses the
    2011 three-symptom count, as the 2016 revision does.

    Parameters
    ----------
    painful_areas, fatigue, waking_unrefreshed, cognitive_symptoms, headaches,
    lower_abdominal_pain, depression, duration_months
        As for :func:`acr2016`.
    other_disorder_explains_pain : bool, optional
        Whether another disorder would explain the pain (the 2010 exclusion).

    Returns
    -------
    CriteriaResult
        ``generalized_pain`` is always True (no such rule).
    """
    symptoms = {"fatigue": fatigue, "waking_unrefreshed": waking_unrefreshed,
                "cognitive_symptoms": cognitive_symptoms, "headaches": headaches,
                "lower_abdominal_pain": lower_abdominal_pain, "depression": depression}
    wpi, sss, regions, score_met, score_reason, duration_met, duration_reason = _apply(
        "acr2011", painful_areas, symptoms, duration_months)
    excluded = _check_flag("other_disorder_explains_pain", other_disorder_explains_pain)
    exclusion_reason = (
        ("Excluded: another disorder explains the pain" if excluded
         else "No other disorder explains the pain, as required")
        + " (a 2010 rule; that the 2011 modification kept it is unconfirmed).")
    fs_score = wpi + sss
    return CriteriaResult(
        "ACR 2010/2011", wpi, sss, regions, True, fs_score, severity_band(fs_score), score_met,
        duration_met, score_met and duration_met and not excluded,
        (score_reason, "No region rule in 2010/2011.", duration_reason, exclusion_reason))


def vignette_answers(case: pd.Series) -> tuple[list[str], dict[str, object]]:
    """Split a row of ``data/criteria_vignettes.csv`` into painful areas and answers.

    Returns
    -------
    tuple
        ``(painful_areas, answers)``, where ``answers`` holds the keyword arguments of
        :func:`acr2016` other than the areas.
    """
    answers: dict[str, object] = {name: int(case[name]) for name in ITEM_NAMES}
    answers.update({name: bool(case[name]) for name in FLAG_NAMES})
    answers["duration_months"] = float(case["duration_months"])
    return str(case["painful_areas"]).split(";"), answers
