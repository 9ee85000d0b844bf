"""'Mijn netwerk' by keyboard alone on a 375 px phone: six people named by the four
questions, a reload halfway (nothing lost), circles and questions by radio buttons, then
the picture and the table of the map; axe finds nothing on any screen."""

from __future__ import annotations

import pytest
from django.utils import translation
from web_base import PASSWORD, make_coach, make_participant

from verbind.accounts.models import Organisation
from verbind.core.network.definitions import definitions
from verbind.network.domain import maps
from verbind.network.models import NetworkMap

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}


def t(msgid: str) -> str:
    with translation.override("nl"):
        return translation.gettext(msgid)


# name -> (question, circle, relation, frequency, means a lot)
SIX = {
    "Anna": (1, 1, "family", "daily", True),
    "Bert": (1, 2, "friend", "weekly", False),
    "Cor": (2, 3, "neighbour", "monthly", False),
    "Dina": (3, 2, "acquaintance", "weekly", True),
    "Evert": (3, 3, "colleague", "monthly", False),
    "Fleur": (4, 1, "partner", "daily", True),
}


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element has the focus, as someone with a keyboard would."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement === document.querySelector(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def choose(page, first_radio: str, index: int) -> None:
    """Pick the index-th radio button of a group: Tab into it, then the arrow keys."""
    tab_to(page, first_radio)
    page.keyboard.press("Space")
    for _ in range(index):
        page.keyboard.press("ArrowDown")


def phone_check(person, name: str, **kw) -> None:
    person.check(name, **kw)
    person.page.set_viewport_size(PHONE)


def test_draw_a_map_of_six_by_keyboard_on_a_phone(visit):
    org = Organisation.objects.create(name="Buurtkamer", slug="buurtkamer")
    coach = make_coach(org, "coach.carla@example.org", "Carla")
    make_participant(org, coach, "pieter@example.org", "Pieter")
    person = visit("participant")
    person.log_in("pieter@example.org", PASSWORD)
    page = person.page
    page.set_viewport_size(PHONE)
    person.goto("/network/")
    phone_check(person, "network start", screenshot=True)
    tab_to(page, "#agree")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/network/draw/names/")
    phone_check(person, "network names", screenshot=True)

    def type_names(names: list[str]) -> None:
        used: dict[int, int] = {}
        for name in names:
            question = SIX[name][0]
            used[question] = used.get(question, 0) + 1
            tab_to(page, f"#name-{question}-{used[question]}")
            page.keyboard.type(name)

    type_names(["Anna", "Bert", "Cor"])
    tab_to(page, "button[value=more]")
    page.keyboard.press("Enter")
    page.locator(".network-names li").nth(2).wait_for()
    # Halfway: a reload loses nothing.
    page.reload()
    listed = page.locator(".network-names li").all_inner_texts()
    assert [x.split()[0] for x in listed] == ["Anna", "Bert", "Cor"]
    type_names(["Dina", "Evert", "Fleur"])
    tab_to(page, "button[value=next]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/network/draw/circles/")
    phone_check(person, "network circles", screenshot=True)
    ids = page.eval_on_selector_all(
        "fieldset.network-circle-choice input[value='1']", "els => els.map(e => e.id)"
    )
    legends = page.locator("fieldset.network-circle-choice legend").all_inner_texts()
    for radio_id, name in zip(ids, legends, strict=True):
        choose(page, f"#{radio_id}", SIX[name][1] - 1)
    tab_to(page, "button[value=next]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/network/draw/person/1/")
    phone_check(person, "network person", screenshot=True)
    relations = list(definitions().codes("relations"))
    frequencies = list(definitions().codes("frequencies"))
    for n in range(1, 7):
        name = page.get_by_role("heading", level=1).inner_text().split()[-1]
        _q, _c, relation, frequency, meaningful = SIX[name]
        choose(page, "#id_relation_0", relations.index(relation))
        choose(page, "#id_frequency_0", frequencies.index(frequency))
        choose(page, "#id_meaningful_0", 0 if meaningful else 1)
        tab_to(page, "button[value=next]")
        page.keyboard.press("Enter")
        if n == 3:
            page.wait_for_url("**/network/draw/person/4/")
            page.reload()  # halfway through the questions: still person 4
            assert page.get_by_role("heading", level=1).is_visible()
        elif n < 6:
            page.wait_for_url(f"**/network/draw/person/{n + 1}/")
    page.wait_for_url("**/network/map/*/")
    the_map = NetworkMap.objects.get()
    assert not the_map.is_draft and the_map.people.count() == 6
    assert page.locator("svg.network-picture circle.ring").count() == 3
    assert page.locator("svg.network-picture g.person").count() == 6
    assert page.locator("svg.network-picture g.person.meaningful").count() == 3
    rows = page.locator("table.network-table tbody tr")
    assert rows.count() == 6
    table = page.locator("table.network-table").inner_text()
    for name, (_q, circle, relation, _f, _m) in SIX.items():
        assert name in table
        assert definitions().label("relations", relation, "nl") in table
    assert t("Your map is saved.") in page.content()
    phone_check(person, "network map", screenshot=True)

    # A second map, started from this one without Cor and with Gijs: then and now.
    draft = maps.start(the_map.participant, agreed=False, lang="nl")
    keep = set(draft.people.exclude(name="Cor").values_list("pk", flat=True))
    maps.save_names(draft, [(1, "Gijs")], keep)
    gijs = draft.people.get(name="Gijs")
    maps.save_circles(draft, {gijs.pk: 1})
    maps.save_answers(gijs, relation="friend", frequency="weekly", meaningful=True, wants="more")
    second = maps.finish(draft)
    person.goto(f"/network/compare/{the_map.pk}/{second.pk}/")
    change = page.locator(".network-change").inner_text()
    assert "1 nieuw iemand in uw netwerk" in change
    assert "1 iemand staat niet meer in uw netwerk" in change
    assert page.locator("svg.network-picture").count() == 2
    phone_check(person, "network then and now", screenshot=True)
    assert not person.console_errors
