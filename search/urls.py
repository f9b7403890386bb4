from django.urls import path

from . import views

app_name = "search"
urlpatterns = [
    path("", views.search, name="search"),
    path("suggest/", views.suggest, name="suggest"),
    path("events/", views.search_event, name="event"),
    path("events/click/", views.search_click, name="click"),
]
