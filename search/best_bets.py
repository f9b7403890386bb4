"""Best bets: pages editors pin to the top of a query's results, between two dates (search.models.BestBet)."""

from wagtail.models import Locale, Page

from .fallback import hits_for_pages
from .models import BestBet
from .text import normalise_query

MAX_PINNED = 3


def pinned(query, request=None, locale=None):
    """The hits pinned for this query now, in order and in the visitor's language (one query when none)."""
    page_ids = list(BestBet.objects.for_query(normalise_query(query)).values_list("page_id", flat=True)[:MAX_PINNED])
    if not page_ids:
        return []
    locale = locale or Locale.get_active()
    pages = {p.pk: p for p in Page.objects.live().public().filter(pk__in=page_ids)}
    hits = hits_for_pages([pages[pk] for pk in page_ids if pk in pages], locale, request)
    for hit in hits:
        hit["pinned"] = True
    return hits


def pin(results, hits):
    """Put the pinned hits first on the page of results, without showing a page twice."""
    ids = {hit["page_id"] for hit in hits}
    results.hits = hits + [hit for hit in results.hits if hit["page_id"] not in ids]
    return results
