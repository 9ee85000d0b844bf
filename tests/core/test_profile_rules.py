# ruff: noqa: E501, C408 -- the expected table is one row per case, wide on purpose.
"""classify(): the seed's rules on plain values.

An explicit table of expected outcomes covers every reachable quadrant x duration band x
route combination; an exhaustive product over the inputs the rules read checks the
invariants the seed demands (course only on its four conditions, crisis help whenever the
safety answer is yes, chosen solitude never pushed, always a rule that explains).
"""

import dataclasses
import itertools
import pathlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verbind.core.profile import (
    ALL_RULES,
    DURATION_ANSWER_MONTHS,
    DURATION_BANDS,
    DURATION_RULES,
    LIFE_EVENTS,
    LITERACY,
    OPEN_TO_LEARNING,
    OVERRIDE_RULES,
    QUADRANT_RULES,
    QUADRANTS,
    ROUTE_RULES,
    ROUTES,
    SAFETY,
    SEVERE,
    SEVERITIES,
    WISH_TO_CHANGE,
    Classification,
    ProfileInputError,
    ProfileInputs,
    classify,
    resolved_settings,
    rules_markdown,
)
from verbind.core.rule_settings import resolve_settings

OK = {"wish_to_change": "yes", "open_to_learning": "yes", "literacy": "yes"}
AMONG = {"lonely": True, "isolated": False}
ISOLATED = {"lonely": True, "isolated": True}
ISO_UNKNOWN = {"lonely": True, "isolated": None}

