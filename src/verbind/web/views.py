"""Site-wide pages: the start page, crisis help, tips, privacy, the source
code, errors, and a health check."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from verbind.core import tips as core_tips
from verbind.core.instrument import DEFAULT_LANGUAGE, LANGUAGES
from verbind.web import source


@require_safe
def start(request):
    return render(request, "web/start.html")


@require_safe
def crisis_help(request):
    return render(request, "web/crisis_help.html")


@require_safe
def tips(request):
    """Tips about making contact, from core/texts/tips.yaml (public)."""
    lang = (get_language() or DEFAULT_LANGUAGE)[:2]
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    data = core_tips.tips()
    return render(
        request,
        "web/tips.html",
        {
            "title": data.title[lang],
            "intro": data.intro[lang],
            "sections": data.shown(lang),
            "closing": data.closing[lang],
        },
    )


@require_safe
def privacy(request):
    return render(request, "web/privacy.html")


@require_safe
def source_code(request):
    """What the code is and where to get it (AGPL section 13), before anything downloads:
    the archive's name and its size, or the address where the code is published."""
    context = {"published_at": settings.SOURCE_CODE_URL}
    if not settings.SOURCE_CODE_URL:
        context.update(archive_name=source.archive_name(), archive_size=source.archive_size())
    return render(request, "web/source.html", context)


@require_safe
def source_archive(request):
    """The code this instance runs as a .tar.gz, or where it is published."""
    if settings.SOURCE_CODE_URL:
        return redirect(settings.SOURCE_CODE_URL)
    response = HttpResponse(source.source_archive(), content_type="application/gzip")
    response["Content-Disposition"] = f'attachment; filename="{source.archive_name()}"'
    return response


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
