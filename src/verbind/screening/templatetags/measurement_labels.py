"""A stored measurement's values in words, in the page's language: ``{{ m.route|route_label }}``
and friends. The words are the core's (``verbind.core.labels``, the loneliness level and
the questionnaire's name from its definition); this module only maps stored values to
them for the active language."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from verbind.core import labels
from verbind.core.instrument import LANGUAGES
from verbind.screening.domain import rows

register = template.Library()


def language() -> str:
    """The active language as the core knows it ("nl" or "en"; Dutch when unsure)."""
    lang = (get_language() or "nl")[:2]
    return lang if lang in LANGUAGES else "nl"


@register.filter
def quadrant_label(quadrant) -> str:
    return labels.quadrant_label(quadrant, language())


@register.filter
def duration_label(band) -> str:
    return labels.duration_label(band, language())


@register.filter
def route_label(route) -> str:
    return labels.route_label(route, language())


@register.filter
def coach_route_label(route) -> str:
    return labels.coach_route_label(route, language())


@register.filter
def isolation_label(isolated) -> str:
    """Few contacts (True), enough contacts (False), or not known (None)."""
    return labels.contacts_label(isolated, language())


@register.filter
def loneliness_level_label(measurement) -> str:
    """The loneliness level in words ("matig eenzaam"), "" when not known, of a
    Measurement or of a dict with ``loneliness_instrument`` and ``loneliness_level``."""
    if isinstance(measurement, dict):
        instrument_id = measurement.get("loneliness_instrument")
        level = measurement.get("loneliness_level")
    else:
        instrument_id = getattr(measurement, "loneliness_instrument", None)
        level = getattr(measurement, "loneliness_level", None)
    return labels.level_label(instrument_id, level, language())


@register.filter
def instrument_short_title(instrument_id) -> str:
    """The questionnaire's short name from its definition ("LSNS-6" for ``lsns6``)."""
    return rows.instrument_name(instrument_id)
