"""explain(): every route in both languages, from the validated texts file."""

import copy
import dataclasses
import datetime as dt
import itertools
import re

import pytest
import yaml

from verbind.core.instrument import LANGUAGES
from verbind.core.profile import (
    LIFE_EVENTS,
    ROUTES,
    ProfileInputs,
    TextsError,
    build_profile,
    explain,
    load_texts,
    parse_texts,
    profile_from_inputs,
    profile_texts,
    required_text_keys,
)
from verbind.core.scoring import score

TODAY = dt.date(2025, 6, 15)
OK = {"wish_to_change": "yes", "open_to_learning": "yes", "literacy": "yes"}

# One situation per route (and per reason a route can be given), as the person would be.
CASES = {
    "no_action": ProfileInputs(lonely=False, isolated=False),
    "no_action_solitude": ProfileInputs(lonely=False, isolated=True, living_alone=True),
    "no_action_iso_unknown": ProfileInputs(lonely=False),
    "self_help": ProfileInputs(lonely=True, isolated=True, duration_answer="lt_6_months"),
    "self_help_solitude": ProfileInputs(lonely=False, isolated=True, **OK),
    "meaningful_connections": ProfileInputs(
        lonely=True, isolated=False, emotional=True, duration_answer="lt_6_months"
    ),
    "course_chronic": ProfileInputs(
        lonely=True, isolated=True, social=True, duration_answer="gt_2_years", **OK
    ),
    "course_persistent": ProfileInputs(
        lonely=True, isolated=False, duration_answer="6_to_12_months", **OK
    ),
    "alternative_support": ProfileInputs(
        lonely=True,
        isolated=True,
        duration_answer="gt_2_years",
        wish_to_change="not_sure",
        open_to_learning="no",
        literacy="no",
    ),
    "alternative_support_missing": ProfileInputs(
        lonely=True, isolated=None, duration_answer="1_to_2_years"
    ),
    "alternative_support_no_duration": ProfileInputs(lonely=True, isolated=False, literacy="no"),
    "alternative_support_unknown": ProfileInputs(),
    "respect_choice": ProfileInputs(
        lonely=True, isolated=True, duration_answer="gt_2_years", wish_to_change="no"
    ),
    "crisis_help": ProfileInputs(
        lonely=True, isolated=True, duration_answer="gt_2_years", safety="yes", **OK
    ),
    "history_chronic": ProfileInputs(
        lonely=True, isolated=True, duration_answer="lt_6_months", lonely_history_months=25
    ),
    "contradiction": ProfileInputs(lonely=True, isolated=True, duration_answer="not_lonely"),
    "every_event": ProfileInputs(
        lonely=True,
        isolated=False,
        duration_answer="lt_6_months",
        life_events=LIFE_EVENTS,
        severity="very_severely_lonely",
        emotional=True,
        social=True,
    ),
}


def all_strings(explanation):
    data = explanation.to_dict()
    out = []

    def walk(value):
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif value is not None:
            pytest.fail(f"unexpected value {value!r} in an explanation")

    walk({k: v for k, v in data.items() if k != "sections"})
    walk([p for s in data["sections"] for p in s["paragraphs"]])
    walk([s["heading"] for s in data["sections"] if s["heading"] is not None])
    return out


def test_every_route_has_a_case():
    routes = {profile_from_inputs(i).classification.effective_route for i in CASES.values()}
    assert routes | {"crisis_help"} == set(ROUTES)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("case", list(CASES))
def test_explanation_is_complete_in_both_languages(case, lang):
    profile = profile_from_inputs(CASES[case], today=TODAY)
    e = explain(profile, lang)
    strings = all_strings(e)
    for text in strings:
        assert "None" not in text, text
        assert "{" not in text and "}" not in text, f"unfilled placeholder: {text}"
    for part in (e.headline, e.route_title, e.disclaimer):
        assert part.strip()
    assert e.feeling and e.situation and e.duration and e.approach and e.route
    assert e.next_steps
    assert e.rule_ids == profile.rule_ids and e.rule_ids
    assert e.sections[-1].paragraphs == (", ".join(profile.rule_ids),)
    # Not a diagnosis, every time.
    assert e.disclaimer in {s.text for s in e.sections}


