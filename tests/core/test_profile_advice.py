"""Advice that fits the person: a strong network is not called isolation, very severe
loneliness is always offered a conversation, loneliness scales that disagree are flagged,
and the participant texts assume nothing the answers do not say."""

import datetime as dt
import itertools
import re

import pytest

from verbind.core.battery import get_battery
from verbind.core.crisis import crisis_help
from verbind.core.instrument import LANGUAGES
from verbind.core.profile import (
    LIFE_EVENTS,
    ROUTES,
    SEVERITIES,
    InputSummary,
    ProfileInputs,
    ScaleVerdict,
    build_profile,
    coach_flags,
    derive_inputs,
    explain,
    profile_from_inputs,
    profile_texts,
    required_text_keys,
)
from verbind.core.rule_settings import SettingsError, resolve_settings
from verbind.core.scoring import score
from verbind.core.tips import tips

TODAY = dt.date(2025, 6, 15)
OK = {"wish_to_change": "yes", "open_to_learning": "yes", "literacy": "yes"}


# Answers that score exactly what a test needs (as in test_profile_build.py).
def djg(instrument, emotional, social):
    """DJG answers scoring exactly ``emotional`` and ``social`` points."""
    emo, soc = (
        (("2", "3", "5", "6", "9", "10"), ("1", "4", "7", "8", "11"))
        if instrument == "djg11"
        else (("1", "2", "3"), ("4", "5", "6"))
    )
    answers = {item: ("ja" if n < emotional else "nee!") for n, item in enumerate(emo)}
    answers |= {item: ("nee" if n < social else "ja!") for n, item in enumerate(soc)}
    return score(instrument, answers)


def lsns6(total):
    codes, left = [], total
    for _ in range(6):
        codes.append(min(5, left))
        left -= codes[-1]
    return score("lsns6", {str(n + 1): c for n, c in enumerate(codes)})


def ucla3(total):
    values, left = [], total - 3
    for _ in range(3):
        values.append(1 + min(2, left))
        left -= values[-1] - 1
    return score("ucla3", {str(n + 1): v for n, v in enumerate(values)})


def results(*scored):
    return {r.instrument: r for r in scored}


def all_strings(explanation):
    return [
        text
        for section in explanation.sections
        for text in (section.heading or "", *section.paragraphs)
        if text
    ]


def single_childless_no_club():
    """Steptoe 2: no partner, no children (no point), monthly family and friends, no club."""
    return score(
        "steptoe",
        {
            "partner": "no",
            "children": "no_children",
            "family": "yes",
            "friends": "yes",
            "organisation": "no",
        },
    )


def context(**answers):
    return score("context", answers)


def duration(answer):
    return score("duration", {"duration": answer})


def words(profile, lang):
    return "\n".join(all_strings(explain(profile, lang)))


# --- 1. a strong network is not isolation --------------------------------------------------


def test_a_strong_network_with_a_steptoe_score_of_two_is_not_isolation():
    step = single_childless_no_club()
    assert step.total.value == 2
    profile = build_profile(
        results(djg("djg11", 0, 0), lsns6(18), step, context(wish_to_change="yes")),
        today=TODAY,
    )
    assert profile.inputs.isolated is False
    assert profile.quadrant == "connected"
    assert profile.isolation_disagrees  # both verdicts are kept, and the difference shown
    nl, en = words(profile, "nl"), words(profile, "en")
    assert "weinig contact" not in nl and "little contact" not in en
    assert "alleen wonen" not in nl and "living alone" not in en


def test_a_lonely_person_with_a_strong_network_gets_meaningful_connections():
    profile = build_profile(
        results(djg("djg11", 4, 0), lsns6(18), single_childless_no_club(), duration("lt_6_months")),
        today=TODAY,
    )
    assert profile.quadrant == "lonely_among_people"
    assert profile.route == "meaningful_connections"
    assert "weinig contact" not in words(profile, "nl")


@pytest.mark.parametrize(
    ("lsns", "steptoe_", "isolated"),
    [
        (False, True, False),  # LSNS-6 decides when it is answered
        (True, False, True),
        (True, True, True),
        (False, False, False),
        (None, True, True),  # Steptoe only without LSNS-6
        (None, False, False),
        (False, None, False),
    ],
)
def test_lsns6_decides_and_steptoe_only_without_it(lsns, steptoe_, isolated):
    summary = InputSummary(
        verdicts={"lsns6": ScaleVerdict(lsns), "steptoe": ScaleVerdict(steptoe_)}
    )
    assert derive_inputs(summary).isolated is isolated


