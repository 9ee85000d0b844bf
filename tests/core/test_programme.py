"""Programmes as content: the default programme is valid, and the validator finds every kind
of problem with the file and line it is on (checked on broken copies in tmp_path)."""

import re
import shutil

import pytest

from verbind.core.instrument import registry
from verbind.core.programme import (
    DEFAULT_PROGRAMME,
    EXERCISE_KINDS,
    MANIFEST,
    ProgrammeError,
    available_programmes,
    check_programme,
    count_words,
    load_programme,
    programme_path,
)

DEFAULT = programme_path()


# --- the default programme -------------------------------------------------------------------


def test_default_programme_is_valid_against_the_real_registry():
    assert check_programme(DEFAULT) == []
    p = load_programme(DEFAULT)
    assert p.slug == DEFAULT_PROGRAMME
    assert p.languages == ("nl", "en")
    assert [w.number for w in p.weeks] == list(range(1, 9))
    assert DEFAULT_PROGRAMME in available_programmes()


def test_default_programme_weeks_follow_the_seed_order():
    p = load_programme(DEFAULT)
    first_theme = [w.themes[0] for w in p.weeks]
    assert first_theme == [
        "self_knowledge",
        "social_perception",
        "creative_skills",
        "communication_patterns",
        "dealing_with_others",
        "making_choices",
        "self_care",
        "connecting",
    ]


@pytest.mark.parametrize("number", range(1, 9))
def test_each_week_has_2_to_4_exercises_with_a_practical_and_a_creative_one(number):
    week = load_programme(DEFAULT).week(number)
    kinds = [e.kind for e in week.exercises]
    assert 2 <= len(kinds) <= 4
    assert set(kinds) <= set(EXERCISE_KINDS)
    assert kinds.count("practical") == 1
    assert "creative" in kinds
    # A creative assignment may be a photo of something made.
    assert all(e.accepts_photo for e in week.exercises if e.kind == "creative")
    for r in week.readings:
        assert r.word_count <= 600, (r.source_file, r.word_count)
        assert r.title and r.markdown.strip()
    for e in week.exercises:
        assert e.title.get("nl") != e.title.get("en")  # really translated, not copied
        assert e.prompt.get("nl") and e.prompt.get("en")


def test_default_check_ins_are_weekly_djg6_and_mood_and_the_full_set_at_0_4_8_and_follow_up():
    p = load_programme(DEFAULT)
    for week in range(0, 9):
        got = p.check_in_instruments(week)
        assert {"djg6", "mood"} <= set(got)
        assert ({"djg11", "lsns6", "rses"} <= set(got)) == (week in (0, 4, 8))
    (follow_up,) = p.follow_ups()
    assert follow_up.months_after_end == 3
    assert set(follow_up.instruments) >= {"djg11", "lsns6", "rses"}
    assert set(follow_up.instruments) <= set(registry())


_JARGON = re.compile(
    r"et al\.|Masi|Cacioppo|Käll|Seewer|\bCBT\b|\bEAST\b|cogniti|meta-analy|\(\d{4}\)", re.I
)


def test_readings_are_free_of_sources_and_jargon_and_short_sentenced():
    p = load_programme(DEFAULT)
    for w in p.weeks:
        for r in w.readings:
            assert not _JARGON.search(r.markdown), (r.source_file, _JARGON.search(r.markdown))
            text = re.sub(r"^#.*$", "", r.markdown, flags=re.M)
            sentences = [s for s in re.split(r"[.!?:;]+\s|\n", text) if count_words(s)]
            lengths = [count_words(s) for s in sentences]
            # B1: short sentences. The mean is what a reader feels; no sentence runs on.
            assert sum(lengths) / len(lengths) <= 10, r.source_file
            assert max(lengths) <= 25, r.source_file