def test_dutch_and_english_differ_and_have_the_same_shape():
    for inputs in CASES.values():
        profile = profile_from_inputs(inputs, today=TODAY)
        nl, en = explain(profile, "nl"), explain(profile, "en")
        assert nl.headline != en.headline
        assert [s.id for s in nl.sections] == [s.id for s in en.sections]
        assert [len(s.paragraphs) for s in nl.sections] == [len(s.paragraphs) for s in en.sections]


def test_crisis_help_comes_first_with_113_and_112_and_the_route_beneath():
    profile = profile_from_inputs(CASES["crisis_help"], today=TODAY)
    for lang in LANGUAGES:
        e = explain(profile, lang)
        first = e.sections[0]
        assert first.id == "crisis"
        assert "113" in first.text and "0800-0113" in first.text and "112" in first.text
        assert "113.nl" in first.text
        # The underlying route (the course) is still explained.
        safe = dataclasses.replace(CASES["crisis_help"], safety="no")
        without_crisis = explain(profile_from_inputs(safe, today=TODAY), lang)
        assert e.route_title == without_crisis.route_title
        assert e.route == without_crisis.route and e.next_steps == without_crisis.next_steps
        assert e.help == ""  # the footer would repeat the crisis lines


def test_everyone_else_reads_where_to_go_with_dark_thoughts():
    for name, inputs in CASES.items():
        if name == "crisis_help":
            continue
        e = explain(profile_from_inputs(inputs, today=TODAY), "nl")
        assert "113" in e.help and e.sections[0].id == "headline"


def test_chronic_names_the_stepwise_approach_and_what_chronic_loneliness_does():
    e = explain(profile_from_inputs(CASES["course_chronic"], today=TODAY), "en")
    text = "\n".join(e.approach)
    for words in (
        "yourself better",
        "creative skills",
        "usual patterns",
        "dealing with other people",
        "making choices",
        "taking good care of yourself",
        "what other people mean",
        "less pleasure",
        "decisions",
        "self-confidence",
    ):
        assert words in text
    assert text.index("First you work on yourself") < text.index("After that")
    nl = "\n".join(explain(profile_from_inputs(CASES["course_chronic"]), "nl").approach)
    assert "Eerst werkt u aan uzelf" in nl and "Daarna" in nl


def test_transient_is_a_normal_part_of_life():
    e = explain(profile_from_inputs(CASES["self_help"], today=TODAY), "en")
    assert any("part of life" in p for p in e.approach)
    assert not any("First you work on yourself" in p for p in e.approach)


def test_chosen_solitude_is_respected_mentions_health_gently_and_invites_a_retest():
    e = explain(profile_from_inputs(CASES["no_action_solitude"], today=TODAY), "en")
    text = " ".join(e.approach)
    assert "You decide what you want" in text and "your choice" not in text
    assert "living alone" in text and "health" in text
    assert "take this test again" in text
    assert "course" not in " ".join((*e.route, *e.next_steps)).lower()


def test_persistent_course_needs_the_coach():
    e = explain(profile_from_inputs(CASES["course_persistent"], today=TODAY), "en")
    assert any("decide together" in p for p in e.route)
    chronic = explain(profile_from_inputs(CASES["course_chronic"], today=TODAY), "en")
    assert not any("decide together" in p for p in chronic.route)


def test_alternative_support_says_which_conditions_were_not_met():
    e = explain(profile_from_inputs(CASES["alternative_support"], today=TODAY), "en")
    route = " ".join(e.route)
    assert "not sure yet" in route
    assert "not open to that" in route
    assert "De Luisterlijn" in route  # spoken support for someone who reads with difficulty
    steps = " ".join(e.next_steps)
    assert "coach" in steps and "GP" in steps and "088 0767 000" in steps
    missing = explain(profile_from_inputs(CASES["alternative_support_missing"]), "en")
    assert sum("was not answered" in p for p in missing.route) == 3
    no_duration = explain(profile_from_inputs(CASES["alternative_support_no_duration"]), "en")
    assert any("how long you have felt lonely" in p for p in no_duration.route)


def test_respect_choice_tells_where_to_find_help_later():
    e = explain(profile_from_inputs(CASES["respect_choice"], today=TODAY), "nl")
    assert any("respecteren" in p for p in e.route)
    assert any("huisarts" in s for s in e.next_steps)
    assert any("088 0767 000" in s for s in e.next_steps)


