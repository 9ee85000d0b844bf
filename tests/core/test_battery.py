"""Batteries: which questions the self-test asks, validated at load, scored by the core."""

import copy

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from verbind.core.battery import (
    AnswerError,
    Question,
    _batteries_file,
    batteries,
    get_battery,
    parse_batteries,
)
from verbind.core.instrument import DefinitionError, parse_instrument, registry
from verbind.core.scoring import score

SHORT_COLUMNS = (
    [f"djg6_{i}" for i in range(1, 7)]
    + [f"lsns6_{i}" for i in range(1, 7)]
    + ["duration"]
    + [f"context_{i}" for i in ("wish_to_change", "open_to_learning", "literacy", "safety")]
)
LIFE_EVENTS = [
    f"context_event_{e}"
    for e in ("breakup", "job_loss", "bereavement", "moving", "retirement", "illness")
]
FULL_COLUMNS = (
    [f"djg11_{i}" for i in range(1, 12)]
    + [f"lsns6_{i}" for i in range(1, 7)]
    + [f"steptoe_{i}" for i in ("partner", "children", "family", "friends", "organisation")]
    + [f"ucla3_{i}" for i in range(1, 4)]
    + ["duration", "context_living_alone"]
    + LIFE_EVENTS
    + [f"context_{i}" for i in ("wish_to_change", "open_to_learning", "literacy", "safety")]
)


def _raw():
    return yaml.safe_load(_batteries_file().read_text(encoding="utf-8"))


def _all_answers(battery, pick=0):
    """Every question answered with option number ``pick`` (clamped), as option keys."""
    out = {}
    for q in battery.questions("en"):
        out[q.column] = q.options[min(pick, len(q.options) - 1)].key
    return out


# --- what the shipped batteries ask (contract.md) -----------------------------------------


def test_short_and_full_ask_what_the_contract_says():
    assert set(batteries()) == {"short", "full"}
    assert list(get_battery("short").columns) == SHORT_COLUMNS
    assert list(get_battery("full").columns) == FULL_COLUMNS


def test_short_has_one_screen_per_question():
    short = get_battery("short")
    assert len(short.screens) == 17
    assert [s.number for s in short.screens] == list(range(1, 18))
    assert all(not s.is_group and len(s.items) == 1 for s in short.screens)


def test_full_shows_the_life_events_together_as_one_question():
    full = get_battery("full")
    groups = [s for s in full.screens if s.is_group]
    assert len(groups) == 1
    (events,) = groups
    assert list(events.columns) == LIFE_EVENTS
    # One screen for six items: 37 items on 32 screens.
    assert len(full.screens) == len(FULL_COLUMNS) - len(LIFE_EVENTS) + 1
    for lang in ("nl", "en"):
        assert events.text(lang) != events.items[0].text.get(lang)
        labels = [events.item_label(i, lang) for i in events.items]
        assert all(labels) and len(set(labels)) == 6


def test_questions_come_in_order_with_options_in_the_language():
    short = get_battery("short")
    nl = list(short.questions("nl"))
    en = list(short.questions("en"))
    assert [q.column for q in nl] == SHORT_COLUMNS
    instrument, item, options = nl[0]
    assert (instrument.id, item.id) == ("djg6", "1")
    assert [o.label for o in options] == ["ja!", "ja", "min of meer", "nee", "nee!"]
    assert [o.label for o in en[0].options] == ["yes!", "yes", "more or less", "no", "no!"]
    assert [o.code for o in options] == [1, 2, 3, 4, 5]
    lsns = short.question("lsns6_1", "en")
    assert isinstance(lsns, Question)
    assert lsns.options[0].key == "none" and lsns.options[0].code == 0


def test_a_screen_gives_what_a_page_needs():
    # The web self-test renders screens: question text, stem, options in the language.
    short = get_battery("short")
    first, duration = short.screens[0], short.screens[12]
    djg6 = registry()["djg6"]
    assert first.stem("nl") == djg6.stem.nl
    assert first.text("en") == djg6.item("1").text.en
    assert [c.label for c in first.options("nl")][:2] == ["ja!", "ja"]
    assert duration.columns == ("duration",)
    assert duration.stem("nl") is None
    assert [c.key for c in duration.options("en")] == [
        "not_lonely", "lt_6_months", "6_to_12_months", "1_to_2_years", "gt_2_years",
    ]  # fmt: skip
    assert short.title.get("en") and short.intro.get("nl")


def test_unknown_battery_names_the_known_ones():
    with pytest.raises(KeyError, match="full, short"):
        get_battery("medium")


