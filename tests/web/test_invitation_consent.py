"""The invitation page tells a participant who will see their results before they agree.

A coach can share a participant with a colleague of the same organisation
(coaching.domain.assignments.share_with_colleague) without asking again, so the page
where the person gives consent must say so, and where to see and stop it.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

from verbind.coaching.domain import invitations

pytestmark = pytest.mark.django_db

SHARING = (
    "Your coach may share your results with a colleague at %(org)s. On the page 'My coach' "
    "you can always see who can see your results, and stop it."
)


def _text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def _consent_section(html: str) -> str:
    return re.search(r'<section class="consent".*?</section>', html, re.S).group(0)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_participant_invitation_says_a_colleague_may_see_the_results(client, people, lang):
    invitation = invitations.invite_participant(people.coach, people.org, "nieuw@example.org", "nl")
    client.cookies["django_language"] = lang
    url = reverse("accounts:accept_invitation", args=[invitations.make_token(invitation)])
    html = client.get(url).content.decode()
    with translation.override(lang):
        sentence = translation.gettext(SHARING) % {"org": people.org.name}
    assert sentence != SHARING % {"org": people.org.name} or lang == "en"
    # In the part that says what the person agrees to, before the consent boxes.
    assert sentence in _text(_consent_section(html))
    assert html.index("consent-title") < html.index('name="consent_share"')


def test_a_logged_in_participant_reads_it_too(client, people):
    # Someone with an account accepts with one tick: the same words must be there.
    invitation = invitations.invite_participant(
        people.coach, people.org, people.participant.email, "nl"
    )
    client.force_login(people.participant)
    url = reverse("accounts:accept_invitation", args=[invitations.make_token(invitation)])
    with translation.override("nl"):
        sentence = translation.gettext(SHARING) % {"org": people.org.name}
    assert sentence in _text(client.get(url).content.decode())
