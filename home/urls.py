from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.images.views.serve import ServeView

from brands.sitemaps import TraceSitemap
from stories.policy.views import one_click_unsubscribe
from stories.urls import one_click_urlpatterns

from . import views
from .api import api_router

# Language-neutral URLs: machines, admin, media.
urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's password forms for private pages and collections, throttled like logins.
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        views.collection_password,
        name="wagtaildocs_authenticate_with_password",
    ),
    path("documents/", include(wagtaildocs_urls)),
    path("images/<str:signature>/<int:image_id>/<str:filter_spec>/", ServeView.as_view(), name="wagtailimages_serve"),
    path("api/v2/", api_router.urls),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": WagtailSitemap, "trace": TraceSitemap}}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("01/", include("brands.gs1_urls")),
    # Mail providers POST here for RFC 8058 one-click unsubscribe, without a CSRF token.
    path(
        "policy/unsubscribe/<str:token>/one-click/",
        one_click_unsubscribe,
        name="policy_one_click_unsubscribe",
    ),
    # The same for broadcast reminders and brand followers (stories/urls.py).
    *one_click_urlpatterns,
]

if settings.DEBUG:
    # `make run` serves uploads itself; documents only through /documents/, which checks their privacy.
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", views.debug_media)]

# Pages people read: Simplified Chinese at /, English under /en/.
urlpatterns += i18n_patterns(
    path("search/", include("search.urls")),
    path("trace/", include("brands.urls")),
    path("feedback/", include("feedback.urls")),
    path("", include("stories.urls")),
    # Calendars end in .ics, which Wagtail page routes cannot match (no dots in its pattern).
    path("", include("stories.broadcasts.urls")),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        views.page_password,
        name="wagtailcore_authenticate_with_password",
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler404 = "home.views.page_not_found"
handler500 = "home.views.server_error"
