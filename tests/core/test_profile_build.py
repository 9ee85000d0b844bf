"""build_profile(): from real scored answers (verbind.core.scoring.score) to a profile."""

import datetime as dt
import json

import pytest

from verbind.core.battery import get_battery
from verbind.core.instrument import registry
from verbind.core.profile import (
    DURATION_ANSWER_MONTHS,
    LIFE_EVENTS,
    HistoryPoint,
    InputSummary,
    ProfileInputError,
    ScaleVerdict,
    build_profile,
    derive_inputs,
    loneliness_source,
    lonely_run_months,
    months_between,
    summarise,
)
from verbind.core.scoring import score

TODAY = dt.date(2025, 6, 15)

# DJG-11: emotional items are negatively worded (yes = 1), social items positively (no = 1).
DJG11_EMOTIONAL = ("2", "3", "5", "6", "9", "10")
DJG11_SOCIAL = ("1", "4", "7", "8", "11")
DJG6_EMOTIONAL = ("1", "2", "3")
DJG6_SOCIAL = ("4", "5", "6")


def djg(instrument, emotional, social):
    """Answers scoring exactly ``emotional`` and ``social`` points (5-point labels)."""
    emo, soc = (
        (DJG11_EMOTIONAL, DJG11_SOCIAL) if instrument == "djg11" else (DJG6_EMOTIONAL, DJG6_SOCIAL)
    )
    answers = {item: ("ja" if n < emotional else "nee!") for n, item in enumerate(emo)}
    answers |= {item: ("nee" if n < social else "ja!") for n, item in enumerate(soc)}
    return score(instrument, answers)


def lsns6(total):
    """LSNS-6 answers summing to ``total`` (0-30), family first."""
    codes, left = [], total
    for _ in range(6):
        codes.append(min(5, left))
        left -= codes[-1]
    return score("lsns6", {str(n + 1): c for n, c in enumerate(codes)})


def steptoe(points):
    """Steptoe index with ``points`` isolated components."""
    items = ("partner", "children", "family", "friends", "organisation")
    return score("steptoe", {item: ("no" if n < points else "yes") for n, item in enumerate(items)})


def ucla3(total):
    values, left = [], total - 3
    for _ in range(3):
        values.append(1 + min(2, left))
        left -= values[-1] - 1
    return score("ucla3", {str(n + 1): v for n, v in enumerate(values)})


def context(**answers):
    return score("context", answers)


def duration(answer):
    return score("duration", {"duration": answer})


def results(*scored):
    return {r.instrument: r for r in scored}


# --- loneliness: which scale decides, and its cut-offs -----------------------------------------


@pytest.mark.parametrize(
    ("emotional", "social", "lonely", "severity"),
    [
        (2, 0, False, "not_lonely"),  # total 2: not lonely
        (2, 1, True, "moderately_lonely"),  # total 3: lonely
        (6, 2, True, "moderately_lonely"),  # total 8
        (6, 3, True, "severely_lonely"),  # total 9
        (6, 5, True, "very_severely_lonely"),  # total 11
    ],
)
def test_djg11_total_boundaries(emotional, social, lonely, severity):
    profile = build_profile(results(djg("djg11", emotional, social)), today=TODAY)
    assert profile.inputs.lonely is lonely
    assert profile.inputs.severity == severity
    assert profile.loneliness.instrument == "djg11"
    assert profile.loneliness.value == emotional + social


@pytest.mark.parametrize(
    ("emotional", "social", "emo_flag", "soc_flag"),
    [(1, 2, False, True), (2, 1, True, False), (2, 2, True, True), (0, 3, False, True)],
)
def test_djg11_subscales_use_the_documented_cutoff(emotional, social, emo_flag, soc_flag):
    profile = build_profile(results(djg("djg11", emotional, social)), today=TODAY)
    assert (profile.inputs.emotional, profile.inputs.social) == (emo_flag, soc_flag)


def test_subscale_cutoff_is_a_setting_applied_by_the_profile():
    scored = results(djg("djg11", 2, 3))  # scored with the default cut-off (2)
    default = build_profile(scored, today=TODAY)
    strict = build_profile(scored, settings={"djg11_subscale_cutoff": 3}, today=TODAY)
    assert (default.inputs.emotional, default.inputs.social) == (True, True)
    assert (strict.inputs.emotional, strict.inputs.social) == (False, True)
    assert strict.settings["djg11_subscale_cutoff"] == 3


