"""Keeping the discovery index current: the outbox written with each change, and applying it.

Why an outbox table rather than a django-tasks task per change: a row per page is idempotent
(the worker reads the page's current state, so order and duplicates do not matter), rows for the
same page collapse into one bulk request, `search_check` and an operator can see the backlog with
a plain query, and the test settings' ImmediateBackend would run tasks inside the very
transaction whose durability we need to prove.
"""

import logging
import multiprocessing
import os
import re
import time
from collections import defaultdict, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

from brands.models import FarmBrandPage, ProductPage
from brands.models.provenance import Batch, Certificate, ProvenanceEvent
from feedback.ratings import ratings_for
from site_content.models import CertificationType, Region
from stories.models import BrandStoryPage, BroadcastCaptionTrack, BroadcastReplayPage, PolicyNewsPage

from . import engine
from .documents import SEARCHABLE_MODELS, DiscoveryDocument
from .models import IndexOutbox
from .text import pinyin_forms, segmented, to_simplified

logger = logging.getLogger("farmcast.search")

# After a failed immediate apply, leave the engine alone for a while: the worker retries, and a
# publish in the admin must not wait on an engine that is down.
_CIRCUIT_OPEN_SECONDS = 30
_circuit_open_until = 0.0


# A page path reverse("wagtail_serve") accepts and leaves as it is (see BatchContext.url_of).
_PLAIN_PATH = re.compile(r"(?:[A-Za-z0-9_-]+/)*")

# Pages per batch in rebuilds and checks: the queries per batch are constant, so bigger batches
# cost fewer queries per page; one bulk request per batch stays a few megabytes.
REBUILD_BATCH_SIZE = 1000


# --- loading pages with everything their documents need, in a constant number of queries ------


def _queryset(model):
    qs = model.objects.live().public()
    if model is FarmBrandPage:
        return qs.select_related("region__parent__parent").prefetch_related("tags")
    if model is ProductPage:
        # Declared certifications come from BatchContext (one query for the batch): modelcluster's
        # manager built a queryset per page even over a prefetch.
        return qs.select_related("category")
    if model is BroadcastReplayPage:
        # Chapters and caption files (with their documents) for the moments; the locale picks the
        # caption track whose lines become the transcript.
        return qs.select_related("locale").prefetch_related(
            "chapters", Prefetch("caption_tracks", queryset=BroadcastCaptionTrack.objects.select_related("file"))
        )
    if model is PolicyNewsPage:
        return qs.prefetch_related(Prefetch("regions", queryset=Region.objects.select_related("parent__parent")))
    return qs


@dataclass
class Provenance:
    """What a product's batches, events and certificates add to its document."""

    lot_codes: set = field(default_factory=set)
    harvest_months: set = field(default_factory=set)
    event_regions: list = field(default_factory=list)  # region paths, province first
    valid_types: dict = field(default_factory=dict)  # CertificationType pk -> type, valid today
    lapsed_types: dict = field(default_factory=dict)  # types on record with no certificate valid today


NO_PROVENANCE = Provenance()
# What a product's, story's or broadcast's document takes from its brand (see BatchContext.brand_of).
BRAND_FIELDS = (
    "id",
    "path",
    "depth",
    "title",
    "translation_key",
    "locale_id",
    "content_type_id",
    "logo_id",
    "hero_image_id",
    "region",  # with its parent and grandparent, whole (select_related)
)
NO_RATING = {"average": None, "count": 0}


