"""``verbind test``: scripted (answers file, stdin, a real process), interactive (typed
answers, back, invalid input, stop) and end to end in a real terminal under tmux."""

import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from verbind.cli.main import app
from verbind.cli.selftest import Interview, Texts, load_cli_texts
from verbind.core.battery import get_battery, parse_batteries
from verbind.core.crisis import crisis_help
from verbind.core.instrument import registry
from verbind.core.profile import build_profile, explain

SRC = Path(__file__).resolve().parents[2] / "src"
ENV = {"COLUMNS": "100", "NO_COLOR": "1"}
CRISIS_NL = "Hulp nodig? U staat er niet alleen voor"
CRISIS_EN = "Need help? You are not alone"


def run(args, input=None):
    # Most cases use the short test; the full one (the default) is asked for explicitly.
    if "--full" not in args and "--default" not in args:
        args = ["--short", *args]
    args = [a for a in args if a != "--default"]
    return CliRunner().invoke(app, ["test", *args], input=input, env=ENV)


def test_the_full_test_is_the_default():
    result = run(["--default", "--lang", "en"], input="s\n")
    full = get_battery("full")
    assert f"of {len(full.screens)}" in result.stdout
    assert f"of {len(get_battery('short').screens)}" not in result.stdout


def flat(text):
    """Screen text without panel borders, whitespace collapsed: wrapped sentences read whole."""
    return " ".join(re.sub(r"[│╭╮╰╯─━┃]", " ", text).split())


def short_answers(
    *, lonely, isolated, duration, wish="yes", open_="yes", literacy="yes", safety="no"
):
    """A complete short test, as option keys. Lonely: yes on the 3 negative DJG items and
    no on the 3 positive ones (6/6); not lonely: the reverse (0/6). Isolated: no family or
    friends (LSNS-6 0/30); not isolated: three or four of each (18/30)."""
    answers = {}
    for i in (1, 2, 3):
        answers[f"djg6_{i}"] = "yes" if lonely else "no"
    for i in (4, 5, 6):
        answers[f"djg6_{i}"] = "no" if lonely else "yes"
    for i in range(1, 7):
        answers[f"lsns6_{i}"] = "none" if isolated else "three_four"
    answers.update(
        duration=duration,
        context_wish_to_change=wish,
        context_open_to_learning=open_,
        context_literacy=literacy,
        context_safety=safety,
    )
    return answers


def typed(battery, answers, lang="nl"):
    """What a person types for ``answers`` (option keys): the number shown for each
    option, and for a group the numbers of the items that apply (0 for none)."""
    lines = []
    for screen in battery.screens:
        if screen.is_group:
            picked = [str(n) for n, c in enumerate(screen.columns, 1) if answers[c] == "yes"]
            lines.append(" ".join(picked) or "0")
        else:
            keys = [o.key for o in screen.options(lang)]
            lines.append(str(keys.index(answers[screen.columns[0]]) + 1))
    return lines


# Answer patterns and the profile the seed's rules give them (docs/profile.md).
PATTERNS = {
    "connected": (
        short_answers(lonely=False, isolated=False, duration="not_lonely", wish="no"),
        ("connected", "none", "no_action", None),
    ),
    "chosen_solitude": (
        short_answers(lonely=False, isolated=True, duration="not_lonely", wish="no"),
        ("chosen_solitude", "none", None, None),
    ),
    "lonely_among_people_transient": (
        short_answers(lonely=True, isolated=False, duration="lt_6_months"),
        ("lonely_among_people", "transient", "meaningful_connections", None),
    ),
    "chronic_lonely_and_isolated_course": (
        short_answers(lonely=True, isolated=True, duration="gt_2_years"),
        ("lonely_and_isolated", "chronic", "course", None),
    ),
    "chronic_but_reads_with_difficulty": (
        short_answers(lonely=True, isolated=True, duration="gt_2_years", literacy="no"),
        ("lonely_and_isolated", "chronic", "alternative_support", None),
    ),
    "chronic_no_wish_to_change": (
        short_answers(lonely=True, isolated=True, duration="gt_2_years", wish="no"),
        ("lonely_and_isolated", "chronic", "respect_choice", None),
    ),
    "safety_yes": (
        short_answers(lonely=True, isolated=True, duration="gt_2_years", safety="yes"),
        ("lonely_and_isolated", "chronic", "crisis_help", "course"),
    ),
}


