"""The organisation admin's pages: coaches and counts, never personal data."""

from django.urls import path

from verbind.coaching import views_organisation as views

app_name = "organisation"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("coaches/invite/", views.invite_coach, name="invite_coach"),
    path("invitations/<int:pk>/resend/", views.resend_invitation, name="resend_invitation"),
    path("invitations/<int:pk>/revoke/", views.revoke_invitation, name="revoke_invitation"),
    path(
        "coaches/<int:pk>/deactivate/confirm/",
        views.confirm_deactivate_coach,
        name="confirm_deactivate_coach",
    ),
    path("coaches/<int:pk>/deactivate/", views.deactivate_coach, name="deactivate_coach"),
    path("without-coach/", views.coach_requests, name="coach_requests"),
    path("without-coach/<int:pk>/assign/", views.assign_coach, name="assign_coach"),
]