# (id, inputs, quadrant, duration band, route, underlying route, coach agreement, unmet)
EXPECTED = [
    # Not lonely: no action; chosen solitude is respected, informed only when asked.
    ("connected", dict(lonely=False, isolated=False, **OK), "connected", "none", "no_action", None, False, ()),
    ("connected-says-2y", dict(lonely=False, isolated=False, duration_answer="gt_2_years"), "connected", "none", "no_action", None, False, ()),
    ("solitude", dict(lonely=False, isolated=True), "chosen_solitude", "none", "no_action", None, False, ()),
    ("solitude-no-wish", dict(lonely=False, isolated=True, wish_to_change="no"), "chosen_solitude", "none", "no_action", None, False, ()),
    ("solitude-wants-change", dict(lonely=False, isolated=True, **OK), "chosen_solitude", "none", "self_help", None, False, ()),
    ("not-lonely-iso-unknown", dict(lonely=False), "not_lonely_isolation_unknown", "none", "no_action", None, False, ()),
    # Loneliness unknown: never guess; a conversation finds out.
    ("unknown", dict(), "unknown", "unknown", "alternative_support", None, False, ("loneliness_unknown",)),
    ("unknown-says-not-lonely", dict(duration_answer="not_lonely"), "unknown", "none", "alternative_support", None, False, ("loneliness_unknown",)),
    ("unknown-transient", dict(isolated=True, duration_answer="lt_6_months", **OK), "unknown", "transient", "alternative_support", None, False, ("loneliness_unknown",)),
    ("unknown-persistent", dict(duration_answer="6_to_12_months", **OK), "unknown", "persistent", "alternative_support", None, False, ("loneliness_unknown",)),
    ("unknown-chronic", dict(isolated=False, duration_answer="gt_2_years", **OK), "unknown", "chronic", "alternative_support", None, False, ("loneliness_unknown",)),
    ("unknown-history-ignored", dict(duration_answer="lt_6_months", lonely_history_months=30), "unknown", "transient", "alternative_support", None, False, ("loneliness_unknown",)),
    # Lonely among people.
    ("among-transient", dict(**AMONG, duration_answer="lt_6_months"), "lonely_among_people", "transient", "meaningful_connections", None, False, ()),
    ("among-transient-all-ok", dict(**AMONG, duration_answer="lt_6_months", **OK), "lonely_among_people", "transient", "meaningful_connections", None, False, ()),
    ("among-transient-no-wish", dict(**AMONG, duration_answer="lt_6_months", wish_to_change="no"), "lonely_among_people", "transient", "respect_choice", None, False, ()),
    ("among-persistent-course", dict(**AMONG, duration_answer="6_to_12_months", **OK), "lonely_among_people", "persistent", "course", None, True, ()),
    ("among-persistent-1-2y-course", dict(**AMONG, duration_answer="1_to_2_years", **OK), "lonely_among_people", "persistent", "course", None, True, ()),
    ("among-persistent-not-open", dict(**AMONG, duration_answer="1_to_2_years", wish_to_change="yes", open_to_learning="no", literacy="yes"), "lonely_among_people", "persistent", "alternative_support", None, False, ("open_to_learning",)),
    ("among-persistent-no-wish", dict(**AMONG, duration_answer="6_to_12_months", wish_to_change="no", open_to_learning="yes", literacy="yes"), "lonely_among_people", "persistent", "respect_choice", None, False, ()),
    ("among-chronic-course", dict(**AMONG, duration_answer="gt_2_years", **OK), "lonely_among_people", "chronic", "course", None, False, ()),
    # Reading with some difficulty: the course (short sentences) with the coach's agreement.
    ("among-chronic-reads-with-difficulty", dict(**AMONG, duration_answer="gt_2_years", wish_to_change="yes", open_to_learning="yes", literacy="some_difficulty"), "lonely_among_people", "chronic", "course", None, True, ()),
    ("among-chronic-cannot-read", dict(**AMONG, duration_answer="gt_2_years", wish_to_change="yes", open_to_learning="yes", literacy="no"), "lonely_among_people", "chronic", "alternative_support", None, False, ("literacy",)),
    ("among-chronic-no-wish", dict(**AMONG, duration_answer="gt_2_years", wish_to_change="no"), "lonely_among_people", "chronic", "respect_choice", None, False, ()),
    ("among-duration-unknown", dict(**AMONG, **OK), "lonely_among_people", "unknown", "alternative_support", None, False, ("duration_unknown",)),
    ("among-duration-unknown-no-wish", dict(**AMONG, wish_to_change="no"), "lonely_among_people", "unknown", "respect_choice", None, False, ()),
    # Lonely and isolated.
    ("isolated-transient", dict(**ISOLATED, duration_answer="lt_6_months", **OK), "lonely_and_isolated", "transient", "self_help", None, False, ()),
    ("isolated-transient-no-wish", dict(**ISOLATED, duration_answer="lt_6_months", wish_to_change="no"), "lonely_and_isolated", "transient", "respect_choice", None, False, ()),
    ("isolated-persistent-course", dict(**ISOLATED, duration_answer="6_to_12_months", **OK), "lonely_and_isolated", "persistent", "course", None, True, ()),
    ("isolated-persistent-not-sure", dict(**ISOLATED, duration_answer="6_to_12_months", wish_to_change="not_sure", open_to_learning="yes", literacy="yes"), "lonely_and_isolated", "persistent", "alternative_support", None, False, ("wish_to_change",)),
    ("isolated-persistent-no-wish", dict(**ISOLATED, duration_answer="1_to_2_years", wish_to_change="no"), "lonely_and_isolated", "persistent", "respect_choice", None, False, ()),
    ("isolated-chronic-course", dict(**ISOLATED, duration_answer="gt_2_years", **OK), "lonely_and_isolated", "chronic", "course", None, False, ()),
    ("isolated-chronic-nothing-answered", dict(**ISOLATED, duration_answer="gt_2_years"), "lonely_and_isolated", "chronic", "alternative_support", None, False, ("wish_to_change", "open_to_learning", "literacy")),
    ("isolated-chronic-cannot-read", dict(**ISOLATED, duration_answer="gt_2_years", wish_to_change="yes", open_to_learning="no", literacy="no"), "lonely_and_isolated", "chronic", "alternative_support", None, False, ("open_to_learning", "literacy")),
    ("isolated-chronic-no-wish", dict(**ISOLATED, duration_answer="gt_2_years", wish_to_change="no", **{k: v for k, v in OK.items() if k != "wish_to_change"}), "lonely_and_isolated", "chronic", "respect_choice", None, False, ()),
    ("isolated-duration-unknown", dict(**ISOLATED, wish_to_change="not_sure"), "lonely_and_isolated", "unknown", "alternative_support", None, False, ("duration_unknown", "wish_to_change", "open_to_learning", "literacy")),
    ("isolated-duration-unknown-no-wish", dict(**ISOLATED, wish_to_change="no"), "lonely_and_isolated", "unknown", "respect_choice", None, False, ()),
    ("isolated-says-not-lonely", dict(**ISOLATED, duration_answer="not_lonely", **OK), "lonely_and_isolated", "unknown", "alternative_support", None, False, ("duration_unknown",)),
    # Lonely, isolation unknown.
    ("iso-unknown-transient", dict(**ISO_UNKNOWN, duration_answer="lt_6_months"), "lonely_isolation_unknown", "transient", "self_help", None, False, ()),
    ("iso-unknown-transient-no-wish", dict(**ISO_UNKNOWN, duration_answer="lt_6_months", wish_to_change="no"), "lonely_isolation_unknown", "transient", "respect_choice", None, False, ()),
    ("iso-unknown-persistent-course", dict(**ISO_UNKNOWN, duration_answer="1_to_2_years", **OK), "lonely_isolation_unknown", "persistent", "course", None, True, ()),
    ("iso-unknown-persistent-alt", dict(**ISO_UNKNOWN, duration_answer="1_to_2_years", wish_to_change="yes", open_to_learning="yes"), "lonely_isolation_unknown", "persistent", "alternative_support", None, False, ("literacy",)),
    ("iso-unknown-persistent-no-wish", dict(**ISO_UNKNOWN, duration_answer="1_to_2_years", wish_to_change="no"), "lonely_isolation_unknown", "persistent", "respect_choice", None, False, ()),
    ("iso-unknown-chronic-course", dict(**ISO_UNKNOWN, duration_answer="gt_2_years", **OK), "lonely_isolation_unknown", "chronic", "course", None, False, ()),
    ("iso-unknown-chronic-alt", dict(**ISO_UNKNOWN, duration_answer="gt_2_years", open_to_learning="yes", literacy="yes"), "lonely_isolation_unknown", "chronic", "alternative_support", None, False, ("wish_to_change",)),
    ("iso-unknown-chronic-no-wish", dict(**ISO_UNKNOWN, duration_answer="gt_2_years", wish_to_change="no"), "lonely_isolation_unknown", "chronic", "respect_choice", None, False, ()),
    ("iso-unknown-duration-unknown", dict(**ISO_UNKNOWN), "lonely_isolation_unknown", "unknown", "alternative_support", None, False, ("duration_unknown", "wish_to_change", "open_to_learning", "literacy")),
    ("iso-unknown-duration-unknown-no-wish", dict(**ISO_UNKNOWN, wish_to_change="no"), "lonely_isolation_unknown", "unknown", "respect_choice", None, False, ()),
    # Stored history: lonely at measurements spanning >= 24 months is chronic, >= 6 persistent.
    ("history-chronic", dict(**AMONG, duration_answer="lt_6_months", lonely_history_months=24, **OK), "lonely_among_people", "chronic", "course", None, False, ()),
    ("history-23-months", dict(**AMONG, duration_answer="lt_6_months", lonely_history_months=23, **OK), "lonely_among_people", "persistent", "course", None, True, ()),
    ("history-5-months", dict(**AMONG, duration_answer="lt_6_months", lonely_history_months=5, **OK), "lonely_among_people", "transient", "meaningful_connections", None, False, ()),
    ("history-without-answer", dict(**ISOLATED, lonely_history_months=26, **OK), "lonely_and_isolated", "chronic", "course", None, False, ()),
    ("history-over-contradiction", dict(**ISOLATED, duration_answer="not_lonely", lonely_history_months=7), "lonely_and_isolated", "persistent", "alternative_support", None, False, ("wish_to_change", "open_to_learning", "literacy")),
    # Safety overrides everything; the underlying route is still given.
    ("crisis-course", dict(**ISOLATED, duration_answer="gt_2_years", safety="yes", **OK), "lonely_and_isolated", "chronic", "crisis_help", "course", False, ()),
    ("crisis-persistent-course", dict(**AMONG, duration_answer="6_to_12_months", safety="yes", **OK), "lonely_among_people", "persistent", "crisis_help", "course", True, ()),
    ("crisis-connected", dict(lonely=False, isolated=False, safety="yes"), "connected", "none", "crisis_help", "no_action", False, ()),
    ("crisis-solitude", dict(lonely=False, isolated=True, safety="yes"), "chosen_solitude", "none", "crisis_help", "no_action", False, ()),
    ("crisis-respect", dict(**AMONG, duration_answer="lt_6_months", wish_to_change="no", safety="yes"), "lonely_among_people", "transient", "crisis_help", "respect_choice", False, ()),
    ("crisis-meaningful", dict(**AMONG, duration_answer="lt_6_months", safety="yes"), "lonely_among_people", "transient", "crisis_help", "meaningful_connections", False, ()),
    ("crisis-self-help", dict(**ISOLATED, duration_answer="lt_6_months", safety="yes"), "lonely_and_isolated", "transient", "crisis_help", "self_help", False, ()),
    ("crisis-alternative", dict(**ISOLATED, duration_answer="gt_2_years", safety="yes", literacy="no"), "lonely_and_isolated", "chronic", "crisis_help", "alternative_support", False, ("wish_to_change", "open_to_learning", "literacy")),
    ("crisis-unknown", dict(safety="yes"), "unknown", "unknown", "crisis_help", "alternative_support", False, ("loneliness_unknown",)),
    # Not lonely on the scale that counts, lonely on another: not "nothing needed", a conversation.
    ("scales-disagree-connected", dict(lonely=False, isolated=False, loneliness_disagrees=True, **OK), "connected", "none", "alternative_support", None, False, ()),
    ("scales-disagree-solitude", dict(lonely=False, isolated=True, loneliness_disagrees=True, wish_to_change="no"), "chosen_solitude", "none", "alternative_support", None, False, ()),
    ("scales-disagree-iso-unknown", dict(lonely=False, loneliness_disagrees=True), "not_lonely_isolation_unknown", "none", "alternative_support", None, False, ()),
    ("scales-disagree-crisis", dict(lonely=False, isolated=False, loneliness_disagrees=True, safety="yes"), "connected", "none", "crisis_help", "alternative_support", False, ()),
    # Lonely on the scale that counts, not on another: the route stands (a conversation is added).
    ("scales-disagree-lonely", dict(**ISOLATED, loneliness_disagrees=True, duration_answer="gt_2_years", **OK), "lonely_and_isolated", "chronic", "course", None, False, ()),
    ("safety-no", dict(**ISOLATED, duration_answer="gt_2_years", safety="no", **OK), "lonely_and_isolated", "chronic", "course", None, False, ()),
]  # fmt: skip