def test_dutch_readings_use_the_u_form_and_crisis_help_is_given():
    # Like the rest of verbind; the full check (quoted speech aside) is in
    # tests/web/test_form_of_address.py.
    p = load_programme(DEFAULT)
    for w in p.weeks:
        nl = w.reading("nl").markdown
        assert re.search(r"\b(u|uw)\b", nl), w.number
    assert "0800-0113" in p.week(1).reading("nl").markdown
    assert "0800-0113" in p.week(1).reading("en").markdown
    assert "112" in p.week(7).reading("nl").markdown


def test_every_source_in_the_manifest_is_named_in_the_readme():
    p = load_programme(DEFAULT)
    assert p.sources
    readme = (DEFAULT / "README.md").read_text(encoding="utf-8")
    for source in p.sources:
        first_author = source.citation.split()[0]
        assert first_author in readme, source.id


def test_content_dir_can_be_moved_with_an_environment_variable(tmp_path, monkeypatch):
    shutil.copytree(DEFAULT, tmp_path / "programmes" / "mine")
    monkeypatch.setenv("VERBIND_CONTENT_DIR", str(tmp_path))
    assert available_programmes() == ["mine"]
    assert programme_path("mine") == tmp_path / "programmes" / "mine"


# --- broken copies -------------------------------------------------------------------------


@pytest.fixture
def prog(tmp_path):
    """A copy of the default programme in a folder with the same name (the slug must match)."""
    dest = tmp_path / DEFAULT_PROGRAMME
    shutil.copytree(DEFAULT, dest)
    return dest


def edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path, needle, nth=1, whole=False):
    """1-based line number of the nth line containing ``needle`` (or equal to it, ``whole``),
    found independently of the validator."""
    hits = [
        n
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if (line == needle if whole else needle in line)
    ]
    assert len(hits) >= nth, f"{needle!r} not found {nth}x in {path.name}"
    return hits[nth - 1]


def find(problems, code, file=None):
    return [p for p in problems if p.code == code and (file is None or p.file == file)]


def assert_problem(problems, code, file, line, *words):
    matches = [p for p in find(problems, code, file) if p.line == line]
    assert matches, f"no {code} at {file}:{line}; got:\n" + "\n".join(map(str, problems))
    for word in words:
        assert any(word in p.message for p in matches), (word, [p.message for p in matches])


def test_missing_week_files(prog):
    (prog / "week-03.nl.md").unlink()
    (prog / "week-03.en.md").unlink()
    problems = check_programme(prog)
    assert_problem(
        problems,
        "missing_week",
        MANIFEST,
        line_of(prog / MANIFEST, "- number: 3"),
        "week 3",
        "week-03.nl.md",
    )


def test_missing_week_in_the_manifest(prog):
    edit(prog / MANIFEST, "  - number: 7\n    themes: [self_care]\n", "")
    problems = check_programme(prog)
    assert_problem(
        problems, "missing_week", MANIFEST, line_of(prog / MANIFEST, "weeks:", whole=True), "week 7"
    )


def test_missing_language(prog):
    (prog / "week-05.en.md").unlink()
    problems = check_programme(prog)
    assert_problem(
        problems,
        "missing_language",
        MANIFEST,
        line_of(prog / MANIFEST, "- number: 5"),
        "week-05.en.md",
    )
    assert len(problems) == 1


def test_exercise_without_an_id(prog):
    f = prog / "week-02.nl.md"
    edit(f, "  - id: w2-small-mistake\n    kind: reflection", "  - kind: reflection")
    problems = check_programme(prog)
    assert_problem(problems, "missing_id", f.name, line_of(f, "  - kind: reflection"), "exercise 2")
    assert len(problems) == 1  # not also "ids differ" in the English week 2


def test_duplicate_id_in_a_week(prog):
    f = prog / "week-04.nl.md"
    edit(f, "id: w4-one-question-back", "id: w4-my-patterns")
    problems = check_programme(prog)
    assert_problem(
        problems,
        "duplicate_id",
        f.name,
        line_of(f, "id: w4-my-patterns", nth=2),
        "w4-my-patterns",
        f"{f.name}:{line_of(f, 'id: w4-my-patterns')}",
    )