class BatchContext:
    """What the documents of a batch of pages share: locales, brands (with their regions), and for
    products their provenance and ratings; a constant number of queries whatever the batch size."""

    def __init__(self, pages):
        self.locales = dict(Locale.objects.values_list("id", "language_code"))
        self._regions = {}
        self._certification_types = {}
        self._serve_prefixes = {}
        self._single_site = None
        parent_paths = {p.path[: -Page.steplen] for p in pages if isinstance(p, ProductPage)}
        brand_ids = {p.brand_id for p in pages if isinstance(p, BrandStoryPage | BroadcastReplayPage) and p.brand_id}
        self._by_path, self._by_id = {}, {}
        if parent_paths or brand_ids:
            # Only what the documents show of a brand: a brand page's story and other fields are
            # the largest part of loading it, and a batch of stories may name hundreds of brands.
            brands = (
                FarmBrandPage.objects.filter(Q(path__in=parent_paths) | Q(pk__in=brand_ids))
                .select_related("region__parent__parent")
                .only(*BRAND_FIELDS)
            )
            for brand in brands:
                self._by_path[brand.path] = brand
                self._by_id[brand.pk] = brand
        self._translations = self._load_translations(pages)
        products = [p for p in pages if isinstance(p, ProductPage)]
        self._declared = self._load_declared_certifications(products) if products else {}
        self._provenance = self._load_provenance(products) if products else {}
        self._ratings = ratings_for(products) if products else {}

    @staticmethod
    def _load_translations(pages):
        """{translation key: [(locale id, title and description)]} of every live translation, in one query."""
        keys = {p.translation_key for p in pages}
        found = defaultdict(list)
        if keys:
            rows = Page.objects.live().filter(translation_key__in=keys)
            for key, locale_id, title, description in rows.values_list(
                "translation_key", "locale_id", "title", "search_description"
            ):
                found[key].append((locale_id, " ".join(filter(None, [title, description]))))
        return found

    def translations_of(self, page):
        """The titles and descriptions of the page's translations into the other languages."""
        return " ".join(
            text for locale_id, text in self._translations.get(page.translation_key, ()) if locale_id != page.locale_id
        )

    @staticmethod
    def _load_declared_certifications(products):
        """{product pk: [CertificationType, ...]}: the types editors ticked on each page."""
        through = ProductPage.certifications.through
        rows = through.objects.filter(productpage_id__in=[p.pk for p in products]).values_list(
            "productpage_id", "certificationtype_id"
        )
        rows = list(rows)
        kinds = CertificationType.objects.in_bulk({kind_id for _, kind_id in rows})
        declared = defaultdict(list)
        for page_id, kind_id in rows:
            declared[page_id].append(kinds[kind_id])
        return declared

    def _load_provenance(self, products):
        # Batches and certificates hang off one language's page; keyed by translation_key, they
        # count for every translation of the product (and certificates for every translation of the brand).
        keys = {p.translation_key for p in products}
        by_key = defaultdict(Provenance)
        batches = Batch.objects.filter(product__translation_key__in=keys).values_list(
            "product__translation_key", "lot_code", "harvest_date"
        )
        for key, code, harvested in batches:
            by_key[key].lot_codes.add(code)
            if harvested:
                by_key[key].harvest_months.add(harvested.month)
        # A corrected event is replaced by its correction, so only events nobody corrected count.
        events = (
            ProvenanceEvent.objects.filter(batch__product__translation_key__in=keys, corrections__isnull=True)
            .select_related("region__parent__parent")
            .annotate(product_key=F("batch__product__translation_key"))
        )
        seen = set()
        for event in events:
            if (event.product_key, event.region_id) not in seen:
                seen.add((event.product_key, event.region_id))
                by_key[event.product_key].event_regions.append(event.region.ancestors_and_self())

        brand_keys = {brand.translation_key for p in products if (brand := self.brand_of(p))}
        holders = Q(product__translation_key__in=keys) | Q(brand__translation_key__in=brand_keys)
        certificates = (
            Certificate.objects.filter(holders)
            .select_related("certification_type")
            .annotate(product_key=F("product__translation_key"), brand_key=F("brand__translation_key"))
        )
        valid_ids = set(Certificate.objects.valid().filter(holders).values_list("pk", flat=True))
        of_product, of_brand = defaultdict(list), defaultdict(list)
        for certificate in certificates:
            if certificate.product_key:
                of_product[certificate.product_key].append(certificate)
            else:
                of_brand[certificate.brand_key].append(certificate)

        result = {}
        for product in products:
            found = by_key.get(product.translation_key) or NO_PROVENANCE
            # A fresh object per page: translations share batches but each page gets its own record.
            provenance = Provenance(found.lot_codes, found.harvest_months, found.event_regions)
            brand = self.brand_of(product)
            certs = of_product[product.translation_key] + (of_brand[brand.translation_key] if brand else [])
            for certificate in certs:
                if certificate.pk in valid_ids:
                    provenance.valid_types[certificate.certification_type_id] = certificate.certification_type
            for certificate in certs:
                if certificate.certification_type_id not in provenance.valid_types:
                    provenance.lapsed_types[certificate.certification_type_id] = certificate.certification_type
            result[product.pk] = provenance
        return result

    def url_of(self, page):
        """page.get_url(), with the site root paths read once per batch instead of once per page.

        Passing this object as Wagtail's `request` makes it the cache for those paths (Page's
        documented way to avoid the repeated lookups); the rest is what Page.get_url() does.
        Reversing `wagtail_serve` was a third of a product's preparation, so for the usual slugs
        (ASCII letters, digits, - and _: what reverse() leaves unquoted) the language's prefix is
        reversed once per batch and the page's path appended; anything else takes Wagtail's path.
        """
        if self._single_site is None:
            self._single_site = len({root[0] for root in page._get_site_root_paths(self)}) == 1
        sites = page._get_relevant_site_root_paths(self)
        relative = page.url_path[len(sites[0].root_path) :] if sites else ""
        if not sites or type(page).get_url_parts is not Page.get_url_parts or not _PLAIN_PATH.fullmatch(relative):
            parts = page.get_url_parts(request=self)
            if parts is None or parts[1] is None and parts[2] is None:
                return None
            _, root_url, page_path = parts
        else:
            root_url, page_path = sites[0].root_url, self._serve_prefix(sites[0].language_code) + relative
        return page_path if self._single_site else root_url + page_path

    def _serve_prefix(self, language_code):
        """What reverse("wagtail_serve") puts before a page's path in this language ("/" or "/en/")."""
        if language_code not in self._serve_prefixes:
            if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
                self._serve_prefixes[language_code] = reverse("wagtail_serve", args=("",))
                return self._serve_prefixes[language_code]
            # As Page.get_url_parts: an active variant of the page's language is used instead.
            language = language_code
            try:
                if get_supported_content_language_variant(translation.get_language()) == language_code:
                    language = translation.get_language()
            except LookupError:
                pass
            with translation.override(language):
                self._serve_prefixes[language_code] = reverse("wagtail_serve", args=("",))
        return self._serve_prefixes[language_code]

    def brand_of(self, page):
        if isinstance(page, ProductPage):
            return self._by_path.get(page.path[: -Page.steplen])
        if isinstance(page, BrandStoryPage | BroadcastReplayPage):
            return self._by_id.get(page.brand_id)
        return None

    def regions_of(self, page):
        """Region paths (province first) the page belongs to; nine fields ask, so worked out once."""
        if page.pk not in self._regions:
            self._regions[page.pk] = self._region_paths(page)
        return self._regions[page.pk]

    def _region_paths(self, page):
        if isinstance(page, FarmBrandPage):
            return [page.region.ancestors_and_self()]
        if isinstance(page, PolicyNewsPage):
            return [r.ancestors_and_self() for r in page.regions.all()]
        brand = self.brand_of(page)
        return [brand.region.ancestors_and_self()] if brand else []

    def provenance_of(self, page):
        return self._provenance.get(page.pk, NO_PROVENANCE)

    def rating_of(self, page):
        return self._ratings.get(page.pk, NO_RATING)

    def certification_types_of(self, page):
        """The certification facet of a product: types with a certificate valid today, plus the types
        the editor declared on the page unless every certificate on record for that type has lapsed.

        A declaration without any certificate on record stays (as before certificates existed), but
        a certificate that expired is evidence the claim no longer holds, so it drops out.
        """
        if not isinstance(page, ProductPage):
            return []
        if page.pk not in self._certification_types:
            self._certification_types[page.pk] = self._certification_types_of(page)
        return self._certification_types[page.pk]

    def _certification_types_of(self, page):
        provenance = self.provenance_of(page)
        kinds = dict(provenance.valid_types)
        for kind in self._declared.get(page.pk, ()):
            if kind.pk not in provenance.lapsed_types:
                kinds.setdefault(kind.pk, kind)
        return sorted(kinds.values(), key=lambda kind: kind.slug)


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