@pytest.mark.parametrize(
    ("inputs", "quadrant", "band", "route", "underlying", "agreement", "unmet"),
    [pytest.param(*row[1:], id=row[0]) for row in EXPECTED],
)
def test_expected_table(inputs, quadrant, band, route, underlying, agreement, unmet):
    result = classify(ProfileInputs(**inputs))
    assert (result.quadrant, result.duration_band, result.route) == (quadrant, band, route)
    assert result.underlying_route == underlying
    assert result.course_needs_coach_agreement is agreement
    assert result.unmet_conditions == unmet


# --- exhaustive product over every value the rules read ------------------------------------

HISTORY_MONTHS = (None, 0, 5, 6, 23, 24, 30)
# What adds a conversation: (severity, loneliness scales disagree).
FEELING_EXTRAS = ((None, False), ("very_severely_lonely", False), (None, True))
PRODUCT = [
    values
    for values in itertools.product(
        (True, False, None),  # lonely
        (True, False, None),  # isolated
        (None, *DURATION_ANSWER_MONTHS),
        HISTORY_MONTHS,
        (None, *WISH_TO_CHANGE),
        (None, *OPEN_TO_LEARNING),
        (None, *LITERACY),
        (None, *SAFETY),
        FEELING_EXTRAS,
    )
    if not (values[0] is None and values[-1][1])  # unknown loneliness cannot disagree
]


