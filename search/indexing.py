"""Keeping the discovery index current: the outbox written with each change, and applying it.

Why an outbox table rather than a django-tasks task per change: a row per page is idempotent
(the worker reads the page's current state, so order and duplicates do not matter), rows for the
same page collapse into one bulk request, `search_check` and an operator can see the backlog with
a plain query, and the test settings' ImmediateBackend would run tasks inside the very
transaction whose durability we need to prove.
"""

import logging
import time

from django.db import transaction
from django.db.models import Prefetch, Q
from opensearchpy import helpers
from wagtail.models import Locale, Page

from brands.models import FarmBrandPage, ProductPage
from site_content.models import Region
from stories.models import BrandStoryPage, BroadcastReplayPage, PolicyNewsPage

from . import engine
from .documents import SEARCHABLE_MODELS, DiscoveryDocument
from .models import IndexOutbox

logger = logging.getLogger("farmcast.search")

# After a failed immediate apply, leave the engine alone for a while: the worker retries, and a
# publish in the admin must not wait on an engine that is down.
_CIRCUIT_OPEN_SECONDS = 30
_circuit_open_until = 0.0


# --- loading pages with everything their documents need, in a constant number of queries ------


def _queryset(model):
    qs = model.objects.live().public()
    if model is FarmBrandPage:
        return qs.select_related("region__parent__parent").prefetch_related("tags")
    if model is ProductPage:
        return qs.select_related("category").prefetch_related("certifications")
    if model is PolicyNewsPage:
        return qs.prefetch_related(Prefetch("regions", queryset=Region.objects.select_related("parent__parent")))
    return qs


class BatchContext:
    """What the documents of a batch of pages share: locales, brands (with their regions)."""

    def __init__(self, pages):
        self.locales = dict(Locale.objects.values_list("id", "language_code"))
        parent_paths = {p.path[: -Page.steplen] for p in pages if isinstance(p, ProductPage)}
        brand_ids = {p.brand_id for p in pages if isinstance(p, BrandStoryPage | BroadcastReplayPage) and p.brand_id}
        self._by_path, self._by_id = {}, {}
        if parent_paths or brand_ids:
            brands = FarmBrandPage.objects.filter(Q(path__in=parent_paths) | Q(pk__in=brand_ids)).select_related(
                "region__parent__parent"
            )
            for brand in brands:
                self._by_path[brand.path] = brand
                self._by_id[brand.pk] = brand

    def brand_of(self, page):
        if isinstance(page, ProductPage):
            return self._by_path.get(page.path[: -Page.steplen])
        if isinstance(page, BrandStoryPage | BroadcastReplayPage):
            return self._by_id.get(page.brand_id)
        return None

    def regions_of(self, page):
        """Region paths (province first) the page belongs to."""
        if isinstance(page, FarmBrandPage):
            return [page.region.ancestors_and_self()]
        if isinstance(page, PolicyNewsPage):
            return [r.ancestors_and_self() for r in page.regions.all()]
        brand = self.brand_of(page)
        return [brand.region.ancestors_and_self()] if brand else []


def load_pages(page_ids=None, models=None):
    pages = []
    for model in models or SEARCHABLE_MODELS.values():
        qs = _queryset(model)
        if page_ids is not None:
            qs = qs.filter(pk__in=page_ids)
        pages.extend(qs)
    return pages


def build_documents(pages):
    context = BatchContext(pages)
    return {page.pk: DiscoveryDocument.from_page(page, context) for page in pages}


def iter_document_batches(batch_size=500):
    """Every document the index should hold, in batches, for rebuilds and checks."""
    for model in SEARCHABLE_MODELS.values():
        ids = list(_queryset(model).order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), batch_size):
            yield build_documents(load_pages(ids[start : start + batch_size], models=[model]))


# --- writing ------------------------------------------------------------------------------


def bulk_actions(docs_by_id, deleted_ids=(), index=None):
    index = index or engine.alias_name()
    for page_id, doc in docs_by_id.items():
        yield {"_op_type": "index", "_index": index, "_id": page_id, "_source": doc}
    for page_id in deleted_ids:
        yield {"_op_type": "delete", "_index": index, "_id": page_id}


