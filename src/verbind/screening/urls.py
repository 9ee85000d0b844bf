"""Public self-test pages (built in the screening app's views; see views.py)."""

from django.urls import path  # noqa: F401  (patterns are added by the self-test flow)

app_name = "screening"

urlpatterns: list = []