def test_the_combination_setting_no_longer_offers_either():
    assert resolve_settings()["isolation_combine"] == "lsns6_first"
    with pytest.raises(SettingsError, match="allowed: one of lsns6_first, both"):
        resolve_settings({"isolation_combine": "either"})


@pytest.mark.parametrize("lsns_at_risk", [True, False])
def test_a_disagreement_between_the_network_questions_is_explained_in_neutral_words(
    lsns_at_risk,
):
    step = single_childless_no_club() if not lsns_at_risk else score(
        "steptoe",
        {"partner": "yes", "children": "yes", "family": "yes", "friends": "yes",
         "organisation": "yes"},
    )  # fmt: skip
    profile = build_profile(
        results(djg("djg11", 0, 0), lsns6(8 if lsns_at_risk else 18), step), today=TODAY
    )
    assert profile.isolation_disagrees
    assert "isolation_scales_disagree" in profile.flags
    for lang in LANGUAGES:
        situation = " ".join(explain(profile, lang).situation)
        key = "disagree_network_small" if lsns_at_risk else "disagree_network_enough"
        assert profile_texts().text(f"situation.{key}", lang) in situation
        # The coach sees the same difference as a flag, with the instruments named.
        assert any("LSNS-6" in flag and "Steptoe" in flag for flag in coach_flags(profile, lang))


# --- 2. severe loneliness is always offered a conversation --------------------------------


def test_very_severe_short_loneliness_is_offered_a_conversation_not_only_tips():
    profile = build_profile(
        results(
            djg("djg11", 6, 5),
            lsns6(4),
            duration("lt_6_months"),
            context(event_bereavement="yes", **OK),
        ),
        today=TODAY,
    )
    assert profile.inputs.severity == "very_severely_lonely"
    assert profile.route == "self_help"
    assert profile.classification.conversation_offered
    assert "offer.severe_loneliness" in profile.rule_ids
    for lang in LANGUAGES:
        e = explain(profile, lang)
        talk = " ".join(e.conversation)
        assert crisis_help().service("luisterlijn").sentence(lang) in talk
        assert ("huisarts" if lang == "nl" else "GP") in talk
        assert "coach" in talk
        assert "conversation" in [s.id for s in e.sections]


@pytest.mark.parametrize(
    ("instrument", "emotional", "social", "offered"),
    [
        ("djg11", 6, 3, True),  # 9: severely lonely
        ("djg11", 6, 2, False),  # 8: moderately lonely
        ("djg6", 3, 2, True),  # 5: severely lonely
        ("djg6", 3, 1, False),  # 4
    ],
)
def test_the_conversation_starts_at_djg11_nine_and_djg6_five(
    instrument, emotional, social, offered
):
    profile = build_profile(
        results(djg(instrument, emotional, social), lsns6(20), duration("lt_6_months")),
        today=TODAY,
    )
    assert profile.classification.conversation_offered is offered
    assert bool(explain(profile, "nl").conversation) is offered


SITUATIONS = [
    ProfileInputs(lonely=True, isolated=iso, duration_answer=answer, **context_)
    for iso, answer, context_ in itertools.product(
        (True, False, None),
        ("lt_6_months", "1_to_2_years", "gt_2_years", None),
        (OK, {"wish_to_change": "no"}, {"literacy": "no"}, {}),
    )
]


@pytest.mark.parametrize("severity", ["severely_lonely", "very_severely_lonely"])
def test_every_route_of_severe_loneliness_offers_coach_gp_and_listening_line(severity):
    routes = set()
    for inputs in SITUATIONS:
        for safety in ("yes", "no"):
            profile = profile_from_inputs(
                ProfileInputs(**{**inputs.to_dict(), "severity": severity, "safety": safety}),
                today=TODAY,
            )
            routes.add(profile.classification.effective_route)
            for lang in LANGUAGES:
                e = explain(profile, lang)
                offer = " ".join((*e.next_steps, *e.conversation))
                assert crisis_help().service("luisterlijn").sentence(lang) in offer
                assert ("huisarts" if lang == "nl" else "GP") in offer
                assert "coach" in offer
    lonely_routes = set(ROUTES) - {"crisis_help", "no_action"}
    assert routes == lonely_routes