def write(client, docs_by_id, deleted_ids=(), index=None, refresh=False):
    """One bulk request; a delete of a document that is not there is fine, anything else raises."""
    _, errors = helpers.bulk(
        client, bulk_actions(docs_by_id, deleted_ids, index), raise_on_error=False, refresh=refresh, chunk_size=500
    )
    real_errors = [e for e in errors if e.get("delete", {}).get("status") != 404]
    if real_errors:
        raise IndexingError(real_errors[:3])


class IndexingError(Exception):
    """The engine answered but refused some documents."""


def sync_pages(client, page_ids, refresh=False):
    """Make the index match the database for these pages: index the visible ones, delete the rest."""
    page_ids = set(page_ids)
    docs = build_documents(load_pages(page_ids))
    write(client, docs, page_ids - docs.keys(), refresh=refresh)
    return len(docs), len(page_ids - docs.keys())


def process_outbox(limit=500, ignore_schedule=False, row_ids=None, refresh=False):
    """Apply up to `limit` due outbox rows. Returns (applied rows, failed rows)."""
    client = engine.get_client()
    if client is None:
        return 0, 0
    rows = IndexOutbox.objects.all() if ignore_schedule else IndexOutbox.objects.due()
    if row_ids is not None:
        rows = rows.filter(id__in=row_ids)
    rows = list(rows.order_by("id").values_list("id", "page_id")[:limit])
    if not rows:
        return 0, 0
    ids = [row_id for row_id, _ in rows]
    try:
        sync_pages(client, {page_id for _, page_id in rows}, refresh=refresh)
    except (*engine.ENGINE_ERRORS, IndexingError) as error:
        logger.warning("search indexing failed for %d outbox rows; will retry: %s", len(ids), error)
        IndexOutbox.record_failure(ids, error)
        return 0, len(ids)
    # Only the rows read above: a change recorded meanwhile keeps its own row for the next pass.
    IndexOutbox.objects.filter(id__in=ids).delete()
    return len(ids), 0


# --- recording ----------------------------------------------------------------------------


def _apply_now(row_ids):
    global _circuit_open_until
    if not engine.is_configured() or time.monotonic() < _circuit_open_until:
        return
    _, failed = process_outbox(row_ids=row_ids, ignore_schedule=True)
    if failed:
        _circuit_open_until = time.monotonic() + _CIRCUIT_OPEN_SECONDS


def enqueue(page_ids, action=IndexOutbox.Action.INDEX):
    """Record pages to re-index in the current transaction, and try them right after it commits."""
    page_ids = sorted(set(page_ids))
    if not page_ids:
        return
    rows = IndexOutbox.objects.bulk_create([IndexOutbox(page_id=pid, action=action) for pid in page_ids])
    # Databases that do not return ids from bulk_create leave the rows to the worker.
    row_ids = [row.pk for row in rows if row.pk is not None]
    if row_ids:
        transaction.on_commit(lambda: _apply_now(row_ids))


def searchable_descendant_ids(page, inclusive=True):
    qs = Page.objects.descendant_of(page, inclusive=inclusive).type(*SEARCHABLE_MODELS.values())
    return list(qs.values_list("pk", flat=True))


def pages_showing_brand(brand_ids):
    brand_ids = list(brand_ids)
    ids = set(BrandStoryPage.objects.filter(brand_id__in=brand_ids).values_list("pk", flat=True))
    ids |= set(BroadcastReplayPage.objects.filter(brand_id__in=brand_ids).values_list("pk", flat=True))
    paths = FarmBrandPage.objects.filter(pk__in=brand_ids).values_list("path", flat=True)
    if paths:
        products = Q()
        for path in paths:
            products |= Q(path__startswith=path, depth__gt=len(path) // Page.steplen)
        ids |= set(ProductPage.objects.filter(products).values_list("pk", flat=True))
    return ids | set(brand_ids)


def pages_in_regions(region):
    regions = [region.pk]
    regions += list(Region.objects.filter(Q(parent=region) | Q(parent__parent=region)).values_list("pk", flat=True))
    brand_ids = set(FarmBrandPage.objects.filter(region_id__in=regions).values_list("pk", flat=True))
    ids = pages_showing_brand(brand_ids)
    ids |= set(PolicyNewsPage.objects.filter(regions__in=regions).values_list("pk", flat=True))
    return ids


def pages_of_category(category):
    return set(ProductPage.objects.filter(category=category).values_list("pk", flat=True))


def pages_of_certification(certification):
    return set(ProductPage.objects.filter(certifications=certification).values_list("pk", flat=True))