def iter_document_batches(batch_size=REBUILD_BATCH_SIZE):
    """Every document the index should hold, in batches, for checks (rebuilds use bulk_load)."""
    for key, ids in rebuild_batches(batch_size):
        yield build_documents(load_pages(ids, models=[SEARCHABLE_MODELS[key]]))


# --- writing ------------------------------------------------------------------------------


def bulk_actions(docs_by_id, deleted_ids=(), index=None):
    index = index or engine.alias_name()
    for page_id, doc in docs_by_id.items():
        yield {"_op_type": "index", "_index": index, "_id": page_id, "_source": doc}
    for page_id in deleted_ids:
        yield {"_op_type": "delete", "_index": index, "_id": page_id}


def write(client, docs_by_id, deleted_ids=(), index=None, refresh=False):
    """One bulk request; a delete of a document that is not there is fine, anything else raises."""
    _, errors = engine.bulk(
        client,
        bulk_actions(docs_by_id, deleted_ids, index),
        raise_on_error=False,
        refresh=refresh,
        chunk_size=REBUILD_BATCH_SIZE,
    )
    real_errors = [e for e in errors if e.get("delete", {}).get("status") != 404]
    if real_errors:
        raise IndexingError(real_errors[:3])


class IndexingError(Exception):
    """The engine answered but refused some documents."""


