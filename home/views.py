import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.i18n import set_language as django_set_language

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


def page_not_found(request, exception=None):
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
