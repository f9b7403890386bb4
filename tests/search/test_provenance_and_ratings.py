"""Provenance (batches, events, certificates) and ratings in the product's discovery document, on the real engine."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from brands.models.provenance import Batch, Certificate, ProvenanceEvent
from feedback.models import Review, Status
from search import engine
from search.indexing import build_documents, load_pages
from search.models import IndexOutbox
from tests import factories
from tests.search.helpers import engine_answered

pytestmark = [pytest.mark.engine, pytest.mark.django_db]

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def make_batch(product, **kw):
    kw.setdefault("quantity", Decimal("500"))
    kw.setdefault("unit", "kg")
    kw.setdefault("harvest_date", datetime.date(TODAY.year - 1, 10, 5))
    return Batch.objects.create(product=product, **kw)


def make_event(batch, region, stage="harvest", **kw):
    kw.setdefault("occurred_at", timezone.now() - datetime.timedelta(days=30))
    kw.setdefault("actor", "合作社收获组")
    return ProvenanceEvent.objects.create(batch=batch, region=region, stage=stage, **kw)


def make_certificate(kind, valid_from=TODAY - 300 * DAY, valid_to=TODAY + 60 * DAY, **holder):
    return Certificate.objects.create(
        certification_type=kind, number="CN-001", issuer="认证中心", valid_from=valid_from, valid_to=valid_to, **holder
    )


def review(product, rating, **kw):
    kw.setdefault("status", Status.APPROVED)
    kw.setdefault("confirmed_at", timezone.now())
    return Review.objects.create(
        product=product, rating=rating, title="好", body="很香", display_name="王", email="b@example.com", **kw
    )


def search(client, **params):
    return engine_answered(client.get(reverse("search:search"), params))


def hits(response):
    return response.context["results"].hits


def source(search_engine, page):
    return search_engine.get(index=engine.alias_name(), id=page.pk)["_source"]


def facet(response, name):
    return {o["value"]: o["count"] for f in response.context["facets"] if f["name"] == name for o in f["options"]}


# --- lot codes, harvest months, places -------------------------------------------------------


@pytest.mark.parametrize("typed", ["display", "compact", "lower", "spaced"])
def test_lot_code_finds_its_product_and_links_to_the_trace_page(client, product, index_now, typed):
    """A lot code typed with or without its dash (or in lower case) finds the product, linked to /trace/<lot>/."""
    batch = make_batch(product)
    index_now()
    code = batch.display_code  # e.g. WC7K-3MXP
    query = {
        "display": code,
        "compact": batch.lot_code,
        "lower": code.lower(),
        "spaced": code.replace("-", " "),
    }[typed]
    response = search(client, q=query)
    first = hits(response)[0]
    assert first["title"] == "五常大米"
    trace_url = reverse("trace:batch", kwargs={"code": code})
    assert first["trace_url"] == trace_url == f"/trace/{code}/"
    assert f'href="{trace_url}">批次 {code} 的溯源信息</a>' in response.content.decode()


def test_a_product_search_without_a_lot_code_has_no_trace_link(client, product, index_now):
    """Only a lot-code query adds the trace link; an ordinary query leaves the hit as it was."""
    make_batch(product)
    index_now()
    first = hits(search(client, q="五常大米"))[0]
    assert first["title"] == "五常大米" and "trace_url" not in first


def test_saving_a_batch_or_event_enqueues_the_product(product, region, search_engine):
    """A new batch, a new event and a deleted batch each record the product in the outbox."""
    IndexOutbox.objects.all().delete()
    batch = make_batch(product)
    assert list(IndexOutbox.objects.values_list("page_id", flat=True)) == [product.pk]
    IndexOutbox.objects.all().delete()
    make_event(batch, region)
    assert list(IndexOutbox.objects.values_list("page_id", flat=True)) == [product.pk]
    IndexOutbox.objects.all().delete()
    batch.delete()  # cascades to its event, which finds no batch left and enqueues nothing more
    assert set(IndexOutbox.objects.values_list("page_id", flat=True)) == {product.pk}


def test_harvest_months_and_event_places_are_searchable(client, product, region, index_now, search_engine):
    """Batches add their harvest months; events add their places, so a search for the place finds the product."""
    town = factories.make_region(name="拉林镇", name_en="Lalin", slug="lalin", parent=region)
    batch = make_batch(product, harvest_date=datetime.date(TODAY.year - 1, 9, 28))
    make_batch(product, harvest_date=datetime.date(TODAY.year - 1, 10, 12))
    make_event(batch, town)
    index_now()
    doc = source(search_engine, product)
    assert doc["harvest_months"] == [9, 10]
    assert town.code in doc["event_region_codes"] and region.code in doc["event_region_codes"]
    assert "五常大米" in [h["title"] for h in hits(search(client, q="拉林镇"))]
    assert "五常大米" in [h["title"] for h in hits(search(client, q="Lalin"))]


def test_a_corrected_event_gives_way_to_its_correction(product, region, index_now, search_engine):
    """When an event is corrected, the correction's place counts and the corrected one's does not."""
    wrong = factories.make_region(name="错误村", slug="wrong", parent=region)
    right = factories.make_region(name="正确村", slug="right", parent=region)
    batch = make_batch(product)
    first = make_event(batch, wrong)
    make_event(batch, right, corrects=first)
    index_now()
    places = source(search_engine, product)["event_places"]
    assert "正确村" in places and "错误村" not in places


# --- certificates and the certification facet ------------------------------------------------


def test_certification_facet_is_valid_certificates_plus_declarations_not_lapsed(
    client, brand, category, index_now, search_engine
):
    """Valid certificates add their type; a declared type stays unless its certificates all expired."""
    organic = factories.make_certification(slug="organic")
    gi = factories.make_certification(slug="gi")
    green = factories.make_certification(slug="green")
    product = factories.make_product(brand, title="认证大米", category=category, certifications=[gi, green])
    make_certificate(organic, product=product)  # valid today: counts, though not declared
    make_certificate(gi, valid_from=TODAY - 800 * DAY, valid_to=TODAY - DAY, product=product)  # expired: drops gi
    index_now()  # green: declared, no certificate on record, so the editor's word stands

    doc = source(search_engine, product)
    assert doc["certifications"] == ["green", "organic"]
    assert doc["verified_certifications"] == ["organic"]
    assert facet(search(client, q="认证大米"), "certification") == {"green": 1, "organic": 1}
    assert [h["title"] for h in hits(search(client, q="认证大米", certification="organic"))] == ["认证大米"]
    assert hits(search(client, q="认证大米", certification="gi")) == []


def test_renewing_or_deleting_a_certificate_reindexes_the_product(brand, category, index_now, search_engine):
    """Saving a certificate enqueues its product; a renewed certificate brings its type back."""
    gi = factories.make_certification(slug="gi")
    product = factories.make_product(brand, title="续证大米", category=category, certifications=[gi])
    certificate = make_certificate(gi, valid_from=TODAY - 800 * DAY, valid_to=TODAY - DAY, product=product)
    index_now()
    assert "certifications" not in source(search_engine, product)

    certificate.valid_to = TODAY + 365 * DAY
    certificate.save()
    assert IndexOutbox.objects.filter(page_id=product.pk).exists()
    index_now()
    assert source(search_engine, product)["certifications"] == ["gi"]

    certificate.delete()  # no certificate on record: the declaration alone stands
    index_now()
    doc = source(search_engine, product)
    assert doc["certifications"] == ["gi"] and "verified_certifications" not in doc


def test_a_brand_certificate_counts_for_every_product_of_the_brand(brand, category, index_now, search_engine):
    """A certificate held by the brand puts its type on each of the brand's products."""
    organic = factories.make_certification(slug="organic")
    products = [factories.make_product(brand, title=f"品牌认证{n}", category=category) for n in range(2)]
    index_now()
    make_certificate(organic, brand=brand)
    assert {p.pk for p in products} <= set(IndexOutbox.objects.values_list("page_id", flat=True))
    index_now()
    for product in products:
        assert source(search_engine, product)["verified_certifications"] == ["organic"]