def test_lonely_cutoff_setting_changes_the_quadrant():
    scored = results(djg("djg11", 3, 0), lsns6(20))
    assert build_profile(scored, today=TODAY).quadrant == "lonely_among_people"
    higher = build_profile(scored, settings={"djg11_lonely_cutoff": 4}, today=TODAY)
    assert higher.quadrant == "connected"


@pytest.mark.parametrize(
    ("emotional", "social", "lonely"), [(1, 0, False), (1, 1, True), (3, 2, True)]
)
def test_djg6_is_used_without_djg11(emotional, social, lonely):
    profile = build_profile(results(djg("djg6", emotional, social)), today=TODAY)
    assert profile.loneliness.instrument == "djg6"
    assert profile.inputs.lonely is lonely
    assert profile.inputs.emotional is (emotional >= 1)
    assert profile.inputs.social is (social >= 1)


def test_djg11_wins_over_djg6_and_ucla3():
    profile = build_profile(results(djg("djg6", 0, 0), djg("djg11", 4, 4), ucla3(3)), today=TODAY)
    assert profile.loneliness.instrument == "djg11"
    assert profile.inputs.lonely is True


@pytest.mark.parametrize(("total", "lonely"), [(3, False), (5, False), (6, True), (9, True)])
def test_ucla3_is_the_fallback_and_has_no_subscales(total, lonely):
    profile = build_profile(results(ucla3(total)), today=TODAY)
    assert profile.loneliness.instrument == "ucla3"
    assert profile.loneliness.value == total
    assert profile.inputs.lonely is lonely
    assert profile.inputs.emotional is None and profile.inputs.social is None
    assert profile.inputs.severity is None


def test_unscorable_djg11_falls_back_to_the_next_scale():
    partial = score("djg11", {"1": "ja", "2": "ja"}, strict=False)
    assert partial.total.value is None
    profile = build_profile(results(partial, ucla3(7)), today=TODAY)
    assert profile.loneliness.instrument == "ucla3"
    assert profile.inputs.lonely is True
    alone = build_profile(results(partial), today=TODAY)
    assert alone.inputs.lonely is None and alone.quadrant == "unknown"


# --- isolation: LSNS-6 and/or Steptoe --------------------------------------------------------


@pytest.mark.parametrize(("total", "isolated"), [(11, True), (12, False), (0, True), (30, False)])
def test_lsns6_boundary(total, isolated):
    profile = build_profile(results(djg("djg11", 0, 0), lsns6(total)), today=TODAY)
    assert profile.inputs.isolated is isolated
    assert profile.quadrant == ("chosen_solitude" if isolated else "connected")


@pytest.mark.parametrize(("points", "isolated"), [(1, False), (2, True), (5, True), (0, False)])
def test_steptoe_boundary(points, isolated):
    profile = build_profile(results(djg("djg11", 4, 0), steptoe(points)), today=TODAY)
    assert profile.inputs.isolated is isolated
    assert profile.quadrant == ("lonely_and_isolated" if isolated else "lonely_among_people")


@pytest.mark.parametrize(
    ("lsns", "step", "combine", "isolated", "sources", "disagree"),
    [
        (8, 0, "lsns6_first", True, ("lsns6",), True),
        (8, 0, "both", False, ("lsns6",), True),
        # A strong network with a Steptoe score of 3: LSNS-6 decides, the difference is shown.
        (20, 3, "lsns6_first", False, ("steptoe",), True),
        (20, 3, "both", False, ("steptoe",), True),
        (8, 3, "both", True, ("lsns6", "steptoe"), False),
        (20, 0, "lsns6_first", False, (), False),
    ],
)
def test_isolation_instruments_combine_by_setting_and_both_verdicts_are_kept(
    lsns, step, combine, isolated, sources, disagree
):
    profile = build_profile(
        results(djg("djg11", 0, 0), lsns6(lsns), steptoe(step)),
        settings={"isolation_combine": combine},
        today=TODAY,
    )
    assert profile.inputs.isolated is isolated
    assert profile.inputs.isolation_sources == sources
    assert profile.isolation_disagrees is disagree
    assert [m.instrument for m in profile.isolation] == ["lsns6", "steptoe"]