# --- validation at load -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mutate", "field", "words"),
    [
        (lambda d: d["short"]["steps"][0].update(instrument="djg7"), "short.steps[0].instrument",
         "unknown instrument 'djg7'"),
        (lambda d: d["short"]["steps"][3]["items"].__setitem__(1, "open_to_learn"),
         "short.steps[3].items[1]", "unknown item 'open_to_learn' of context"),
        (lambda d: d["full"]["steps"][6].update(group="life_event"), "full.steps[6].group",
         "no item group 'life_event'"),
        (lambda d: d["full"]["steps"][6].pop("text"), "full.steps[6].text",
         "needs the question"),
        (lambda d: d["full"]["steps"][6]["labels"].update(event_war={"nl": "x", "en": "y"}),
         "full.steps[6].labels.event_war", "not asked in this step"),
        (lambda d: d["short"]["steps"][3].update(text={"nl": "x", "en": "y"}),
         "short.steps[3].text", "only a group step"),
        (lambda d: d["short"]["steps"][0].update(items=["1", "2"]), "short.steps",
         "djg6 is scored, so all its items must be asked; missing: 3, 4, 5, 6"),
        (lambda d: d["short"]["steps"].append({"instrument": "duration"}), "short.steps[4]",
         "duration is already asked in short.steps[2]"),
        (lambda d: d["short"]["steps"][0].update(form="seven_point"), "short.steps[0].form",
         "unknown answer form 'seven_point'"),
        (lambda d: d["short"]["steps"][0].update(colour="blue"), "short.steps[0]",
         "unknown field(s) colour"),
        (lambda d: d["short"]["intro"].pop("en"), "short.intro", "en"),
        (lambda d: d["short"].update(steps=[]), "short.steps", "at least one step"),
    ],
)  # fmt: skip
def test_an_inconsistent_battery_is_refused_naming_file_and_field(mutate, field, words):
    data = copy.deepcopy(_raw())
    mutate(data)
    with pytest.raises(DefinitionError) as info:
        parse_batteries(data, registry(), "batteries.yaml")
    assert info.value.source == "batteries.yaml"
    assert info.value.field_path == field
    assert words in info.value.problem
    assert str(info.value).startswith(f"batteries.yaml: {field}: ")


def test_a_group_must_hold_only_yes_no_items():
    # A group is shown as "tick what applies": a three-option item cannot be in one.
    inst = parse_instrument(
        {
            "id": "habits",
            "version": "1",
            "short_title": "H",
            "measures": "context",
            "title": {"nl": "g", "en": "h"},
            "citation": "test",
            "forms": {
                "yn": {"options": [
                    {"key": "yes", "code": 1, "label": {"nl": "ja", "en": "yes"}},
                    {"key": "no", "code": 0, "label": {"nl": "nee", "en": "no"}},
                ]},
                "ynm": {"options": [
                    {"key": "yes", "code": 1, "label": {"nl": "ja", "en": "yes"}},
                    {"key": "no", "code": 0, "label": {"nl": "nee", "en": "no"}},
                    {"key": "maybe", "code": 2, "label": {"nl": "misschien", "en": "maybe"}},
                ]},
            },
            "items": [
                {"id": "walk", "forms": "yn", "group": "g", "text": {"nl": "a", "en": "a"}},
                {"id": "swim", "forms": "ynm", "group": "g", "text": {"nl": "b", "en": "b"}},
            ],
        }
    )  # fmt: skip
    data = {
        "b": {
            "title": {"nl": "t", "en": "t"},
            "intro": {"nl": "i", "en": "i"},
            "steps": [{"instrument": "habits", "group": "g", "text": {"nl": "?", "en": "?"}}],
        }
    }
    with pytest.raises(DefinitionError) as info:
        parse_batteries(data, {"habits": inst}, "b.yaml")
    assert info.value.field_path == "b.steps[0].group"
    assert "item 'swim'" in info.value.problem and "maybe" in info.value.problem
    # Without the three-option item the same group is fine.
    data["b"]["steps"][0]["items"] = ["walk"]
    battery = parse_batteries(data, {"habits": inst}, "b.yaml")["b"]
    assert [s.is_group for s in battery.screens] == [True]


# --- answers and scores -------------------------------------------------------------------


def test_score_gives_every_instrument_including_unscored_context():
    short = get_battery("short")
    answers = _all_answers(short)
    results = short.score(answers)
    assert list(results) == ["djg6", "lsns6", "duration", "context"]
    # The battery scores exactly as the scoring engine does on each instrument.
    for inst_id, result in results.items():
        inst = registry()[inst_id]
        by_item = {
            i.id: answers[inst.column(i.id)] for i in inst.items if inst.column(i.id) in answers
        }
        assert result == score(inst, by_item)
    assert results["context"].answers["safety"] == answers["context_safety"]
    assert results["context"].answers["living_alone"] is None  # not asked in the short test