def test_duplicate_id_across_weeks(prog):
    f = prog / "week-05.en.md"
    edit(f, "id: w5-boundaries", "id: w1-my-circle")
    problems = check_programme(prog)
    first = prog / "week-01.en.md"
    assert_problem(
        problems,
        "duplicate_id",
        f.name,
        line_of(f, "id: w1-my-circle"),
        f"week-01.en.md:{line_of(first, 'id: w1-my-circle')}",
    )


def test_duplicate_theme_and_yaml_key(prog):
    m = prog / MANIFEST
    edit(m, "  - id: connecting\n", "  - id: self_care\n")
    edit(m, "week_count: 8\n", "week_count: 8\nweek_count: 8\n")
    problems = check_programme(prog)
    assert_problem(
        problems, "duplicate_id", MANIFEST, line_of(m, "- id: self_care", nth=2), "self_care"
    )
    assert_problem(problems, "duplicate_key", MANIFEST, line_of(m, "week_count: 8", nth=2))
    # week 8 now refers to a theme that no longer exists
    assert_problem(
        problems, "broken_reference", MANIFEST, line_of(m, "themes: [connecting]"), "connecting"
    )


def test_broken_reference_to_a_theme(prog):
    m = prog / MANIFEST
    edit(m, "themes: [creative_skills]", "themes: [creativity]")
    problems = check_programme(prog)
    assert_problem(problems, "broken_reference", MANIFEST, line_of(m, "[creativity]"), "creativity")
    assert len(problems) == 1


def test_broken_reference_to_an_exercise(prog):
    m = prog / MANIFEST
    edit(m, "feedback_moments: [w6-action-plan]", "feedback_moments: [w6-plan]")
    problems = check_programme(prog)
    assert_problem(
        problems, "broken_reference", MANIFEST, line_of(m, "[w6-plan]"), "w6-plan", "week 6"
    )
    assert len(problems) == 1


def test_feedback_moment_contradiction_between_manifest_and_front_matter(prog):
    f = prog / "week-06.nl.md"
    edit(f, "    feedback_moment: true\n", "    feedback_moment: false\n")
    edit(prog / "week-06.en.md", "    feedback_moment: true\n", "    feedback_moment: false\n")
    problems = check_programme(prog)
    assert_problem(
        problems, "invalid_value", f.name, line_of(f, "feedback_moment: false"), "w6-action-plan"
    )


def test_links_to_missing_files_and_outside_the_folder(prog):
    f = prog / "week-01.nl.md"
    (prog / "images").mkdir()
    (prog / "images" / "cirkels.png").write_bytes(b"\x89PNG")
    text = f.read_text(encoding="utf-8")
    f.write_text(
        text
        + "\nZie ook [week 9](week-09.nl.md) en ![cirkels](images/cirkels.png).\n"
        + "\n[geheim]: ../../geheim.txt\n"
        + "\n[113](https://www.113.nl) en [boven](#week-1) en [mail](mailto:a@b.nl).\n",
        encoding="utf-8",
    )
    problems = check_programme(prog)
    assert_problem(problems, "broken_link", f.name, line_of(f, "[week 9]"), "week-09.nl.md")
    assert_problem(problems, "broken_link", f.name, line_of(f, "[geheim]:"), "outside")
    assert len(problems) == 2  # the image exists; web, anchor and mail links are not files


def test_check_in_naming_an_unknown_instrument(prog):
    m = prog / MANIFEST
    edit(m, "instruments: [djg6, mood]", "instruments: [djg6, moood]")
    edit(m, "  - number: 3\n", "  - number: 3\n    check_in: [ucla3, phq9]\n")
    problems = check_programme(prog)
    assert_problem(problems, "unknown_instrument", MANIFEST, line_of(m, "moood"), "'moood'")
    assert_problem(problems, "unknown_instrument", MANIFEST, line_of(m, "phq9"), "'phq9'")
    assert len(problems) == 2  # ucla3 is in the registry


