"""Private coach notes."""

from __future__ import annotations

from django.db import transaction

from verbind.accounts.models import User
from verbind.coaching.models import CoachNote

MAX_NOTE_LENGTH = 5000


class NoteError(ValueError):
    pass


@transaction.atomic
def add_note(author: User, participant: User, text: str) -> CoachNote:
    """The caller has checked (permissions) that the author may see the participant."""
    text = (text or "").strip()
    if not text:
        raise NoteError("a note cannot be empty")
    if len(text) > MAX_NOTE_LENGTH:
        raise NoteError(f"a note can be at most {MAX_NOTE_LENGTH} characters")
    return CoachNote.objects.create(author=author, participant=participant, text=text)
