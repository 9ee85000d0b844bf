"""Logging in. A person's own pages (home, data, coach access) gather from every app and
live higher up, in verbind.participant."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.shortcuts import resolve_url

from verbind.accounts import permissions


class LoginView(auth_views.LoginView):
    """Log in; without a page asked for first (``next``), land where the person's work is:
    a coach on their participants, an organisation admin on the organisation page, a
    participant on their own page."""

    def get_default_redirect_url(self):
        roles = permissions.roles_of(self.request.user)
        if roles.is_coach:
            return resolve_url("coaching:dashboard")
        if roles.is_org_admin:
            return resolve_url("organisation:dashboard")
        return super().get_default_redirect_url()
