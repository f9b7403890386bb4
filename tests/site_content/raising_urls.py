"""A URL configuration for tests: the site's own URLs plus one view that always fails."""

from django.urls import path

from home.urls import handler404, handler500
from home.urls import urlpatterns as site_urlpatterns


def explode(request):
    raise RuntimeError("secret-detail: postgres://farmcast:hunter2@db/farmcast")


urlpatterns = [path("__explode__/", explode), *site_urlpatterns]

__all__ = ["handler404", "handler500", "urlpatterns"]