def rebuild_batches(batch_size=REBUILD_BATCH_SIZE):
    """[(type key, page ids), ...]: every page the index should hold, in batches of one model."""
    batches = []
    for key, model in SEARCHABLE_MODELS.items():
        ids = list(_queryset(model).order_by("pk").values_list("pk", flat=True))
        batches += [(key, ids[start : start + batch_size]) for start in range(0, len(ids), batch_size)]
    return batches


def bulk_body(docs_by_id, index):
    """The NDJSON of one bulk request indexing these documents, as helpers.bulk would write it."""
    dumps = engine.dumps
    lines = []
    for page_id, doc in docs_by_id.items():
        lines.append(dumps({"index": {"_index": index, "_id": page_id}}))
        lines.append(dumps(doc))
    return ("\n".join(lines) + "\n").encode()


def _prepare_batch(task):
    """One batch's bulk request body and its document count; runs in a preparing process (or inline)."""
    key, ids, index = task
    docs = build_documents(load_pages(ids, models=[SEARCHABLE_MODELS[key]]))
    return len(docs), bulk_body(docs, index)


def _send_body(client, body):
    # Only the errors come back: the full answer for a thousand documents is a second JSON to parse.
    response = client.bulk(body=body, filter_path=["errors", "items.*.error"])
    if response.get("errors"):
        raise IndexingError(
            [item for item in response.get("items", []) if any("error" in v for v in item.values())][:3]
        )


def default_workers():
    """Preparing processes for a rebuild: one per core, at most four (each holds a database connection)."""
    return max(1, min(4, os.cpu_count() or 1))