# --- scripted: answers from a file or standard input --------------------------------------


@pytest.mark.parametrize("name", list(PATTERNS))
def test_answers_file_gives_the_expected_profile(tmp_path, name):
    answers, (quadrant, band, route, underlying) = PATTERNS[name]
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    result = run(["--answers", str(path), "--json", "--lang", "en"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    profile = data["profile"]
    assert profile["quadrant"] == quadrant
    assert profile["duration_band"] == band
    if route is not None:
        assert profile["route"] == route
    else:
        # Chosen solitude is respected: never the course, never "needs help".
        assert profile["route"] in ("no_action", "self_help", "respect_choice")
    assert profile["underlying_route"] == underlying
    assert data["crisis_help"] is (answers["context_safety"] == "yes")
    assert data["answers"] == answers
    assert data["explanation"]["lang"] == "en"
    assert set(data["results"]) == {"djg6", "lsns6", "duration", "context"}


def test_answers_from_stdin_show_the_result_panel_in_dutch():
    answers, _ = PATTERNS["chronic_lonely_and_isolated_course"]
    # Codes and Dutch labels, as a survey file would hold them.
    given = dict(answers)
    given["djg6_1"] = 2
    given["djg6_4"] = "Nee"
    given["lsns6_1"] = 0
    result = run(["--answers", "-"], input=json.dumps(given))
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    battery = get_battery("short")
    expected = explain(build_profile(battery.score(answers)), "nl")
    assert "Uw uitslag" in out
    assert "geen diagnose" in out
    assert expected.headline in out
    assert expected.route_title in out
    assert "DJG-6: Eenzaamheid (totaal) 6 (0-6) ernstig eenzaam" in out
    assert CRISIS_NL not in out


def test_a_real_process_reads_answers_from_stdin():
    answers, (quadrant, band, route, _) = PATTERNS["lonely_among_people_transient"]
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-m", "verbind", "test", "--short", "--answers", "-", "--json"],
        input=json.dumps(answers),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    profile = json.loads(done.stdout)["profile"]
    assert (profile["quadrant"], profile["duration_band"], profile["route"]) == (
        quadrant,
        band,
        route,
    )
    bad = subprocess.run(
        [sys.executable, "-m", "verbind", "test", "--short", "--answers", "-", "--lang", "en"],
        input=json.dumps({**answers, "duration": "ages"}),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert bad.returncode == 2
    assert 'duration: "ages" is not one of the answers' in bad.stderr
    assert "4=gt_2_years" in bad.stderr
    assert bad.stdout == ""


def test_every_invalid_or_missing_answer_is_reported_with_the_allowed_values(tmp_path):
    answers, _ = PATTERNS["connected"]
    given = dict(answers)
    given["djg6_2"] = "sometimes"
    given["lsns6_4"] = 6
    del given["context_safety"]
    given["djg11_1"] = "ja"
    path = tmp_path / "a.json"
    path.write_text(json.dumps(given), encoding="utf-8")
    result = run(["--answers", str(path), "--lang", "en"])
    assert result.exit_code == 2
    err = result.stderr
    assert "There are 4 problems in the answers. Nothing has been calculated." in err
    assert "djg11_1: the short test does not ask this question." in err
    assert 'djg6_2: "sometimes" is not one of the answers. Allowed: 1=yes_strong' in err
    assert "3=more_or_less (min of meer / more or less)" in err
    assert "lsns6_4: 6 is not one of the answers. Allowed: 0=none (geen / none)" in err
    assert "context_safety: no answer. Allowed: 1=yes (ja / yes), 0=no (nee / no)." in err
    assert result.stdout == ""
    # The same, as JSON for scripts.
    result = run(["--answers", str(path), "--json"])
    assert result.exit_code == 2
    errors = json.loads(result.stdout)["errors"]
    assert [(e["kind"], e["column"]) for e in errors] == [
        ("unknown_question", "djg11_1"),
        ("invalid", "djg6_2"),
        ("invalid", "lsns6_4"),
        ("missing", "context_safety"),
    ]
    assert "5=nine_plus (negen of meer / nine or more)" in errors[2]["allowed"]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "The answers file {path} does not exist."),
        ('{"djg6_1": 2,', "are not valid JSON (line 1, column 14)"),
        ("[1, 2]", "must be one JSON object"),
        (b"\xff\xfe{", "cannot be read"),
    ],
)
def test_an_unusable_answers_file_gets_a_clear_message(tmp_path, content, words):
    path = tmp_path / "answers.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    result = run(["--answers", str(path), "--lang", "en"])
    assert result.exit_code == 2
    assert words.format(path=path) in flat(result.stderr)
    assert "Traceback" not in result.output


