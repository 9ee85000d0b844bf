"""A coach's pages: dashboard, one participant, notes, invitations, sharing, alerts."""

from django.urls import path

from verbind.coaching import views

app_name = "coaching"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("invite/", views.invite_participant, name="invite"),
    path("invitations/", views.invitations_list, name="invitations"),
    path("invitations/<int:pk>/resend/", views.resend_invitation, name="resend_invitation"),
    path("invitations/<int:pk>/revoke/", views.revoke_invitation, name="revoke_invitation"),
    path("participant/<int:pk>/", views.participant, name="participant"),
    path("participant/<int:pk>/notes/", views.add_note, name="add_note"),
    path("participant/<int:pk>/share/", views.share, name="share"),
    path("participant/<int:pk>/share/<int:share_pk>/end/", views.end_share, name="end_share"),
    path("alert/<int:pk>/resolve/", views.resolve_alert, name="resolve_alert"),
    path("alert/<int:pk>/reopen/", views.reopen_alert, name="reopen_alert"),
]