def _inputs(lonely, isolated, answer, history, wish, open_, literacy, safety, extras=(None, False)):
    return ProfileInputs(
        lonely=lonely,
        severity=extras[0],
        loneliness_disagrees=extras[1],
        isolated=isolated,
        duration_answer=answer,
        lonely_history_months=history,
        wish_to_change=wish,
        open_to_learning=open_,
        literacy=literacy,
        safety=safety,
    )


@pytest.fixture(scope="module")
def everything():
    return [(i, classify(i)) for i in (_inputs(*values) for values in PRODUCT)]


RULE_IDS = {r.id for r in ALL_RULES}


def test_invariants_over_every_combination(everything):
    assert len(everything) == 3 * 3 * 6 * len(HISTORY_MONTHS) * 4 * 3 * 4 * 3 * 3 - (
        3 * 6 * len(HISTORY_MONTHS) * 4 * 3 * 4 * 3
    )
    for i, c in everything:
        effective = c.effective_route
        where = f"{i} -> {c}"
        assert c.quadrant in QUADRANTS, where
        assert c.duration_band in DURATION_BANDS, where
        assert c.route in ROUTES and effective in ROUTES, where
        # The course: only when persistent or chronic, wants change, open, reads and writes
        # (with some difficulty too, then with the coach's agreement).
        conditions = (
            i.lonely is True
            and c.duration_band in ("persistent", "chronic")
            and i.wish_to_change == "yes"
            and i.open_to_learning == "yes"
            and i.literacy in ("yes", "some_difficulty")
        )
        assert (effective == "course") == conditions, where
        assert c.course_needs_coach_agreement == (
            effective == "course"
            and (c.duration_band == "persistent" or i.literacy == "some_difficulty")
        ), where
        # Safety: crisis help exactly when the answer is yes, with the route beneath it.
        if i.safety == "yes":
            assert c.route == "crisis_help", where
            assert c.underlying_route not in (None, "crisis_help"), where
            assert c.rule_ids[0] == "override.crisis_help", where
        else:
            assert c.route != "crisis_help" and c.underlying_route is None, where
        # Chosen solitude is respected: no course, no coaching, no push (unless another
        # loneliness scale says lonely: then a conversation finds out).
        if c.quadrant == "chosen_solitude" and not i.loneliness_disagrees:
            assert effective in ("no_action", "self_help"), where
            assert effective == "no_action" or i.wish_to_change == "yes", where
        # Not lonely: nothing to treat, no duration.
        if i.lonely is False:
            assert c.duration_band == "none", where
            expected = (
                ("alternative_support",) if i.loneliness_disagrees else ("no_action", "self_help")
            )
            assert effective in expected, where
        # Very severe loneliness or disagreeing scales: a conversation on top of any route.
        assert c.conversation_offered == (i.severity in SEVERE or i.loneliness_disagrees), where
        # A lonely person who does not want change is respected.
        if i.lonely is True and i.wish_to_change == "no":
            assert effective == "respect_choice", where
        # Alternative support always says which condition was not met (except when the
        # loneliness scales disagree: there is no course to explain, only a conversation).
        unclear = i.lonely is False and i.loneliness_disagrees
        assert bool(c.unmet_conditions) == (effective == "alternative_support" and not unclear), (
            where
        )
        # Every classification is explained by one rule per table.
        assert c.rule_ids and set(c.rule_ids) <= RULE_IDS, where
        prefixes = [r.split(".")[0] for r in c.rule_ids]
        assert prefixes.count("quadrant") == prefixes.count("duration") == 1, where
        assert prefixes.count("route") == 1, where
        assert prefixes.count("offer") == int(c.conversation_offered), where


