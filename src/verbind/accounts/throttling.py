"""Login throttling (django-axes) counts failures per e-mail address and client address."""

from __future__ import annotations

from django.conf import settings

from verbind.accounts.models import normalise_email


def username_for_axes(request, credentials) -> str | None:
    """The address as we store it, so changing upper/lower case gives no extra attempts."""
    raw = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if raw is None and request is not None:
        raw = request.POST.get(settings.AXES_USERNAME_FORM_FIELD)
    return normalise_email(raw) if raw else None
