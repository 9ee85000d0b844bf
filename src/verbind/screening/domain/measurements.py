"""Making, saving and explaining measurements.

All scoring and profile logic is the core's: this module calls ``verbind.core.battery``
and ``verbind.core.profile`` and stores what they return. The dashboard columns of a
Measurement are copied from the core's Profile (which instrument counts for loneliness,
cut-offs, isolation verdict), never recomputed here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from verbind.core import profile as core_profile
from verbind.core.battery import get_battery, needs_crisis_help
from verbind.screening import signals
from verbind.screening.models import Measurement

# The isolation instrument shown on dashboards when a battery asks more than one.
DASHBOARD_ISOLATION_PREFERENCE = ("lsns6", "steptoe")


def history_of(previous: Iterable[Measurement]) -> list[tuple[dt.date, bool | None]]:
    """Earlier measurements as the core's history: (date, lonely) pairs."""
    out = []
    for m in previous:
        loneliness = (m.profile or {}).get("loneliness") or {}
        out.append((timezone.localdate(m.created_at), loneliness.get("flagged")))
    return out


def _score(battery_id: str, answers: Mapping[str, Any], history, today: dt.date):
    battery = get_battery(battery_id)
    normalised = battery.normalise(answers)
    results = battery.score(normalised)
    profile = core_profile.build_profile(results, history=history, today=today)
    return battery, normalised, results, profile


def evaluate(
    battery_id: str,
    answers: Mapping[str, Any],
    *,
    language: str = "nl",
    history: Iterable[tuple[dt.date, bool | None]] = (),
    participant=None,
    when: dt.datetime | None = None,
) -> tuple[Measurement, core_profile.Profile]:
    """Score answers through the core: an UNSAVED Measurement and the core's Profile.

    Raises ``verbind.core.battery.AnswerError`` (naming every problem) for bad answers and
    KeyError for an unknown battery.
    """
    when = when or timezone.now()
    battery, normalised, results, profile = _score(
        battery_id, answers, tuple(history), timezone.localdate(when)
    )
    isolation = sorted(
        profile.isolation,
        key=lambda m: (
            DASHBOARD_ISOLATION_PREFERENCE.index(m.instrument)
            if m.instrument in DASHBOARD_ISOLATION_PREFERENCE
            else len(DASHBOARD_ISOLATION_PREFERENCE)
        ),
    )
    iso = isolation[0] if isolation else None
    lon = profile.loneliness
    measurement = Measurement(
        participant=participant,
        battery=battery.id,
        language=language,
        instrument_versions={i: r.version for i, r in results.items()},
        answers=dict(normalised),
        results={i: r.to_dict() for i, r in results.items()},
        profile=profile.to_dict(),
        quadrant=profile.quadrant,
        route=profile.route,
        duration_band=profile.duration_band,
        loneliness_instrument=lon.instrument if lon else "",
        loneliness_score=lon.value if lon else None,
        loneliness_max=lon.max if lon else None,
        loneliness_level=(lon.level or "") if lon else "",
        isolation_instrument=iso.instrument if iso else "",
        isolation_score=iso.value if iso else None,
        isolation_max=iso.max if iso else None,
        isolated=profile.inputs.isolated,
        safety_flag=needs_crisis_help(results),
        created_at=when,
    )
    return measurement, profile


@transaction.atomic
def save_measurement(
    participant,
    battery_id: str,
    answers: Mapping[str, Any],
    *,
    language: str = "nl",
    when: dt.datetime | None = None,
) -> Measurement:
    """Score with the participant's history and store; the apps above hear of it in this
    transaction (``signals.measurement_saved``: coaching raises its alerts)."""
    when = when or timezone.now()
    previous = Measurement.objects.filter(participant=participant, created_at__lt=when).only(
        "created_at", "profile"
    )
    measurement, _profile = evaluate(
        battery_id,
        answers,
        language=language,
        participant=participant,
        history=history_of(previous),
        when=when,
    )
    measurement.save()
    signals.measurement_saved.send(sender=Measurement, measurement=measurement)
    return measurement


def profile_of(measurement: Measurement) -> core_profile.Profile:
    """The core's Profile of a stored measurement (re-read from its stored answers)."""
    history = [
        (dt.date.fromisoformat(p["date"]), p["lonely"])
        for p in (measurement.profile or {}).get("history", [])
    ]
    return _score(
        measurement.battery,
        measurement.answers,
        history,
        timezone.localdate(measurement.created_at),
    )[3]


def explanation_of(measurement: Measurement, lang: str) -> core_profile.Explanation:
    return core_profile.explain(profile_of(measurement), lang if lang in ("nl", "en") else "nl")


def latest_measurement(participant) -> Measurement | None:
    return (
        Measurement.objects.filter(participant=participant).order_by("-created_at", "-pk").first()
    )
