"""A coach's private note with htmx (the HX-Request header): the answer is the notes part
of the page only (form and list, from coaching/_notes.html), with the same access checks
and the same errors as the normal POST, which still saves and redirects."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from verbind.coaching.models import CoachNote, CoachShare

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
SAVED = "Uw notitie is bewaard. Alleen u kunt hem zien."


def _url(people):
    return reverse("coaching:add_note", args=[people.participant.pk])


def test_htmx_answers_with_the_notes_fragment(people, client_for):
    coach = client_for("coach")
    response = coach.post(_url(people), {"text": "Called on Monday"}, **HTMX)
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    html = response.content.decode()
    # A fragment: no page around it, no menu, no second copy of the crisis help.
    assert "<html" not in html and "<header" not in html and "<footer" not in html
    note = CoachNote.objects.get(author=people.coach, text="Called on Monday")
    # The new note first (with focus target), then the older one; the form is empty again.
    new = html.index('id="saved-note"')
    assert new < html.index("Called on Monday") < html.index(people.note.text)
    assert html.count('id="saved-note"') == 1
    assert re.search(r'<textarea[^>]*name="text"[^>]*>\s*</textarea>', html)
    assert 'hx-post="' + _url(people) + '"' in html and 'name="csrfmiddlewaretoken"' in html
    # The status line (outside the swapped part) says it is saved.
    status = re.search(r'<div id="notes-status" hx-swap-oob="innerHTML">(.*?)</div>', html, re.S)
    assert status and SAVED in status.group(1)
    assert CoachNote.objects.filter(author=people.coach).count() == 2 and note.pk
    # No message waits for the next page: the coach saw it already.
    page = coach.get(reverse("coaching:participant", args=[people.participant.pk]))
    assert SAVED not in page.content.decode()


def test_htmx_shows_a_mistake_in_the_form_as_the_page_does(people, client_for):
    coach = client_for("coach")
    fragment = coach.post(_url(people), {"text": "   "}, **HTMX)
    page = coach.post(_url(people), {"text": "   "})
    assert fragment.status_code == page.status_code == 400
    html = fragment.content.decode()
    assert "<html" not in html
    form = re.search(r'<div class="field field-error">.*?</div>\s*</div>', html, re.S).group(0)
    assert form in page.content.decode()  # the very same error markup as without htmx
    assert 'aria-invalid="true"' in form and 'id="id_text_error"' in form
    assert 'id="saved-note"' not in html
    status = re.search(r'<div id="notes-status" hx-swap-oob="innerHTML">(.*?)</div>', html, re.S)
    assert status.group(1) == ""
    assert CoachNote.objects.filter(author=people.coach).count() == 1


def test_the_normal_post_still_saves_and_redirects(people, client_for):
    coach = client_for("coach")
    response = coach.post(_url(people), {"text": "Without JavaScript"}, follow=True)
    assert response.redirect_chain[-1] == (
        reverse("coaching:participant", args=[people.participant.pk]),
        302,
    )
    html = response.content.decode()
    assert SAVED in html and "Without JavaScript" in html
    assert 'id="notes-body"' in html and 'role="status"' in html


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("other_coach", 404),  # a colleague without a share
        ("foreign_coach", 404),
        ("participant", 403),
        ("org_admin", 403),
    ],
)
def test_htmx_has_the_same_access_checks(people, client_for, role, status):
    client = client_for(role)
    with_htmx = client.post(_url(people), {"text": "not mine"}, **HTMX)
    without = client.post(_url(people), {"text": "not mine"})
    assert with_htmx.status_code == without.status_code == status
    assert people.note.text not in with_htmx.content.decode()
    assert not CoachNote.objects.filter(text="not mine").exists()


def test_a_colleague_with_a_share_gets_only_their_own_notes(people, client_for):
    CoachShare.objects.create(assignment=people.assignment, coach=people.other_coach)
    response = client_for("other_coach").post(_url(people), {"text": "colleague note"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "colleague note" in html and people.note.text not in html


def test_htmx_is_loaded_only_on_pages_that_use_it(people, client_for):
    coach = client_for("coach")
    page = coach.get(reverse("coaching:participant", args=[people.participant.pk]))
    html = page.content.decode()
    assert "verbind/js/htmx.min.js" in html and "verbind/js/coach-notes.js" in html
    assert 'hx-post="' + _url(people) + '"' in html
    for other in (reverse("coaching:dashboard"), reverse("accounts:home")):
        assert "htmx.min.js" not in coach.get(other).content.decode(), other
    assert "htmx.min.js" not in client_for("anonymous").get(reverse("start")).content.decode()
