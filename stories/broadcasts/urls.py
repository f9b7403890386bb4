"""The broadcast calendars' URLs, included before Wagtail's page URLs (see views.py for why)."""

from django.urls import re_path

from .views import page_calendar

urlpatterns = [
    re_path(r"^(?P<page_path>(?:[\w\-]+/)+)calendar\.ics$", page_calendar, name="broadcast_calendar"),
]
