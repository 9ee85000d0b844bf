"""What the course promises: a participant goes through all 8 weeks of the default programme
with a coach, from a self-test whose route is the course, and from `make run`'s demo data
(a participant midway, in week 4). Runs on SQLite and on PostgreSQL (DATABASE_URL).

Everything goes through the real views with Django's test client; the database is only
read to check what the views stored. Time passes in one of two ways, each in its own test:

* moving every stored date of the enrolment one week back (as if it all happened a week
  earlier), so weeks open by the schedule;
* the coach opening the next week on the coach's page.

Exercises come from the programme files and check-in answers from the instrument
definitions, so a change of content is walked through, not hard-coded here.
"""

from __future__ import annotations

import functools
import io
import re
from collections import defaultdict
from datetime import timedelta
from html import unescape

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image
from pypdf import PdfReader
from test_course_support import COURSE_ANSWERS
from web_base import make_participant

from verbind.accounts.models import User
from verbind.coaching.models import Alert, AlertKind
from verbind.core.battery import get_battery
from verbind.core.instrument import registry
from verbind.core.programme import DEFAULT_PROGRAMME, load_programme, programme_path
from verbind.course.domain import progress
from verbind.course.models import CheckIn, Enrolment, ExerciseAnswer, Feedback, Pause, WeekOpening
from verbind.course.views import LOCKED_REASONS, OPEN_REASONS
from verbind.participant.management.commands.load_demo_data import COACHES, PARTICIPANTS
from verbind.screening.forms import NONE_OF_THESE
from verbind.screening.models import Measurement

JSON = {"HTTP_ACCEPT": "application/json"}
LANG = "nl"  # what a participant reads by default
WEEK = timedelta(days=7)


@functools.cache
def programme():
    """The default programme as its files say (the core's loader, not the web app's cache)."""
    return load_programme(programme_path(DEFAULT_PROGRAMME))


def nl(message: str) -> str:
    with translation.override(LANG):
        return gettext(message)


def reason_text(reasons, key: str) -> str:
    with translation.override(LANG):
        return str(reasons[key])


