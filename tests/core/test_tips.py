"""Tips about making contact as data: the shipped file loads with every text in every
language, crisis help comes from the one source, and a wrong file is refused with the
file and the field named."""

from __future__ import annotations

import copy
import re
from importlib import resources

import pytest
import yaml

from verbind.core.crisis import crisis_help
from verbind.core.instrument import LANGUAGES
from verbind.core.tips import TipsError, load, parse, tips


def shipped() -> dict:
    return yaml.safe_load(
        (resources.files("verbind.core") / "texts" / "tips.yaml").read_text(encoding="utf-8")
    )


def test_the_shipped_tips_load_in_every_language():
    t = tips()
    ids = [s.id for s in t.sections]
    assert ids == ["small_steps", "more_meaning", "nearby", "when_hard"]
    for lang in LANGUAGES:
        shown = t.shown(lang)
        assert [s.id for s in shown] == ids
        assert all(s.heading and s.tips for s in shown)
        assert t.title[lang] and t.intro[lang] and t.closing[lang]


def test_dutch_tips_speak_with_u_outside_quoted_speech():
    informal = re.compile(r"\b(je|jij|jou|jouw|jezelf|jullie)\b", re.IGNORECASE)
    for s in tips().shown("nl"):
        for text in (s.heading, s.intro, *s.tips):
            assert not informal.search(re.sub(r"'[^']*'", "", text)), text


def test_when_it_is_hard_gives_the_gp_and_crisis_help_from_the_one_source():
    for lang in LANGUAGES:
        hard = {s.id: s for s in tips().shown(lang)}["when_hard"]
        text = " ".join(hard.tips)
        assert crisis_help().service("luisterlijn").sentence(lang) in text
        assert crisis_help().service("zelfmoordpreventie").sentence(lang) in text
        assert ("huisarts" if lang == "nl" else "GP") in text


def test_activities_nearby_name_the_welfare_organisation_and_the_library():
    nearby = {s.id: s for s in tips().shown("nl")}["nearby"]
    text = " ".join(nearby.tips)
    for place in ("welzijnsorganisatie", "bibliotheek", "buurthuis", "vrijwilligerswerk"):
        assert place in text
    assert [link.url for link in nearby.links] == ["https://www.eentegeneenzaamheid.nl"]


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="'de'"):
        tips().shown("de")


def _section(data, section_id):
    return next(s for s in data["sections"] if s["id"] == section_id)


def _drop_en_title(d):
    del d["title"]["en"]


def _unequal_tips(d):
    _section(d, "nearby")["tips"]["en"].pop()


def _html(d):
    _section(d, "small_steps")["tips"]["nl"][0] = "Lees <a href='x'>dit</a>."


def _markdown(d):
    _section(d, "small_steps")["tips"]["en"][1] = "Read [this](https://example.org)."


def _unknown_crisis(d):
    _section(d, "when_hard")["tips"]["en"][1] = "{crisis:samaritans}"


def _http_link(d):
    _section(d, "nearby")["links"][0]["url"] = "http://www.eentegeneenzaamheid.nl"


def _script_link(d):
    _section(d, "nearby")["links"][0]["url"] = "javascript:alert(1)"


def _duplicate_id(d):
    d["sections"][1]["id"] = d["sections"][0]["id"]


def _unknown_field(d):
    _section(d, "nearby")["photo"] = "x.png"


def _empty_tip(d):
    _section(d, "more_meaning")["tips"]["nl"][2] = "  "


def _no_sections(d):
    d["sections"] = []


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (_drop_en_title, r"tips.yaml: title: needs exactly the languages"),
        (_unequal_tips, r"sections\[2\] \(nearby\).tips: every language needs the same tips"),
        (_html, r"\(small_steps\).tips.nl\[0\]: plain text only"),
        (_markdown, r"\(small_steps\).tips.en\[1\]: plain text only"),
        (_unknown_crisis, r"\(when_hard\).tips.en\[1\]: \{crisis:samaritans\}"),
        (_http_link, r"\(nearby\).links\[0\].url: .* must be an https:// address"),
        (_script_link, r"must be an https:// address"),
        (_duplicate_id, r"sections: the ids must differ"),
        (_unknown_field, r"sections\[2\]: unknown field\(s\) photo"),
        (_empty_tip, r"\(more_meaning\).tips.nl\[2\]: text missing"),
        (_no_sections, r"sections: at least one section is needed"),
    ],
)
def test_a_wrong_file_is_refused_with_the_field_named(mutate, words):
    data = copy.deepcopy(shipped())
    mutate(data)
    with pytest.raises(TipsError, match=words):
        parse(data, source="tips.yaml")


def test_load_reads_a_file_and_names_it_when_it_is_not_yaml(tmp_path):
    good = tmp_path / "mine.yaml"
    good.write_text(yaml.safe_dump(shipped(), allow_unicode=True), encoding="utf-8")
    assert load(good).sections == tips().sections
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: [unclosed", encoding="utf-8")
    with pytest.raises(TipsError, match=r"bad.yaml: not valid YAML"):
        load(bad)
