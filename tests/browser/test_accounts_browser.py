"""Saving a result, a coach and a participant, withdrawing access, own data: in a browser.

Each person has their own browser window (own cookies). Every page visited is checked
with axe and photographed at phone and desktop width (see conftest.Visit.check).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from django.core import mail
from django.utils import translation
from test_measurements import answers_for
from web_base import PASSWORD, make_coach, make_user

from verbind.accounts.domain.consent import record_consent
from verbind.accounts.models import ConsentPurpose, Organisation, User
from verbind.coaching.models import CoachAssignment
from verbind.screening.domain.measurements import save_measurement
from verbind.screening.models import Measurement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "een lange zin als wachtwoord 7"


def t(msgid: str) -> str:
    with translation.override("nl"):
        return translation.gettext(msgid)


def main_text(page) -> str:
    return re.sub(r"\s+", " ", page.get_by_role("main").inner_text())


def chart_points(page) -> int:
    # One small chart per measure: count the points of the loneliness chart (DJG-6 here).
    return page.locator("main figure[id^='history-chart-djg'] circle.chart-dot").count()


def test_save_the_result_by_registering(visit):
    answers = answers_for(lonely=True, isolated=False)
    person = visit("new person")
    page = person.page
    person.take_test(answers, check_every_page=False)
    page.get_by_role("link", name=t("Make an account and save my result")).click()
    person.check("register after the test")
    # The consent screen says what is stored before anything is.
    assert page.locator("#consent-title").is_visible()
    page.fill("#id_email", "nieuw@example.org")
    page.fill("#id_password1", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    # Without consent: nothing happens, and the page says why.
    page.get_by_role("main").get_by_role("button").last.click()
    assert not User.objects.filter(email="nieuw@example.org").exists()
    person.check("register without consent")
    page.fill("#id_password1", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    page.check("#id_consent_store")
    page.get_by_role("main").get_by_role("button").last.click()
    page.wait_for_url("**/account/")
    user = User.objects.get(email="nieuw@example.org")
    m = Measurement.objects.get(participant=user)
    assert m.answers == answers
    assert chart_points(page) == 1
    person.check("participant home after saving")


def _invitation_path() -> str:
    body = mail.outbox[-1].body
    return re.search(r"/account/invitation/[^/\s]+/", body).group(0)


def test_coach_invites_participant_accepts_retests_coach_sees_trend_until_withdrawn(visit):
    org = Organisation.objects.create(name="Buurtwerk Oost", slug="buurtwerk-oost")
    make_coach(org, "carla@example.org", "Coach Carla")

    # The coach invites someone by e-mail.
    coach = visit("coach")
    cpage = coach.page
    coach.log_in("carla@example.org", PASSWORD)
    coach.goto("/coach/")
    coach.check("coach dashboard, empty")
    cpage.get_by_role("main").get_by_role("link", name=t("Invite a participant")).click()
    coach.check("coach invites")
    cpage.fill("#id_email", "pieter@example.org")
    cpage.get_by_role("button", name=t("Send the invitation")).click()
    cpage.wait_for_url("**/coach/")
    invitation = _invitation_path()

    # The person did the test before opening the link; accepting saves that result.
    person = visit("participant")
    page = person.page
    first = answers_for(lonely=True, isolated=True, duration="gt_2_years")
    person.take_test(first, check_every_page=False)
    person.goto(invitation)
    person.check("accept the invitation")
    page.fill("#id_password1", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    page.check("#id_consent_store")
    page.check("#id_consent_share")
    page.get_by_role("button", name=t("Accept the invitation")).click()
    page.wait_for_url("**/account/")
    participant = User.objects.get(email="pieter@example.org")
    assert Measurement.objects.filter(participant=participant).count() == 1
    person.check("participant home with a coach")

    # A re-test while logged in is saved at once.
    page.get_by_role("link", name=t("Do the test again")).first.click()
    second = answers_for(lonely=False, isolated=False, duration="not_lonely")
    person.take_test(second, check_every_page=False)
    page.wait_for_url("**/test/result/*/")
    person.check("saved re-test result")
    assert Measurement.objects.filter(participant=participant).count() == 2
    person.goto("/account/")
    assert chart_points(page) == 2

    # The coach sees both measurements and the trend.
    coach.goto("/coach/")
    row = cpage.locator("table.dashboard tbody tr", has_text=participant.display_name)
    assert row.count() == 1
    assert t("less lonely") in row.inner_text()
    coach.check("coach dashboard with the participant")
    row.get_by_role("link").first.click()
    cpage.wait_for_url(f"**/coach/participant/{participant.pk}/")
    assert chart_points(cpage) == 2
    assert cpage.locator("#measurements-title ~ .table-wrap tbody tr").count() == 2
    coach.check("coach participant page")

    # The participant withdraws the coach's access.
    person.goto("/account/")
    page.get_by_role("link", name=t("Who can see my results?")).click()
    person.check("my coach")
    page.get_by_role("main").get_by_role("link").filter(has_text="Coach Carla").click()
    person.check("withdraw coach")
    page.get_by_role("main").get_by_role("button").first.click()
    page.wait_for_url("**/account/coach/")
    assert t("No coach can see your results.") in main_text(page)
    assert not CoachAssignment.objects.filter(participant=participant, active=True).exists()

    # ... and the coach no longer sees them.
    coach.goto("/coach/")
    assert participant.display_name not in main_text(cpage)
    response = coach.goto(f"/coach/participant/{participant.pk}/")
    assert response.status == 404
    assert participant.email not in cpage.content()


def test_data_download_and_account_deletion(visit):
    user = make_user("ans@example.org", "Ans")
    record_consent(user, ConsentPurpose.STORE_MEASUREMENTS, "nl")
    answers = answers_for(lonely=True, isolated=True)
    save_measurement(user, "short", answers)
    save_measurement(user, "short", answers_for(lonely=False, isolated=True))

    person = visit("participant")
    page = person.page
    person.log_in("ans@example.org", PASSWORD)
    page.wait_for_url("**/account/")
    person.check("participant home")
    page.get_by_role("link", name=t("Download or delete my data")).click()
    person.check("my data")

    with page.expect_download() as info:
        page.get_by_role("link", name=t("All my data (JSON file)")).click()
    data = json.loads(Path(info.value.path()).read_text("utf-8"))
    assert data["account"]["email"] == "ans@example.org"
    assert data["measurements"][0]["answers"] == answers
    assert len(data["measurements"]) == 2

    with page.expect_download() as info:
        page.get_by_role("link", name=t("My tests as a table (CSV file)")).click()
    # A table to read: a note first, then words (the JSON file says which words).
    lines = Path(info.value.path()).read_text("utf-8-sig").splitlines()
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[1:]))))
    words = data["words_for_codes"]["answers"]["djg6_1"]
    assert len(rows) == 2
    assert rows[0][words["question"]] == words["answers"][answers["djg6_1"]]

    page.get_by_role("link", name=t("Delete my account and all my data")).click()
    person.check("delete account")
    page.fill("#id_password", "not my password")
    page.get_by_role("button", name=t("Yes, delete everything")).click()
    assert User.objects.filter(email="ans@example.org").exists()
    person.check("delete account, wrong password")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name=t("Yes, delete everything")).click()
    page.wait_for_url(re.compile(r"/$"))
    assert not User.objects.filter(email="ans@example.org").exists()
    assert not Measurement.objects.exists()
    # Logging in again does not work: the account is gone.
    person.log_in("ans@example.org", PASSWORD)
    assert "/account/login/" in page.url


def test_a_participant_is_asked_whether_a_colleague_may_help(visit):
    """Someone who agreed before colleagues were named is asked once on "My coach" (the
    exact text shown), agrees with the keyboard, and the question is gone. axe at both
    widths on both states."""
    from web_base import make_participant

    from verbind.accounts.models import ConsentRecord

    org = Organisation.objects.create(name="Buurtkamer", slug="buurtkamer")
    coach = make_coach(org, "coach.carla@example.org", "Carla")
    person = make_participant(org, coach, "pieter@example.org", "Pieter")
    ConsentRecord.objects.filter(user=person, purpose=ConsentPurpose.SHARE_WITH_COACH).update(
        version="1"
    )
    p = visit("participant")
    p.log_in(person.email, PASSWORD)
    p.goto("/account/coach/")
    p.check("my coach: may a colleague help")
    button = p.page.get_by_role("button", name=t("Yes, I agree"))
    button.focus()
    with p.page.expect_navigation():  # the POST comes back to the same address
        p.page.keyboard.press("Enter")
    p.check("my coach: agreed")
    main = p.page.get_by_role("main").inner_text()
    assert t("May a colleague of your coach help too?") not in main
    agreed = ConsentRecord.objects.filter(
        user=person, purpose=ConsentPurpose.SHARE_WITH_COACH, version="2", withdrawn_at=None
    )
    assert agreed.count() == 1
    assert not p.console_errors