def test_emotional_and_social_loneliness_shape_the_advice():
    emotional = explain(profile_from_inputs(CASES["meaningful_connections"]), "en")
    social = explain(profile_from_inputs(CASES["course_chronic"]), "en")
    assert any("close bond" in p for p in emotional.feeling)
    assert any("choose one person" in p for p in emotional.approach)
    assert any("wider group" in p for p in social.feeling)
    assert any("club" in p for p in social.approach)


def test_every_life_event_gets_its_own_sentence():
    for lang in LANGUAGES:
        e = explain(profile_from_inputs(CASES["every_event"], today=TODAY), lang)
        assert len(e.life_events) == 1 + len(LIFE_EVENTS)
        assert len(set(e.life_events)) == len(e.life_events)
    en = " ".join(explain(profile_from_inputs(CASES["every_event"]), "en").life_events)
    for words in ("relationship ends", "lose your job", "lost someone", "move", "retiring"):
        assert words in en
    assert "eating disorder" in en


def test_history_and_answers_that_disagree_are_explained():
    chronic = explain(profile_from_inputs(CASES["history_chronic"]), "en")
    assert "25 months" in chronic.duration[0]
    contradiction = explain(profile_from_inputs(CASES["contradiction"]), "en")
    assert "do not know how long" in contradiction.duration[0]


def test_scores_and_disagreeing_isolation_instruments_from_real_answers():
    djg11 = score("djg11", {str(n): "ja" for n in range(1, 12)})  # emotional 6, social 0
    lsns6 = score("lsns6", dict.fromkeys("123456", 1))  # 6: at risk
    items = ("partner", "children", "family", "friends", "organisation")
    steptoe = score("steptoe", dict.fromkeys(items, "yes"))  # 0: not isolated
    answer = score("duration", {"duration": "gt_2_years"})
    profile = build_profile({r.instrument: r for r in (djg11, lsns6, steptoe, answer)}, today=TODAY)
    nl = explain(profile, "nl")
    assert any(
        p.startswith("Uw score is 6. De schaal loopt van 0 tot 11.") and "'matig eenzaam'" in p
        for p in nl.feeling
    )
    # LSNS-6 at risk decides; the other questions' answer is said in neutral words.
    assert profile.inputs.isolated is True
    assert any("regelmatig contact" in p or "geregeld contact" in p for p in nl.situation)
    en = explain(profile, "en")
    assert "langer dan 2 jaar" in nl.duration[0] and "more than 2 years" in en.duration[0]


def test_low_self_esteem_is_named_for_lonely_people():
    # Items 2, 5, 6, 8, 9 are reversed: this answer set scores 0 of 30.
    rses = score(
        "rses",
        {
            str(n): "strongly_agree" if n in (2, 5, 6, 8, 9) else "strongly_disagree"
            for n in range(1, 11)
        },
    )
    djg6 = score("djg6", dict.fromkeys("123", "ja") | dict.fromkeys("456", "nee"))
    profile = build_profile({"rses": rses, "djg6": djg6}, today=TODAY)
    assert profile.self_esteem.flagged is True
    assert any("think very highly of yourself" in p for p in explain(profile, "en").approach)


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="'de'"):
        explain(profile_from_inputs(ProfileInputs()), "de")


def test_every_combination_of_route_and_quadrant_explains_without_gaps():
    seen = set()
    for lonely, isolated, answer, wish, safety in itertools.product(
        (True, False, None),
        (True, False, None),
        (None, "not_lonely", "lt_6_months", "1_to_2_years", "gt_2_years"),
        (None, "yes", "not_sure", "no"),
        (None, "yes"),
    ):
        inputs = ProfileInputs(
            lonely=lonely,
            isolated=isolated,
            duration_answer=answer,
            wish_to_change=wish,
            open_to_learning="yes",
            literacy="yes",
            safety=safety,
        )
        profile = profile_from_inputs(inputs)
        for lang in LANGUAGES:
            for text in all_strings(explain(profile, lang)):
                assert "None" not in text and not re.search(r"\{\w*\}", text)
        seen.add(profile.classification.rule_ids)
    assert len(seen) > 40


# --- the texts file is validated --------------------------------------------------------