def test_the_listening_line_is_written_out_only_in_crisis_yaml():
    # One place for its details; it is checked every year (see crisis.yaml).
    from importlib import resources

    texts = resources.files("verbind.core") / "texts"
    crisis_source = (texts / "crisis.yaml").read_text(encoding="utf-8")
    assert "088 0767 000" in crisis_source and "verify every year" in crisis_source
    for name in ("profile.yaml", "tips.yaml", "cli.yaml"):
        assert "0767" not in (texts / name).read_text(encoding="utf-8"), name


# --- 3. loneliness scales that disagree ----------------------------------------------------


def test_ucla3_at_its_maximum_with_djg11_zero_is_flagged_and_offered_a_conversation():
    profile = build_profile(
        results(djg("djg11", 0, 0), ucla3(9), lsns6(20), context(**OK)), today=TODAY
    )
    assert profile.inputs.lonely is False  # the DJG scale still decides the quadrant
    assert profile.inputs.loneliness_disagrees is True
    assert "loneliness_scales_disagree" in profile.flags
    assert profile.classification.conversation_offered
    assert profile.route == "alternative_support"
    nl, en = words(profile, "nl"), words(profile, "en")
    assert "Het gaat goed met u" not in nl and "You are doing well" not in en
    assert "U voelt zich niet eenzaam" not in nl and "You do not feel lonely" not in en
    for lang in LANGUAGES:
        e = explain(profile, lang)
        assert profile_texts().text("feeling.scales_disagree", lang) in e.feeling
        assert any("UCLA-3" in flag for flag in coach_flags(profile, lang))


def test_lonely_on_djg_but_not_on_ucla3_keeps_the_route_and_adds_a_conversation():
    profile = build_profile(
        results(djg("djg11", 4, 0), ucla3(3), lsns6(20), duration("gt_2_years"), context(**OK)),
        today=TODAY,
    )
    assert profile.inputs.loneliness_disagrees and profile.route == "course"
    assert profile.classification.conversation_offered
    e = explain(profile, "nl")
    assert profile_texts().text("feeling.scales_disagree", "nl") in e.feeling
    assert e.conversation


def test_scales_that_agree_are_not_flagged():
    profile = build_profile(results(djg("djg11", 0, 0), ucla3(3), lsns6(20)), today=TODAY)
    assert not profile.inputs.loneliness_disagrees and profile.flags == ()
    assert coach_flags(profile, "nl") == ()


# --- 4. texts --------------------------------------------------------------------------------


@pytest.mark.parametrize("living_alone", [True, False, None])
def test_the_living_alone_sentence_only_for_people_who_live_alone(living_alone):
    profile = profile_from_inputs(
        ProfileInputs(lonely=False, isolated=True, living_alone=living_alone), today=TODAY
    )
    for lang in LANGUAGES:
        health = profile_texts().text("approach.chosen_solitude_health", lang)
        assert (health in explain(profile, lang).approach) is (living_alone is True)


def test_the_short_test_does_not_speak_of_living_alone():
    battery = get_battery("short")
    assert "context_living_alone" not in {q.column for q in battery.questions("nl")}
    answers = {f"djg6_{i}": "no_strong" for i in (1, 2, 3)}
    answers |= {f"djg6_{i}": "yes_strong" for i in (4, 5, 6)}
    answers |= {f"lsns6_{i}": "none" for i in range(1, 7)}
    answers |= {
        "duration": "not_lonely",
        "context_wish_to_change": "no",
        "context_open_to_learning": "yes",
        "context_literacy": "yes",
        "context_safety": "no",
    }
    profile = build_profile(battery.score(answers), today=TODAY)
    assert profile.quadrant == "chosen_solitude"
    assert "alleen wonen" not in words(profile, "nl").lower()
    assert "living alone" not in words(profile, "en").lower()


def test_solitude_is_not_assumed_to_be_a_choice():
    for lang in LANGUAGES:
        text = profile_texts().text("approach.chosen_solitude", lang)
        assert "uw keuze" not in text and "your choice" not in text


