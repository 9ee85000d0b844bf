"""Site-wide pages: the start page, crisis help, tips, privacy, the source
code, errors, and a health check."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.functional import empty
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from verbind.core import crisis as core_crisis
from verbind.core import tips as core_tips
from verbind.core.instrument import DEFAULT_LANGUAGE, LANGUAGES
from verbind.web import source

log = logging.getLogger(__name__)


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


# --- error pages ---------------------------------------------------------------------------
#
# They must work when nothing else does, the database included: rendered without the
# request (so no context processor runs and no session or user is read), in the language
# the person chose (cookie) or their browser asks for, with crisis help from its one
# source. A page that fails to render falls back to a plainer one, and at the very last to
# the crisis help as plain text: whatever happens, nobody sees a bare "Server Error".


def _language(request) -> str:
    try:
        lang = translation.get_language_from_request(request, check_path=True)
    except Exception:  # a broken header must not break the error page
        lang = DEFAULT_LANGUAGE
    lang = (lang or DEFAULT_LANGUAGE)[:2]
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def _signed_in(request) -> bool:
    """Whether the person is logged in, if that is already known (never looked up here)."""
    wrapped = getattr(getattr(request, "user", None), "_wrapped", empty)
    return wrapped is not empty and getattr(wrapped, "is_authenticated", False)


def _error_page(request, template: str, status: int) -> HttpResponse:
    lang = _language(request)
    with translation.override(lang):
        try:
            html = loader.render_to_string(template, {"signed_in": _signed_in(request)})
        except Exception:
            log.exception("the error page %s could not be shown; showing the plain one", template)
            try:
                html = loader.render_to_string("web/500_plain.html")
            except Exception:
                log.exception("the plain error page could not be shown either")
                text = "\n".join(core_crisis.crisis_help().sentences(lang))
                return HttpResponse(text, content_type="text/plain; charset=utf-8", status=status)
    response = HttpResponse(html, status=status)
    response["Content-Language"] = lang
    add_never_cache_headers(response)
    return response


def bad_request(request, exception=None):
    return _error_page(request, "web/400.html", 400)


def forbidden(request, exception=None):
    return _error_page(request, "web/403.html", 403)


def not_found(request, exception=None):
    return _error_page(request, "web/404.html", 404)


def server_error(request):
    return _error_page(request, "web/500.html", 500)


def csrf_failure(request, reason=""):
    """Django's CSRF_FAILURE_VIEW: a form sent without a valid token (open too long,
    cookies off); the details go to the log, not to the person."""
    log.warning("CSRF check failed for %s: %s", request.path, reason)
    return _error_page(request, "web/csrf_failure.html", 403)
