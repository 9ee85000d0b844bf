"""All URLs. Every pattern here must have a rule in tests/web/test_access_matrix.py."""

from django.urls import include, path
from django.views.i18n import set_language

from verbind.web import views

urlpatterns = [
    path("", views.start, name="start"),
    path("crisis/", views.crisis_help, name="crisis_help"),
    path("tips/", views.tips, name="tips"),
    path("privacy/", views.privacy, name="privacy"),
    path("source/", views.source_code, name="source_code"),
    path("source/download/", views.source_archive, name="source_archive"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("test/", include("verbind.screening.urls")),
    path("account/", include("verbind.participant.urls")),
    path("coach/", include("verbind.coaching.urls")),
    path("organisation/", include("verbind.coaching.urls_organisation")),
    path("course/", include("verbind.course.urls")),
    path("network/", include("verbind.network.urls")),
]

# Error pages that work without the database, with crisis help (web/views.py).
handler400 = "verbind.web.views.bad_request"
handler403 = "verbind.web.views.forbidden"
handler404 = "verbind.web.views.not_found"
handler500 = "verbind.web.views.server_error"
