"""Someone who already takes part in the course and does the test again reads one honest
next step: where they are in the course, never "sign up" or "first a conversation with a
coach", on the result page (saved or not), on their home page, in both languages."""

from __future__ import annotations

import pytest
from django.urls import reverse
from test_measurements import answers_for
from test_selftest import take_test, text_of

from verbind.accounts.domain.consent import withdraw_consent
from verbind.accounts.models import ConsentPurpose
from verbind.course.domain import enrolment as enrolment_domain
from verbind.screening.models import Measurement

pytestmark = pytest.mark.django_db

COURSE = answers_for(lonely=True, isolated=True, duration="gt_2_years")

SIGN_UP = {
    "nl": ("Meld u aan", "aanmelden", "Eerst heeft u een gesprek met een coach"),
    "en": ("Sign up", "sign up", "First you have a conversation with a coach"),
}
IN_COURSE = {
    "nl": "U doet al mee aan de cursus. U bent in week 1 van 8.",
    "en": "You already take part in the course. You are in week 1 of 8.",
}


def main_text(html: str) -> str:
    return text_of(html[html.index("<main") : html.index("</main>")])


def assert_no_sign_up(text: str, lang: str) -> None:
    for words in SIGN_UP[lang]:
        assert words.lower() not in text.lower(), words


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_saved_result_of_someone_in_the_course_never_asks_to_sign_up(client, people, lang):
    enrolment_domain.enrol(people.participant)
    client.force_login(people.participant)
    client.cookies["django_language"] = lang
    response = take_test(client, COURSE)
    assert response["Location"].startswith("/test/result/")
    text = main_text(client.get(response["Location"]).content.decode())
    assert IN_COURSE[lang] in text
    assert_no_sign_up(text, lang)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_an_unsaved_result_of_someone_in_the_course_never_asks_to_sign_up(client, people, lang):
    """A participant who no longer lets verbind store results: the result is not saved,
    and still they are in the course."""
    enrolment_domain.enrol(people.participant)
    withdraw_consent(people.participant, ConsentPurpose.STORE_MEASUREMENTS)
    before = Measurement.objects.filter(participant=people.participant).count()
    client.force_login(people.participant)
    client.cookies["django_language"] = lang
    response = take_test(client, COURSE)
    assert response["Location"] == reverse("screening:result")
    assert Measurement.objects.filter(participant=people.participant).count() == before
    html = client.get(reverse("screening:result")).content.decode()
    text = main_text(html)
    assert IN_COURSE[lang] in text
    assert_no_sign_up(text, lang)
    assert f'href="{reverse("course:week", args=[1])}"' in html


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_home_page_of_someone_in_the_course_gives_the_course_as_next_step(client, people, lang):
    enrolment_domain.enrol(people.participant)
    client.force_login(people.participant)
    client.cookies["django_language"] = lang
    take_test(client, COURSE)
    html = client.get(reverse("accounts:home")).content.decode()
    latest = html[html.index('id="latest-title"') :]
    latest = text_of(latest[: latest.index("</section>")])
    assert_no_sign_up(latest, lang)
    assert ("U doet al mee aan de cursus" if lang == "nl" else "You already take part") in latest
