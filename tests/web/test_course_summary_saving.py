"""The summary's ticked answers and plan are saved as they change (like an exercise's
text) and before the PDF is made, so the PDF holds what the participant sees; leaving the
page or downloading the PDF loses nothing."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from test_course_support import measured, week1_ids

from verbind.course.domain import answers
from verbind.course.domain import enrolment as enrolment_domain
from verbind.course.models import ExerciseAnswer

JSON = {"HTTP_ACCEPT": "application/json"}
URL = reverse("course:summary")


@pytest.fixture
def written(people):
    measured(people.participant)
    e = enrolment_domain.enrol(people.participant)
    keep = answers.save_draft(e, week1_ids()[2], "Verbinding is samen koken.")
    answers.save_draft(e, week1_ids()[3], "Geheim dagboek dat niet mee moet.")
    return e, keep


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def pdf_text(content: bytes) -> str:
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", " ", text)


def test_the_choices_and_plan_are_saved_as_they_change(written, people):
    e, keep = written
    c = login(people.participant)
    r = c.post(URL, {"action": "save", "include": [str(keep.pk)], "plan": "Buurvrouw"}, **JSON)
    assert r.status_code == 200 and r.json()["saved"] is True and r.json()["saved_at"]
    e.refresh_from_db()
    assert e.plan_after_course == "Buurvrouw"
    assert list(ExerciseAnswer.objects.filter(include_in_summary=True)) == [keep]
    # Coming back: the page shows them.
    page = c.get(URL).content.decode()
    assert re.search(rf'value="{keep.pk}" id="include-{keep.pk}" checked', page)
    assert "Buurvrouw</textarea>" in page
    # Too long a plan: a clear message, nothing saved over the last good version.
    r = c.post(URL, {"action": "save", "plan": "x" * 5001}, **JSON)
    assert r.status_code == 400 and r.json()["saved"] is False and r.json()["error"]
    e.refresh_from_db()
    assert e.plan_after_course == "Buurvrouw"


def test_the_pdf_button_saves_what_is_on_screen_and_the_pdf_holds_it(written, people):
    _e, keep = written
    c = login(people.participant)
    page = c.get(URL).content.decode()
    # The download is a button of the form, so the ticks and the plan go with it.
    start = page.index("data-summary-autosave")
    form = page[start : page.index("</form>", start)]
    assert 'name="action" value="pdf"' in form
    r = c.post(
        URL, {"action": "pdf", "include": [str(keep.pk)], "plan": "Elke week de buurvrouw bellen."}
    )
    assert r.status_code == 302 and r["Location"] == reverse("course:summary_pdf")
    text = pdf_text(c.get(r["Location"]).content)
    assert "Verbinding is samen koken." in text
    assert "Elke week de buurvrouw bellen." in text
    assert "Geheim dagboek" not in text