def test_meaning_over_more_contact_does_not_contradict_the_group_tip():
    profile = profile_from_inputs(
        ProfileInputs(lonely=True, isolated=False, social=True, duration_answer="lt_6_months")
    )
    nl, en = words(profile, "nl"), words(profile, "en")
    assert profile_texts().text("approach.social", "nl") in nl  # "zoek een groep"
    assert "niet om meer contact" not in nl and "not about more contact" not in en


def test_a_score_level_is_said_gently_not_as_a_diagnosis():
    profile = build_profile(results(djg("djg11", 6, 5)), today=TODAY)
    nl, en = words(profile, "nl"), words(profile, "en")
    assert "Dat betekent: zeer ernstig eenzaam" not in nl
    assert "This means: very severely lonely" not in en
    assert "zeer ernstig eenzaam" in nl  # the level is still named, as an impression


# Instrument codes and names, and rule ids ("route.course", "quadrant.connected" ...).
CODES = re.compile(
    r"(?i:djg|lsns|steptoe|ucla)|Lubben|Gierveld|Rosenberg|RSES|\bONS\b|"
    r"\b(quadrant|duration|route|override|offer)\.[a-z_]+"
)


def participant_texts():
    """Every text a participant can read from the profile texts and the tips, both languages."""
    texts = profile_texts()
    coach_only = ("coach_flag.", "title.rules")
    for key in required_text_keys():
        if key.startswith(coach_only):
            continue
        for lang in LANGUAGES:
            value = texts.entries[key][lang]
            yield from (
                (f"{key}.{lang}", v) for v in ((value,) if isinstance(value, str) else value)
            )
    for lang in LANGUAGES:
        yield f"tips.title.{lang}", tips().title[lang]
        yield f"tips.intro.{lang}", tips().intro[lang]
        yield f"tips.closing.{lang}", tips().closing[lang]
        for section in tips().shown(lang):
            for n, text in enumerate((section.heading, section.intro, *section.tips)):
                yield f"tips.{section.id}[{n}].{lang}", text
            for link in section.links:
                yield f"tips.{section.id}.link.{lang}", link.label


def test_no_participant_text_names_an_instrument_or_a_rule():
    found = list(participant_texts())
    assert len(found) > 200  # both languages, every key, really scanned
    offenders = [f"{where}: {text}" for where, text in found if CODES.search(text)]
    assert offenders == []


def test_no_explanation_names_an_instrument_or_a_rule_outside_the_rules_section():
    for severity, iso, lonely, disagree in itertools.product(
        (None, *SEVERITIES), (True, False, None), (True, False, None), (True, False)
    ):
        profile = profile_from_inputs(
            ProfileInputs(
                lonely=lonely,
                severity=severity if lonely else None,
                isolated=iso,
                loneliness_disagrees=disagree and lonely is not None,
                life_events=LIFE_EVENTS,
                duration_answer="gt_2_years",
            )
        )
        for lang in LANGUAGES:
            e = explain(profile, lang)
            for section in e.sections:
                if section.id == "rules":
                    continue
                for text in (section.heading or "", *section.paragraphs):
                    assert not CODES.search(text), (section.id, text)


def test_severe_recent_loneliness_is_not_called_a_normal_part_of_life():
    mild = ProfileInputs(lonely=True, isolated=True, duration_answer="lt_6_months")
    severe = ProfileInputs(**{**mild.to_dict(), "severity": "very_severely_lonely"})
    for lang in LANGUAGES:
        normal = profile_texts().text("approach.transient", lang)
        assert normal in explain(profile_from_inputs(mild), lang).approach
        assert normal not in explain(profile_from_inputs(severe), lang).approach


def test_flags_are_read_back_from_a_stored_profile_even_an_older_one():
    profile = build_profile(results(djg("djg11", 0, 0), ucla3(9), lsns6(20)), today=TODAY)
    assert coach_flags(profile.to_dict(), "en") == coach_flags(profile, "en")
    # Stored before flags were kept: the isolation disagreement was stored on its own.
    older = {"isolation_disagrees": True}
    assert coach_flags(older, "nl") == (
        profile_texts().text("coach_flag.isolation_scales_disagree", "nl"),
    )
    assert coach_flags({}, "nl") == ()
    with pytest.raises(ValueError, match="language 'de'"):
        coach_flags(profile, "de")
