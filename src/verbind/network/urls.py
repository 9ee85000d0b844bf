"""'Mijn netwerk' pages. Every pattern has a rule in tests/web/test_access_matrix.py."""

from django.urls import path

from verbind.network import views

app_name = "network"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("start/", views.start, name="start"),
    path("stop/", views.withdraw, name="withdraw"),
    path("draw/names/", views.names, name="names"),
    path("draw/circles/", views.circles, name="circles"),
    path("draw/person/<int:number>/", views.person, name="person"),
    path("map/<int:pk>/", views.map_page, name="map"),
    path("draw/discard/", views.discard_draft, name="discard_draft"),
    path("map/<int:pk>/hide/", views.hide, name="hide"),
    path("map/<int:pk>/delete/", views.delete_map, name="delete_map"),
    path("compare/<int:before>/<int:after>/", views.compare, name="compare"),
    path("coach/<int:pk>/", views.coach_maps, name="coach_maps"),
]
