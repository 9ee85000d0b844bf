"""``{% check_in_length slot %}``: how long a check-in is, in words ("29 vragen, ongeveer
10 minuten."), so nobody is told "a few short questions" before 29 of them."""

from __future__ import annotations

from django import template
from django.utils.translation import ngettext

from verbind.course.domain import checkins

register = template.Library()


@register.simple_tag
def check_in_length(slot) -> str:
    battery = checkins.check_in_battery(tuple(slot.instruments))
    n = len(battery.columns)
    return ngettext(
        "%(n)s question, about %(minutes)s minutes.",
        "%(n)s questions, about %(minutes)s minutes.",
        n,
    ) % {"n": n, "minutes": checkins.minutes_for(battery)}