def _workers_can_read_database():
    """Other processes see what this connection sees: no open transaction, no in-memory SQLite (tests)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.in_atomic_block:
        return False
    return not (connection.vendor == "sqlite" and connection.is_in_memory_db())


def _forget_inherited_connections():
    """In a preparing process: never talk on a database socket inherited from the parent.

    close_all() in the parent leaves a connection open when an earlier error marked it closed in a
    transaction; two children reading one socket get each other's rows (seen as a Decimal where a
    JSON column should be). Dropping the handle, not closing it, leaves the parent's session alone.
    """
    for connection in connections.all(initialized_only=True):
        connection.connection = None
        connection.closed_in_transaction = False


def bulk_load(client, index, batch_size=REBUILD_BATCH_SIZE, workers=None, on_batch=None, keep_bodies=None):
    """Write every document into `index` (a new one); returns how many were written.

    Preparing documents (database, segmentation, pinyin) is Python's work and indexing them the
    engine's. With `workers` > 1, forked processes (each with its own database connection) build
    batches and serialise them to bulk request bodies while this process sends the finished ones,
    so the cores are shared between preparing and the engine instead of taking turns; a few batches
    at most wait in memory. With one worker (or a database other processes cannot see, as in tests)
    batches are prepared here and a writer thread sends batch n while batch n+1 is built. Either
    way the bodies are the same bytes. `keep_bodies`, a list, receives every body sent (benchmarks).
    """
    workers = default_workers() if workers is None else workers
    tasks = [(key, ids, index) for key, ids in rebuild_batches(batch_size)]
    done = 0

    def sent(result):
        nonlocal done
        count, body = result
        if keep_bodies is not None:
            keep_bodies.append(body)
        done += count
        if on_batch:
            on_batch(done)

    if workers > 1 and len(tasks) > 1 and _workers_can_read_database():
        _warm_up()
        # Forked children would share this process's database socket: close it, each opens its own.
        connections.close_all()
        with multiprocessing.get_context("fork").Pool(workers, initializer=_forget_inherited_connections) as pool:
            pending = deque()
            for task in tasks:
                pending.append(pool.apply_async(_prepare_batch, (task,)))
                if len(pending) > 2 * workers:
                    result = pending.popleft().get()
                    _send_body(client, result[1])
                    sent(result)
            while pending:
                result = pending.popleft().get()
                _send_body(client, result[1])
                sent(result)
            # Let the children exit on their own (the context's terminate() kills them), so their
            # database sessions end before anyone drops or migrates the database.
            pool.close()
            pool.join()
        return done

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-bulk") as writer:
        pending = None
        for task in tasks:
            result = _prepare_batch(task)
            if pending is not None:
                sent(pending.result())
            pending = writer.submit(_send_and_return, client, result)
        if pending is not None:
            sent(pending.result())
    return done


def _warm_up():
    """Load the URL resolver and the text dictionaries before forking, so the children share them."""
    reverse("wagtail_serve", args=("",))
    pinyin_forms(segmented("五常大米"))
    to_simplified("臍橙")


def _send_and_return(client, result):
    _send_body(client, result[1])
    return result


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
    except (engine.EngineError, IndexingError) as error:
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


def product_translations(product_ids):
    """These product pages and every translation of them (batches and reviews count for all)."""
    keys = Page.objects.filter(pk__in=list(product_ids)).values("translation_key")
    return set(ProductPage.objects.filter(translation_key__in=keys).values_list("pk", flat=True))


def products_of_brands(brand_ids):
    """The products of these brands and of the brands' translations."""
    keys = Page.objects.filter(pk__in=list(brand_ids)).values("translation_key")
    paths = list(FarmBrandPage.objects.filter(translation_key__in=keys).values_list("path", flat=True))
    if not paths:
        return set()
    products = Q()
    for path in paths:
        products |= Q(path__startswith=path, depth=len(path) // Page.steplen + 1)
    return set(ProductPage.objects.filter(products).values_list("pk", flat=True))


def products_of_certificates(certificates):
    """Products whose certification facet these certificates (of products or of brands) can change."""
    product_ids = {c.product_id for c in certificates if c.product_id}
    brand_ids = {c.brand_id for c in certificates if c.brand_id}
    return product_translations(product_ids) | products_of_brands(brand_ids)


def pages_in_regions(region):
    regions = [region.pk]
    regions += list(Region.objects.filter(Q(parent=region) | Q(parent__parent=region)).values_list("pk", flat=True))
    brand_ids = set(FarmBrandPage.objects.filter(region_id__in=regions).values_list("pk", flat=True))
    ids = pages_showing_brand(brand_ids)
    ids |= set(PolicyNewsPage.objects.filter(regions__in=regions).values_list("pk", flat=True))
    # Products whose batches had an event there carry the region's name among their places.
    ids |= product_translations(
        ProvenanceEvent.objects.filter(region_id__in=regions).values_list("batch__product_id", flat=True)
    )
    return ids


def pages_of_category(category):
    return set(ProductPage.objects.filter(category=category).values_list("pk", flat=True))


def pages_of_certification(certification):
    ids = set(ProductPage.objects.filter(certifications=certification).values_list("pk", flat=True))
    return ids | products_of_certificates(Certificate.objects.filter(certification_type=certification))