def test_research_route_is_empty_only_when_nothing_was_measured(everything):
    """Research output (bulk scoring): no route when neither loneliness nor isolation is
    known, crisis help still shown; every other combination keeps classify's route."""
    from verbind.core.profile import nothing_measured, research_route

    for i, c in everything:
        where = f"{i} -> {c}"
        route, underlying = research_route(i, c)
        if i.lonely is None and i.isolated is None:
            assert nothing_measured(i), where
            assert c.route == ("crisis_help" if i.safety == "yes" else "alternative_support")
            assert route == ("crisis_help" if i.safety == "yes" else None), where
            assert underlying is None, where
        else:
            assert not nothing_measured(i), where
            assert (route, underlying) == (c.route, c.underlying_route), where


def test_every_reachable_combination_is_in_the_expected_table(everything):
    reachable = {(c.quadrant, c.duration_band, c.effective_route) for _, c in everything}
    in_table = {(row[2], row[3], row[5] or row[4]) for row in EXPECTED}
    assert reachable == in_table
    # And crisis help is reachable on top of every one of them.
    crisis = {
        (c.quadrant, c.duration_band, c.underlying_route)
        for _, c in everything
        if c.route == "crisis_help"
    }
    assert crisis == reachable


def test_every_rule_can_fire(everything):
    fired = {r for _, c in everything for r in c.rule_ids}
    assert fired == RULE_IDS


