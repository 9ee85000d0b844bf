"""What the result page shows for a loneliness score that one missing answer leaves open.

The web self-test asks every question (no skipping), so a person taking it never gets
such a result. The page is generated from the core's result and profile, though, so it is
checked here with one: the score table says "onbepaald" beside the score, and the text
says in plain words that one answer is missing and the result is not certain; nothing
says "not lonely" or "lonely".
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from verbind.core import profile as core_profile
from verbind.core.scoring import score
from verbind.screening import views

pytestmark = pytest.mark.django_db

POSITIVE = {"1", "4", "7", "8", "11"}
# Ten of the eleven statements answered, two of them lonely: a total of 2 or 3.
OPEN = {
    str(n): ("no" if str(n) in POSITIVE else "yes") if n <= 2 else
    ("yes" if str(n) in POSITIVE else "no")
    for n in range(1, 11)
}  # fmt: skip


def render_result(lang: str) -> str:
    results = {"djg11": score("djg11", OPEN)}
    assert results["djg11"].total.value == 2
    profile = core_profile.build_profile(results, today=dt.date(2026, 1, 1))
    explanation = core_profile.explain(profile, lang)
    context = views._result_context(explanation, results, lang, profile)
    context.update(
        saved=False, may_store=False, crisis=False, last_question=1,
        route=profile.classification.effective_route, enrolled_course=None,
    )  # fmt: skip
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with translation.override(lang):
        return render_to_string("screening/result.html", context, request=request)


@pytest.mark.parametrize(
    ("lang", "level", "plain", "not_said"),
    [
        ("nl", "onbepaald", "één vraag over uw gevoel niet beantwoord", "niet eenzaam voelt"),
        (
            "en",
            "indeterminate",
            "did not answer one question about your feeling",
            "do not feel lonely",
        ),
    ],
)
def test_an_open_score_is_shown_as_open_in_plain_words(lang, level, plain, not_said):
    html = " ".join(render_result(lang).split())
    assert level in html
    assert plain in html
    assert not_said not in html