def test_instruments_can_be_given_explicitly(prog):
    problems = check_programme(prog, instruments={"djg6", "mood"})
    named = {re.search(r"instrument '(\w+)'", p.message)[1] for p in problems}
    assert {p.code for p in problems} == {"unknown_instrument"}
    assert named == {
        "djg11",
        "lsns6",
        "rses",
    }


def test_an_unknown_crisis_reference_is_reported_with_file_and_line(prog):
    reading = prog / "week-07.nl.md"
    edit(reading, "{crisis:luisterlijn}", "{crisis:sensoor}")
    exercise = prog / "week-03.en.md"
    edit(
        exercise,
        "    prompt: >-\n      Choose a wish,",
        "    prompt: >-\n      {crisis:samaritans} Choose a wish,",
    )
    problems = check_programme(prog)
    assert_problem(
        problems,
        "unknown_crisis_reference",
        reading.name,
        line_of(reading, "{crisis:sensoor}"),
        "{crisis:sensoor}",
        "luisterlijn",  # the known services are named, so the fix is plain
    )
    # A prompt is folded by YAML: its field's line is the place.
    prompt_line = line_of(exercise, "Choose a wish,") - 1
    assert_problem(problems, "unknown_crisis_reference", exercise.name, prompt_line, "samaritans")
    assert len(problems) == 2
    with pytest.raises(ProgrammeError, match="sensoor"):
        load_programme(prog)


def test_a_crisis_reference_in_a_prompt_becomes_the_service_sentence(prog):
    from verbind.core.crisis import crisis_help

    # A reference in the prompt of the first exercise, in both languages.
    edit(
        prog / "week-03.en.md",
        "      This week, make something",
        "      {crisis:luisterlijn} This week, make something",
    )
    nl = prog / "week-03.nl.md"
    first_prompt = line_of(nl, "prompt:") + 1
    lines = nl.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[first_prompt - 1] = lines[first_prompt - 1].replace(
        "      ", "      {crisis:luisterlijn} ", 1
    )
    nl.write_text("".join(lines), encoding="utf-8")
    assert check_programme(prog) == []
    exercise = load_programme(prog).week(3).exercises[0]
    for lang in ("nl", "en"):
        prompt = exercise.prompt.get(lang)
        assert prompt.startswith(crisis_help().service("luisterlijn").sentence(lang) + " ")
        assert "{crisis:" not in prompt


def test_reading_longer_than_the_limit(prog):
    f = prog / "week-07.en.md"
    edit(f, "## This week\n", "## This week\n\n" + "word " * 700 + "\n\n")
    problems = check_programme(prog)
    body_line = line_of(f, "# Week 7:")
    assert_problem(problems, "reading_too_long", f.name, body_line, "limit is 600")
    assert len(problems) == 1


def test_word_limit_comes_from_the_manifest_or_the_caller(prog):
    assert len(find(check_programme(prog, word_limit=100), "reading_too_long")) == 16
    edit(prog / MANIFEST, "reading_word_limit: 600", "reading_word_limit: 420")
    too_long = find(check_programme(prog), "reading_too_long")
    real = load_programme(DEFAULT)
    expected = {r.source_file for w in real.weeks for r in w.readings if r.word_count > 420}
    assert expected and {p.file for p in too_long} == expected


def test_front_matter_that_is_not_valid_yaml(prog):
    f = prog / "week-06.nl.md"
    edit(f, "title: Keuzes maken\n", "title: Keuzes: maken\n")
    problems = check_programme(prog)
    assert_problem(problems, "invalid_yaml", f.name, line_of(f, "title: Keuzes: maken"))


def test_manifest_that_is_not_valid_yaml(prog):
    m = prog / MANIFEST
    edit(m, "week_count: 8", "week_count: [8")
    problems = check_programme(prog)
    assert [p.code for p in problems] == ["invalid_yaml"]
    assert problems[0].file == MANIFEST and problems[0].line is not None


def test_no_front_matter(prog):
    f = prog / "week-02.en.md"
    f.write_text("# Week 2\n\nJust a reading.\n", encoding="utf-8")
    problems = check_programme(prog)
    assert_problem(problems, "no_front_matter", f.name, 1)


