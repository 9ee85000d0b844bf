"""The coach's and the organisation admin's pages with the Content-Security-Policy
ENFORCED (the other browser tests bypass it to inject axe): nothing is refused, nothing
errors, and the coach's history chart is drawn from our own stylesheet."""

from __future__ import annotations

import pytest
from web_base import PASSWORD, add_measurement, make_coach, make_participant, make_user

from verbind.accounts.models import Membership, Organisation, Role
from verbind.coaching.models import CoachNote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch(window) -> list[str]:
    refused: list[str] = []
    window.page.on(
        "console",
        lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return refused


def test_coach_and_admin_pages_under_the_enforced_policy(visit):
    org = Organisation.objects.create(name="Wijkteam Zuid", slug="wijkteam-zuid")
    coach = make_coach(org, "coach.csp@example.org", "Coach Cas")
    admin = make_user("admin.csp@example.org", "Beheer Bea")
    Membership.objects.create(user=admin, organisation=org, role=Role.ORG_ADMIN)
    person = make_participant(org, coach, "deelnemer.csp@example.org", "Dirk Deelnemer")
    for days, score in ((90, 5), (45, 4), (3, 2)):
        add_measurement(person, days_ago=days, loneliness_score=score)
    CoachNote.objects.create(author=coach, participant=person, text="Eerste gesprek ging goed")

    window = visit("coach", strict_csp=True)
    refused = _watch(window)
    window.log_in(coach.email, PASSWORD)
    window.page.wait_for_url(lambda url: "/login/" not in url)
    for path in ("/coach/", "/coach/invite/", f"/coach/participant/{person.pk}/"):
        response = window.goto(path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
    page = window.page
    # The small charts are laid out by the stylesheet (a grid), so it applied.
    charts = page.locator(".small-charts")
    assert charts.count() >= 1
    assert charts.first.evaluate("el => getComputedStyle(el).display") == "grid"
    assert "Eerste gesprek ging goed" in page.locator("main").inner_text()

    admin_window = visit("admin", strict_csp=True)
    admin_refused = _watch(admin_window)
    admin_window.log_in(admin.email, PASSWORD)
    admin_window.page.wait_for_url(lambda url: "/login/" not in url)
    assert admin_window.goto("/organisation/").status == 200
    assert "Dirk Deelnemer" not in admin_window.page.content()
    coach_membership = Membership.objects.get(user=coach, role=Role.COACH)
    confirm = f"/organisation/coaches/{coach_membership.pk}/deactivate/confirm/"
    assert admin_window.goto(confirm).status == 200
    assert "Dirk Deelnemer" not in admin_window.page.content()

    assert refused == [] and admin_refused == []
    assert window.console_errors == [] and admin_window.console_errors == []