def test_lsns6_subscales_report_a_limited_network():
    # Family 5 (limited, < 6), friends 15.
    scored = score("lsns6", {"1": 5, "2": 0, "3": 0, "4": 5, "5": 5, "6": 5})
    profile = build_profile(results(djg("djg11", 0, 0), scored), today=TODAY)
    flags = {m.scale: m.flagged for m in profile.networks}
    assert flags == {"family": True, "friends": False}


def test_no_isolation_instrument_gives_unknown_isolation():
    profile = build_profile(results(djg("djg11", 5, 0)), today=TODAY)
    assert profile.inputs.isolated is None
    assert profile.quadrant == "lonely_isolation_unknown"


# --- duration: the answer and the stored history ----------------------------------------------


@pytest.mark.parametrize(
    ("answer", "band"),
    [
        ("lt_6_months", "transient"),
        ("6_to_12_months", "persistent"),
        ("1_to_2_years", "persistent"),
        ("gt_2_years", "chronic"),
        ("not_lonely", "unknown"),  # lonely on the scale: answers disagree
    ],
)
def test_duration_answer_gives_the_band(answer, band):
    profile = build_profile(results(djg("djg11", 5, 0), duration(answer)), today=TODAY)
    assert profile.duration_band == band


def test_duration_option_keys_match_the_definition():
    keys = {o.key for o in registry()["duration"].options_for("duration")}
    assert keys == set(DURATION_ANSWER_MONTHS)


def test_lonely_at_measurements_spanning_two_years_is_chronic():
    scored = results(djg("djg11", 5, 0), duration("lt_6_months"))
    history = [(dt.date(2023, 6, 15), True), (dt.date(2024, 6, 1), True)]
    profile = build_profile(scored, history=history, today=TODAY)
    assert profile.inputs.lonely_history_months == 24
    assert profile.duration_band == "chronic"
    assert "duration.chronic_history" in profile.rule_ids


def test_one_day_short_of_two_years_is_persistent():
    scored = results(djg("djg11", 5, 0), duration("lt_6_months"))
    profile = build_profile(scored, history=[(dt.date(2023, 6, 16), True)], today=TODAY)
    assert profile.inputs.lonely_history_months == 23
    assert profile.duration_band == "persistent"
    assert "duration.persistent_history" in profile.rule_ids


def test_a_measurement_without_loneliness_breaks_the_run():
    scored = results(djg("djg11", 5, 0), duration("lt_6_months"))
    history = [
        ("2022-01-10", True),
        ("2023-01-10", False),
        ("2024-12-01", True),
    ]
    profile = build_profile(scored, history=history, today=TODAY)
    assert profile.inputs.lonely_history_months == 6
    assert profile.duration_band == "persistent"


def test_unknown_measurements_are_skipped_not_counted_as_breaks():
    history = (
        HistoryPoint(dt.date(2023, 1, 1), True),
        HistoryPoint(dt.date(2024, 1, 1), None),
    )
    assert lonely_run_months(history, True, TODAY) == 29


def test_history_needs_loneliness_now():
    history = [(dt.date(2020, 1, 1), True)]
    not_lonely = build_profile(results(djg("djg11", 0, 0)), history=history, today=TODAY)
    assert not_lonely.inputs.lonely_history_months is None
    assert not_lonely.duration_band == "none"
    assert lonely_run_months((), True, TODAY) is None


@pytest.mark.parametrize(
    ("history", "words"),
    [
        ([(dt.date(2030, 1, 1), True)], "after today"),
        ([("yesterday", True)], "not a date"),
        ([(dt.date(2024, 1, 1), "yes")], "lonely"),
        ([dt.date(2024, 1, 1)], "(date, lonely) pair"),
    ],
)
def test_bad_history_is_refused_clearly(history, words):
    with pytest.raises(ValueError) as err:
        build_profile(results(djg("djg11", 5, 0)), history=history, today=TODAY)
    assert words in str(err.value)
    assert "history[0]" in str(err.value)


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (dt.date(2023, 6, 15), dt.date(2025, 6, 15), 24),
        (dt.date(2023, 6, 16), dt.date(2025, 6, 15), 23),
        (dt.date(2024, 1, 31), dt.date(2024, 2, 29), 0),
        (dt.date(2024, 1, 31), dt.date(2024, 3, 31), 2),
        (dt.date(2025, 6, 15), dt.date(2025, 6, 15), 0),
    ],
)
def test_months_between(start, end, months):
    assert months_between(start, end) == months


# --- context --------------------------------------------------------------------------------


