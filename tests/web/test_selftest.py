"""The public self-test in the web app, driven through Django's test client.

Answers go in as option keys by column; what the pages say is compared with what the
core says for the same answers (never with hard-coded texts), so a change of wording in
the definitions or the profile texts does not break these tests, but a web page that
shows something else than the core does.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone, translation
from test_measurements import answers_for, lonely_djg, short_answers
from web_base import PASSWORD

from verbind.accounts.models import User
from verbind.coaching.domain import invitations
from verbind.coaching.models import Alert, AlertKind
from verbind.core import profile as core_profile
from verbind.core.battery import get_battery
from verbind.core.crisis import crisis_help
from verbind.screening import selftest
from verbind.screening.domain import pending
from verbind.screening.forms import NONE_OF_THESE
from verbind.screening.models import Measurement

pytestmark = pytest.mark.django_db


def q_url(n: int) -> str:
    return reverse("screening:question", kwargs={"number": n})


def start(client, battery="short"):
    response = client.post(reverse("screening:start"), {"battery": battery})
    assert response.status_code == 302 and response["Location"] == q_url(1)
    return response


def post_screen(client, battery_id: str, number: int, answers: dict, **extra):
    screen = get_battery(battery_id).screens[number - 1]
    if screen.is_group:
        chosen = [
            i.id for i in screen.items if answers[screen.instrument.column(i.id)] == "yes"
        ] or [NONE_OF_THESE]
        data = {"chosen": chosen}
    else:
        data = {"answer": answers[screen.columns[0]]}
    data.update(extra)
    return client.post(q_url(number), data)


def take_test(client, answers: dict, battery="short"):
    """Answer every screen; the response to the last answer."""
    start(client, battery)
    response = None
    for screen in get_battery(battery).screens:
        response = post_screen(client, battery, screen.number, answers)
        assert response.status_code == 302, response.content.decode()[:2000]
    return response


def text_of(html: str) -> str:
    # Inline tags (a link on a phone number) are part of the sentence; others split words.
    html = re.sub(r"</?(a|strong|em|span)\b[^>]*>", "", html)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def core_explanation(answers: dict, lang: str = "nl", battery="short"):
    results = get_battery(battery).score(answers)
    profile = core_profile.build_profile(results, today=timezone.localdate())
    return profile, core_profile.explain(profile, lang)


def full_answers(**over) -> dict:
    answers = {}
    for q in get_battery("full").questions("en"):
        answers[q.column] = q.options[0].key
    answers["context_safety"] = "no"
    answers.update(over)
    return answers


# --- choosing and the questions ---------------------------------------------------------------


def test_start_page_offers_both_tests_with_their_length(client):
    html = client.get(reverse("screening:start")).content.decode()
    for battery_id in ("short", "full"):
        battery = get_battery(battery_id)
        assert battery.title.get("nl") in html
        assert f"{len(battery.screens)} vragen" in html
        assert f'value="{battery_id}"' in html


def test_an_unknown_test_is_refused_with_a_message(client):
    response = client.post(reverse("screening:start"), {"battery": "long"})
    assert response.status_code == 400
    assert "Kies de korte of de uitgebreide test." in text_of(response.content.decode())
    assert selftest.COOKIE_NAME not in response.cookies


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_question_comes_from_the_definitions(client, lang):
    client.cookies["django_language"] = lang
    battery = get_battery("short")
    answers = answers_for(lonely=True, isolated=False)
    start(client)
    for screen in battery.screens:
        html = client.get(q_url(screen.number)).content.decode()
        page = text_of(html)
        assert screen.text(lang) in page
        for choice in screen.options(lang):
            assert f'value="{choice.key}"' in html
            assert choice.label in page
        counter = "Vraag" if lang == "nl" else "Question"
        of = "van" if lang == "nl" else "of"
        assert f"{counter} {screen.number} {of} {len(battery.screens)}" in page
        assert f'<progress max="{len(battery.screens)}" value="{screen.number}"' in html
        post_screen(client, "short", screen.number, answers)


def test_no_answer_gets_a_clear_message_and_keeps_the_place(client):
    start(client)
    post_screen(client, "short", 1, answers_for(True, True))
    response = client.post(q_url(2), {})
    assert response.status_code == 400
    page = text_of(response.content.decode())
    assert "Kies een antwoord om verder te gaan." in page
    assert 'role="alert"' in response.content.decode()
    # the first answer is still there
    html = client.get(q_url(1)).content.decode()
    assert f'value="{answers_for(True, True)["djg6_1"]}" checked' in html


def test_an_answer_that_is_not_an_option_is_refused(client):
    start(client)
    response = client.post(q_url(1), {"answer": "maybe"})
    assert response.status_code == 400
    assert "Dit antwoord is niet een van de keuzes." in text_of(response.content.decode())


def test_back_keeps_every_answer(client):
    answers = answers_for(lonely=True, isolated=True)
    start(client)
    for n in (1, 2, 3):
        post_screen(client, "short", n, answers)
    # Back from question 4 without an answer: no complaint, back to question 3.
    response = client.post(q_url(4), {"back": "1"})
    assert response.status_code == 302 and response["Location"] == q_url(3)
    html = client.get(q_url(3)).content.decode()
    assert f'value="{answers["djg6_3"]}" checked' in html
    # Back with a changed answer keeps the change.
    response = post_screen(client, "short", 3, {"djg6_3": "more_or_less"}, back="1")
    assert response["Location"] == q_url(2)
    html = client.get(q_url(3)).content.decode()
    assert 'value="more_or_less" checked' in html
    # Back from the first question goes to the choice of test.
    assert client.post(q_url(1), {"back": "1"})["Location"] == reverse("screening:start")


def test_questions_cannot_be_skipped(client):
    start(client)
    post_screen(client, "short", 1, answers_for(True, True))
    response = client.get(q_url(9))
    assert response.status_code == 302 and response["Location"] == q_url(2)
    assert client.get(reverse("screening:result"))["Location"] == q_url(2)
    assert client.get(q_url(99))["Location"] == q_url(2)


def test_without_a_test_in_progress_the_person_starts_again(client):
    response = client.get(q_url(3), follow=True)
    assert response.redirect_chain[-1][0] == reverse("screening:start")
    assert "Begin alstublieft opnieuw." in text_of(response.content.decode())


def test_a_tampered_cookie_is_ignored(client):
    start(client)
    value = client.cookies[selftest.COOKIE_NAME].value
    client.cookies[selftest.COOKIE_NAME] = value[:-3] + "abc"
    assert client.get(q_url(1))["Location"] == reverse("screening:start")


def test_an_answer_that_no_longer_fits_is_asked_again():
    progress = selftest.Progress("short", {"djg6_1": "yes", "djg6_2": "not-an-option"})
    loaded = selftest.load(selftest.dump(progress))
    assert loaded.answers == {"djg6_1": "yes"}
    assert loaded.first_unanswered() == 2


# --- the result ----------------------------------------------------------------------------


PATTERNS = {
    "chosen_solitude": answers_for(lonely=False, isolated=True, wish="no"),
    "lonely_among_people": answers_for(lonely=True, isolated=False),
    "lonely_and_isolated": answers_for(lonely=True, isolated=True, duration="gt_2_years"),
    "connected": answers_for(lonely=False, isolated=False, duration="not_lonely"),
}


@pytest.mark.parametrize("quadrant", PATTERNS)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_result_shows_the_cores_profile(client, quadrant, lang):
    client.cookies["django_language"] = lang
    answers = PATTERNS[quadrant]
    response = take_test(client, answers)
    assert response["Location"] == reverse("screening:result")
    html = client.get(reverse("screening:result")).content.decode()
    page = text_of(html)
    profile, explanation = core_explanation(answers, lang)
    assert profile.quadrant == quadrant
    for part in (explanation.headline, explanation.route_title, explanation.disclaimer):
        assert part in page
    for section in ("feeling", "situation", "duration", "approach", "next_steps"):
        for paragraph in getattr(explanation, section):
            assert paragraph.removeprefix("• ") in page, (section, paragraph)
    assert ("Dit is geen diagnose." if lang == "nl" else "This is not a diagnosis.") in page
    assert "crisis-box" not in html
    # nothing personal is stored on the server
    assert not Measurement.objects.exists()
    assert not Session.objects.exists()


def test_chronic_lonely_and_isolated_reads_the_seeds_approach(client):
    answers = PATTERNS["lonely_and_isolated"]
    take_test(client, answers)
    page = text_of(client.get(reverse("screening:result")).content.decode())
    profile, explanation = core_explanation(answers)
    assert profile.duration_band == "chronic" and profile.route == "course"
    for paragraph in explanation.approach:
        assert paragraph.removeprefix("• ") in page


def test_safety_yes_shows_crisis_help_next_and_first(client):
    answers = answers_for(lonely=True, isolated=True, safety="yes")
    response = take_test(client, answers)
    # The very next screen is crisis help, and it leads on to the result.
    crisis_url = response["Location"]
    assert crisis_url.startswith(reverse("screening:crisis"))
    html = client.get(crisis_url).content.decode()
    for service in crisis_help().urgent:
        assert all(f'href="{phone.href}"' in html for phone in service.phones)
    assert f'href="{reverse("screening:result")}"' in html
    # On the result, crisis help comes before anything else in the page's content.
    result = client.get(reverse("screening:result")).content.decode()
    main = result[result.index("<main") :]
    assert main.index("crisis-box") < main.index("<h1")
    _, explanation = core_explanation(answers)
    assert explanation.crisis and all(p in text_of(main) for p in explanation.crisis)


def test_safety_answer_changed_back_to_no_is_respected(client):
    answers = answers_for(lonely=True, isolated=True, safety="yes")
    take_test(client, answers)
    last = len(get_battery("short").screens)
    response = post_screen(client, "short", last, {"context_safety": "no"})
    assert response["Location"] == reverse("screening:result")
    result = client.get(reverse("screening:result")).content.decode()
    assert "crisis-box" not in result


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/test/", "/account/"])
def test_crisis_page_only_leads_back_into_the_test(client, target):
    html = client.get(reverse("screening:crisis"), {"next": target}).content.decode()
    links = re.findall(r'<a class="button" href="([^"]*)"', html)
    assert target not in links
    assert all(link.startswith("/test/") for link in links)


@pytest.mark.parametrize(
    ("target", "lang", "words"),
    [
        ("/test/result/", "nl", "Verder naar mijn uitslag"),
        ("/test/result/", "en", "Go on to my result"),
        ("/test/question/3/", "nl", "Ga verder met de test"),
    ],
)
def test_the_way_on_from_crisis_help_says_where_it_leads(client, target, lang, words):
    client.cookies["django_language"] = lang
    html = client.get(reverse("screening:crisis"), {"next": target}).content.decode()
    assert f'<a class="button" href="{target}">{words}</a>' in html


def test_stop_removes_the_answers(client):
    take_test(client, answers_for(True, True))
    client.get(reverse("screening:result"))
    assert pending.COOKIE_NAME in client.cookies
    response = client.post(reverse("screening:stop"))
    assert response.cookies[selftest.COOKIE_NAME].value == ""
    assert response.cookies[pending.COOKIE_NAME].value == ""


# --- the full test's grouped question --------------------------------------------------------


def _group_number() -> int:
    return next(s.number for s in get_battery("full").screens if s.is_group)


def _walk_to_group(client):
    answers = full_answers()
    start(client, "full")
    for n in range(1, _group_number()):
        assert post_screen(client, "full", n, answers).status_code == 302
    return _group_number()


def test_group_needs_a_choice_and_none_is_exclusive(client):
    n = _walk_to_group(client)
    assert client.post(q_url(n), {}).status_code == 400
    screen = get_battery("full").screens[n - 1]
    first = screen.items[0].id
    response = client.post(q_url(n), {"chosen": [first, NONE_OF_THESE]})
    assert response.status_code == 400
    assert "Geen van deze" in text_of(response.content.decode())


def test_group_ticks_are_answers_and_are_kept(client):
    n = _walk_to_group(client)
    screen = get_battery("full").screens[n - 1]
    ticked = [screen.items[1].id, screen.items[3].id]
    assert client.post(q_url(n), {"chosen": ticked}).status_code == 302
    progress = selftest.load(client.cookies[selftest.COOKIE_NAME].value)
    for item in screen.items:
        expected = "yes" if item.id in ticked else "no"
        assert progress.answers[screen.instrument.column(item.id)] == expected
    html = client.get(q_url(n)).content.decode()
    assert len(re.findall(r'type="checkbox"[^>]*checked', html)) == 2
    for item in screen.items:
        assert screen.item_label(item, "nl") in text_of(html)


def test_full_test_reaches_a_result(client):
    answers = full_answers()
    take_test(client, answers, "full")
    html = client.get(reverse("screening:result")).content.decode()
    _, explanation = core_explanation(answers, battery="full")
    assert explanation.headline in text_of(html)


# --- saving ---------------------------------------------------------------------------------


NEW_PASSWORD = "een lange nieuwe zin 42"


def test_register_after_the_test_saves_the_result(client):
    answers = answers_for(lonely=True, isolated=False)
    take_test(client, answers)
    result = client.get(reverse("screening:result"))
    assert reverse("accounts:register") in result.content.decode()
    response = client.post(
        reverse("accounts:register"),
        {
            "email": "saver@example.org",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "consent_store": "on",
        },
    )
    assert response.status_code == 302
    m = Measurement.objects.get(participant__email="saver@example.org")
    assert m.answers == answers and m.battery == "short"
    assert m.instrument_versions and m.results and m.profile
    # Saved: no copy of the answers is left in the browser, so it cannot be saved twice.
    assert response.cookies[selftest.COOKIE_NAME].value == ""
    assert response.cookies[pending.COOKIE_NAME].value == ""


def test_invitation_link_after_the_test_saves_the_result(client, people):
    answers = answers_for(lonely=True, isolated=True, safety="yes")
    take_test(client, answers)
    client.get(reverse("screening:result"))
    invitation = invitations.invite_participant(people.coach, people.org, "inv@example.org", "nl")
    url = reverse(
        "accounts:accept_invitation", kwargs={"token": invitations.make_token(invitation)}
    )
    response = client.post(
        url,
        {
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "consent_store": "on",
            "consent_share": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="inv@example.org")
    m = Measurement.objects.get(participant=user)
    assert m.answers == answers and m.safety_flag
    assert response.cookies[pending.COOKIE_NAME].value == ""
    assert response.cookies[selftest.COOKIE_NAME].value == ""
    # the coach is told about the safety answer
    assert Alert.objects.filter(participant=user, kind=AlertKind.SAFETY).exists()


def test_logged_in_participant_retest_is_saved_at_once(client, people):
    client.force_login(people.participant)
    before = Measurement.objects.filter(participant=people.participant).count()
    answers = answers_for(lonely=False, isolated=False)
    start(client)
    last = len(get_battery("short").screens)
    for n in range(1, last):
        post_screen(client, "short", n, answers)
    html = client.get(q_url(last)).content.decode()
    assert "Bewaren en mijn uitslag zien" in text_of(html)
    response = post_screen(client, "short", last, answers)
    m = Measurement.objects.filter(participant=people.participant).latest("created_at")
    assert Measurement.objects.filter(participant=people.participant).count() == before + 1
    assert m.answers == answers
    assert response["Location"] == reverse("screening:saved_result", kwargs={"pk": m.pk})
    assert response.cookies[selftest.COOKIE_NAME].value == ""
    page = text_of(client.get(response["Location"]).content.decode())
    _, explanation = core_explanation(answers)
    assert explanation.route_title in page


def test_logged_in_retest_with_safety_yes_goes_to_crisis_help_first(client, people):
    client.force_login(people.participant)
    response = take_test(client, answers_for(True, True, safety="yes"))
    m = Measurement.objects.filter(participant=people.participant).latest("created_at")
    saved_url = reverse("screening:saved_result", kwargs={"pk": m.pk})
    assert response["Location"].startswith(reverse("screening:crisis"))
    html = client.get(response["Location"]).content.decode()
    assert f'href="{saved_url}"' in html
    result = client.get(saved_url).content.decode()
    main = result[result.index("<main") :]
    assert main.index("crisis-box") < main.index("<h1")


def test_a_person_who_logs_in_after_the_test_can_save_it(client, people):
    answers = answers_for(lonely=True, isolated=False)
    take_test(client, answers)
    client.post(
        reverse("accounts:login"), {"username": people.participant.email, "password": PASSWORD}
    )
    html = client.get(reverse("screening:result")).content.decode()
    assert reverse("screening:save") in html
    response = client.post(reverse("screening:save"))
    m = Measurement.objects.filter(participant=people.participant).latest("created_at")
    assert m.answers == answers
    assert response["Location"] == reverse("screening:saved_result", kwargs={"pk": m.pk})


def test_an_account_without_consent_to_store_keeps_nothing(client, people):
    client.force_login(people.coach)  # a coach's own account holds no test results
    response = take_test(client, answers_for(True, True))
    assert response["Location"] == reverse("screening:result")
    assert not Measurement.objects.filter(participant=people.coach).exists()
    html = client.get(reverse("screening:result")).content.decode()
    assert reverse("screening:save") not in html
    assert client.post(reverse("screening:save")).status_code == 404


def test_saved_result_is_only_for_its_owner(client, people):
    client.force_login(people.participant)
    take_test(client, answers_for(True, True))
    m = Measurement.objects.filter(participant=people.participant).latest("created_at")
    client.force_login(people.coach)
    assert client.get(reverse("screening:saved_result", kwargs={"pk": m.pk})).status_code == 404


def test_lonely_djg_helper_is_lonely():
    # guards the answer patterns above: they must mean what their names say
    with translation.override("nl"):
        profile, _ = core_explanation(short_answers(djg="no", lsns="nine_plus") | lonely_djg())
    assert profile.inputs.lonely is True


@pytest.mark.parametrize(
    ("lang", "words"),
    [("nl", "een eerste indruk, geen diagnose"), ("en", "a first impression, not a diagnosis")],
)
def test_each_test_introduction_calls_the_result_what_the_result_page_does(client, lang, words):
    # The result page says "a first impression based on your answers" (profile.yaml).
    client.cookies["django_language"] = lang
    html = client.get(reverse("screening:start")).content.decode()
    assert html.count(words) == 2
    assert "indication" not in html and "indicatie" not in html