def test_exercise_ids_that_differ_between_languages(prog):
    f = prog / "week-03.en.md"
    edit(f, "id: w3-ten-ways", "id: w3-ten-ideas")
    problems = check_programme(prog)
    assert_problem(
        problems,
        "language_mismatch",
        f.name,
        line_of(f, "exercises:"),
        "week-03.nl.md",
        "w3-ten-ways",
        "w3-ten-ideas",
    )


def test_exercise_kind_that_differs_between_languages(prog):
    f = prog / "week-07.en.md"
    edit(f, "    kind: reflection\n", "    kind: writing\n")
    problems = check_programme(prog)
    line = line_of(f, "kind: writing", nth=2)  # w7-look-back, the second writing now
    assert_problem(problems, "language_mismatch", f.name, line, "w7-look-back", "kind")


def test_exercise_field_errors(prog):
    f = prog / "week-01.en.md"
    edit(f, "    kind: reflection\n", "    kind: reflexion\n")
    edit(f, "    feedback_moment: true\n", "    feedback: true\n")
    edit(f, "    kind: practical\n", "    kind: practical\n    accepts_photo: true\n")
    edit(f, "    title: My circles\n", "")
    problems = check_programme(prog)
    assert_problem(problems, "invalid_value", f.name, line_of(f, "kind: reflexion"), "reflexion")
    assert_problem(problems, "unknown_field", f.name, line_of(f, "feedback: true"), "feedback")
    assert_problem(
        problems,
        "invalid_value",
        f.name,
        line_of(f, "accepts_photo: true", nth=2),
        "only a creative",
    )
    assert_problem(problems, "missing_field", f.name, line_of(f, "- id: w1-my-circle"), "title")


def test_unexpected_files_and_slug(prog):
    shutil.copy(prog / "week-01.nl.md", prog / "week-09.nl.md")
    shutil.copy(prog / "week-01.nl.md", prog / "week-01.de.md")
    (prog / "week-1.nl.md").write_text("---\n", encoding="utf-8")
    edit(prog / MANIFEST, "slug: verbinden-in-8-weken", "slug: verbinden")
    problems = check_programme(prog)
    assert {p.file for p in find(problems, "unexpected_file")} == {
        "week-09.nl.md",
        "week-01.de.md",
        "week-1.nl.md",
    }
    assert_problem(
        problems, "invalid_value", MANIFEST, line_of(prog / MANIFEST, "slug:"), "folder name"
    )


def test_missing_manifest_and_folder(tmp_path):
    assert [p.code for p in check_programme(tmp_path / "nothing")] == ["missing_file"]
    (tmp_path / "empty").mkdir()
    assert [(p.file, p.code) for p in check_programme(tmp_path / "empty")] == [
        (MANIFEST, "missing_file")
    ]


def test_every_problem_is_reported_at_once_and_load_refuses(prog):
    (prog / "week-05.en.md").unlink()
    edit(prog / MANIFEST, "themes: [creative_skills]", "themes: [creativity]")
    edit(prog / MANIFEST, "instruments: [djg6, mood]", "instruments: [djg6, moood]")
    edit(prog / "week-04.nl.md", "id: w4-one-question-back", "id: w4-my-patterns")
    edit(prog / "week-06.nl.md", "title: Keuzes maken\n", "title: Keuzes: maken\n")
    edit(prog / "week-03.en.md", "id: w3-ten-ways", "id: w3-ten-ideas")
    problems = check_programme(prog)
    codes = {p.code for p in problems}
    assert codes >= {
        "missing_language",
        "broken_reference",
        "unknown_instrument",
        "duplicate_id",
        "invalid_yaml",
        "language_mismatch",
    }
    assert all(p.file and p.line for p in problems), problems
    with pytest.raises(ProgrammeError) as err:
        load_programme(prog)
    assert err.value.problems == problems
    for p in problems:
        assert str(p) in str(err.value)


