"""'Mijn netwerk' on the web: consent, drawing in steps (saved at every step), carry
forward, the map page (picture and table), then and now, hiding from the coach, the data
download functions and deleting with the account."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from web_base import make_user

from verbind.accounts.models import ConsentPurpose, ConsentRecord
from verbind.network.domain import maps
from verbind.network.domain.personal_data import delete_for, export_for
from verbind.network.models import NetworkMap, NetworkPerson

pytestmark = pytest.mark.django_db


def t(msgid: str, lang: str = "nl") -> str:
    with translation.override(lang):
        return translation.gettext(msgid)


def draw(client, people: dict[str, tuple[int, str, str, bool]], *, agree=True):
    """Draw a whole map through the pages: name -> (circle, relation, frequency, meaningful)."""
    response = client.post(reverse("network:start"), {"agree": "1"} if agree else {})
    assert response.status_code == 302
    names = {f"name-1-{i}": name for i, name in enumerate(list(people)[:3], start=1)}
    names |= {f"name-3-{i}": name for i, name in enumerate(list(people)[3:6], start=1)}
    assert client.post(reverse("network:names"), {**names, "action": "next"})[
        "Location"
    ] == reverse("network:circles")
    draft = NetworkMap.objects.get(finished_at=None)
    circles = {f"circle-{p.pk}": str(people[p.name][0]) for p in draft.people.all()}
    client.post(reverse("network:circles"), circles)
    for n, p in enumerate(draft.people.all(), start=1):
        _c, relation, frequency, meaningful = people[p.name]
        response = client.post(
            reverse("network:person", kwargs={"number": n}),
            {"relation": relation, "frequency": frequency,
             "meaningful": "yes" if meaningful else "no", "wants": "same"},
        )  # fmt: skip
    return response


SIX = {
    "Anna": (1, "family", "daily", True),
    "Bert": (2, "friend", "weekly", False),
    "Cor": (3, "neighbour", "monthly", False),
    "Dina": (2, "acquaintance", "weekly", True),
    "Evert": (3, "colleague", "monthly", False),
    "Fleur": (1, "partner", "daily", True),
}


def test_a_map_needs_consent_and_then_keeps_it(people, client_for):
    client = client_for("participant")
    page = client.get(reverse("network:overview")).content.decode()
    assert (
        t("We only store first names or nicknames. Do not write down surnames or addresses.")
        in page
    )
    response = client.post(reverse("network:start"), {})
    assert response["Location"] == reverse("network:overview")
    assert not NetworkMap.objects.exists()
    client.post(reverse("network:start"), {"agree": "1"})
    consent = ConsentRecord.objects.get(
        user=people.participant, purpose=ConsentPurpose.STORE_NETWORK_MAP
    )
    draft = NetworkMap.objects.get()
    assert draft.consent == consent and draft.is_draft


def test_drawing_in_steps_makes_a_map(people, client_for):
    client = client_for("participant")
    response = draw(client, SIX)
    the_map = NetworkMap.objects.get()
    assert response["Location"] == reverse("network:map", kwargs={"pk": the_map.pk})
    assert not the_map.is_draft and the_map.wave == 0
    assert the_map.people.count() == 6
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page and page.count('class="person meaningful"') == 3
    assert page.count('class="ring ring-') == 3
    # Coordinates are numbers for SVG, never in Dutch notation ("200,0").
    assert 'cx="200.0"' in page and 'cx="200,0"' not in page
    for name in SIX:
        assert name in page
    assert "Vriend of vriendin" in page  # labels come from the core, in Dutch


def test_each_step_is_saved_so_a_reload_loses_nothing(people, client_for):
    client = client_for("participant")
    client.post(reverse("network:start"), {"agree": "1"})
    client.post(reverse("network:names"), {"name-1-1": "Anna", "name-2-1": "Bert",
                                           "action": "more"})  # fmt: skip
    page = client.get(reverse("network:names")).content.decode()
    assert "Anna" in page and "Bert" in page
    anna = NetworkPerson.objects.get(name="Anna")
    client.post(reverse("network:circles"), {f"circle-{anna.pk}": "1"})
    # Bert has no circle yet: the step says so and keeps Anna's.
    response = client.get(reverse("network:circles"))
    page = response.content.decode()
    assert f'id="circle-{anna.pk}-1" checked' in page
    # Coming back to the start goes on where it stopped.
    assert client.post(reverse("network:start"))["Location"] == reverse("network:circles")


def test_bad_names_get_a_clear_message_and_nothing_is_lost(people, client_for):
    client = client_for("participant")
    client.post(reverse("network:start"), {"agree": "1"})
    client.post(reverse("network:names"), {"name-1-1": "José", "action": "more"})
    response = client.post(
        reverse("network:names"), {"name-2-1": " jose ", "name-2-2": "Kees"}, follow=True
    )
    assert "staat al op uw kaart" in response.content.decode()
    assert list(NetworkPerson.objects.values_list("name", flat=True)) == ["José"]
    response = client.post(reverse("network:names"), {"name-1-1": "x" * 41}, follow=True)
    assert "te lang" in response.content.decode()


def test_a_person_step_without_answers_says_what_is_missing(people, client_for):
    client = client_for("participant")
    client.post(reverse("network:start"), {"agree": "1"})
    client.post(reverse("network:names"), {"name-1-1": "Anna"})
    anna = NetworkPerson.objects.get()
    client.post(reverse("network:circles"), {f"circle-{anna.pk}": "2"})
    response = client.post(reverse("network:person", kwargs={"number": 1}), {})
    page = response.content.decode()
    assert response.status_code == 200
    assert t("Choose who this person is to you.") in page
    assert NetworkMap.objects.get().is_draft


def test_a_new_map_starts_from_the_last_and_the_change_is_said(people, client_for):
    client = client_for("participant")
    draw(client, SIX)
    first = NetworkMap.objects.get()
    client.post(reverse("network:start"))  # consent given already
    draft = NetworkMap.objects.get(finished_at=None)
    assert draft.wave == 1 and draft.carried_from == first
    assert sorted(draft.people.values_list("name", flat=True)) == sorted(SIX)
    page = client.get(reverse("network:names")).content.decode()
    assert t("Who from your last map is still there?") in page
    cor = draft.people.get(name="Cor")
    keep = [str(p.pk) for p in draft.people.exclude(pk=cor.pk)]
    client.post(reverse("network:names"),
                {"carried": "1", "keep": keep, "name-1-1": "Gijs"})  # fmt: skip
    people_now = list(draft.people.all())
    assert "Cor" not in [p.name for p in people_now]
    # The carried people keep their circle; Bert moves closer; Gijs is new.
    circles = {f"circle-{p.pk}": str(p.circle or 1) for p in people_now}
    circles[f"circle-{draft.people.get(name='Bert').pk}"] = "1"
    client.post(reverse("network:circles"), circles)
    for n, p in enumerate(people_now, start=1):
        client.post(reverse("network:person", kwargs={"number": n}), {
            "relation": p.relation or "friend", "frequency": p.frequency or "weekly",
            "meaningful": "yes" if (p.meaningful or p.name == "Gijs") else "no"})  # fmt: skip
    second = NetworkMap.objects.get(wave=1)
    assert not second.is_draft
    assert draft.people.get(name="Anna").key == first.people.get(name="Anna").key
    page = client.get(reverse("network:map", kwargs={"pk": second.pk})).content.decode()
    compare = reverse("network:compare", kwargs={"before": first.pk, "after": second.pk})
    assert compare in page
    page = client.get(compare).content.decode()
    for sentence in (
        "1 nieuw iemand in uw netwerk",
        "1 nieuw iemand die veel voor u betekent",
        "1 iemand staat nu dichter bij u",
        "1 iemand staat niet meer in uw netwerk",
    ):
        assert sentence in page
    assert page.count("<svg") == 2


def test_the_coach_reads_a_map_unless_it_is_hidden(people, client_for):
    draw(client_for("participant"), SIX)
    the_map = NetworkMap.objects.get()
    url = reverse("network:map", kwargs={"pk": the_map.pk})
    coach = client_for("coach")
    page = coach.get(url).content.decode()
    assert "Anna" in page and reverse("network:hide", kwargs={"pk": the_map.pk}) not in page
    coach_maps = reverse("network:coach_maps", kwargs={"pk": people.participant.pk})
    participant_page = reverse("coaching:participant", kwargs={"pk": people.participant.pk})
    assert coach_maps in coach.get(participant_page).content.decode()
    listing = coach.get(coach_maps)
    assert url in listing.content.decode()
    assert coach.post(reverse("network:hide", kwargs={"pk": the_map.pk}),
                      {"hidden": "1"}).status_code == 404  # fmt: skip
    client_for("participant").post(
        reverse("network:hide", kwargs={"pk": the_map.pk}), {"hidden": "1"}
    )
    assert coach.get(url).status_code == 404
    listing = coach.get(reverse("network:coach_maps", kwargs={"pk": people.participant.pk}))
    assert url not in listing.content.decode()
    for role in ("other_coach", "foreign_coach", "other_participant", "org_admin"):
        client_for("participant").post(
            reverse("network:hide", kwargs={"pk": the_map.pk}), {"hidden": "0"}
        )
        assert client_for(role).get(url).status_code == 404, role


def test_the_map_page_queries_do_not_grow_with_the_people(people, client_for):
    client = client_for("participant")

    def count(n: int) -> int:
        NetworkMap.objects.all().delete()
        draw(client, {f"Naam{i}": (i % 3 + 1, "friend", "weekly", i % 2 == 0)
                      for i in range(n)})  # fmt: skip
        url = reverse("network:map", kwargs={"pk": NetworkMap.objects.get().pk})
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert count(2) == count(6)


def test_export_and_delete_for_the_participant(people, client_for):
    draw(client_for("participant"), SIX)
    data = export_for(people.participant)
    assert [p["name"] for p in data["maps"][0]["people"]] == list(SIX)
    assert data["words_for_codes"]["relations"]["friend"] == "Vriend of vriendin"
    assert export_for(people.other_participant)["maps"] == []
    assert delete_for(people.participant) == 1
    assert not NetworkMap.objects.exists() and not NetworkPerson.objects.exists()


def test_the_data_download_has_the_maps_and_deleting_the_account_removes_them(people, client_for):
    """The participant's own data download carries every map, and deleting the account
    (the participant's own way, with the password) leaves none behind."""
    import json

    client = client_for("participant")
    draw(client, SIX)
    data = json.loads(client.get(reverse("accounts:export_json")).content)
    assert [p["name"] for p in data["network_maps"]["maps"][0]["people"]] == list(SIX)
    from verbind.participant.domain.personal_data import delete_account

    delete_account(people.participant)
    assert not NetworkMap.objects.exists() and not NetworkPerson.objects.exists()


def test_deleting_the_account_deletes_the_maps(people, client_for):
    draw(client_for("participant"), SIX)
    other = make_user("someone@example.org")
    maps.start(other, agreed=True, lang="nl")
    people.participant.delete()
    assert NetworkMap.objects.get().participant == other
    assert NetworkPerson.objects.count() == 0


def test_the_home_page_leads_to_my_network(people, client_for):
    page = client_for("participant").get(reverse("accounts:home")).content.decode()
    assert reverse("network:overview") in page
    assert "Teken de mensen in uw leven op een kaart" in page


def test_the_participant_deletes_a_map_or_a_draft(people, client_for):
    client = client_for("participant")
    draw(client, SIX)
    the_map = NetworkMap.objects.get()
    url = reverse("network:delete_map", kwargs={"pk": the_map.pk})
    assert client_for("coach").post(url, {"sure": "1"}).status_code == 404
    response = client.post(url, {}, follow=True)
    assert "Zet een vinkje" in response.content.decode()
    assert NetworkMap.objects.exists()
    client.post(url, {"sure": "1"})
    assert not NetworkMap.objects.exists() and not NetworkPerson.objects.exists()
    client.post(reverse("network:start"))
    client.post(reverse("network:names"), {"name-1-1": "Anna"})
    client.post(reverse("network:discard_draft"))
    assert not NetworkMap.objects.exists()


def test_stopping_deletes_every_map_and_withdraws_the_consent(people, client_for):
    client = client_for("participant")
    draw(client, SIX)
    other = client_for("other_participant")
    draw(other, {"Zoë": (1, "friend", "weekly", True)})
    client.post(reverse("network:start"))  # a draft of a second map too
    response = client.post(reverse("network:withdraw"), {}, follow=True)
    assert "Zet een vinkje" in response.content.decode()
    assert NetworkMap.objects.filter(participant=people.participant).count() == 2
    client.post(reverse("network:withdraw"), {"sure": "1"})
    assert not NetworkMap.objects.filter(participant=people.participant).exists()
    assert NetworkMap.objects.filter(participant=people.other_participant).count() == 1
    assert not maps.has_map_consent(people.participant)
    # Starting again asks for consent again.
    assert client.post(reverse("network:start"))["Location"] == reverse("network:overview")
    assert not NetworkMap.objects.filter(participant=people.participant).exists()


def test_the_overview_title_is_only_its_title(people, client_for):
    """Its title block once swallowed the 'stop storing' form (an unclosed block)."""
    import re

    client = client_for("participant")
    draw(client, SIX)
    html = client.get(reverse("network:overview")).content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "Stop" not in title and "<" not in title and "Mijn netwerk" in title
    assert html.count('action="' + reverse("network:withdraw") + '"') == 1
