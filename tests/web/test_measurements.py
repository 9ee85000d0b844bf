"""Measurements are made by the core and stored whole; alerts follow from them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from web_base import make_user

from verbind.coaching.domain.alerts import WORSENING_SHARE
from verbind.coaching.models import Alert
from verbind.core import profile as core_profile
from verbind.core.battery import AnswerError, get_battery
from verbind.screening.domain import measurements
from verbind.screening.models import Measurement

pytestmark = pytest.mark.django_db


def short_answers(*, djg: str, lsns: str, duration="gt_2_years", safety="no", wish="yes"):
    """Every DJG-6 item answered ``djg``, every LSNS-6 item ``lsns`` (option keys)."""
    answers = {f"djg6_{i}": djg for i in range(1, 7)}
    answers.update({f"lsns6_{i}": lsns for i in range(1, 7)})
    answers.update(
        {
            "duration": duration,
            "context_wish_to_change": wish,
            "context_open_to_learning": "yes",
            "context_literacy": "yes",
            "context_safety": safety,
        }
    )
    return answers


# DJG-6 items 1-3 are emotional (a "yes" is lonely), 4-6 social (a "no" is lonely):
# answering every item the same way gives a middle score. These two give the extremes.
def lonely_djg():
    emotional = {f"djg6_{i}": "yes_strong" for i in (1, 2, 3)}
    return {**emotional, **{f"djg6_{i}": "no_strong" for i in (4, 5, 6)}}


def not_lonely_djg():
    emotional = {f"djg6_{i}": "no_strong" for i in (1, 2, 3)}
    return {**emotional, **{f"djg6_{i}": "yes_strong" for i in (4, 5, 6)}}


def answers_for(lonely: bool, isolated: bool, **kw):
    base = short_answers(djg="no", lsns="none" if isolated else "nine_plus", **kw)
    base.update(lonely_djg() if lonely else not_lonely_djg())
    return base


def test_stored_measurement_is_what_the_core_says():
    person = make_user("p@example.org")
    answers = answers_for(lonely=True, isolated=True)
    m = measurements.save_measurement(person, "short", answers)
    results = get_battery("short").score(answers)
    profile = core_profile.build_profile(results, today=timezone.localdate())
    assert m.pk is not None and m.participant == person
    assert m.answers == answers
    assert m.results == {k: r.to_dict() for k, r in results.items()}
    assert m.instrument_versions == {k: r.version for k, r in results.items()}
    assert m.profile == profile.to_dict()
    assert (m.quadrant, m.route, m.duration_band) == (
        profile.quadrant,
        profile.route,
        profile.duration_band,
    )
    assert m.loneliness_instrument == "djg6"
    assert m.loneliness_score == results["djg6"].total.value
    assert m.isolation_instrument == "lsns6"
    assert m.isolation_score == results["lsns6"].total.value == 0


@pytest.mark.parametrize(
    ("lonely", "isolated", "quadrant"),
    [
        (False, False, "connected"),
        (False, True, "chosen_solitude"),
        (True, False, "lonely_among_people"),
        (True, True, "lonely_and_isolated"),
    ],
)
def test_quadrants_by_hand(lonely, isolated, quadrant):
    m, _profile = measurements.evaluate("short", answers_for(lonely, isolated))
    assert m.quadrant == quadrant
    assert m.isolated is isolated
    assert m.pk is None  # evaluate never stores


def test_safety_yes_flags_and_alerts():
    person = make_user("p@example.org")
    m = measurements.save_measurement(person, "short", answers_for(True, True, safety="yes"))
    assert m.safety_flag is True
    assert m.route == "crisis_help"
    assert list(Alert.objects.filter(participant=person).values_list("kind", flat=True)) == [
        "safety"
    ]


def test_no_alert_without_reason():
    person = make_user("p@example.org")
    measurements.save_measurement(person, "short", answers_for(False, False))
    assert not Alert.objects.exists()


def test_strong_worsening_raises_an_alert_and_improvement_does_not():
    person = make_user("p@example.org")
    earlier = timezone.now() - timedelta(days=30)
    first = measurements.save_measurement(person, "short", answers_for(False, False), when=earlier)
    second = measurements.save_measurement(person, "short", answers_for(True, False))
    rise = second.loneliness_fraction - first.loneliness_fraction
    assert rise >= WORSENING_SHARE
    assert list(Alert.objects.values_list("kind", flat=True)) == ["worsening"]
    measurements.save_measurement(person, "short", answers_for(False, False))
    assert Alert.objects.count() == 1


def test_history_reaches_the_core():
    """Lonely now and at a measurement over two years ago: the core calls it chronic even
    though the person answered 'less than 6 months'."""
    person = make_user("p@example.org")
    long_ago = timezone.now() - timedelta(days=800)
    measurements.save_measurement(person, "short", answers_for(True, True), when=long_ago)
    m = measurements.save_measurement(
        person, "short", answers_for(True, True, duration="lt_6_months")
    )
    assert m.profile["history"] and m.profile["history"][0]["lonely"] is True
    assert m.duration_band == "chronic"


def test_bad_answers_are_refused_and_nothing_is_stored():
    person = make_user("p@example.org")
    answers = answers_for(True, True)
    answers["djg6_1"] = "sometimes"
    del answers["lsns6_2"]
    with pytest.raises(AnswerError) as excinfo:
        measurements.save_measurement(person, "short", answers)
    text = str(excinfo.value)
    assert "djg6_1" in text and "lsns6_2" in text
    assert not Measurement.objects.exists()


def test_explanation_of_a_stored_measurement_in_both_languages():
    person = make_user("p@example.org")
    m = measurements.save_measurement(person, "short", answers_for(True, False))
    nl = measurements.explanation_of(m, "nl")
    en = measurements.explanation_of(m, "en")
    assert nl.headline and en.headline and nl.headline != en.headline
    assert nl.rule_ids == en.rule_ids == tuple(m.profile["rule_ids"])