# --- ratings ---------------------------------------------------------------------------------


def test_rating_sort_orders_by_average_then_count_and_results_show_it(client, brand, category, index_now):
    """sort=rating puts the best-rated first, unrated last, and each result shows its stars and count."""
    best = factories.make_product(brand, title="好评米", category=category)
    good = factories.make_product(brand, title="中评米", category=category)
    factories.make_product(brand, title="无评米", category=category)
    for stars in (5, 4):
        review(best, stars)
    for stars in (4, 3, 2):
        review(good, stars)
    review(good, 5, status=Status.PENDING)  # not approved: does not count
    index_now()
    response = search(client, q="米", type="product", sort="rating")
    assert [h["title"] for h in hits(response)] == ["好评米", "中评米", "无评米"]
    assert [(h.get("rating"), h.get("review_count")) for h in hits(response)] == [(4.5, 2), (3.0, 3), (None, None)]
    assert "4.5 分（满分 5 分，2 条评价）" in response.content.decode()  # the default language is Chinese


def test_approving_and_deleting_a_review_update_the_rating(product, index_now, search_engine):
    """A review's save and delete enqueue its product; approval changes the average, deletion removes it."""
    index_now()
    pending = review(product, 2, status=Status.PENDING)
    assert IndexOutbox.objects.filter(page_id=product.pk).exists()
    index_now()
    assert "rating" not in source(search_engine, product)
    pending.status = Status.APPROVED
    pending.save()
    index_now()
    assert (source(search_engine, product)["rating"], source(search_engine, product)["review_count"]) == (2.0, 1)
    pending.delete()
    index_now()
    assert "rating" not in source(search_engine, product)


def test_document_preparation_makes_the_same_queries_for_3_and_20_products(brand, category, region):
    """Batches, events, certificates and ratings are fetched per batch of pages, not per page (no N+1)."""
    organic = factories.make_certification(slug="organic")
    make_certificate(organic, brand=brand)

    def add_products(n):
        for _ in range(n):
            product = factories.make_product(brand, category=category, certifications=[organic])
            make_event(make_batch(product), region)
            make_certificate(organic, product=product)
            review(product, 4)

    def queries_to_prepare():
        pages = load_pages()
        with CaptureQueriesContext(connection) as captured:
            docs = build_documents([p for p in pages if type(p).__name__ == "ProductPage"])
        assert all(doc.get("lot_codes") and doc.get("rating") for doc in docs.values())
        return len(captured), len(docs)

    add_products(3)
    # Wagtail caches the site root paths (page URLs need them) per process: the first call may read them,
    # a fixed cost whatever the number of pages, so both counts are taken warm.
    queries_to_prepare()
    few, three = queries_to_prepare()
    add_products(17)
    many, twenty = queries_to_prepare()
    assert (three, twenty) == (3, 20)
    assert few == many  # no N+1


def test_search_response_reports_server_timing(client, product, index_now):
    """The search page tells the browser (and make bench) the engine's own time in Server-Timing."""
    index_now()
    timing = search(client, q="五常大米")["Server-Timing"]
    assert 'search;desc="engine"' in timing and "engine;dur=" in timing