def text_of(html: str) -> str:
    html = re.sub(r"</?(a|strong|em|span|code)\b[^>]*>", "", html)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))).strip()


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def png(colour: tuple[int, int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (12, 9), colour).save(buf, "PNG")
    return buf.getvalue()


def worse_at(week: int) -> float:
    """How lonely the check-in answers sound: fully at the start, not at all at week 8."""
    return 1 - week / programme().week_count


def answer_text(exercise_id: str) -> str:
    # Short (one line in the PDF) and unique per exercise.
    return f"Mijn antwoord bij {exercise_id}: ik merk iets nieuws."


# --- time ----------------------------------------------------------------------------------


def move_back(enrolment: Enrolment, delta: timedelta = WEEK) -> None:
    """Every stored moment of this enrolment ``delta`` earlier: as if it all happened then."""
    Enrolment.objects.filter(pk=enrolment.pk).update(
        started_at=F("started_at") - delta, last_activity_at=F("last_activity_at") - delta
    )
    Pause.objects.filter(enrolment=enrolment).update(
        started_at=F("started_at") - delta, ended_at=F("ended_at") - delta
    )
    WeekOpening.objects.filter(enrolment=enrolment).update(opened_at=F("opened_at") - delta)
    ExerciseAnswer.objects.filter(enrolment=enrolment).update(
        created_at=F("created_at") - delta,
        updated_at=F("updated_at") - delta,
        submitted_at=F("submitted_at") - delta,
    )
    Feedback.objects.filter(answer__enrolment=enrolment).update(created_at=F("created_at") - delta)
    CheckIn.objects.filter(enrolment=enrolment).update(
        created_at=F("created_at") - delta, flags_seen_at=F("flags_seen_at") - delta
    )


# --- what the participant's pages say -------------------------------------------------------


def week_items(client) -> list[tuple[bool, str]]:
    """(open?, text) of every week on the course overview, in order."""
    html = client.get(reverse("course:overview")).content.decode()
    items = re.findall(r'<li class="week-item([^"]*)">(.*?)</li>', html, re.S)
    assert len(items) == programme().week_count
    return [(" is-open" in cls, text_of(body)) for cls, body in items]


def assert_week_open(client, n: int, reason: str) -> None:
    is_open, text = week_items(client)[n - 1]
    assert is_open, text
    # "Since %(date)s.": the day it opened, in words; "open" is said once (the tag).
    expected = re.escape(reason_text(OPEN_REASONS, reason)).replace(
        re.escape("%(date)s"), r"\d{1,2} [a-z]+ \d{4}"
    )
    assert re.search(expected, text), text
    assert "open Open" not in text, text
    assert '<article id="reading"' in client.get(reverse("course:week", args=[n])).content.decode()


def assert_week_closed(client, n: int, reason: str | None = None) -> None:
    is_open, text = week_items(client)[n - 1]
    assert not is_open, text
    if reason is not None:
        # "This week opens on %(date)s.": any day, in words ("2 december 2026"), not a
        # numeric date with a time; the other reasons are fixed texts.
        expected = re.escape(reason_text(LOCKED_REASONS, reason)).replace(
            re.escape("%(date)s"), r"\d{1,2} [a-z]+ \d{4}"
        )
        assert re.search(expected, text), text
    page = client.get(reverse("course:week", args=[n])).content.decode()
    assert "data-autosave" not in page and nl("This week is not open yet.") in text_of(page)
    # Nor can an answer for that week be saved past the page.
    first = programme().week(n).exercises[0].id
    r = client.post(reverse("course:answer", args=[first]), {"text": "te vroeg"}, **JSON)
    assert r.status_code == 409 and r.json()["code"] == "week_locked"


def due_check_in_keys(client) -> list[str]:
    html = client.get(reverse("course:overview")).content.decode()
    prefix = reverse("course:check_in", args=["KEY"]).replace("KEY/", "")
    return re.findall(re.escape(prefix) + r'([\w-]+)/"', html)


# --- check-ins --------------------------------------------------------------------------------


def choose(instrument, item, offered: list[str], worse: float) -> str:
    """An offered option of ``item``, picked from its definition: never one that raises a
    flag (the safety question), loneliness items lonely for the first ``worse`` share of
    the items, other scales ``worse`` of the way from their best to their worst answer."""
    flagged = {k for keys in item.flags.values() for k in keys}
    offered = [k for k in offered if k not in flagged]
    assert offered, f"{instrument.id} {item.id}: every option raises a flag"
    if item.key is None:
        return offered[0]
    points = {k: item.key[k] for k in offered}
    worse_is_high = instrument.primary_scale.higher_is == "worse"
    if instrument.measures == "loneliness":
        index = [i.id for i in instrument.items].index(item.id)
        lonely = index < round(worse * len(instrument.items))
        return (max if lonely == worse_is_high else min)(offered, key=points.get)
    levels = sorted(set(points.values()), reverse=not worse_is_high)  # best first
    target = levels[round(worse * (len(levels) - 1))]
    return next(k for k in offered if points[k] == target)


def fill_check_in(client, enrolment: Enrolment, week: int) -> CheckIn:
    """The participant fills in the check-in of ``week`` through its form."""
    key = f"week-{week}"
    assert due_check_in_keys(client) == [key]
    url = reverse("course:check_in", args=[key])
    scheduled = programme().check_in_instruments(week)
    # The default programme: DJG-6 and mood every week, the full set at weeks 0, 4 and 8.
    full = {"djg11", "lsns6", "rses"} if week in (0, 4, 8) else set()
    assert set(scheduled) == {"djg6", "mood"} | full
    definitions = [registry()[i] for i in (*scheduled, "context")]
    columns = {inst.column(item.id): (inst, item) for inst in definitions for item in inst.items}
    # The check-in comes in steps, one questionnaire per screen: answer each, then go on.
    offered: dict[str, list[str]] = defaultdict(list)
    answers: dict[str, str] = {}
    r = client.get(url)
    page_url = r["Location"] if r.status_code == 302 else url
    steps = 0
    while True:
        html = client.get(page_url).content.decode()
        steps += 1
        on_screen: dict[str, list[str]] = defaultdict(list)
        for tag in re.findall(r"<input\b[^>]*>", html):
            if 'type="radio"' in tag:
                name = re.search(r'name="([^"]+)"', tag).group(1)
                on_screen[name].append(unescape(re.search(r'value="([^"]*)"', tag).group(1)))
        assert on_screen and set(on_screen) <= set(columns), set(on_screen) - set(columns)
        # One questionnaire per screen.
        assert len({columns[c][0].id for c in on_screen}) == 1, sorted(on_screen)
        step_answers = {c: choose(*columns[c], on_screen[c], worse_at(week)) for c in on_screen}
        offered.update(on_screen)
        answers.update(step_answers)
        number = re.search(r'name="step" value="(\d+)"', html).group(1)
        r = client.post(url, {**step_answers, "step": number, "action": "next"})
        assert r.status_code == 302, text_of(r.content.decode())[:2000]
        if r["Location"].startswith(url + "?step="):
            page_url = r["Location"]
            continue
        break
    assert "context_safety" in offered  # every check-in asks the safety question
    asked = {columns[c][0].id for c in offered}
    assert steps == len(asked)
    for inst in definitions[:-1]:
        cols = {inst.column(item.id) for item in inst.items}
        # Asked in full, or (the DJG-6 within a DJG-11) not asked a second time.
        assert cols <= set(offered) or not cols & set(offered), inst.id
    assert r["Location"] == reverse("course:check_in_done", args=[key])
    done = client.get(r["Location"]).content.decode()
    assert "crisis-first" not in done and nl("Thank you for your answers") in text_of(done)
    check_in = CheckIn.objects.get(enrolment=enrolment, key=key)
    assert check_in.week == week and check_in.answers == answers
    # Every scheduled instrument is scored: asked, or derived from what was asked.
    assert set(scheduled) <= set(check_in.results), (scheduled, sorted(check_in.results))
    assert set(scheduled) - asked <= set(check_in.results)
    assert not check_in.flagged
    assert key not in due_check_in_keys(client)
    return check_in


# --- exercises and feedback ---------------------------------------------------------------


def do_week(client, coach_client, enrolment: Enrolment, n: int) -> None:
    """Read week ``n`` and answer every exercise: drafts by autosave, a photo for creative
    work, then send. Exercises sent before (the demo's) are shown as sent."""
    week = programme().week(n)
    reading = week.reading(LANG)
    url = reverse("course:week", args=[n])
    html = client.get(url).content.decode()
    page = text_of(html)
    assert reading.title in page and f'<article id="reading" class="reading" lang="{LANG}">' in html
    first_paragraph = next(
        line for line in reading.markdown.splitlines() if line.strip() and line[0].isalpha()
    )
    assert " ".join(re.sub(r"[*_`]", "", first_paragraph).split()[:8]) in page
    sent_before = set(
        ExerciseAnswer.objects.filter(enrolment=enrolment, week=n, status="submitted")
        .values_list("exercise_id", flat=True)
    )  # fmt: skip
    for e in week.exercises:
        assert e.title.get(LANG) in page and e.prompt.get(LANG) in page, e.id
        if e.id in sent_before:
            section = html.split(f'id="exercise-{e.id}"')[1].split("</section>")[0]
            assert "data-autosave" not in section
            continue
        answer_url = reverse("course:answer", args=[e.id])
        final = answer_text(e.id)
        for draft in (final[:12], final[:30]):
            r = client.post(answer_url, {"text": draft, "action": "save"}, **JSON)
            assert r.status_code == 200, r.content
            assert r.json() == {**r.json(), "saved": True, "status": "draft", "length": len(draft)}
        # The draft is there after a reload.
        assert f">{final[:30]}</textarea>" in client.get(url).content.decode()
        if e.kind == "creative" and e.accepts_photo:
            picture = png((20 * n, 100, 200))
            upload = SimpleUploadedFile("gemaakt.png", picture, content_type="image/png")
            r = client.post(
                reverse("course:answer_photo", args=[e.id]), {"photo": upload, "action": "upload"}
            )
            assert r.status_code == 302 and r["Location"].endswith(f"#exercise-{e.id}")
            saved = ExerciseAnswer.objects.get(enrolment=enrolment, exercise_id=e.id)
            photo_url = reverse("course:photo", args=[saved.pk])
            assert photo_url in client.get(url).content.decode()
            shown = client.get(photo_url)
            # Stored re-encoded without metadata: the same picture, shown as stored.
            stored = bytes(saved.image)
            assert shown["Content-Type"] == "image/png" and bytes(shown.content) == stored
            assert bytes(coach_client.get(photo_url).content) == stored
            with Image.open(io.BytesIO(stored)) as a, Image.open(io.BytesIO(picture)) as b:
                assert a.convert("RGB").tobytes() == b.convert("RGB").tobytes()
        r = client.post(answer_url, {"text": final, "action": "submit"})  # the "send" button
        assert r.status_code == 302 and r["Location"] == f"{url}#exercise-{e.id}"
    html = client.get(url).content.decode()
    for e in week.exercises:
        a = ExerciseAnswer.objects.get(enrolment=enrolment, exercise_id=e.id)
        assert a.status == "submitted" and a.text in text_of(html), e.id
    assert "data-autosave" not in html  # everything is sent


def give_feedback(coach_client, participant_client, participant, n: int) -> None:
    """The coach finds each feedback moment of week ``n`` in the inbox and responds."""
    for exercise_id in programme().week(n).feedback_moments:
        inbox = coach_client.get(reverse("course:inbox")).content.decode()
        prefix = reverse("course:feedback", args=[0]).replace("0/", "")
        links = {
            href: text_of(label)
            for href, label in re.findall(
                r'<a href="(' + re.escape(prefix) + r'\d+/)">(.*?)</a>', inbox, re.S
            )
        }
        # The inbox names the exercise by its title (the coach reads Dutch here).
        title = programme().exercise(exercise_id)[1].title.get("nl")
        href = next(
            (h for h, label in links.items()
             if participant.display_name in label and label.endswith(f"week {n}: {title}")),
            None,
        )  # fmt: skip
        assert href is not None, (exercise_id, links)
        form = text_of(coach_client.get(href).content.decode())
        answer = ExerciseAnswer.objects.get(
            enrolment__participant=participant, exercise_id=exercise_id
        )
        assert answer.text in form and programme().exercise(exercise_id)[1].title.get(LANG) in form
        words = f"Dank je voor week {n}. Wat je schrijft bij {exercise_id} raakt me."
        r = coach_client.post(href, {"text": words})
        assert r.status_code == 302 and r["Location"] == reverse("course:inbox")
        assert href not in coach_client.get(reverse("course:inbox")).content.decode()
        week_page = text_of(
            participant_client.get(reverse("course:week", args=[n])).content.decode()
        )
        assert words in week_page


def coach_opens(coach_client, enrolment: Enrolment, n: int) -> None:
    """The coach opens week ``n`` with the form on the participant's course page."""
    page = coach_client.get(reverse("course:coach_enrolment", args=[enrolment.pk])).content.decode()
    action = reverse("course:open_week", args=[enrolment.pk])
    assert f'action="{action}"' in page
    assert f'name="week" min="1" max="{programme().week_count}" value="{n}"' in page  # the next
    r = coach_client.post(action, {"week": n})
    assert r.status_code == 302


# --- the end: progress and summary ------------------------------------------------------------


def check_the_end(client, enrolment: Enrolment, chosen: list[str], left_out: str) -> None:
    """Progress shows every check-in and a verdict in words; the PDF holds the plan and the
    chosen answers (and not the others)."""
    count = programme().week_count
    overview = text_of(client.get(reverse("course:overview")).content.decode())
    assert nl("You finished all weeks.") in overview
    assert due_check_in_keys(client) == []  # the follow-up is months away

    html = client.get(reverse("course:progress")).content.decode()
    stored = {c.key: c for c in CheckIn.objects.filter(enrolment=enrolment)}
    assert set(stored) == {f"week-{k}" for k in range(count + 1)}
    tables = {
        unescape(caption): re.findall(r'<th scope="row">(.*?)</th><td>(-?\d+)</td>', body)
        for caption, body in re.findall(r"<caption[^>]*>(.*?)</caption>(.*?)</table>", html, re.S)
    }
    with translation.override(LANG):
        label = {
            0: gettext("Start"),
            **{k: gettext("Week %(n)s") % {"n": k} for k in range(1, count + 1)},
        }
    for inst_id in ("djg6", "mood", "djg11", "lsns6", "rses"):
        weeks = [k for k in range(count + 1) if inst_id in programme().check_in_instruments(k)]
        title = progress.series_title(registry()[inst_id], LANG)
        rows = next(r for cap, r in tables.items() if cap.startswith(f"{title}:"))
        values = [stored[f"week-{k}"].results[inst_id]["scales"]["total"]["value"] for k in weeks]
        assert rows == [(label[k], str(v)) for k, v in zip(weeks, values, strict=True)], inst_id
    djg6 = [stored[f"week-{k}"].results["djg6"]["scales"]["total"]["value"] for k in (0, count)]
    assert djg6[0] > djg6[1]
    verdict_list = html.split('<ul class="verdicts">')[1].split("</ul>")[0]
    verdicts = [text_of(li) for li in re.findall(r"<li>(.*?)</li>", verdict_list, re.S)]
    djg11_verdict = next(v for v in verdicts if "11 vragen" in v)
    assert djg11_verdict.endswith("— duidelijk beter.")  # the core's RCI, in words
    # No false alarm along the way. (The demo's mood is "very bad" at every check-in: that
    # signal is meant, see test_demo_signals.py.)
    course_alerts = Alert.objects.filter(participant=enrolment.participant).exclude(check_in=None)
    assert set(course_alerts.values_list("kind", flat=True)) <= {AlertKind.LOW_MOOD}

    page = client.get(reverse("course:summary")).content.decode()
    checkbox = (
        r'<input type="checkbox" name="include" value="(\d+)"[^>]*>\s*<label[^>]*>(.*?)</label>'
    )
    boxes = {text_of(label): pk for pk, label in re.findall(checkbox, page, re.S)}
    include = []
    for exercise_id in chosen:
        w, e = programme().exercise(exercise_id)
        include.append(boxes[f"{nl('Week %(n)s') % {'n': w.number}}: {e.title.get(LANG)}"])
    plan = "Na de cursus bel ik elke week één persoon en ga ik naar de tekenclub."
    r = client.post(reverse("course:summary"), {"include": include, "plan": plan})
    assert r.status_code == 302
    r = client.get(reverse("course:summary_pdf"))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    pdf = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    pdf = re.sub(r"\s+", " ", pdf)
    assert plan in pdf
    for exercise_id in chosen:
        text = ExerciseAnswer.objects.get(enrolment=enrolment, exercise_id=exercise_id).text
        assert " ".join(text.split()) in pdf, exercise_id
    left = ExerciseAnswer.objects.get(enrolment=enrolment, exercise_id=left_out).text
    assert " ".join(left.split()) not in pdf
    assert "duidelijk beter" in pdf and "11 vragen" in pdf and "DJG-11" not in pdf


# --- the tests --------------------------------------------------------------------------------


def take_self_test(client, answers: dict) -> None:
    battery = get_battery("short")
    r = client.post(reverse("screening:start"), {"battery": battery.id})
    assert r.status_code == 302
    for screen in battery.screens:
        if screen.is_group:
            chosen = [
                i.id for i in screen.items if answers[screen.instrument.column(i.id)] == "yes"
            ]
            data = {"chosen": chosen or [NONE_OF_THESE]}
        else:
            data = {"answer": answers[screen.columns[0]]}
        r = client.post(reverse("screening:question", kwargs={"number": screen.number}), data)
        assert r.status_code == 302, text_of(r.content.decode())[:1000]


def test_a_participant_goes_through_all_eight_weeks_as_time_passes(people):
    """A new participant, route "course" from the self-test, enrols and goes week by week;
    a week passes by moving every stored date a week back."""
    participant = make_participant(people.org, people.coach, "wanda@example.org", "Wanda Wandel")
    p, coach = login(participant), login(people.coach)
    p.post(reverse("course:enrol"))
    assert not Enrolment.objects.filter(participant=participant).exists()  # no test yet

    take_self_test(p, COURSE_ANSWERS)
    assert Measurement.objects.get(participant=participant).route == "course"
    assert reverse("course:enrol") in p.get(reverse("course:overview")).content.decode()
    assert p.post(reverse("course:enrol")).status_code == 302
    enrolment = Enrolment.objects.get(participant=participant, ended_at=None)
    assert enrolment.enrolled_by is None and enrolment.route_at_enrolment == "course"
    fill_check_in(p, enrolment, 0)

    count = programme().week_count
    assert count == 8
    for n in range(1, count + 1):
        assert_week_open(p, n, "start" if n == 1 else "schedule")
        if n > 1:
            fill_check_in(p, enrolment, n - 1)
        do_week(p, coach, enrolment, n)
        if n < count:
            assert_week_closed(p, n + 1, "scheduled")  # a week has not passed yet
        move_back(enrolment)
        if programme().week(n).feedback_moments:
            if n < count:
                # The week is over, yet the next one waits for the coach.
                assert_week_closed(p, n + 1, "waiting_for_coach")
            give_feedback(coach, p, participant, n)
    fill_check_in(p, enrolment, count)
    check_the_end(
        p,
        enrolment,
        chosen=["w1-where-i-stand", "w6-action-plan", "w8-plan-after"],
        left_out="w7-kind-letter",
    )


def test_the_demo_participant_continues_from_week_four_with_the_demo_coach(db, settings):
    """`make run`'s demo participant (midway, week 4) finishes the course; the demo coach
    answers the feedback moments and opens each next week. Only the end of week 8 needs a
    week to pass (no coach can open a week 9)."""
    settings.DEBUG = True  # load_demo_data refuses to run otherwise
    call_command("load_demo_data", stdout=io.StringIO())
    participant = User.objects.get(email=PARTICIPANTS[0][0])
    coach_user = User.objects.get(email=COACHES[0][0])
    enrolment = Enrolment.objects.get(participant=participant, ended_at=None)
    p, coach = login(participant), login(coach_user)

    count = programme().week_count
    for n in range(1, 5):
        assert_week_open(p, n, "start" if n == 1 else "schedule")
    assert_week_closed(p, 5, "scheduled")
    assert due_check_in_keys(p) == []  # weeks 0-3 are done, week 4's is not due yet
    # The demo's draft of week 4 is waiting in its form.
    comic = ExerciseAnswer.objects.get(enrolment=enrolment, exercise_id="w4-conversation-comic")
    assert comic.status == "draft"
    assert f">{comic.text}</textarea>" in p.get(reverse("course:week", args=[4])).content.decode()

    for n in range(4, count + 1):
        if n > 4:
            assert_week_open(p, n, "coach")
            fill_check_in(p, enrolment, n - 1)
        do_week(p, coach, enrolment, n)
        if n < count:
            assert_week_closed(p, n + 1)
        if programme().week(n).feedback_moments:
            give_feedback(coach, p, participant, n)
            if n < count:
                assert_week_closed(p, n + 1)  # the coach answered; opening is a choice
        if n < count:
            coach_opens(coach, enrolment, n + 1)
    assert due_check_in_keys(p) == []  # week 8 is not over yet
    move_back(enrolment)
    fill_check_in(p, enrolment, count)
    check_the_end(
        p,
        enrolment,
        chosen=["w1-where-i-stand", "w4-my-patterns", "w8-plan-after"],
        left_out="w5-boundaries",
    )