def test_a_programme_with_one_language_and_fewer_weeks(tmp_path):
    """An organisation's own programme: Dutch only, 2 weeks, no check-ins, no themes."""
    root = tmp_path / "kort"
    root.mkdir()
    (root / MANIFEST).write_text(
        "slug: kort\ntitle: {nl: Kort}\nlanguages: [nl]\nweek_count: 2\n"
        "weeks:\n  - number: 1\n  - number: 2\n    feedback_moments: [b]\n",
        encoding="utf-8",
    )
    for n, eid in ((1, "a"), (2, "b")):
        (root / f"week-0{n}.nl.md").write_text(
            f"---\ntitle: Week {n}\nexercises:\n  - id: {eid}\n    kind: writing\n"
            f"    title: Schrijf\n    prompt: Schrijf iets.\n---\nLees dit.\n",
            encoding="utf-8",
        )
    p = load_programme(root)
    assert p.languages == ("nl",) and p.week_count == 2
    assert p.week(2).feedback_moments == ("b",)
    assert p.week(1).reading("en").lang == "nl"  # falls back to the programme's language
    assert p.check_in_instruments(1) == ()


def test_the_default_content_ships_inside_the_package(monkeypatch):
    """An installed wheel must have its course: the default content folder is inside the
    ``verbind`` package and every file in it is declared as package data."""
    import fnmatch
    import tomllib
    from pathlib import Path

    import verbind
    from verbind.core import programme as programme_module

    monkeypatch.delenv("VERBIND_CONTENT_DIR", raising=False)
    package = Path(verbind.__file__).resolve().parent
    folder = programme_module.content_dir()
    assert folder == package / "content"
    files = [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert any(p.name == "programme.yaml" for p in files)
    root = package.parents[1]
    globs = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["verbind"]
    for path in files:
        relative = path.relative_to(package).as_posix()
        assert any(fnmatch.fnmatch(relative, g) for g in globs), f"{relative} is not package data"


def test_words_a_b1_reader_knows_and_a_ladder_of_small_steps():
    p = load_programme(DEFAULT)
    nl = {w.number: w.reading("nl").markdown for w in p.weeks}
    en = {w.number: w.reading("en").markdown for w in p.weeks}
    # Loneliness is a feeling; being alone is a situation.
    assert "lang alleen bent" not in nl[2] and "zich lang eenzaam voelt" in nl[2]
    assert "alone for a long time" not in en[2] and "felt lonely for a long time" in en[2]
    assert "daartegen" not in nl[5] and "daar tegen" not in nl[5]
    assert "zelfmedelijden" not in nl[7] and "self-pity" not in en[7]
    # Avoidance: small social steps from easy to hard; the next one when the last feels
    # manageable.
    assert "## Een ladder van kleine stappen" in nl[6]
    assert "## A ladder of small steps" in en[6]
    plan = p.week(6).exercise("w6-action-plan")
    assert "ladder" in plan.prompt.get("nl") and "ladder" in plan.prompt.get("en")


def test_a_feedback_moment_is_named_in_the_manifest_or_in_the_front_matter(prog):
    for lang in ("nl", "en"):  # w6-action-plan: now only the manifest names it
        edit(prog / f"week-06.{lang}.md", "    feedback_moment: true\n", "")
    # w1-where-i-stand: now only its front matter says so
    edit(prog / MANIFEST, "    feedback_moments: [w1-where-i-stand]\n", "")
    p = load_programme(prog)
    assert p.week(6).exercise("w6-action-plan").feedback_moment
    assert p.week(1).feedback_moments == ("w1-where-i-stand",)
    assert not p.week(1).exercise("w1-my-circle").feedback_moment


# --- shape errors (the schema) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "old", "new", "needle", "code", "words"),
    [
        (
            MANIFEST,
            "week_count: 8",
            "week_count: eight",
            "week_count: eight",
            "invalid_value",
            ["week_count", "whole number", "'eight'"],
        ),
        (
            MANIFEST,
            "reading_word_limit: 600",
            "reading_word_limit: 0",
            "reading_word_limit: 0",
            "invalid_value",
            ["reading_word_limit", "at least 1"],
        ),
        (
            MANIFEST,
            "week_count: 8\n",
            "week_count: 8\ncolour: blue\n",
            "colour: blue",
            "unknown_field",
            ["'colour'", "allowed:", "week_count"],
        ),
        (
            MANIFEST,
            "title: {nl: Zelfkennis, en: Self-knowledge}",
            "title: {nl: Zelfkennis}",
            "title: {nl: Zelfkennis}",
            "missing_language",
            ["theme 'self_knowledge' title", "'en'"],
        ),
        (
            MANIFEST,
            "title: {nl: Zelfkennis, en: Self-knowledge}",
            "title: {nl: Zelfkennis, en: Self-knowledge, de: Selbstkenntnis}",
            "de: Selbstkenntnis",
            "unknown_field",
            ["'de'", "not in the programme's languages (nl, en)"],
        ),
        (
            MANIFEST,
            "    weeks: [0, 4, 8]",
            "    weeks: [0, 4, 9]",
            "weeks: [0, 4, 9]",
            "invalid_value",
            ["check-in 'full_set' weeks", "week 9", "between 0 and 8"],
        ),
        (
            MANIFEST,
            "    weeks: all",
            "    weeks: al",
            "weeks: al",
            "invalid_value",
            ["check-in 'weekly' weeks", "'all'"],
        ),
        (
            MANIFEST,
            "    months_after_end: 3",
            "    months_after_end: 3\n    weeks: [8]",
            "- id: follow_up",
            "invalid_value",
            ["check-in 'follow_up'", "either weeks", "months_after_end"],
        ),
        (
            "week-02.en.md",
            "    feedback_moment: true",
            "    feedback_moment: yes please",
            "feedback_moment: yes please",
            "invalid_value",
            ["exercise 'w2-catch-the-lens' feedback_moment", "true or false", "'yes please'"],
        ),
        (
            "week-02.en.md",
            "    kind: writing",
            "    kind: essay",
            "kind: essay",
            "invalid_value",
            ["exercise 'w2-catch-the-lens' kind", "'writing'", "'creative'", "'essay'"],
        ),
        (
            "week-05.nl.md",
            "title: ",
            "titel: ",
            "titel: ",
            "unknown_field",
            ["front matter", "'titel'", "did you mean 'title'"],
        ),
        (
            "week-05.nl.md",
            "  - id: w5-boundaries",
            "  - id: W5 Boundaries",
            "- id: W5 Boundaries",
            "invalid_value",
            ["'W5 Boundaries' is not a valid id", "lower-case"],
        ),
    ],
)
def test_a_shape_error_names_the_key_and_its_line(prog, file, old, new, needle, code, words):
    path = prog / file
    edit(path, old, new)
    problems = check_programme(prog)
    assert_problem(problems, code, file, line_of(path, needle), *words)


