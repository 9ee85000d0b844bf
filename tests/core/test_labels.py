"""Short labels of a stored measurement come from the core's texts only: one word per
value in both languages, the route named as on the result page."""

import pytest
import yaml

from verbind.core import labels as L
from verbind.core.instrument import LANGUAGES
from verbind.core.profile import DURATION_BANDS, QUADRANTS, ROUTES, profile_texts


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_value_has_its_own_label_in_both_languages(lang):
    known = L.not_known(lang)
    for quadrant in QUADRANTS:
        assert L.quadrant_label(quadrant, lang)
    for band in DURATION_BANDS:
        assert L.duration_label(band, lang)
    words = [L.quadrant_label(q, lang) for q in QUADRANTS if q != "unknown"]
    assert known not in words and len(set(words)) == len(words)
    assert L.contacts_label(True, lang) != L.contacts_label(False, lang) != known


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_route_is_named_by_its_title_on_the_result_page(lang):
    for route in ROUTES:
        assert L.route_label(route, lang) == profile_texts().text(f"route.{route}.title", lang)
    assert L.route_label("alternative_support", "en") == "A personal conversation"


def test_the_coach_reads_what_to_do_where_the_title_speaks_to_the_participant():
    assert L.route_label("respect_choice", "en") == "Your choice"
    coach = L.coach_route_label("respect_choice", "en")
    # Someone lonely who wants no change now: not chosen solitude, which is no_action.
    assert coach.startswith("Lonely")
    assert "contacts" not in coach and "solitude" not in coach
    assert L.coach_route_label("respect_choice", "nl").startswith("Eenzaam")
    assert L.coach_route_label("course", "nl") == L.route_label("course", "nl")


@pytest.mark.parametrize("value", [None, "", "no such value", 3, ["x"]])
def test_a_value_outside_the_vocabulary_is_not_known(value):
    for lang in LANGUAGES:
        known = L.not_known(lang)
        assert L.quadrant_label(value, lang) == known
        assert L.duration_label(value, lang) == known
        assert L.route_label(value, lang) == known
        assert L.coach_route_label(value, lang) == known
        assert L.contacts_label(value, lang) == known


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="'de'"):
        L.quadrant_label("connected", "de")


def _shipped() -> dict:
    from importlib import resources

    path = resources.files("verbind.core") / "texts" / "labels.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_the_loader_names_a_missing_label_a_missing_language_and_an_unused_one():
    data = _shipped()
    del data["duration"]["chronic"]
    with pytest.raises(L.LabelsError, match=r"missing label\(s\): duration.chronic"):
        L.parse_labels(data)
    data = _shipped()
    del data["quadrant"]["connected"]["en"]
    with pytest.raises(L.LabelsError, match=r"quadrant.connected.en: text missing"):
        L.parse_labels(data)
    data = _shipped()
    data["coach_route"]["course"] = {"nl": "x", "en": "x"}
    with pytest.raises(L.LabelsError, match=r"does not use: coach_route\.course"):
        L.parse_labels(data)
