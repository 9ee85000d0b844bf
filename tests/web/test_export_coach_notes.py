"""Notes coaches wrote about a participant are the participant's personal data: the JSON
download holds them (right of access), every coach's notes about this person and nobody
else's; among coaches they stay private to their author."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from verbind.coaching.models import CoachNote
from verbind.participant.domain.personal_data import export_data

pytestmark = pytest.mark.django_db


def test_the_download_holds_every_note_about_me_and_no_one_elses(people, client_for):
    CoachNote.objects.create(author=people.other_coach, participant=people.participant, text="B")
    CoachNote.objects.create(
        author=people.other_coach, participant=people.other_participant, text="not about me"
    )
    exported = export_data(people.participant)
    notes = exported["notes_by_coaches"]
    expected = set(
        CoachNote.objects.filter(participant=people.participant).values_list("text", flat=True)
    )
    assert {n["text"] for n in notes} == expected and "B" in expected
    assert people.note.text in expected  # the fixture's note by the participant's own coach
    assert "not about me" not in json.dumps(exported)
    assert {n["coach"] for n in notes} == {
        people.coach.display_name,
        people.other_coach.display_name,
    }
    assert all(n["written_at"] for n in notes)
    # Through the real download too.
    download = client_for("participant").get(reverse("accounts:export_json"))
    body = b"".join(download.streaming_content) if download.streaming else download.content
    assert people.note.text in body.decode()


def test_a_coach_is_told_the_participant_can_read_the_notes(people, client_for):
    page = client_for("coach").get(
        reverse("coaching:participant", args=[people.participant.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "The participant can read them in the download of their data" in (page.content.decode())


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("nl", "Al mijn gegevens (JSON-bestand): ook de notities die een coach over mij schreef."),
        ("en", "All my data (JSON file): also the notes a coach wrote about me."),
    ],
)
def test_my_data_says_the_download_holds_the_notes_in_one_pair_of_brackets(
    people, client_for, lang, line
):
    from test_selftest import text_of

    client = client_for("participant")
    client.cookies["django_language"] = lang
    page = text_of(client.get(reverse("accounts:my_data")).content.decode())
    assert line in page
    assert ") (" not in page and "((" not in page and "))" not in page
