"""Instrument names on stored measurements come from the definitions' short titles, so the
coach reads "LSNS-6" as the questionnaire calls itself, not the upper-cased id "LSNS6"."""

from __future__ import annotations

import pytest
from django.urls import reverse
from web_base import add_measurement

from verbind.core.instrument import registry
from verbind.screening.templatetags.measurement_labels import instrument_short_title


def test_short_title_from_the_definitions():
    assert instrument_short_title("lsns6") == "LSNS-6"
    assert instrument_short_title("steptoe") == "Steptoe"
    assert instrument_short_title("djg6") == "DJG-6"
    for instrument_id, instrument in registry().items():
        assert instrument_short_title(instrument_id) == instrument.short_title


def test_an_unknown_id_is_shown_as_stored():
    assert instrument_short_title("oldscale2") == "oldscale2"
    assert instrument_short_title("") == ""
    assert instrument_short_title(None) == ""


@pytest.mark.django_db
def test_coach_participant_page_names_the_isolation_instrument_by_its_short_title(
    people, client_for
):
    add_measurement(people.participant, isolation_instrument="lsns6", isolation_score=8)
    add_measurement(
        people.participant,
        days_ago=1,
        isolation_instrument="steptoe",
        isolation_score=3,
        isolation_max=5,
    )
    url = reverse("coaching:participant", kwargs={"pk": people.participant.pk})
    html = client_for("coach").get(url).content.decode()
    assert "(LSNS-6 8 / 30)" in html
    assert "(Steptoe 3 / 5)" in html
    assert "LSNS6" not in html and "STEPTOE" not in html


def test_loneliness_level_label_for_a_row_and_a_measurement_in_both_languages():
    from types import SimpleNamespace

    from django.utils import translation

    from verbind.screening.templatetags.measurement_labels import loneliness_level_label

    row = {"loneliness_instrument": "djg6", "loneliness_level": "severely_lonely"}
    stored = SimpleNamespace(loneliness_instrument="ucla3", loneliness_level="not_lonely")
    with translation.override("nl"):
        assert loneliness_level_label(row) == "ernstig eenzaam"
        assert loneliness_level_label(stored) == "niet eenzaam"
    with translation.override("en"):
        assert loneliness_level_label(row) == "severely lonely"
    # Unknown instrument or level, or nothing stored: no words rather than a wrong level.
    assert loneliness_level_label({"loneliness_instrument": "gone", "loneliness_level": "x"}) == ""
    assert loneliness_level_label({"loneliness_instrument": "djg6", "loneliness_level": ""}) == ""
    assert loneliness_level_label({}) == ""


@pytest.mark.django_db
def test_a_choice_not_to_change_is_worded_for_who_reads_it(people, client_for):
    """Someone lonely who wants no change now: the participant reads the route's title
    from the result page; the coach reads what to do. (Chosen solitude, not lonely, is
    another route: nothing needed now.)"""
    add_measurement(people.participant, route="respect_choice", quadrant="lonely_and_isolated")
    coach = client_for("coach")
    for url in (
        reverse("coaching:dashboard"),
        reverse("coaching:participant", args=[people.participant.pk]),
    ):
        page = coach.get(url).content.decode()
        assert "Eenzaam, wil nu niets veranderen: informeren, niet aandringen" in page, url
        assert "<td>Uw keuze</td>" not in page, url
    home = client_for("participant").get(reverse("accounts:home")).content.decode()
    assert '<td data-label="Volgende stap">Uw keuze</td>' in home
    assert "niets veranderen: informeren" not in home
    assert "niet aandringen" not in home