def test_safety_yes_shows_crisis_help_before_the_result(tmp_path):
    answers, _ = PATTERNS["safety_yes"]
    result = run(["--answers", "-", "--lang", "en"], input=json.dumps(answers))
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    crisis = out.index(CRISIS_EN)
    assert crisis < out.index("Your result")
    # Every service from the one source (core/texts/crisis.yaml), numbers and hours.
    panel = out[crisis : out.index("Your result")]
    for service in crisis_help().services:
        assert service.sentence("en") in panel
        assert all(phone.display in panel for phone in service.phones)
        assert service.hours["en"] in panel


# --- interactive ----------------------------------------------------------------------------


def test_interactive_answers_give_the_same_result_as_the_answers_file():
    answers, _ = PATTERNS["chronic_lonely_and_isolated_course"]
    battery = get_battery("short")
    keys = typed(battery, answers)
    # Some people type the answer itself rather than its number.
    keys[0] = "ja"
    keys[3] = "Nee"
    result = run(["--json"], input="\n".join(keys) + "\n")
    assert result.exit_code == 0, result.output
    interactive = json.loads(result.stdout)
    scripted = json.loads(run(["--answers", "-", "--json"], input=json.dumps(answers)).stdout)
    assert interactive == scripted
    # With --json the questions went to stderr, so stdout is only the JSON.
    assert "Vraag 1 van 17" in result.stderr
    assert "Vraag 17 van 17" in result.stderr


def test_interactive_shows_progress_stem_and_numbered_options():
    answers, _ = PATTERNS["connected"]
    keys = typed(get_battery("short"), answers, "en")
    result = run(["--lang", "en"], input="\n".join(keys) + "\n")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for n in range(1, 18):
        assert f"Question {n} of 17" in out
    djg6, lsns6 = registry()["djg6"], registry()["lsns6"]
    # The stem is shown when the questionnaire changes, not before every question.
    assert flat(out).count(flat(djg6.stem.en)) == 1
    assert flat(out).count(flat(lsns6.stem.en)) == 1
    assert re.search(r"^\s+1\s+yes!\s*$", out, re.M)
    assert re.search(r"^\s+5\s+no!\s*$", out, re.M)
    assert re.search(r"^\s+6\s+nine or more\s*$", out, re.M)
    assert "Your result" in out


def test_back_goes_to_the_previous_question_and_keeps_the_answers():
    answers, _ = PATTERNS["chronic_lonely_and_isolated_course"]
    battery = get_battery("short")
    keys = typed(battery, answers)
    # Q1 "2" (ja), Q2 "1" (ja!), then back twice; Enter keeps Q1, Q2 is changed to "2".
    script = ["2", "1", "t", "terug", "", "2", *keys[2:]]
    result = run(["--json"], input="\n".join(script) + "\n")
    assert result.exit_code == 0, result.output
    chrome = result.stderr
    assert "U koos eerder: 2 (ja). Druk op Enter om dat zo te laten." in chrome
    assert "U koos eerder: 1 (ja!)." in chrome
    assert chrome.count("Vraag 1 van 17") == 2
    assert chrome.count("Vraag 2 van 17") == 3
    data = json.loads(result.stdout)
    assert data["answers"]["djg6_1"] == "yes"
    assert data["answers"]["djg6_2"] == "yes"


def test_back_on_the_first_question_says_so_kindly():
    result = run(["--lang", "en"], input="b\ns\n")
    assert "This is the first question. You cannot go back further." in result.stdout
    assert result.stdout.count("Question 1 of 17") == 1


def test_invalid_input_gets_a_kind_message_and_the_same_question_again():
    result = run(["--lang", "en"], input="9\nsometimes\n\n0\n3.\ns\n")
    out = flat(result.stdout)
    assert (
        "Number 9 is not in the list. Type a number from 1 to 5. No worries, just try again." in out
    )
    assert "I did not quite understand that. Just type the number of your answer: 1 to 5." in out
    assert "You have not typed anything yet. Type a number from 1 to 5." in out
    assert "Number 0 is not in the list." in out
    # Four tries on question 1, then "3." is accepted and question 2 follows.
    assert out.count("Question 1 of 17") == 1
    assert out.count("Question 2 of 17") == 1
    assert "Question 3 of 17" not in out


