"""One check decides whether answers need crisis help at once: ``needs_crisis_help`` for
scored results, ``Battery.answers_need_crisis_help`` for answers not scored yet. The web
self-test, the course check-ins, the saved measurement and the CLI all ask these."""

from verbind.core.battery import get_battery, needs_crisis_help


def _answers(battery, safety: str) -> dict:
    answers = {}
    for question in battery.questions("nl"):
        answers[question.column] = question.options[0].key
    answers["context_safety"] = safety
    return answers


def test_results_with_the_safety_answer_need_crisis_help():
    short = get_battery("short")
    assert needs_crisis_help(short.score(_answers(short, "yes")))
    assert not needs_crisis_help(short.score(_answers(short, "no")))


def test_it_takes_results_as_a_mapping_or_as_a_list():
    short = get_battery("short")
    results = short.score(_answers(short, "yes"))
    assert needs_crisis_help(list(results.values()))
    assert not needs_crisis_help({})
    assert not needs_crisis_help([])


def test_unscored_answers_need_crisis_help_on_the_safety_answer_alone():
    short = get_battery("short")
    assert short.answers_need_crisis_help({"context_safety": "ja"})
    assert short.answers_need_crisis_help({"djg6_1": "ja", "context_safety": "yes"})
    assert not short.answers_need_crisis_help({"context_safety": "no"})
    assert not short.answers_need_crisis_help({"context_safety": "perhaps"})  # not an answer
    assert not short.answers_need_crisis_help({"context_wish_to_change": "yes"})
    assert not short.answers_need_crisis_help({})


def test_no_other_module_tests_the_safety_flag_itself():
    from pathlib import Path

    import verbind

    src = Path(verbind.__file__).parent
    others = [
        str(path.relative_to(src))
        for path in src.rglob("*.py")
        if "SAFETY_FLAG" in path.read_text(encoding="utf-8")
        and path.relative_to(src).as_posix() != "core/battery.py"
    ]
    assert others == [], "use needs_crisis_help / Battery.answers_need_crisis_help"
