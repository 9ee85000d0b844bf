"""Course pages. Every pattern has a rule in tests/web/test_access_matrix.py."""

from django.urls import path

from verbind.course import views, views_coach

app_name = "course"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("enrol/", views.enrol, name="enrol"),
    path("pause/", views.pause, name="pause"),
    path("resume/", views.resume, name="resume"),
    path("stop/", views.stop, name="stop"),
    path("coach-request/", views.ask_coach, name="ask_coach"),
    path("coach-request/cancel/", views.cancel_coach_request, name="cancel_coach_request"),
    path("week/<int:number>/", views.week, name="week"),
    path("exercise/<slug:exercise_id>/", views.answer, name="answer"),
    path("exercise/<slug:exercise_id>/photo/", views.answer_photo, name="answer_photo"),
    path("photo/<int:pk>/", views.photo, name="photo"),
    path("check-in/<slug:key>/", views.check_in, name="check_in"),
    path("check-in/<slug:key>/done/", views.check_in_done, name="check_in_done"),
    path("progress/", views.progress_page, name="progress"),
    path("summary/", views.summary_page, name="summary"),
    path("summary.pdf", views.summary_pdf, name="summary_pdf"),
    # coach
    path("coach/", views_coach.coach_overview, name="coach_overview"),
    path("coach/inbox/", views_coach.inbox, name="inbox"),
    path("coach/answer/<int:pk>/", views_coach.give_feedback, name="feedback"),
    path("coach/enrolment/<int:pk>/", views_coach.coach_enrolment, name="coach_enrolment"),
    path("coach/enrolment/<int:pk>/open-week/", views_coach.open_week, name="open_week"),
    path("coach/enrolment/<int:pk>/end/", views_coach.coach_end, name="coach_end"),
    path(
        "coach/enrolment/<int:pk>/feedback-blocking/",
        views_coach.feedback_blocking,
        name="feedback_blocking",
    ),
    path("coach/check-in/<int:pk>/seen/", views_coach.check_in_seen, name="check_in_seen"),
    path("coach/participant/<int:pk>/enrol/", views_coach.coach_enrol, name="coach_enrol"),
]
