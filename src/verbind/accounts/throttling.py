"""Login throttling (django-axes) counts failures per e-mail address and client address.

Behind a reverse proxy every request comes from the proxy's address (REMOTE_ADDR); the
client's own address is then only in ``X-Forwarded-For``, which anyone can also send. So
that header is read ONLY when ``TRUST_PROXY_HEADERS`` is on, and then only the entry added
by our own proxies: with ``TRUSTED_PROXY_COUNT`` proxies in front of the app, each appends
the address it saw, so the client is the ``TRUSTED_PROXY_COUNT``-th entry from the right.
Anything a client wrote to the left of it is ignored.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings

from verbind.accounts.models import normalise_email


def username_for_axes(request, credentials) -> str | None:
    """The address as we store it, so changing upper/lower case gives no extra attempts."""
    raw = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if raw is None and request is not None:
        raw = request.POST.get(settings.AXES_USERNAME_FORM_FIELD)
    return normalise_email(raw) if raw else None


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip_for_axes(request) -> str | None:
    """The client's address: from the trusted proxy's X-Forwarded-For entry, else the peer."""
    remote = request.META.get("REMOTE_ADDR")
    if not getattr(settings, "TRUST_PROXY_HEADERS", False):
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 1)
    if len(forwarded) < count:
        # Not what our proxies send: count it against the address we can see.
        return remote
    return _valid_ip(forwarded[-count]) or remote
