"""What every template needs: the person's roles (for the menu) and the site address."""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from verbind.accounts import permissions


def verbind(request):
    user = getattr(request, "user", None)
    # Lazy: pages that never show the menu do not pay for the query.
    roles = SimpleLazyObject(lambda: permissions.roles_of(user))
    return {"roles": roles, "site_url": settings.SITE_URL}
