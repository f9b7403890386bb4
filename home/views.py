import logging

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, HttpResponseRedirect, HttpResponseServerError, JsonResponse
from django.template import loader
from django.template.response import TemplateResponse
from django.utils.translation import get_language_from_path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.i18n import set_language as django_set_language
from django.views.static import serve
from wagtail.documents.views import serve as document_serve
from wagtail.models import Locale, Site
from wagtail.views import authenticate_with_password as page_authenticate_with_password

from brands.transparency import provenance_health
from search.engine import engine_status

logger = logging.getLogger("farmcast")


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:  # refused connections, timeouts, a missing database: all mean "down"
        logger.warning("healthz: database unavailable", exc_info=True)
        return False
    return True


@never_cache
@require_GET
def healthz(request):
    """Database and search engine state. 503 when the database is down; the engine is optional."""
    db_ok = database_ok()
    search = engine_status()
    body = {"status": "ok" if db_ok else "error", "database": "ok" if db_ok else "down", "search": search}
    if db_ok:
        body["provenance"] = provenance_health()
    return JsonResponse(body, status=200 if db_ok else 503)


def untranslated_original(request):
    """The live page at the same address in the default language's tree, for a language-prefixed URL without one.

    /en/brands/<brand>/ of a brand with no English yet is the Chinese brand, not nothing: translations
    keep their source's slugs, so the address without its prefix finds the original.
    """
    language = get_language_from_path(request.path_info)
    site = Site.find_for_request(request)
    if not language or site is None or request.method not in ("GET", "HEAD"):
        return None
    components = [c for c in request.path_info[len(language) + 2 :].split("/") if c]
    if not components:
        return None
    root = site.root_page.specific
    root = root.get_translation_or_none(Locale.get_default()) or root
    try:
        page = root.specific.route(request, components).page
    except Http404:
        return None
    return page if page.live and page.locale.language_code != language else None


def page_not_found(request, exception=None):
    # Content that exists in the other language answers with it and a notice, never a 404 (issue 14).
    original = untranslated_original(request)
    if original is not None:
        return HttpResponseRedirect(f"{original.url}?untranslated={get_language_from_path(request.path_info)}")
    return TemplateResponse(request, "404.html", status=404)


def server_error(request):
    # A plain page from a template with no context processors and no database access: it must
    # render even when the error came from the database.
    return HttpResponseServerError(loader.get_template("500.html").render())


def _without_language_prefix(url):
    """ "/en/brands/?q=x" → "/brands/?q=x": the URL in the default language, which has no prefix."""
    for code, _name in settings.LANGUAGES:
        if code == settings.LANGUAGE_CODE:
            continue
        prefix = f"/{code}/"
        if url.startswith(prefix):
            return "/" + url[len(prefix) :]
        if url == prefix.rstrip("/") or url.startswith(prefix.rstrip("/") + "?"):
            return "/" + url[len(prefix) - 1 :]
    return url


def set_language(request):
    """Django's set_language, with `next` first taken back to its default-language URL.

    Django translates `next` by resolving it in the language active for this request, which (no prefix
    on /i18n/setlang/) is Chinese: /en/brands/ then matched Wagtail's catch-all page route as a Chinese
    page at "en/brands" and came back as /en/en/brands/. From /brands/ it translates either way.
    """
    for data in (request.POST, request.GET):
        if data.get("next"):
            data._mutable = True
            data["next"] = _without_language_prefix(data["next"])
            data._mutable = False
    return django_set_language(request)


# --- Page and collection passwords, throttled like logins ----------------------------------------


def _throttled(wagtail_view, key_prefix):
    """Wagtail's password view, counted by django-axes like an admin login (five misses lock one address out).

    Each restriction is its own "username" to axes (`page-password:<id>`), so a lockout covers one
    password from one address for AXES_COOLOFF_TIME and shows in axes' admin beside login lockouts.
    """

    def view(request, restriction_id, *args):
        credentials = {"username": f"{key_prefix}:{restriction_id}"}
        if request.method == "POST" and not AxesProxyHandler.is_allowed(request, credentials):
            return get_lockout_response(request, None, credentials)
        response = wagtail_view(request, restriction_id, *args)
        if request.method == "POST":
            if response.status_code == 302:  # the password was right: Wagtail redirects to the page
                AxesProxyHandler.reset_attempts(ip_address=request.axes_ip_address, username=credentials["username"])
            else:  # the form again, with its error
                user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        return response

    return view


def page_password(request, page_view_restriction_id, page_id):
    return _throttled(page_authenticate_with_password, "page-password")(request, page_view_restriction_id, page_id)


def collection_password(request, restriction_id):
    return _throttled(document_serve.authenticate_with_password, "collection-password")(request, restriction_id)


def debug_media(request, path):
    """/media/ under DEBUG (`make run`), without the document files: those go through Wagtail's document
    view, which refuses a private collection's file (a draft's attachment) to people outside it.
    A production web server must not serve MEDIA_ROOT/documents/ either (README, deployment).
    """
    if path.lstrip("/").startswith("documents/"):
        raise Http404("documents are served from /documents/")
    return serve(request, path, document_root=settings.MEDIA_ROOT)
