"""``{% saved_when moment %}``: when a draft was last saved, in words ("Bewaard om 16:21",
"Bewaard gisteren om 16:21", "Bewaard op 28 november om 16:21"): a time alone would say
a draft from last week was saved today."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

register = template.Library()


def saved_words(moment: datetime, now: datetime | None = None) -> str:
    local = timezone.localtime(moment)
    today = timezone.localtime(now or timezone.now()).date()
    time = formats.time_format(local, "H:i")
    if local.date() == today:
        return _("Saved at %(time)s.") % {"time": time}
    if local.date() == today - timedelta(days=1):
        return _("Saved yesterday at %(time)s.") % {"time": time}
    day = formats.date_format(local, "j F" if local.year == today.year else "j F Y")
    return _("Saved on %(date)s at %(time)s.") % {"date": day, "time": time}


@register.simple_tag
def saved_when(moment: datetime) -> str:
    return saved_words(moment)
