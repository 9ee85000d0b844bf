"""The values of a table of tests, one plain row per measurement, in one language.

The participant's home ("All my tests") and the coach's page of a participant show these;
the markup is in templates (``screening/includes/home_history_rows.html``,
``screening/includes/coach_measurement_rows.html``). The words come from the core
(``verbind.core.labels``, the level and the questionnaire's name from its definition),
looked up here once per row so that the template only writes them out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from verbind.core import labels
from verbind.core.instrument import registry


@dataclass(frozen=True)
class HistoryRow:
    """One test in the participant's own table. Scores are numbers (None: not measured)."""

    pk: int
    created_at: dt.datetime
    loneliness_score: Any
    loneliness_max: Any
    contacts: str  # few / enough contacts / not known
    route: str  # as the participant reads it


@dataclass(frozen=True)
class TestRow:
    """One test in the coach's table. Scores are numbers (None when not measured)."""

    created_at: dt.datetime
    full: bool  # the full test, not the short one
    loneliness_score: Any
    loneliness_max: Any
    level: str  # "moderately lonely", or "" when not known
    contacts: str  # few / enough contacts / not known
    isolation_instrument: str  # the contacts questionnaire's short name
    isolation_score: Any
    isolation_max: Any
    duration: str
    route: str  # as the coach reads it


def instrument_name(instrument_id: Any) -> str:
    """The questionnaire's short name ("LSNS-6"); an id no definition has (an instrument
    since removed) as it was stored."""
    instrument = registry().get(instrument_id) if isinstance(instrument_id, str) else None
    if instrument is None:
        return "" if instrument_id is None else str(instrument_id)
    return instrument.short_title


def history_rows(measurements: Iterable[Any], lang: str) -> list[HistoryRow]:
    """The rows of the participant's "All my tests", in the order given. Reads only the
    fields the home page loads, so it adds no queries."""
    return [
        HistoryRow(
            pk=m.pk,
            created_at=m.created_at,
            loneliness_score=m.loneliness_score,
            loneliness_max=m.loneliness_max,
            contacts=labels.contacts_label(m.isolated, lang),
            route=labels.route_label(m.route, lang),
        )
        for m in measurements
    ]


def test_rows(measurements: Iterable[Any], lang: str) -> list[TestRow]:
    """The rows of the coach's table of a participant's tests, in the order given."""
    return [
        TestRow(
            created_at=m.created_at,
            full=m.battery == "full",
            loneliness_score=m.loneliness_score,
            loneliness_max=m.loneliness_max,
            level=labels.level_label(m.loneliness_instrument, m.loneliness_level, lang),
            contacts=labels.contacts_label(m.isolated, lang),
            isolation_instrument=instrument_name(m.isolation_instrument),
            isolation_score=m.isolation_score,
            isolation_max=m.isolation_max,
            duration=labels.duration_label(m.duration_band, lang),
            route=labels.coach_route_label(m.route, lang),
        )
        for m in measurements
    ]
