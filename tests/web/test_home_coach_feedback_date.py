"""The participant's home page says when the coach last answered in the course, and leads
to that week; with no answer yet it says nothing of the kind."""

from __future__ import annotations

import pytest
from django.urls import reverse
from test_course_support import at, enrolled_fixture  # noqa: F401
from test_selftest import text_of

from verbind.course.domain import answers, feedback
from verbind.course.domain.programmes import get_programme

pytestmark = pytest.mark.django_db


def coach_card(client) -> str:
    html = client.get(reverse("accounts:home")).content.decode()
    card = html[html.index('id="coach-title"') :]
    return card[: card.index("</section>")]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("nl", "Uw coach reageerde het laatst op 8 maart 2026 (week 1)."),
        ("en", "Your coach last responded on 8 March 2026 (week 1)."),
    ],
)
def test_the_home_page_gives_the_date_of_the_coachs_last_feedback(
    client, people, enrolled, lang, words
):
    client.force_login(people.participant)
    client.cookies["django_language"] = lang
    assert "Uw coach reageerde" not in text_of(coach_card(client))
    exercise = next(e for e in get_programme(enrolled.programme).week(1).exercises)
    answer = answers.submit(enrolled, exercise.id, "Mijn antwoord", now=at(1))
    feedback.give_feedback(answer, people.coach, "Mooi geschreven.", now=at(6, 3))
    card = coach_card(client)
    assert words in text_of(card)
    assert f'href="{reverse("course:week", args=[1])}"' in card