def test_help_explains_how_to_answer():
    result = run(["--lang", "en"], input="h\ns\n")
    assert "Not sure? Choose what you thought first." in flat(result.stdout)


@pytest.mark.parametrize("stop", ["s", "stop", "STOPPEN", None])
def test_stop_quits_kindly_without_a_result(stop):
    script = "2\n1\n" + (f"{stop}\n" if stop else "")  # None: input simply ends (Ctrl-D)
    result = run([], input=script)
    assert result.exit_code == 1
    out = flat(result.stdout)
    assert "U bent gestopt" in out
    assert "Dat is helemaal goed. Er is niets bewaard." in out
    assert "Uw uitslag" not in out
    assert "Traceback" not in result.output


def test_crisis_help_appears_at_once_after_the_safety_answer():
    # A battery that asks the safety question first shows crisis help before question 2.
    data = {
        "check": {
            "title": {"nl": "t", "en": "t"},
            "intro": {"nl": "i", "en": "i"},
            "steps": [
                {"instrument": "context", "items": ["safety"]},
                {"instrument": "duration"},
            ],
        }
    }
    battery = parse_batteries(data, registry())["check"]
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, color_system=None)
    stdin = sys.stdin
    sys.stdin = io.StringIO("ja\ns\n")
    try:
        answers = Interview(battery, "nl", console, Texts("nl")).run()
    finally:
        sys.stdin = stdin
    assert answers is None  # stopped at question 2
    out = flat(buffer.getvalue())
    crisis = out.index(CRISIS_NL)
    assert out.index("Vraag 1 van 2") < crisis < out.index("Vraag 2 van 2")
    for service in crisis_help().urgent:
        assert all(phone.display in out[crisis:] for phone in service.phones)
    assert "U kunt de test daarna gewoon afmaken." in out


def test_safety_yes_interactively_shows_crisis_help_twice_before_the_result():
    answers, _ = PATTERNS["safety_yes"]
    keys = typed(get_battery("short"), answers, "en")
    result = run(["--lang", "en"], input="\n".join(keys) + "\n")
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    first = out.index(CRISIS_EN)
    second = out.index(CRISIS_EN, first + 1)
    assert out.index("Question 17 of 17") < first < second < out.rindex("Your result")
    # The safety question is the last one: no "you can still finish the test" here.
    assert "You can still finish the test" not in out


def test_full_test_asks_the_life_events_as_one_question():
    full = get_battery("full")
    answers = {q.column: q.options[0].key for q in full.questions("nl")}
    answers.update({c: "no" for c in full.columns if c.startswith("context_event_")})
    answers["context_event_breakup"] = "yes"
    answers["context_event_moving"] = "yes"
    answers["context_safety"] = "no"
    keys = typed(full, answers)
    group_at = next(s.number for s in full.screens if s.is_group) - 1
    assert keys[group_at] == "1 4"
    # Unclear choices first: a number out of range, then "none" together with a number.
    # Then back from the next question: the group shows what was chosen, Enter keeps it.
    keys[group_at : group_at + 2] = ["7", "0 2", "1 en 4", "t", "", keys[group_at + 1]]
    result = run(["--full", "--json"], input="\n".join(keys) + "\n")
    assert result.exit_code == 0, result.stderr
    chrome = flat(result.stderr)
    assert f"Vraag {group_at + 1} van {len(full.screens)}" in chrome
    assert "Ik ben verhuisd." in chrome
    assert "Typ nummers van 1 tot 6, of 0 als niets past." in chrome
    assert "Kies 0 (geen) of kies nummers, niet allebei." in chrome
    assert "U koos eerder: 1, 4." in chrome
    data = json.loads(result.stdout)
    assert data["answers"] == answers
    assert data["profile"]["inputs"]["life_events"] == ["breakup", "moving"]