def test_context_answers_flow_into_the_inputs():
    scored = results(
        djg("djg11", 5, 3),
        lsns6(6),
        duration("gt_2_years"),
        context(
            living_alone="ja",
            event_breakup="ja",
            event_job_loss="nee",
            event_illness="yes",
            event_retirement=1,
            wish_to_change="yes",
            open_to_learning="yes",
            literacy="with some difficulty",
            safety="no",
        ),
    )
    profile = build_profile(scored, today=TODAY)
    i = profile.inputs
    assert i.living_alone is True
    assert i.life_events == ("breakup", "illness", "retirement")
    assert (i.wish_to_change, i.open_to_learning, i.literacy, i.safety) == (
        "yes",
        "yes",
        "some_difficulty",
        "no",
    )
    # Reading with some difficulty: the course, after talking it over with a coach.
    assert profile.route == "course"
    assert profile.classification.course_needs_coach_agreement
    assert profile.classification.unmet_conditions == ()
    assert set(i.life_events) <= set(LIFE_EVENTS)


def test_safety_yes_shows_crisis_help_first_with_the_route_beneath():
    scored = results(
        djg("djg11", 6, 5),
        lsns6(4),
        duration("gt_2_years"),
        context(wish_to_change="yes", open_to_learning="yes", literacy="yes", safety="ja"),
    )
    profile = build_profile(scored, today=TODAY)
    assert profile.route == "crisis_help"
    assert profile.classification.underlying_route == "course"
    assert profile.rule_ids[0] == "override.crisis_help"


def test_missing_everything_gives_explicit_unknowns():
    profile = build_profile({}, today=TODAY)
    assert profile.quadrant == "unknown"
    assert profile.duration_band == "unknown"
    assert profile.route == "alternative_support"
    assert profile.classification.unmet_conditions == ("loneliness_unknown",)
    assert profile.inputs.living_alone is None and profile.inputs.safety is None


def test_results_must_be_scored_results():
    with pytest.raises(TypeError, match="InstrumentResult"):
        build_profile({"djg11": {"1": "ja"}}, today=TODAY)


# --- through a battery, and to storage ---------------------------------------------------------


def test_short_battery_answers_to_a_course_profile():
    battery = get_battery("short")
    answers = {
        "djg6_1": "ja",
        "djg6_2": "ja",
        "djg6_3": "min of meer",
        "djg6_4": "nee",
        "djg6_5": "nee",
        "djg6_6": "ja",
        "lsns6_1": 1,
        "lsns6_2": 0,
        "lsns6_3": 1,
        "lsns6_4": 0,
        "lsns6_5": 1,
        "lsns6_6": 0,
        "duration": "1-2 jaar",
        "context_wish_to_change": "ja",
        "context_open_to_learning": "ja",
        "context_literacy": "ja",
        "context_safety": "nee",
    }
    profile = build_profile(battery.score(answers), today=TODAY)
    assert profile.loneliness.instrument == "djg6"
    assert profile.loneliness.value == 5
    assert profile.quadrant == "lonely_and_isolated"
    assert profile.duration_band == "persistent"
    assert profile.route == "course"
    assert profile.classification.course_needs_coach_agreement is True


def test_to_dict_is_json_and_keeps_what_a_coach_needs():
    scored = results(djg("djg11", 4, 2), lsns6(8), steptoe(1), duration("gt_2_years"))
    profile = build_profile(scored, history=[(dt.date(2024, 1, 1), True)], today=TODAY)
    data = json.loads(json.dumps(profile.to_dict()))
    assert data["quadrant"] == "lonely_and_isolated"
    assert data["duration_band"] == "chronic"
    assert data["route"] == "alternative_support"
    assert data["rule_ids"] == list(profile.rule_ids)
    assert data["loneliness"]["value"] == 6 and data["loneliness"]["instrument"] == "djg11"
    assert [m["instrument"] for m in data["isolation"]] == ["lsns6", "steptoe"]
    assert data["isolation_disagrees"] is True
    assert data["history"] == [{"date": "2024-01-01", "lonely": True}]
    assert data["measured_on"] == "2025-06-15"
    assert data["settings"]["djg11_lonely_cutoff"] == 3


# --- derive_inputs: the one derivation (build_profile and bulk scoring both call it) --------


