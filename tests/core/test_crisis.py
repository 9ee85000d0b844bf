"""Crisis help as one source: the real numbers, a file that is wrong is refused with the field
named, references in other texts files become the service's sentence, and numbers in a text
are found for links. No other file writes a crisis number out."""

from __future__ import annotations

import copy
import re
from importlib import resources
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from verbind.core import crisis
from verbind.core.crisis import CrisisDataError, crisis_help, expand_references, parse
from verbind.core.instrument import LANGUAGES
from verbind.core.profile import TextsError, parse_texts, profile_texts

SRC = Path(__file__).resolve().parents[2] / "src" / "verbind"
CONTENT = Path(__file__).resolve().parents[2] / "src" / "verbind" / "content"


def shipped() -> dict:
    return yaml.safe_load(
        (resources.files("verbind.core") / "texts" / "crisis.yaml").read_text(encoding="utf-8")
    )


# --- the real numbers: a typo in the data must fail here ----------------------------------


def test_the_real_numbers_are_in_the_data():
    help_ = crisis_help()
    suicide = help_.service("zelfmoordpreventie")
    assert suicide.urgent
    assert (suicide.phone("short").display, suicide.phone("short").href) == ("113", "tel:113")
    assert (suicide.phone("free").display, suicide.phone("free").href) == (
        "0800-0113",
        "tel:08000113",
    )
    assert suicide.chat is not None
    assert (suicide.chat.url, suicide.chat.display) == ("https://www.113.nl", "113.nl")
    assert suicide.hours == {"nl": "Dag en nacht", "en": "Day and night"}
    emergency = help_.service("emergency")
    assert emergency.urgent and [p.href for p in emergency.phones] == ["tel:112"]
    listening = help_.service("luisterlijn")
    assert not listening.urgent
    assert [(p.display, p.href) for p in listening.phones] == [("088 0767 000", "tel:0880767000")]
    assert listening.hours["nl"] == "Dag en nacht"


def test_sentences_in_plain_words():
    help_ = crisis_help()
    assert help_.service("zelfmoordpreventie").sentence("nl") == (
        "Bel 113 Zelfmoordpreventie: 113 of gratis 0800-0113. Of chat via 113.nl. Dag en nacht."
    )
    assert help_.service("emergency").sentence("en") == "Are you in danger right now? Call 112."
    for service in help_.services:
        for lang in LANGUAGES:
            text = service.sentence(lang)
            assert "{" not in text and "}" not in text
            assert all(p.display in text for p in service.phones)
            assert service.chat is None or service.chat.display in text
            # B1: short sentences.
            assert all(len(s.split()) <= 12 for s in re.split(r"[.?!]\s", text)), text


def test_urgent_services_come_in_file_order():
    assert [s.id for s in crisis_help().urgent] == ["zelfmoordpreventie", "emergency"]
    assert crisis_help().sentences("nl", urgent_only=True) == tuple(
        s.sentence("nl") for s in crisis_help().urgent
    )


# --- a wrong file is refused, naming the field ----------------------------------------------


def _svc(data, service_id):
    return next(s for s in data["services"] if s["id"] == service_id)


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (
            lambda d: _svc(d, "zelfmoordpreventie")["phones"][1].update(tel="0800113"),
            "(zelfmoordpreventie).phones[1] (free): display '0800-0113' and tel '0800113' differ",
        ),
        (
            lambda d: _svc(d, "emergency")["phones"][0].update(display="121"),
            "display '121' and tel '112' differ",
        ),
        (
            lambda d: _svc(d, "emergency")["phones"][0].update(tel=112),
            "tel: 112 must be digits only",
        ),
        (
            lambda d: _svc(d, "luisterlijn")["sentence"].update(en="Call {name}. {hours}."),
            "(luisterlijn).sentence.en: must mention {main}",
        ),
        (
            lambda d: _svc(d, "zelfmoordpreventie")["sentence"].update(
                nl="Bel {name}: {short} of gratis {free}. {hours}."
            ),
            "sentence.nl: must mention {chat}",
        ),
        (
            lambda d: _svc(d, "emergency")["sentence"].update(nl="Bel {main} of {nummer}."),
            "unknown placeholder(s) nummer",
        ),
        (lambda d: _svc(d, "emergency")["name"].pop("en"), "(emergency).name: needs exactly"),
        (lambda d: _svc(d, "emergency")["hours"].update(en=" "), "(emergency).hours.en"),
        (lambda d: _svc(d, "emergency").update(urgent="yes"), "(emergency).urgent"),
        (lambda d: _svc(d, "emergency").update(phones=[]), "at least one phone number"),
        (lambda d: _svc(d, "emergency").update(website="x"), "unknown field(s) website"),
        (lambda d: _svc(d, "emergency").pop("hours"), "services[1]: missing hours"),
        (
            lambda d: _svc(d, "zelfmoordpreventie")["chat"].update(url="http://www.113.nl"),
            "must be an https:// address",
        ),
        (
            lambda d: _svc(d, "zelfmoordpreventie")["chat"].update(display="114.nl"),
            "chat.display: '114.nl'",
        ),
        (lambda d: _svc(d, "luisterlijn").update(id="emergency"), "the ids must differ"),
        (lambda d: [s.update(urgent=False) for s in d["services"]], "at least one must be urgent"),
        (lambda d: d.update(extra=1), "expected one top-level key"),
    ],
)
def test_a_wrong_file_is_refused_with_the_field_named(mutate, words):
    data = copy.deepcopy(shipped())
    mutate(data)
    with pytest.raises(CrisisDataError) as err:
        parse(data, source="crisis.yaml")
    assert words in str(err.value)
    assert str(err.value).startswith("crisis.yaml: ")


