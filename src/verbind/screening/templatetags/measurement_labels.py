"""Words for a stored measurement's columns: ``{{ m.route|route_label }}`` and friends.

Filters rather than ``{% include %}`` templates because the coach dashboard shows three
of them on every row: an include per cell cost about a third of that page's rendering.
The ``includes/*_label.html`` templates call these filters, so the words live only here.
"""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, gettext_noop

from verbind.core.instrument import registry

register = template.Library()

NOT_KNOWN = gettext_noop("Not known")

QUADRANTS = {
    "connected": gettext_noop("Not lonely, with contacts"),
    "chosen_solitude": gettext_noop("Not lonely, with few contacts"),
    "lonely_among_people": gettext_noop("Lonely, with contacts"),
    "lonely_and_isolated": gettext_noop("Lonely, with few contacts"),
    "lonely_isolation_unknown": gettext_noop("Lonely"),
    "not_lonely_isolation_unknown": gettext_noop("Not lonely"),
}

DURATION_BANDS = {
    "none": gettext_noop("Not lonely"),
    "transient": gettext_noop("For a short time"),
    "persistent": gettext_noop("For some time"),
    "chronic": gettext_noop("For a long time"),
}

ROUTES = {
    "crisis_help": gettext_noop("Help right now"),
    "no_action": gettext_noop("Nothing needed now"),
    "self_help": gettext_noop("Tips to try yourself"),
    "meaningful_connections": gettext_noop("More meaningful contact"),
    "course": gettext_noop("The 8-week course"),
    "alternative_support": gettext_noop("Personal support"),
    "respect_choice": gettext_noop("Your choice is respected"),
}


# What a coach reads: the same routes, but "Your choice is respected" speaks to the
# participant. For the coach it says what to do: chosen solitude is informed, never pushed.
COACH_ROUTES = {**ROUTES, "respect_choice": gettext_noop("Own choice: inform, do not push")}


def _label(words: dict[str, str], value) -> str:
    # Only strings are keys: a None or an unexpected value is "Not known", as before.
    return gettext(words.get(value, NOT_KNOWN) if isinstance(value, str) else NOT_KNOWN)


@register.filter
def quadrant_label(quadrant) -> str:
    return _label(QUADRANTS, quadrant)


@register.filter
def duration_label(band) -> str:
    return _label(DURATION_BANDS, band)


@register.filter
def route_label(route) -> str:
    return _label(ROUTES, route)


@register.filter
def coach_route_label(route) -> str:
    return _label(COACH_ROUTES, route)


@register.filter
def isolation_label(isolated) -> str:
    """Few contacts (True), enough contacts (False), or not known (None)."""
    if isolated is True:
        return gettext("Few contacts")
    if isolated is False:
        return gettext("Enough contacts")
    return gettext(NOT_KNOWN)


@register.filter
def loneliness_level_label(measurement) -> str:
    """The loneliness level in words ("matig eenzaam"), from the definition of the
    instrument that measured it; "" when not known. Takes a Measurement or a dict with
    ``loneliness_instrument`` and ``loneliness_level`` (the dashboard's rows)."""
    if isinstance(measurement, dict):
        instrument_id = measurement.get("loneliness_instrument")
        level = measurement.get("loneliness_level")
    else:
        instrument_id = getattr(measurement, "loneliness_instrument", None)
        level = getattr(measurement, "loneliness_level", None)
    instrument = registry().get(instrument_id) if isinstance(instrument_id, str) else None
    text = instrument.level_label(level) if instrument is not None else None
    return text.get(get_language() or "nl") if text is not None else ""


@register.filter
def instrument_short_title(instrument_id) -> str:
    """The questionnaire's short name from its definition ("LSNS-6" for ``lsns6``).

    An id no definition has (an instrument since removed) is shown as it was stored.
    """
    instrument = registry().get(instrument_id) if isinstance(instrument_id, str) else None
    if instrument is None:
        return "" if instrument_id is None else str(instrument_id)
    return instrument.short_title


class Words:
    """The filters above for a whole table: each word is looked up and translated once per
    table instead of once per cell (the coach dashboard shows four on each of its rows).
    Returns escaped text, ready for ``format_html``. Lives for one rendering only."""

    def __init__(self) -> None:
        self._seen: dict = {}

    def _get(self, words, value) -> SafeString:
        key = (words, type(value), value)
        try:
            return self._seen[key]
        except KeyError:
            text = self._seen[key] = conditional_escape(words(value))
            return text

    def quadrant(self, value) -> SafeString:
        return self._get(quadrant_label, value)

    def duration(self, value) -> SafeString:
        return self._get(duration_label, value)

    def route(self, value) -> SafeString:
        return self._get(route_label, value)

    def coach_route(self, value) -> SafeString:
        return self._get(coach_route_label, value)

    def isolation(self, value) -> SafeString:
        return self._get(isolation_label, value)

    def instrument(self, value) -> SafeString:
        return self._get(instrument_short_title, value)

    def level(self, instrument_id, level) -> SafeString:
        return self._get(
            _level_of, (instrument_id if isinstance(instrument_id, str) else None, level)
        )


def _level_of(pair) -> str:
    instrument_id, level = pair
    return loneliness_level_label(
        {"loneliness_instrument": instrument_id, "loneliness_level": level}
    )
