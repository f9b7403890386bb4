"""What shoppers do with search: searches and the results they open, anonymous and bounded.

In the spirit of OpenSearch's User Behavior Insights: the search page reports a search (its query,
how many results, which path answered) and then each result opened (position, type), from the
browser, as UBI clients do. That also counts searches the page cache answered, which a count in the
view would miss. Nothing about the person is kept: no IP, no user, no session, no cookie.

Bounded: a search event lives EVENT_DAYS (long enough for its clicks), and at most MAX_EVENTS are
kept; search terms are capped at MAX_TERMS, and when a flood of random queries fills the table the
rarest, stalest terms make room, so real queries keep their counts.
"""

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import SearchClick, SearchEvent, SearchTerm
from .text import normalise_query

MAX_TERM_CHARS = 100
MAX_TERMS = 20_000
MAX_EVENTS = 200_000
EVENT_DAYS = 2
PRUNE_ONE_IN = 200  # searches between two housekeeping passes, on average
FAR_POSITION = 5  # a first click below the fifth result: the right answer was ranked too low
MAX_POSITION = 1000


def normalise(query):
    """The form a query is counted under (search.text.normalise_query)."""
    return normalise_query(query)[:MAX_TERM_CHARS]


def _term_id(text, now, zero):
    updated = SearchTerm.objects.filter(query=text)
    changes = {"searches": F("searches") + 1, "last_seen": now}
    if zero:
        changes["zero_results"] = F("zero_results") + 1
    # F() + 1 in one UPDATE: concurrent searches never lose a count (no read-modify-write).
    if updated.update(**changes):
        return updated.values_list("pk", flat=True).first()
    try:
        with transaction.atomic():
            return SearchTerm.objects.create(
                query=text, searches=1, zero_results=int(zero), first_seen=now, last_seen=now
            ).pk
    except IntegrityError:  # another request created it first
        updated.update(**changes)
        return updated.values_list("pk", flat=True).first()


def record_search(query, results, language, answered_by):
    """Count one search and return the id its clicks will be reported under ("" when not recorded)."""
    text = normalise(query)
    if not text:
        return ""
    now = timezone.now()
    term_id = _term_id(text, now, zero=results == 0)
    event = SearchEvent.objects.create(
        id=secrets.token_hex(16),
        term_id=term_id,
        language=language[:10],
        answered_by=answered_by[:10],
        results=min(max(results, 0), 2**31 - 1),
        created=now,
    )
    if secrets.randbelow(PRUNE_ONE_IN) == 0:
        prune(now)
    return event.id


def record_click(event_id, page_id, position, result_type=""):
    """Count one opened result of a recent search; False when the search is unknown or the click a repeat."""
    if not (1 <= position <= MAX_POSITION):
        return False
    now = timezone.now()
    event = (
        SearchEvent.objects.filter(pk=event_id, created__gte=now - datetime.timedelta(days=EVENT_DAYS))
        .only("term_id")
        .first()
    )
    if event is None:
        return False
    try:
        with transaction.atomic():
            SearchClick.objects.create(
                event_id=event.pk, page_id=page_id, position=position, result_type=result_type[:20], created=now
            )
    except IntegrityError:  # the same result opened twice from one search counts once
        return False
    if SearchEvent.objects.filter(pk=event.pk, first_click_position__isnull=True).update(first_click_position=position):
        SearchTerm.objects.filter(pk=event.term_id).update(
            searches_clicked=F("searches_clicked") + 1,
            first_click_positions=F("first_click_positions") + position,
            far_first_clicks=F("far_first_clicks") + int(position > FAR_POSITION),
        )
    return True


def prune(now=None):
    """Drop expired events, the oldest events past MAX_EVENTS, and the rarest, stalest terms past MAX_TERMS."""
    now = now or timezone.now()
    SearchEvent.objects.filter(created__lt=now - datetime.timedelta(days=EVENT_DAYS)).delete()
    boundary = SearchEvent.objects.order_by("-created").values_list("created", flat=True)[MAX_EVENTS : MAX_EVENTS + 1]
    for created in boundary:
        SearchEvent.objects.filter(created__lte=created).delete()
    boundary = SearchTerm.objects.for_report().values_list("searches", "last_seen")[MAX_TERMS : MAX_TERMS + 1]
    for searches, last_seen in boundary:
        SearchTerm.objects.filter(Q(searches__lt=searches) | Q(searches=searches, last_seen__lte=last_seen)).delete()