def test_a_misspelt_exercise_field_is_unknown_and_the_real_one_missing(prog):
    f = prog / "week-03.nl.md"
    edit(f, "    prompt: >-", "    promt: >-")
    problems = check_programme(prog)
    assert_problem(problems, "unknown_field", f.name, line_of(f, "promt:"), "did you mean 'prompt'")
    exercise_line = line_of(f, "  - id: w3-", nth=1)
    assert_problem(problems, "missing_field", f.name, exercise_line, "'prompt' is missing")
    assert len(problems) == 2  # no follow-on problems in the English file


def test_several_problems_in_one_file_are_reported_together_with_their_lines(prog):
    m = prog / MANIFEST
    edit(m, "week_count: 8", "week_count: 8\nweek_count: 8")  # a key twice
    edit(m, 'version: "1.0"', "version: [1]")  # a list where text belongs
    edit(m, "  - id: self_care\n", "  - id: Self care!\n")  # not an id
    edit(m, "    title: {nl: Verbinden, en: Connecting}\n", "")  # a theme without its title
    edit(m, "[djg6, mood]", "[djg6, moood]")  # an instrument verbind does not know
    edit(m, "themes: [self_care]", "themes: [Self care!, rest]")  # a theme that does not exist
    edit(m, "    months_after_end: 3", "    months_after_end: three")  # not a number
    edit(m, "feedback_moments: [w4-my-patterns]", "feedback_moments: [w4-patterns]")
    problems = check_programme(prog)
    expected = [
        ("duplicate_key", line_of(m, "week_count: 8", nth=2), "'week_count'"),
        ("invalid_value", line_of(m, "version: [1]"), "version: must be text, got a list"),
        ("invalid_value", line_of(m, "Self care!"), "'Self care!' is not a valid id"),
        ("missing_field", line_of(m, "- id: connecting"), "theme 'connecting'"),
        ("unknown_instrument", line_of(m, "moood"), "'moood'"),
        ("broken_reference", line_of(m, "[Self care!, rest]"), "theme 'rest'"),
        ("invalid_value", line_of(m, "three"), "months_after_end: must be a whole number"),
        ("broken_reference", line_of(m, "w4-patterns"), "'w4-patterns'"),
    ]
    for code, line, words in expected:
        assert_problem(problems, code, MANIFEST, line, words)
    # Week 8 names the theme 'connecting', which has a problem of its own, and week 7 the
    # theme 'Self care!': each problem is reported once, not again as a broken reference.
    assert sorted((p.code, p.line) for p in problems) == sorted((c, n) for c, n, _ in expected)


