"""``{% retention_notice %}``: how long an account is kept, from the settings (one text for
the privacy page and the consent on the register page; the rule is core/retention_rules.py)."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("includes/retention_notice.html")
def retention_notice() -> dict:
    return {
        "inactive_months": settings.INACTIVE_ACCOUNT_MONTHS,
        "notice_days": settings.INACTIVE_ACCOUNT_NOTICE_DAYS,
    }