def test_build_profile_inputs_are_derive_inputs_of_the_summary():
    scored = results(
        djg("djg6", 2, 0), ucla3(8), lsns6(20), steptoe(3), duration("1_to_2_years"),
        context(living_alone="nee", event_moving="ja", wish_to_change="weet niet"),
    )  # fmt: skip
    history = [(dt.date(2024, 6, 1), True)]
    summary = summarise(scored, history=history, today=TODAY)
    assert summary.verdict("djg6") == ScaleVerdict(True, "moderately_lonely", True, False)
    assert summary.verdict("lsns6").meets_cutoff is False  # 20 is not below 12
    assert summary.verdict("steptoe").meets_cutoff is True  # 3 points: isolated
    assert summary.duration_answer == "1_to_2_years" and summary.history_months == 12
    assert dict(summary.context) == {
        "living_alone": "no",
        "event_moving": "yes",
        "wish_to_change": "not_sure",
    }
    assert build_profile(scored, history=history, today=TODAY).inputs == derive_inputs(summary)


def test_loneliness_comes_from_the_first_scale_that_could_be_computed():
    summary = InputSummary(
        verdicts={
            "ucla3": ScaleVerdict(False, "not_lonely"),
            "djg6": ScaleVerdict(True, "severely_lonely", False, True),
            "djg11": ScaleVerdict(None),  # answered, but too many answers missing
        }
    )
    assert loneliness_source(summary) == "djg6"
    inputs = derive_inputs(summary)
    assert (inputs.lonely, inputs.severity, inputs.emotional, inputs.social) == (
        True,
        "severely_lonely",
        False,
        True,
    )
    only_ucla = derive_inputs(InputSummary(verdicts={"ucla3": ScaleVerdict(True, "lonely")}))
    # UCLA-3 has no bands: lonely, but no severity.
    assert (only_ucla.lonely, only_ucla.severity) == (True, None)


@pytest.mark.parametrize(
    ("lsns", "steptoe_", "combine", "isolated", "sources"),
    [
        (True, False, "lsns6_first", True, ("lsns6",)),
        (False, True, "lsns6_first", False, ("steptoe",)),  # LSNS-6 decides when scored
        (None, True, "lsns6_first", True, ("steptoe",)),  # Steptoe only without LSNS-6
        (True, False, "both", False, ("lsns6",)),
        (True, True, "both", True, ("lsns6", "steptoe")),
        (None, True, "both", True, ("steptoe",)),  # an uncomputable scale does not vote
        (None, None, "lsns6_first", None, ()),
    ],
)
def test_isolation_combines_by_setting(lsns, steptoe_, combine, isolated, sources):
    summary = InputSummary(
        verdicts={"lsns6": ScaleVerdict(lsns), "steptoe": ScaleVerdict(steptoe_)}
    )
    inputs = derive_inputs(summary, {"isolation_combine": combine})
    assert (inputs.isolated, inputs.isolation_sources) == (isolated, sources)


def test_history_counts_only_when_lonely_now():
    lonely = {"djg11": ScaleVerdict(True, "moderately_lonely", False, False)}
    not_lonely = {"djg11": ScaleVerdict(False, "not_lonely", False, False)}
    assert (
        derive_inputs(InputSummary(verdicts=lonely, history_months=30)).lonely_history_months == 30
    )
    assert (
        derive_inputs(InputSummary(verdicts=not_lonely, history_months=30)).lonely_history_months
        is None
    )


def test_summary_is_order_free_and_drops_unanswered_context():
    a = InputSummary(
        verdicts={"lsns6": ScaleVerdict(True), "djg11": ScaleVerdict(False, "not_lonely")},
        context={"safety": "no", "literacy": None, "event_moving": "yes"},
    )
    b = InputSummary(
        verdicts=(("djg11", ScaleVerdict(False, "not_lonely")), ("lsns6", ScaleVerdict(True))),
        context=(("event_moving", "yes"), ("safety", "no")),
    )
    assert a == b and hash(a) == hash(b)
    inputs = derive_inputs(a)
    assert (inputs.safety, inputs.literacy, inputs.life_events) == ("no", None, ("moving",))


def test_summary_refuses_what_is_not_a_verdict():
    with pytest.raises(ProfileInputError, match="ScaleVerdict"):
        InputSummary(verdicts={"djg11": True})
    with pytest.raises(ProfileInputError, match="safety"):
        derive_inputs(InputSummary(context={"safety": "ja"}))  # option keys, not labels
