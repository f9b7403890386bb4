"""/search/ and /search/suggest/: the engine when it answers, Wagtail's database search when not."""

import functools
import json
import logging
import re
import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import TooManyFieldsSent
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.dates import MONTHS
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from wagtail.images import get_image_model

from site_content.client import client_ip, count_hit

from . import analytics, best_bets, engine, labels
from .documents import TYPE_LABELS
from .fallback import database_search, database_suggestions
from .query import (
    FACETS,
    PAGE_SIZE,
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
        if query and sort == "relevance" and results.page == 1:
            best_bets.pin(results, best_bets.pinned(query, request))
        attach_images(results.hits)
        params = {"q": query, **{k: [str(v) for v in vals] for k, vals in filters.items()}}
        if sort != "relevance":
            params["sort"] = sort
        context.update(
            results=results,
            facets=present_facets(results, filters) if not context["notice"] else [],
            previous_url=with_params(params, page=results.page - 1) if results.has_previous else None,
            next_url=with_params(params, page=results.page + 1) if results.has_next else None,
            did_you_mean_url=with_params({"q": results.did_you_mean}) if results.did_you_mean else None,
            # For static/js/search-events.js, which reports the search and the results opened.
            answered_by=path,
            first_position=(results.page - 1) * PAGE_SIZE + 1,
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


# --- what shoppers do (search.analytics), reported by static/js/search-events.js ---------------------

MAX_EVENT_BODY = 2048
# Reports one client may make per window, per endpoint: a shopper searches and opens results a few
# times a minute, and many shoppers may share one address (a carrier's NAT). Past it the reports are
# refused with 429 and search itself is untouched, so one client cannot flood the counters or skew
# the search terms report (analytics' caps bound the tables; this bounds one client's share of them).
EVENTS_PER_CLIENT = 60
EVENT_WINDOW_SECONDS = 600


def _same_origin(request):
    """Whether a browser sent the report from this site's own pages (never from another site's).

    Browsers say where a request comes from in Sec-Fetch-Site (every current one), else in Origin; a
    request with neither is not a cross-site browser request (an old browser, or a script, which
    could forge either header anyway and is held by the rate limit instead).
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    # Behind a TLS-terminating proxy the scheme may differ from the browser's: the host decides.
    return urlsplit(origin).netloc == request.get_host() or origin in settings.CSRF_TRUSTED_ORIGINS


def _over_event_limit(request, scope):
    # The key holds a signature of the address, not the address: the cache never stores who reported.
    client = signing.Signer(salt="search.events.ratelimit").signature(client_ip(request))
    return count_hit(f"search-events:{scope}:{client}", EVENTS_PER_CLIENT, EVENT_WINDOW_SECONDS)


def shoppers_event(scope):
    """A view taking a report from search-events.js: POST only, same origin, small body, rate limited."""

    def decorate(view):
        # csrf_exempt: navigator.sendBeacon cannot add the CSRF header, and the reports are sent without
        # cookies (credentials "omit") from pages the page cache may serve to anyone, so there is no
        # token to check. What CSRF protection would prevent, another site making its visitors'
        # browsers post reports, _same_origin refuses instead; and a report can only add to
        # anonymous, capped counters.
        @csrf_exempt
        @require_POST
        @functools.wraps(view)
        def wrapped(request):
            if not _same_origin(request):
                return JsonResponse({"error": "reports are accepted from this site's pages only"}, status=403)
            if _content_length(request) > MAX_EVENT_BODY:
                # Refused before the body is read: an oversized report costs no memory.
                return JsonResponse({"error": f"the body may be at most {MAX_EVENT_BODY} bytes"}, status=413)
            if _over_event_limit(request, scope):
                response = JsonResponse({"error": "too many reports from this client; try later"}, status=429)
                response["Retry-After"] = str(EVENT_WINDOW_SECONDS)
                return response
            return view(request)

        return wrapped

    return decorate


def _content_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django reads no body for a malformed length either


MAX_ID = 2**31 - 1  # the largest page id (and position) the counters' integer columns hold
EVENT_ID = re.compile(r"[0-9a-f]{1,32}")  # search.analytics hands out token_hex(16)


def _event_data(request):
    """The posted form or JSON object (sendBeacon posts either), or None when it is not one."""
    if len(request.body) > MAX_EVENT_BODY:
        return None
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body)
        except (ValueError, RecursionError):  # RecursionError: "[[[[..." nested past Python's stack
            return None
        return data if isinstance(data, dict) else None
    try:
        return request.POST
    except (MultiPartParserError, TooManyFieldsSent):
        return None


def _int(value, default=None, low=0, high=MAX_ID):
    """`value` as an int within [low, high], or `default` (a string of digits, or a JSON number)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return default
    try:
        number = int(str(value).strip())
    except ValueError:
        return default
    return number if low <= number <= high else default


def _text(data, key):
    """A posted field as text: "" when missing or not a string (JSON may send a list or an object)."""
    value = data.get(key, "")
    return value if isinstance(value, str) else ""


@shoppers_event("search")
def search_event(request):
    """A search the page showed: {"q", "results", "answered_by"} -> {"id"} for its clicks (UBI query)."""
    data = _event_data(request)
    results = _int(data.get("results")) if data is not None else None
    if data is None or results is None:
        return JsonResponse({"error": "expected q, results and answered_by"}, status=400)
    answered_by = _text(data, "answered_by") if _text(data, "answered_by") in ("engine", "database") else "engine"
    event_id = analytics.record_search(_text(data, "q"), results, active_locale_code(), answered_by)
    return JsonResponse({"id": event_id})


@shoppers_event("click")
def search_click(request):
    """A result opened from a search: {"id", "page", "position", "type"} (UBI event "click")."""
    data = _event_data(request)
    if data is None:
        return JsonResponse({"error": "expected id, page and position"}, status=400)
    page_id, position = _int(data.get("page"), low=1), _int(data.get("position"), low=1)
    if page_id is None or position is None or not EVENT_ID.fullmatch(_text(data, "id")):
        return JsonResponse({"error": "expected id, page and position"}, status=400)
    result_type = _text(data, "type") if _text(data, "type") in TYPE_LABELS else ""
    analytics.record_click(_text(data, "id"), page_id, position, result_type)
    return HttpResponse(status=204)
