"""The result page gives the answer first: three short lines (feeling, situation, what to do
next) and the next step's button; scores and details behind "More about your result" (a
<details> element, so it opens without JavaScript); "Do the test again" once. Crisis help
stays above everything when it applies."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from test_measurements import answers_for
from test_selftest import take_test, text_of

from verbind.core import profile as core_profile
from verbind.core.battery import get_battery

pytestmark = pytest.mark.django_db

COURSE = answers_for(lonely=True, isolated=True, duration="gt_2_years")
SELF_HELP = answers_for(lonely=True, isolated=True, duration="lt_6_months")


def in_short(answers, lang):
    results = get_battery("short").score(answers)
    profile = core_profile.build_profile(results, today=timezone.localdate())
    return core_profile.result_in_short(profile, lang)


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("answers", [COURSE, SELF_HELP])
def test_the_three_lines_and_the_button_come_before_the_details(client, people, lang, answers):
    client.force_login(people.participant)
    client.cookies["django_language"] = lang
    response = take_test(client, answers)
    main = main_of(client.get(response["Location"]).content.decode())
    summary = in_short(answers, lang)
    details = main.index('<details class="result-more">')
    top = text_of(main[:details])
    for line in summary.lines:
        assert line in top
    # The button of the next step is in the top part too.
    button = reverse("course:overview") if answers is COURSE else reverse("tips")
    assert f'class="button" href="{button}"' in main[:details]
    more = "Meer over uw uitslag" if lang == "nl" else "More about your result"
    assert f"<summary>{more}</summary>" in main
    # Scores and the longer explanation are behind it.
    rest = main[details:]
    assert 'id="scores-title"' in rest and 'id="scores-title"' not in main[:details]
    assert 'id="section-feeling"' in rest and 'id="section-approach"' in rest


@pytest.mark.parametrize("saved", [True, False])
def test_do_the_test_again_is_offered_once(client, people, saved):
    if saved:
        client.force_login(people.participant)
    response = take_test(client, COURSE)
    html = main_of(client.get(response["Location"]).content.decode())
    assert html.count(f'href="{reverse("screening:start")}"') == 1
    assert text_of(html).count("Doe de test opnieuw") == 1


def test_crisis_help_comes_before_the_result_in_short(client):
    take_test(client, COURSE | {"context_safety": "yes"})
    main = main_of(client.get(reverse("screening:result")).content.decode())
    assert main.index('class="crisis-box') < main.index('class="card route-card"')
    # After crisis help, the next step is the route underneath it (the course).
    assert in_short(COURSE, "nl").next_step in text_of(main)