def test_classification_is_deterministic_and_inputs_are_hashable(everything):
    seen: dict[ProfileInputs, Classification] = {}
    for i, c in everything[:: len(everything) // 500]:
        twin = dataclasses.replace(i)
        assert hash(twin) == hash(i) and twin == i
        assert classify(twin) == c
        seen[i] = c
    assert len(seen) > 400


# --- the inputs that only shape the words never change the decision ------------------------

optional_bool = st.sampled_from([True, False, None])


@given(
    lonely=optional_bool,
    isolated=optional_bool,
    answer=st.sampled_from([None, *DURATION_ANSWER_MONTHS]),
    history=st.one_of(st.none(), st.integers(0, 120)),
    wish=st.sampled_from([None, *WISH_TO_CHANGE]),
    open_=st.sampled_from([None, *OPEN_TO_LEARNING]),
    literacy=st.sampled_from([None, *LITERACY]),
    safety=st.sampled_from([None, *SAFETY]),
    severity=st.sampled_from([None, *SEVERITIES]),
    emotional=optional_bool,
    social=optional_bool,
    living_alone=optional_bool,
    events=st.lists(st.sampled_from(LIFE_EVENTS), max_size=6),
)
def test_words_only_inputs_do_not_change_the_route(
    lonely, isolated, answer, history, wish, open_, literacy, safety, severity, emotional,
    social, living_alone, events,
):  # fmt: skip
    bare = _inputs(lonely, isolated, answer, history, wish, open_, literacy, safety)
    full = dataclasses.replace(
        bare,
        severity=severity,
        emotional=emotional,
        social=social,
        living_alone=living_alone,
        life_events=tuple(events),
        isolation_sources=("lsns6",) if isolated else (),
    )
    # Severity only adds a conversation (an offer rule), never another route.
    decided, plain = classify(full), classify(bare)
    assert full.severity in SEVERE or decided == plain
    assert decided.conversation_offered is (full.severity in SEVERE)
    assert (
        dataclasses.replace(
            decided,
            conversation_offered=False,
            rule_ids=tuple(r for r in decided.rule_ids if not r.startswith("offer.")),
        )
        == plain
    )


@given(history=st.integers(0, 240), answer=st.sampled_from([None, *DURATION_ANSWER_MONTHS]))
def test_a_longer_history_never_shortens_the_band(history, answer):
    order = {"transient": 1, "unknown": 0, "persistent": 2, "chronic": 3}
    shorter = classify(
        ProfileInputs(lonely=True, duration_answer=answer, lonely_history_months=history)
    )
    longer = classify(
        ProfileInputs(lonely=True, duration_answer=answer, lonely_history_months=history + 1)
    )
    assert order[longer.duration_band] >= order[shorter.duration_band]


# --- thresholds are settings -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "answer", "history", "band"),
    [
        ({}, "1_to_2_years", None, "persistent"),
        ({"chronic_from_months": 12}, "1_to_2_years", None, "chronic"),
        ({"chronic_from_months": 12}, "6_to_12_months", None, "persistent"),
        ({}, "6_to_12_months", None, "persistent"),
        ({"transient_below_months": 12}, "6_to_12_months", None, "transient"),
        ({"transient_below_months": 12}, "lt_6_months", 11, "transient"),
        ({"transient_below_months": 12}, "lt_6_months", 12, "persistent"),
        ({}, "lt_6_months", 11, "persistent"),
        ({"chronic_history_span_months": 12}, "lt_6_months", 12, "chronic"),
        ({"chronic_history_span_months": 12}, "lt_6_months", 11, "persistent"),
        ({"chronic_history_span_months": 36}, "lt_6_months", 35, "persistent"),
        ({"chronic_history_span_months": 36}, "gt_2_years", 0, "chronic"),
    ],
)
def test_duration_thresholds_follow_the_settings(settings, answer, history, band):
    inputs = ProfileInputs(lonely=True, duration_answer=answer, lonely_history_months=history)
    assert classify(inputs, settings).duration_band == band