def _shipped():
    path = profile_texts().source
    assert path == "profile.yaml"
    from importlib import resources

    return yaml.safe_load(
        (resources.files("verbind.core") / "texts" / "profile.yaml").read_text(encoding="utf-8")
    )


def test_shipped_texts_cover_every_required_key_in_both_languages():
    texts = profile_texts()
    assert set(texts.entries) == set(required_text_keys())
    for entry in texts.entries.values():
        assert set(entry) == set(LANGUAGES)


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (lambda d: d["headline"]["connected"].pop("en"), "headline.connected.en"),
        (lambda d: d["headline"].pop("connected"), "missing text(s): headline.connected"),
        (lambda d: d["events"].pop("illness"), "events.illness"),
        (
            lambda d: d["feeling"].update(shiny={"nl": "x", "en": "y"}),
            "does not use: feeling.shiny",
        ),
        (
            lambda d: d["route"]["course"]["steps"]["en"].pop(),
            "route.course.steps: nl has 3 texts, en has 2",
        ),
        (
            lambda d: d["feeling"]["score"].update(en="Your score is {points}."),
            "feeling.score: placeholders differ",
        ),
        (lambda d: d["disclaimer"].update(nl=["a", "b"]), "disclaimer.nl: expected one text"),
        (lambda d: d["disclaimer"].update(fr="Pas un diagnostic."), "unexpected fr"),
        (lambda d: d["disclaimer"].update(en="  "), "disclaimer.en"),
    ],
)
def test_a_broken_texts_file_is_refused_with_the_key_named(mutate, words):
    data = copy.deepcopy(_shipped())
    mutate(data)
    with pytest.raises(TextsError) as err:
        parse_texts(data, source="profile.yaml")
    assert words in str(err.value)
    assert str(err.value).startswith("profile.yaml: ")


def test_load_texts_reads_a_file(tmp_path):
    data = _shipped()
    data["unmet"]["literacy"].pop("missing")
    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(TextsError, match=r"unmet\.literacy\.missing"):
        load_texts(path)
    path.write_text("headline: [unclosed", encoding="utf-8")
    with pytest.raises(TextsError, match="not valid YAML"):
        load_texts(path)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_chosen_solitude_that_wants_change_reads_as_one_message(lang):
    # The person is not lonely, has few contacts and said they want to change something:
    # nothing they read may say there is no need to change, or that they like being alone.
    e = explain(profile_from_inputs(CASES["self_help_solitude"], today=TODAY), lang)
    assert e.route_title == profile_texts().text("route.self_help.title", lang)
    everything = " ".join((e.headline, *e.approach, *e.route, *e.next_steps)).lower()
    said_no_need = {
        "nl": ("niets te veranderen", "geen reden", "graag op uzelf"),
        "en": ("not need to change", "no reason to change", "like being on your own"),
    }[lang]
    assert not any(words in everything for words in said_no_need), everything
    assert ("iets wilt veranderen" if lang == "nl" else "like to change something") in everything
    # Without the wish, the same person is told plainly that nothing needs to change.
    alone = explain(profile_from_inputs(CASES["no_action_solitude"], today=TODAY), lang)
    said = " ".join((*alone.approach, *alone.route)).lower()
    assert said_no_need[0] in said


def test_reading_with_some_difficulty_offers_the_course_after_talking_with_a_coach():
    inputs = ProfileInputs(
        lonely=True,
        isolated=True,
        duration_answer="gt_2_years",
        wish_to_change="yes",
        open_to_learning="yes",
        literacy="some_difficulty",
    )
    profile = profile_from_inputs(inputs, today=TODAY)
    assert profile.classification.route == "course"
    assert profile.classification.course_needs_coach_agreement
    for lang, words in (("en", "talk with a coach first"), ("nl", "eerst met een coach")):
        route = " ".join(explain(profile, lang).route)
        assert words in route
        # Not "you read and write without difficulty": they said it takes some effort.
        assert "without difficulty" not in route and "zonder moeite" not in route


def test_the_reading_question_asks_about_the_language_of_the_test():
    from verbind.core.instrument import get_instrument

    item = next(i for i in get_instrument("context").items if i.id == "literacy")
    assert "English" in item.text.get("en") and "Dutch" not in item.text.get("en")
    assert "Nederlandse" in item.text.get("nl")
