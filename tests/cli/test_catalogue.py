"""``verbind instruments``: the catalogue shows exactly what the definition files hold."""

import re

import pytest
from typer.testing import CliRunner

from verbind.cli.main import app
from verbind.core.instrument import registry

# Wide enough that no cell wraps, so every text can be found whole.
WIDE = {"COLUMNS": "400", "NO_COLOR": "1"}


def run(*args):
    return CliRunner().invoke(app, list(args), env=WIDE)


def _rows(output):
    """Table rows as lists of trimmed cells."""
    return [
        [c.strip() for c in re.split(r"[│┃]", line)[1:-1]]
        for line in output.splitlines()
        if line.startswith(("│", "┃"))
    ]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_list_shows_every_instrument_with_items_and_range(lang):
    result = run("instruments", "--lang", lang)
    assert result.exit_code == 0, result.output
    rows = {r[0]: r for r in _rows(result.output) if r and r[0] in registry()}
    assert set(rows) == set(registry())
    for inst in registry().values():
        _, title, items, _measures, span = rows[inst.id]
        assert title == inst.title.get(lang)
        assert items == str(len(inst.items))
        scale = inst.primary_scale
        assert span == (f"{scale.min}-{scale.max}" if scale else "-")
    # Hand facts from the manuals, so a wrong definition or a wrong column shows up here.
    assert rows["djg11"][2:] == ["11", rows["djg11"][3], "0-11"]
    assert rows["lsns6"][4] == "0-30"
    assert rows["context"][4] == "-"


def test_show_djg6_in_english_has_stem_items_options_keys_bands_and_settings():
    result = run("instruments", "show", "djg6", "--lang", "en")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Please indicate for each of the following statements" in out
    assert "I experience a general sense of emptiness." in out
    assert "There are enough people I feel close to." in out
    # Answer options with their file codes, in both forms.
    rows = _rows(out)
    assert ["1", "yes_strong", "ja!", "yes!"] in rows
    assert ["5", "no_strong", "nee!", "no!"] in rows
    assert ["2", "more_or_less", "min of meer", "more or less"] in rows  # 3-point form
    # Scoring key of a negative and a positive item.
    assert "negative: yes_strong=1 yes=1 more_or_less=1 no=0 no_strong=0" in out
    assert "positive: yes_strong=0 yes=0 more_or_less=1 no=1 no_strong=1" in out
    # Bands and cut-offs with the setting names that change them.
    assert "2-4  moderately_lonely (moderately lonely)" in out
    assert ">= 2: lonely  [djg6_lonely_cutoff]" in out
    assert ">= 1: emotionally lonely  [djg6_subscale_cutoff]" in out
    assert "Research on Aging 28(5):582-598" in out


def test_show_in_dutch_uses_the_dutch_wording():
    result = run("instruments", "show", "lsns6", "--lang", "nl")
    assert result.exit_code == 0, result.output
    inst = registry()["lsns6"]
    assert inst.stem.nl in result.output
    assert inst.items[0].text.nl in result.output
    assert inst.items[0].text.en not in result.output
    assert "< 12" in result.output and "[lsns6_isolation_cutoff]" in result.output


@pytest.mark.parametrize("inst_id", sorted(registry()))
def test_show_every_instrument_whole(inst_id):
    inst = registry()[inst_id]
    result = run("instruments", "show", inst_id, "--lang", "en")
    assert result.exit_code == 0, result.output
    out = result.output
    for item in inst.items:
        assert item.text.en in out, item.id
        assert inst.column(item.id) in out
        for flag in item.flags:
            assert f"flag {flag} on" in out
    for form in inst.forms.values():
        for opt in form.options:
            assert [str(opt.code), opt.key, opt.label.nl, opt.label.en] in _rows(out)
    for scale in inst.scales.values():
        assert f"{scale.id}: {scale.label.en}" in out
        if scale.cutoff is not None:
            assert f"[{scale.cutoff.setting}]" in out
        for band in scale.bands:
            assert f"{band.level} ({band.label.en})" in out
    if not inst.scales:
        assert "not scored" in out
    assert " ".join(inst.citation.split()[:6]) in " ".join(out.split())


def test_an_unknown_instrument_names_the_known_ones():
    result = run("instruments", "show", "djg12", "--lang", "en")
    assert result.exit_code == 2
    assert "There is no questionnaire djg12" in result.stderr
    assert "djg11" in result.stderr and "lsns6" in result.stderr
    assert result.stdout == ""


def test_a_bad_language_is_refused():
    result = run("instruments", "--lang", "fr")
    assert result.exit_code == 2
    assert "fr" in result.output


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "declare your file's coding in the mapping file, e.g. codings: {djg11: manual}"),
        ("nl", "geef in het mapping-bestand op welke codering uw bestand gebruikt"),
    ],
)
def test_the_3_point_codes_say_a_file_must_declare_its_coding(lang, words):
    result = run("instruments", "show", "djg11", "--lang", lang)
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert words in out
    label = {"en": ("no", "yes"), "nl": ("nee", "ja")}[lang]
    assert f"manual = 1 {label[0]}, 2 " in out and f", 3 {label[1]}" in out
