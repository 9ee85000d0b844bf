"""Site-wide pages: the start page, crisis help, privacy, errors, and a health check."""

from __future__ import annotations

from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@require_safe
def start(request):
    return render(request, "web/start.html")


@require_safe
def crisis_help(request):
    return render(request, "web/crisis_help.html")


@require_safe
def privacy(request):
    return render(request, "web/privacy.html")


@never_cache
@require_safe
def healthz(request):
    """For load balancers: 200 when this instance can reach the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def forbidden(request, exception=None):
    return render(request, "web/403.html", status=403)


def not_found(request, exception=None):
    return render(request, "web/404.html", status=404)