def test_bad_settings_are_refused_by_classify():
    with pytest.raises(ValueError, match="transient_below_months"):
        classify(ProfileInputs(lonely=True), {"transient_below_months": 7})


def test_settings_cache_is_keyed_by_value_and_type():
    inputs = ProfileInputs(lonely=True, duration_answer="1_to_2_years")
    overrides = {"chronic_from_months": 12}
    assert classify(inputs, overrides).duration_band == "chronic"
    # The caller's dict changes afterwards: the next call sees the new value, not a cache.
    overrides["chronic_from_months"] = 24
    assert classify(inputs, overrides).duration_band == "persistent"
    # 1 is cached now; True equals 1 in Python but is not a whole number: still refused.
    assert resolved_settings({"djg11_lonely_cutoff": 1})["djg11_lonely_cutoff"] == 1
    with pytest.raises(ValueError, match="not a whole number"):
        classify(inputs, {"djg11_lonely_cutoff": True})
    # Errors are not cached; an unhashable value gets the same clear message.
    with pytest.raises(ValueError, match="not a whole number"):
        classify(inputs, {"djg11_lonely_cutoff": [3]})


def test_resolved_settings_are_read_only_and_resolve_to_themselves():
    values = resolved_settings({"isolation_combine": "both"})
    with pytest.raises(TypeError):
        values["isolation_combine"] = "either"  # type: ignore[index]
    assert resolved_settings(values) == values == resolve_settings({"isolation_combine": "both"})
    assert resolved_settings(None) == resolve_settings()


# --- inputs are checked ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("lonely", "yes", "lonely"),
        ("isolated", 1, "isolated"),
        ("wish_to_change", "maybe", "wish_to_change: 'maybe'"),
        ("literacy", "some", "literacy"),
        ("safety", True, "safety"),
        ("duration_answer", "3_years", "duration_answer"),
        ("severity", "lonely", "severity"),
        ("lonely_history_months", -1, "lonely_history_months"),
        ("lonely_history_months", 2.5, "lonely_history_months"),
        ("life_events", ("divorce",), "life_events: 'divorce'"),
    ],
)
def test_bad_inputs_are_refused_with_the_field_named(field, value, words):
    with pytest.raises(ProfileInputError) as err:
        ProfileInputs(**{field: value})
    assert words in str(err.value)


def test_order_free_fields_are_normalised_for_hashing():
    a = ProfileInputs(life_events=("moving", "breakup"), isolation_sources=("steptoe", "lsns6"))
    b = ProfileInputs(
        life_events=("breakup", "moving", "breakup"), isolation_sources=("lsns6", "steptoe")
    )
    assert a == b and hash(a) == hash(b)


def test_classify_needs_profile_inputs():
    with pytest.raises(TypeError, match="ProfileInputs"):
        classify({"lonely": True})


# --- the docs show the same tables --------------------------------------------------------


def test_docs_contain_the_rule_tables():
    docs = pathlib.Path(__file__).resolve().parents[2] / "docs" / "profile.md"
    text = docs.read_text(encoding="utf-8")
    assert rules_markdown() in text, "docs/profile.md is out of date: paste rules_markdown()"
    for rule in (*QUADRANT_RULES, *DURATION_RULES, *ROUTE_RULES, *OVERRIDE_RULES):
        assert f"`{rule.id}`" in text