def test_load_reads_a_file(tmp_path):
    path = tmp_path / "crisis.yaml"
    path.write_text(yaml.safe_dump(shipped(), allow_unicode=True), encoding="utf-8")
    assert crisis.load(path).services == crisis_help().services
    path.write_text("services: [unclosed", encoding="utf-8")
    with pytest.raises(CrisisDataError, match="not valid YAML"):
        crisis.load(path)


# --- references from other texts ------------------------------------------------------------


def test_a_reference_becomes_the_sentence():
    for lang in LANGUAGES:
        sentence = crisis_help().service("luisterlijn").sentence(lang)
        assert expand_references("Of: {crisis:luisterlijn}", lang) == f"Of: {sentence}"
    assert expand_references("No reference {here}.", "nl") == "No reference {here}."


def test_an_unknown_reference_is_refused_with_the_place_named():
    with pytest.raises(CrisisDataError, match=r"route.x.nl: \{crisis:nope\}: no crisis service"):
        expand_references("Bel {crisis:nope}.", "nl", "route.x.nl")


def test_the_profile_texts_refuse_an_unknown_reference_naming_the_key():
    data = yaml.safe_load(
        (resources.files("verbind.core") / "texts" / "profile.yaml").read_text(encoding="utf-8")
    )
    data["help_footer"]["en"] = "Call {crisis:samaritans}."
    with pytest.raises(TextsError, match=r"profile.yaml: help_footer.en: \{crisis:samaritans\}"):
        parse_texts(data, source="profile.yaml")


def test_the_profile_texts_take_the_sentences_from_the_one_source():
    texts = profile_texts()
    for lang in LANGUAGES:
        steps = texts.items("route.crisis_help.steps", lang)
        assert steps[: len(crisis_help().urgent)] == crisis_help().sentences(lang, urgent_only=True)
        suicide = crisis_help().service("zelfmoordpreventie").sentence(lang)
        assert texts.text("help_footer", lang).endswith(suicide)


def test_no_other_file_writes_a_crisis_number_out():
    # One source: texts files and course readings refer to {crisis:<id>}, templates use
    # {% crisis_help %}.
    numbers = [p.display for s in crisis_help().services for p in s.phones if len(p.tel) > 3]
    tels = [p.href for s in crisis_help().services for p in s.phones]
    readings = sorted(CONTENT.glob("**/*.md"))
    assert any(p.name == "week-01.nl.md" for p in readings)  # the content is really scanned
    offenders = []
    for path in [*SRC.glob("core/texts/*.yaml"), *SRC.glob("templates/**/*.html"), *readings]:
        if path.name == "crisis.yaml":
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path}: {n}" for n in (*numbers, *tels) if n in text]
    assert offenders == []


def test_the_course_readings_take_crisis_help_from_the_one_source():
    from verbind.core.programme import load_programme, programme_path

    programme = load_programme(programme_path())
    for week, ids in (
        (1, ["zelfmoordpreventie", "emergency"]),
        (7, ["zelfmoordpreventie", "luisterlijn", "emergency"]),
    ):
        for lang in LANGUAGES:
            reading = programme.week(week).reading(lang).markdown
            assert "{crisis:" not in reading
            joined = " ".join(crisis_help().service(i).sentence(lang) for i in ids)
            assert joined in reading, (week, lang)


# --- numbers in a text, for links -----------------------------------------------------------


def test_numbers_and_the_chat_address_are_found_and_names_are_not():
    spans = crisis_help().link_spans(crisis_help().service("zelfmoordpreventie").sentence("nl"))
    links = [(s.text, s.href, s.kind) for s in spans if s.href]
    assert links == [
        ("113", "tel:113", "tel"),
        ("0800-0113", "tel:08000113", "tel"),
        ("113.nl", "https://www.113.nl", "chat"),
    ]
    # The name "113 Zelfmoordpreventie" stays plain text.
    assert any(s.text == "113 Zelfmoordpreventie" and s.href is None for s in spans)


@pytest.mark.parametrize(
    "text",
    ["1130", "0800-01130", "room 112b", "call 112-3", "www.113.nlx", "v1.112"],
)
def test_a_number_inside_a_longer_token_is_not_a_link(text):
    assert all(s.href is None for s in crisis_help().link_spans(text))


@given(st.lists(st.sampled_from(["113", "0800-0113", "112", " ", ".", "a", "113.nl", "-"])))
def test_spans_give_back_the_text(parts):
    text = "".join(parts)
    assert "".join(s.text for s in crisis_help().link_spans(text)) == text
