"""The public self-test. Every pattern has a rule in tests/web/test_access_matrix.py."""

from django.urls import path

from verbind.screening import views

app_name = "screening"

urlpatterns = [
    path("", views.start, name="start"),
    path("question/<int:number>/", views.question, name="question"),
    path("help/", views.crisis, name="crisis"),
    path("result/", views.result, name="result"),
    path("result/save/", views.save, name="save"),
    path("result/<int:pk>/", views.saved_result, name="saved_result"),
    path("stop/", views.stop, name="stop"),
]