def test_answers_may_be_codes_keys_or_labels_in_either_language():
    short = get_battery("short")
    by_key = _all_answers(short, pick=1)
    by_code = {c: short.question(c).options[1].code for c in short.columns}
    by_label_nl = {c: short.question(c, "nl").options[1].label.upper() for c in short.columns}
    by_label_en = {c: short.question(c, "en").options[1].label for c in short.columns}
    expected = short.score(by_key)
    for answers in (by_code, by_label_nl, by_label_en):
        assert short.score(answers) == expected
    assert short.normalise(by_code) == by_key


def test_djg6_hand_worked_through_the_battery():
    short = get_battery("short")
    answers = _all_answers(short, pick=3)  # "nee" everywhere
    # nee on the 3 negative items (0 each), nee on the 3 positive items (1 each) -> 3.
    total = short.score(answers)["djg6"].scales["total"]
    assert (total.value, total.level) == (3, "moderately_lonely")


def test_every_problem_is_reported_with_what_is_allowed():
    short = get_battery("short")
    answers = _all_answers(short)
    answers["djg6_2"] = "sometimes"
    answers["lsns6_4"] = 9
    del answers["duration"]
    answers["djg11_1"] = "ja"
    problems = short.check_answers(answers)
    got = [(p.kind, p.column) for p in problems]
    assert got == [
        ("unknown_question", "djg11_1"),
        ("invalid", "djg6_2"),
        ("invalid", "lsns6_4"),
        ("missing", "duration"),
    ]
    invalid = problems[1]
    assert invalid.value == "sometimes"
    assert "3=more_or_less (min of meer / more or less)" in invalid.allowed
    assert "lsns6_4" in problems[2].message() and "5=nine_plus" in problems[2].message()
    assert problems[3].allowed[0].startswith("0=not_lonely")
    with pytest.raises(AnswerError) as info:
        short.score(answers)
    assert info.value.problems == problems
    assert "4 problem(s)" in str(info.value)


def test_partial_answers_check_only_what_is_given():
    short = get_battery("short")
    assert short.check_answers({"djg6_1": 2, "duration": "1-2 jaar"}, partial=True) == []
    problems = short.check_answers({"djg6_1": 8}, partial=True)
    assert [(p.kind, p.column) for p in problems] == [("invalid", "djg6_1")]
    results = short.score({"djg6_1": 2}, partial=True)
    assert results["djg6"].scales["total"].value is None
    assert short.normalise({"duration": "1-2 jaar"}, partial=True) == {"duration": "1_to_2_years"}


def test_the_safety_answer_raises_the_safety_flag():
    short = get_battery("short")
    assert short.flags_raised("context_safety", "ja") == ("safety",)
    assert short.flags_raised("context_safety", "no") == ()
    assert short.flags_raised("context_safety", "perhaps") == ()
    assert short.flags_raised("context_wish_to_change", "yes") == ()
    answers = _all_answers(short, pick=1)
    answers["context_safety"] = "yes"
    assert short.score(answers)["context"].flags == ("safety",)


def _answer_sets(battery):
    """Any complete answer set, each answer as key, code, code text or label (nl or en)."""

    def one(column):
        nl = battery.question(column, "nl").options
        en = battery.question(column, "en").options
        return st.sampled_from(list(zip(nl, en, strict=True))).flatmap(
            lambda pair: st.sampled_from(
                [pair[0].key, pair[0].code, str(pair[0].code), pair[0].label, pair[1].label]
            ).map(lambda value, key=pair[0].key: (key, value))
        )

    return st.fixed_dictionaries({c: one(c) for c in battery.columns})


@pytest.mark.parametrize("battery_id", ["short", "full"])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_complete_answer_set_scores_within_range(battery_id, data):
    battery = get_battery(battery_id)
    chosen = data.draw(_answer_sets(battery))
    keys = {c: k for c, (k, _) in chosen.items()}
    given_answers = {c: v for c, (_, v) in chosen.items()}
    assert battery.check_answers(given_answers) == []
    assert battery.normalise(given_answers) == keys
    for inst_id, result in battery.score(given_answers).items():
        inst = registry()[inst_id]
        for scale_id, scale_result in result.scales.items():
            scale = inst.scales[scale_id]
            assert scale.min <= scale_result.value <= scale.max
        assert result.missing == tuple(
            i.id for i in inst.items if inst.column(i.id) not in battery.columns
        )
