"""Where links in e-mails start, for every e-mail that carries one (invitations, password
reset)."""

from __future__ import annotations

from django.conf import settings


def link_base(request) -> str:
    """The start of links in e-mails sent from this request.

    In development (DEBUG) the address the app is reached on, as Django's password reset
    builds its link: a developer on another port or a phone on the local network gets a
    link that works. In production SITE_URL, the one public address: never the request's
    Host header, which a visitor chooses.
    """
    if settings.DEBUG:
        return f"{request.scheme}://{request.get_host()}"
    return settings.SITE_URL