def test_one_mistake_in_an_exercise_is_one_problem_not_a_language_mismatch_too(prog):
    f = prog / "week-07.en.md"
    edit(f, "    kind: reflection\n", "    kind: reflexion\n")
    problems = check_programme(prog)
    assert [(p.file, p.line, p.code) for p in problems] == [
        (f.name, line_of(f, "kind: reflexion"), "invalid_value")
    ]


def test_with_a_wrong_week_count_the_week_files_are_still_checked(prog):
    edit(prog / MANIFEST, "week_count: 8", "week_count: acht")
    f = prog / "week-04.nl.md"
    edit(f, "id: w4-one-question-back", "id: w4-my-patterns")
    problems = check_programme(prog)
    assert_problem(
        problems, "invalid_value", MANIFEST, line_of(prog / MANIFEST, "week_count: acht")
    )
    assert_problem(problems, "duplicate_id", f.name, line_of(f, "id: w4-my-patterns", nth=2))


def test_a_manifest_or_front_matter_that_is_not_a_mapping(prog):
    (prog / "week-02.nl.md").write_text("---\n---\nLees dit.\n", encoding="utf-8")
    problems = check_programme(prog)
    assert_problem(problems, "invalid_value", "week-02.nl.md", 2, "front matter is empty")
    (prog / MANIFEST).write_text("- just\n- a list\n", encoding="utf-8")
    problems = check_programme(prog)
    assert [(p.file, p.line, p.code) for p in problems] == [(MANIFEST, 1, "invalid_value")]
    assert "must be a mapping of fields" in problems[0].message


def test_an_empty_value_is_called_empty_and_an_empty_id_is_a_missing_id(prog):
    f = prog / "week-01.nl.md"
    edit(f, "    feedback_moment: true", "    feedback_moment:")
    edit(f, "  - id: w1-my-circle", "  - id:")
    problems = check_programme(prog)
    assert_problem(
        problems,
        "invalid_value",
        f.name,
        line_of(f, "feedback_moment:"),
        "exercise 'w1-where-i-stand' feedback_moment: must be true or false, but it is empty",
    )
    assert_problem(problems, "missing_id", f.name, line_of(f, "  - id:", whole=True), "exercise 2")
    assert len(problems) == 2


def test_a_week_file_without_front_matter_is_one_problem(prog):
    f = prog / "week-02.en.md"
    f.write_text("---\ntitle: Week 2\n\nThe front matter never ends.\n", encoding="utf-8")
    problems = check_programme(prog)
    assert [(p.file, p.line, p.code) for p in problems] == [(f.name, 1, "no_front_matter")]
