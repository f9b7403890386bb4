import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, HttpResponseRedirect, HttpResponseServerError, JsonResponse
from django.template import loader
from django.template.response import TemplateResponse
from django.utils.translation import get_language_from_path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.i18n import set_language as django_set_language
from wagtail.models import Locale, Site

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
