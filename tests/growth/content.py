"""Small and large variants of the pages whose cost could grow with their content, built fast.

Shared by tests/growth/ (query counts held flat) and bench/growth.py (render-time ratios). Large
variants are written with bulk inserts rather than one publish per row: 500 products published one
by one would take most of a test run, and what is measured is the page that shows them.
"""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from wagtail.models import Page

from brands import transparency
from brands.models import Batch, ProductPage, ProvenanceEvent
from brands.seal import (
    CANONICAL_VERSION,
    GENESIS,
    batch_identity,
    canonical_bytes,
    canonical_payload,
    compute_seal,
    verify_chain,
)
from feedback.models import Review, Status
from stories.models import BroadcastChapter
from tests import factories

# The sizes issue 19 names: (small, large).
SIZES = {
    "brand products": (5, 500),
    "product reviews": (3, 3000),
    "replay chapters": (4, 200),
    "trace events": (7, 700),
}


def bulk_children(parent, instances):
    """Append `instances` (unsaved pages of one specific model) under `parent` as live pages.

    The base page rows go through bulk_create (ids from the database), the specific table through one
    executemany; tree paths are computed as treebeard computes them, and the parent's numchild fixed.
    """
    model = type(instances[0])
    last = parent.get_last_child()
    number = int(last.path[-Page.steplen :], 36) if last else 0
    content_type = ContentType.objects.get_for_model(model)
    now = timezone.now()
    bases = []
    for i, page in enumerate(instances, start=number + 1):
        page.path = Page._get_path(parent.path, parent.depth + 1, i)
        page.depth = parent.depth + 1
        page.numchild = 0
        page.live = True
        page.locale_id = parent.locale_id
        page.content_type = content_type
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.draft_title = page.title
        page.first_published_at = page.last_published_at = now
        base = Page(**{f.attname: getattr(page, f.attname) for f in Page._meta.concrete_fields if f.attname != "id"})
        bases.append(base)
    Page.objects.bulk_create(bases, batch_size=500)
    fields = model._meta.local_concrete_fields
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )
    for page, base in zip(instances, bases, strict=True):
        page.pk = page.id = page.page_ptr_id = base.pk
    rows = [[f.get_db_prep_save(getattr(page, f.attname), connection) for f in fields] for page in instances]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(instances))
    parent.numchild += len(instances)
    return instances


def brand_with_products(tree, region, category, count):
    brand = factories.make_brand(tree.brands, region=region)
    bulk_children(
        brand,
        [
            ProductPage(
                title=f"五常大米{i}",
                slug=f"rice-{i}",
                category=category,
                summary="稻花香2号，一年一季",
                description="<p>当季新米。</p>",
                price="89.00",
                unit="5 kg",
                season_start=9,
                season_end=11,
                sales_volume=i,
            )
            for i in range(count)
        ],
    )
    return brand


def product_with_reviews(brand, count):
    product = factories.make_product(brand)
    now = timezone.now()
    Review.objects.bulk_create(
        [
            Review(
                product=product,
                rating=2 + i % 4,
                title=f"好吃{i}",
                body="米粒饱满，煮饭很香。",
                display_name=f"王{i}",
                email=f"r{i}@example.com",
                status=Status.APPROVED,
                confirmed_at=now,
                moderated_at=now,
                created_at=now - datetime.timedelta(minutes=i),
            )
            for i in range(count)
        ],
        batch_size=1000,
    )
    return product


def replay_with_chapters(tree, brand, product, count):
    replay = factories.make_broadcast(tree.replays, brand=brand, duration_seconds=60 * (count + 1))
    BroadcastChapter.objects.bulk_create(
        [
            BroadcastChapter(page=replay, sort_order=i, start_seconds=60 * i, title=f"第{i}段", product=product)
            for i in range(count)
        ]
    )
    return replay


def batch_with_events(product, region, count):
    """A batch whose `count` events are sealed into one chain, with the seals seal_batch() would give them.

    The seals are computed here and written with one bulk_update: seal_batch() saves event by event,
    and each save costs work proportional to the batch's events (about count² queries in all; 700
    events take minutes), which is the admin's sealing cost, not the trace page's.
    """

    batch = Batch.objects.create(
        product=product,
        quantity=500,
        unit="kg",
        harvest_date=(timezone.now() - datetime.timedelta(days=20)).date(),
        status=Batch.Status.AVAILABLE,
    )
    start = timezone.now() - datetime.timedelta(days=count + 30)
    # Planting first and harvest last, inspections between (they may happen at any time): a valid timeline.
    stage = ProvenanceEvent.Stage

    def stage_of(i):
        return stage.PLANTING if i == 0 else stage.HARVEST if i == count - 1 else stage.INSPECTION

    ProvenanceEvent.objects.bulk_create(
        [
            ProvenanceEvent(
                batch=batch,
                stage=stage_of(i),
                occurred_at=start + datetime.timedelta(days=i, minutes=i),
                region=region,
                actor="合作社收获组",
                note=f"记录{i}",
            )
            for i in range(count)
        ]
    )
    previous, sealed_at = GENESIS, timezone.now().replace(microsecond=0)
    events = list(
        batch.events.select_related("region__parent__parent", "batch")
        .prefetch_related("evidence")
        .order_by("occurred_at")
    )
    identity = batch_identity(batch)
    for sequence, event in enumerate(events, start=1):
        event.sequence, event.sealed_at, event.previous_seal = sequence, sealed_at, previous
        event.canonical_version = CANONICAL_VERSION
        event.canonical = canonical_bytes(canonical_payload(event, identity)).decode("utf-8")
        event.seal = previous = compute_seal(event, previous)
    fields = ["sequence", "sealed_at", "previous_seal", "canonical_version", "canonical", "seal"]
    ProvenanceEvent.objects.bulk_update(events, fields, batch_size=500)
    for event in events:  # into the transparency log, and a signed checkpoint, as sealing does
        transparency.append_event(event)
    transparency.sign_checkpoint(force=True)
    assert verify_chain(batch).ok
    return batch


@dataclass
class Growth:
    """URLs of each page in its small and its large variant: {name: (small url, large url)}."""

    urls: dict


def build(tree=None):
    """Every small and large variant, in one site."""
    tree = tree or factories.make_site_tree()
    region = factories.make_region(name="黑龙江省", name_en="Heilongjiang", code="230000", slug="heilongjiang")
    category = factories.make_category(name="大米", name_en="Rice", slug="rice")
    urls = {}
    small, large = SIZES["brand products"]
    urls["brand products"] = tuple(brand_with_products(tree, region, category, n).url for n in (small, large))
    brand = factories.make_brand(tree.brands, region=region)
    urls["product reviews"] = tuple(product_with_reviews(brand, n).url for n in SIZES["product reviews"])
    product = factories.make_product(brand)
    urls["replay chapters"] = tuple(replay_with_chapters(tree, brand, product, n).url for n in SIZES["replay chapters"])
    urls["trace events"] = tuple(
        f"/trace/{batch_with_events(product, region, n).display_code}/" for n in SIZES["trace events"]
    )
    return Growth(urls=urls)
