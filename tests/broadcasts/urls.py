"""The site's URLs with the broadcast calendars in front, as home/urls.py is asked to include them."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from home import urls as site_urls

handler404 = site_urls.handler404
handler500 = site_urls.handler500

if any("broadcast_urls" in str(getattr(p, "urlconf_name", "")) for p in site_urls.urlpatterns[-1].url_patterns):
    urlpatterns = site_urls.urlpatterns
else:
    urlpatterns = [
        *site_urls.urlpatterns[:-1],
        *i18n_patterns(path("", include("stories.broadcasts.urls")), prefix_default_language=False),
        site_urls.urlpatterns[-1],
    ]