def test_cli_texts_exist_in_both_languages_for_every_key_the_code_uses():
    texts, commands = load_cli_texts()
    for key, by_lang in texts.items():
        assert by_lang["nl"] and by_lang["en"], key
    assert "t" in commands["back"] and "b" in commands["back"]
    assert "s" in commands["stop"]
    cli = SRC / "verbind" / "cli"
    code = (cli / "selftest.py").read_text() + (cli / "catalogue.py").read_text()
    used = set(re.findall(r"\bt\(\s*\"(\w+)\"", code))
    used |= set(re.findall(r"self\.t\(\s*\"(\w+)\"", code))
    assert len(used) > 40
    assert used - set(texts) == set()


@pytest.mark.parametrize("battery_id", ["short", "full"])
def test_no_answer_can_be_mistaken_for_a_command(battery_id):
    # Typing "t" means "back": no answer option of any question may be spelled "t".
    _, commands = load_cli_texts()
    words = set(commands["back"]) | set(commands["stop"]) | set(commands["help"])
    for question in get_battery(battery_id).questions("nl"):
        for opt in question.instrument.options_for(question.item.id):
            assert not words & {opt.key, *opt.accepted_labels()}, (question.column, opt.key)


# --- end to end in a real terminal ---------------------------------------------------------

TMUX = shutil.which("tmux")


class Terminal:
    """A tmux session on a private socket: type with send-keys, read with capture-pane."""

    def __init__(self, tmp_path, command, width=100, height=50):
        self.socket = str(tmp_path / "tmux.sock")
        config = tmp_path / "tmux.conf"
        config.write_text("set -g history-limit 50000\nset -g status off\n", encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(SRC), "TERM": "xterm-256color"}
        env.pop("COLUMNS", None)
        env.pop("TMUX", None)
        # Keep the pane open after the program ends, showing its exit code.
        wrapped = f'{command}; echo "[exit $?]"; read _'
        self._tmux(
            "-f", str(config), "new-session", "-d", "-s", "selftest",
            "-x", str(width), "-y", str(height), wrapped, env=env,
        )  # fmt: skip

    def _tmux(self, *args, env=None):
        return subprocess.run(
            [TMUX, "-S", self.socket, *args],
            capture_output=True,
            text=True,
            check=True,
            env=env,
            timeout=30,
        ).stdout

    def type(self, text):
        if text:
            self._tmux("send-keys", "-t", "selftest", "-l", text)
        self._tmux("send-keys", "-t", "selftest", "Enter")

    def screen(self):
        return self._tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "selftest")

    def wait_for(self, text, count=1, timeout=60):
        """Wait until ``text`` is on screen (``count`` times); fail showing the screen."""
        deadline = time.monotonic() + timeout
        while True:
            screen = flat(self.screen())
            if screen.count(text) >= count:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} did not appear; the screen shows:\n{screen}")
            time.sleep(0.1)

    def close(self):
        subprocess.run([TMUX, "-S", self.socket, "kill-server"], capture_output=True, timeout=30)


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed (apt-get install tmux)")
def test_end_to_end_in_a_real_terminal(tmp_path):
    answers, _ = PATTERNS["safety_yes"]
    battery = get_battery("short")
    keys = typed(battery, answers, "en")
    expected = explain(build_profile(battery.score(answers)), "en")
    term = Terminal(tmp_path, f"{sys.executable} -m verbind test --short --lang en")
    try:
        term.wait_for("Question 1 of 17")
        term.type(keys[0])
        term.wait_for("Question 2 of 17")
        term.type("perhaps")
        term.wait_for("I did not quite understand that.")
        term.type("b")
        term.wait_for("Question 1 of 17", count=2)
        term.wait_for("You chose before: 2 (yes).")
        term.type("")  # keep the answer
        term.wait_for("Question 2 of 17", count=2)
        for n, key in enumerate(keys[1:], start=2):
            term.wait_for(f"Question {n} of 17", count=2 if n == 2 else 1)
            term.type(key)
        screen = term.wait_for("[exit 0]")
    finally:
        term.close()
    first = screen.index(CRISIS_EN)
    second = screen.index(CRISIS_EN, first + 1)
    result = screen.rindex("Your result")
    assert screen.index("Question 17 of 17") < first < second < result
    free = crisis_help().service("zelfmoordpreventie").phone("free").display
    assert free in screen[first:second]
    assert expected.headline in screen[result:]
    assert expected.route_title in screen[result:]
    assert "not a diagnosis" in screen[result:]
