"""Dates on the coach's and the organisation's pages are written out ("28 oktober 2026"),
as on the participant's own pages: Django's "M" format gives "28 Okt 2026" in Dutch, with
a capital that Dutch month names do not have."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from verbind.coaching.domain import invitations

pytestmark = pytest.mark.django_db

MONTHS = {
    "nl": "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december",
    "en": "January|February|March|April|May|June|July|August|September|October|November|December",
}
ABBREVIATED = re.compile(
    r"\b\d{1,2} (Jan|Feb|Mrt|Mar|Apr|Mei|May|Jun|Jul|Aug|Sep|Okt|Oct|Nov|Dec) \d{4}"
)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_coach_sees_test_and_signal_dates_in_words(people, client_for, lang):
    client = client_for("coach")
    client.cookies["django_language"] = lang
    html = client.get(reverse("coaching:participant", args=[people.participant.pk]))
    html = html.content.decode()
    main = html[html.index("<main") : html.index('aria-labelledby="notes-title"')]
    assert re.search(rf"\b\d{{1,2}} ({MONTHS[lang]}) \d{{4}}", main)
    assert not ABBREVIATED.search(main), ABBREVIATED.search(main).group(0)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_organisation_sees_open_invitation_dates_in_words(people, client_for, lang):
    invitations.invite_coach(people.org_admin, people.org, "new.coach@example.org", lang)
    client = client_for("org_admin")
    client.cookies["django_language"] = lang
    html = client.get(reverse("organisation:dashboard")).content.decode()
    # The list of open invitations: the address, then the day it was sent, in words.
    row = re.search(r"<th scope=\"row\">new\.coach@example\.org</th>\s*<td[^>]*>([^<]*)</td>", html)
    assert row, "the open invitation is not listed"
    assert re.fullmatch(rf"\d{{1,2}} ({MONTHS[lang]}) \d{{4}}", row.group(1).strip())


NUMERIC = re.compile(r"\b\d{1,2}-\d{1,2}-\d{4}\b")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_coachs_course_pages_show_dates_in_words(people, client_for, lang):
    from test_access_matrix import _course

    from verbind.course.domain import enrolment as enrolment_domain

    enrolment = _course(people)[0]  # with a sent answer and a flagged check-in
    enrolment.last_activity_at = enrolment.started_at
    enrolment.save(update_fields=["last_activity_at"])
    client = client_for("coach")
    client.cookies["django_language"] = lang
    in_words = rf"\b\d{{1,2}} ({MONTHS[lang]}) \d{{4}}"
    pages = {
        "overview": reverse("course:coach_overview"),
        "enrolment": reverse("course:coach_enrolment", args=[enrolment.pk]),
        "inbox": reverse("course:inbox"),
    }
    for name, url in pages.items():
        html = client.get(url).content.decode()
        main = html[html.index("<main") : html.index("</main>")]
        assert re.search(in_words, main), name
        assert not NUMERIC.search(main), (name, NUMERIC.search(main).group(0))
    # Where the moment matters (a signal, an answer waiting), the time is there too.
    enrolment_page = client.get(pages["enrolment"]).content.decode()
    assert re.search(in_words + r", \d{2}:\d{2}", enrolment_page)
    inbox = client.get(pages["inbox"]).content.decode()
    assert re.search(in_words + r", \d{2}:\d{2}", inbox)
    # A course stopped lately is listed with the day in words.
    enrolment_domain.end(enrolment, by=people.participant)
    html = client.get(pages["overview"]).content.decode()
    stopped = html[html.index('id="stopped-title"') :]
    assert re.search(in_words, stopped) and not NUMERIC.search(stopped)
