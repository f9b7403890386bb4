"""/search/ and /search/suggest/: the engine when it answers, Wagtail's database search when not."""

import logging
import time
from urllib.parse import urlencode

from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.dates import MONTHS
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from wagtail.images import get_image_model

from . import engine, labels
from .documents import TYPE_LABELS
from .fallback import database_search, database_suggestions
from .models import NoResultQuery
from .query import (
    FACETS,
    DiscoveryQuery,
    clean_filters,
    clean_page_number,
    clean_query,
    clean_sort,
)
from .query import suggest as engine_suggest

logger = logging.getLogger("farmcast.search")

SORT_LABELS = {
    "relevance": _("Relevance"),
    "newest": _("Newest"),
    "price_asc": _("Price: low to high"),
    "price_desc": _("Price: high to low"),
    "sales": _("Best selling"),
    "rating": _("Highest rated"),
}
FACET_LABELS = {
    "type": _("Type"),
    "region": _("Province"),
    "category": _("Category"),
    "certification": _("Certification"),
    "season": _("In season"),
}
THUMBNAIL = "fill-96x96"


def active_locale_code():
    language = (get_language() or "zh-hans").lower()
    return "en" if language.startswith("en") else "zh-hans"


# --- presenting -----------------------------------------------------------------------------


def with_params(params, **changes):
    merged = {k: v for k, v in params.items() if k != "page"}
    merged.update({k: v for k, v in changes.items() if v not in (None, "", [])})
    return "?" + urlencode(merged, doseq=True)


def facet_labels(name, keys):
    """Labels as plain strings: the template renders each one per facet option."""
    if name == "type":
        return {k: str(TYPE_LABELS.get(k, k)) for k in keys}
    if name == "season":
        return {k: str(MONTHS.get(int(k), k)) for k in keys}
    return labels.labels(name, keys)


def present_facets(results, filters):
    facets = []
    for name in FACETS:
        buckets = results.facets.get(name, [])
        selected = filters.get(name, [])
        keys = [key for key, _ in buckets] + [v for v in selected if v not in [k for k, _ in buckets]]
        labels = facet_labels(name, keys)
        counts = dict(buckets)
        options = [
            {"value": key, "label": labels.get(key, key), "count": counts.get(key, 0), "selected": key in selected}
            for key in keys
        ]
        if options:
            facets.append({"name": name, "label": str(FACET_LABELS[name]), "options": options})
    return facets


def attach_images(hits):
    ids = {h["image_id"] for h in hits if h.get("image_id")}
    images = {}
    if ids:
        images = {img.pk: img for img in get_image_model().objects.filter(pk__in=ids).prefetch_renditions(THUMBNAIL)}
    # Region names in the reader's language (the document keeps the Chinese ones, which it searches).
    names = labels.labels("region", [h.get(f) for h in hits for f in ("province_code", "city_code") if h.get(f)])
    for hit in hits:
        hit["image"] = images.get(hit.get("image_id"))
        hit["type_label"] = str(TYPE_LABELS.get(hit.get("type"), ""))
        path = [names.get(hit.get(f"{level}_code")) or hit.get(f"{level}_name") for level in ("province", "city")]
        hit["region"] = " · ".join(filter(None, path))


def find(request, query, filters, sort, page_number):
    """(results, which path answered, notice): the engine's answer, or the database's when it is off or down.

    Only an outage (no answer, a timeout, a busy engine, a missing index) falls back. Any other
    error from the engine (a 4xx for a query it cannot accept, a 500) is a bug to fix, not an
    outage to hide: it is logged as an error and the request fails.
    """
    notice = "not configured"
    if engine.is_configured():
        try:
            locale = active_locale_code()
            return DiscoveryQuery(query, filters, sort, page_number, locale=locale).execute(), "engine", None
        except engine.EngineUnavailable:
            logger.warning("search engine unavailable; falling back to the database", exc_info=True)
            notice = "down"
        except engine.EngineError:
            logger.error("the search engine refused a search: a bug, not an outage", exc_info=True)
            raise
    return database_search(query, filters, sort, page_number, request=request), "database", notice


@require_GET
def search(request):
    query = clean_query(request.GET.get("q", ""))
    filters = clean_filters(request.GET)
    sort = clean_sort(request.GET.get("sort"))
    page_number = clean_page_number(request.GET.get("page", 1))
    context = {
        "query": query,
        "filters": filters,
        "sort": sort,
        "sort_options": list(SORT_LABELS.items()),
        "notice": None,
        "results": None,
        "facets": [],
    }
    timing = []
    if query or filters:
        started = time.perf_counter()
        results, path, context["notice"] = find(request, query, filters, sort, page_number)
        # Server-Timing says which path answered (tests assert it) and, for the engine, its own `took`.
        timing.append(f'search;desc="{path}";dur={(time.perf_counter() - started) * 1000:.1f}')
        if path == "engine":
            timing.append(f"engine;dur={results.took_ms}")
        attach_images(results.hits)
        if results.total == 0 and query and not filters:
            NoResultQuery.record(query)
        params = {"q": query, **{k: [str(v) for v in vals] for k, vals in filters.items()}}
        if sort != "relevance":
            params["sort"] = sort
        context.update(
            results=results,
            facets=present_facets(results, filters) if not context["notice"] else [],
            previous_url=with_params(params, page=results.page - 1) if results.has_previous else None,
            next_url=with_params(params, page=results.page + 1) if results.has_next else None,
            did_you_mean_url=with_params({"q": results.did_you_mean}) if results.did_you_mean else None,
        )
    response = TemplateResponse(request, "search/search.html", context)
    if timing:
        response["Server-Timing"] = ", ".join(timing)
    return response


def region_suggestions(query, limit=3):
    return [
        {
            "title": r.display_name,
            "url": reverse("search:search") + "?" + urlencode({"region": r.code}),
            "type": "region",
        }
        for r in labels.regions_starting_with(query, limit)
    ]


@require_GET
def suggest(request):
    """JSON suggestions for the search box: brand and product titles (also by pinyin), then regions.

    Falls back to the database on an outage only, as search does (see find()).
    """
    query = clean_query(request.GET.get("q", ""))[:50]
    if not query:
        return JsonResponse({"query": "", "suggestions": []})
    suggestions, source = None, "engine"
    if engine.is_configured():
        try:
            suggestions = engine_suggest(query, locale=active_locale_code())
        except engine.EngineUnavailable:
            logger.warning("search engine unavailable for suggestions", exc_info=True)
        except engine.EngineError:
            logger.error("the search engine refused a suggestion query: a bug, not an outage", exc_info=True)
            raise
    if suggestions is None:
        source = "database"
        suggestions = database_suggestions(query, request=request)
    suggestions += region_suggestions(query)
    response = JsonResponse({"query": query, "source": source, "suggestions": suggestions})
    response["Server-Timing"] = f'suggest;desc="{source}"'
    return response
