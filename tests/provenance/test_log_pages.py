"""The log on the public surface: what the trace page checks and at what cost, the endpoints, labels,
/healthz, the page cache, and privacy of restricted products."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from brands import transparency
from brands.seal import seal_batch
from brands.views import label_fragment
from home import cache as page_cache

from .conftest import add_photo, make_batch, make_event
from .surfaces import trace_verify

pytestmark = pytest.mark.django_db


def sealed_batch_of(product, events):
    batch = make_batch(product)
    for n in range(events):
        event = make_event(batch, "growing", days_ago=100 - n, note=f"第{n}次巡田")
        add_photo(event)
    seal_batch(batch)
    transparency.sign_checkpoint()
    return batch


def test_a_trace_view_makes_the_same_number_of_queries_for_2_or_12_events(client, product):
    """The chain and every inclusion proof are checked in a fixed number of queries (no N+1), and no file is read."""
    small, large = sealed_batch_of(product, 2), sealed_batch_of(product, 12)
    counts = []
    for batch in (small, large):
        client.get(f"/trace/{batch.display_code}/")  # warm Wagtail's site and locale caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/trace/{batch.display_code}/")
        assert response.status_code == 200 and "seal--ok" in response.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    for batch in (small, large):  # files are not read: bytes changed on disk do not change the view's verdict
        evidence = batch.events.get(sequence=1).evidence.get()
        with evidence.image.file.open("wb") as handle:
            handle.write(b"changed")
        assert "seal--ok" in client.get(f"/trace/{batch.display_code}/").content.decode()
    print(f"queries per trace view: {counts[0]}")  # noqa: T201 - the figure the README quotes


def test_the_page_says_what_it_checked(client, sealed_batch):
    """The verified box names the signed checkpoint, shows the sealed facts, and when files were last re-hashed."""
    body = client.get(f"/en/trace/{sealed_batch.display_code}/").content.decode()
    size = transparency.LogCheckpoint.objects.latest_signed().size
    assert f"checkpoint of {size} entries was signed" in body
    assert "GTIN" in body or "Brand" in body
    assert "have not been re-hashed yet" in body
    trace_verify("--files")
    body = client.get(f"/en/trace/{sealed_batch.display_code}/").content.decode()
    assert "Evidence files were last re-hashed" in body


def test_log_endpoints_are_public_and_cacheable(client, sealed_batch):
    """Checkpoint (text), key, inclusion and consistency proofs; proofs of a signed size are cached for a year."""
    checkpoint = client.get("/trace/log/checkpoint")
    assert checkpoint.status_code == 200 and "public" in checkpoint["Cache-Control"]
    size = int(checkpoint.content.decode().split("\n")[1])
    assert client.get("/trace/log/key").content.decode().startswith("farmcast.test/provenance+")
    inclusion = client.get(f"/trace/log/inclusion/0/{size}/")
    assert inclusion.status_code == 200 and "immutable" in inclusion["Cache-Control"]
    assert inclusion.json()["leaf"].startswith("farmcast/provenance/event\n")
    assert client.get(f"/trace/log/consistency/1/{size}/").status_code == 200
    assert client.get(f"/trace/log/inclusion/0/{size + 1}/").status_code == 404  # never a proof for an unsigned size
    assert client.get(f"/trace/log/consistency/{size}/1/").status_code == 404


def test_the_label_qr_carries_the_log_state_and_the_page_checks_it(admin_client, client, sealed_batch):
    """Labels print ?log=SIZE.ROOT; the page confirms today's log extends it, or says the two disagree."""
    sheet = admin_client.get(reverse("provenance_batch_labels", args=[sealed_batch.pk])).content.decode()
    checkpoint = transparency.LogCheckpoint.objects.latest_signed()
    fragment = label_fragment(checkpoint)
    assert f"?log={fragment}" in sheet
    make_event(sealed_batch, "shipping", days_ago=10)
    seal_batch(sealed_batch)
    transparency.sign_checkpoint()
    good = client.get(f"/en/trace/{sealed_batch.display_code}/", {"log": fragment}).content.decode()
    assert f"extends the log state in this link ({checkpoint.size} entries" in good
    forged = fragment[:-4] + ("AAAA" if not fragment.endswith("AAAA") else "BBBB")
    bad = client.get(f"/en/trace/{sealed_batch.display_code}/", {"log": forged})
    body = bad.content.decode()
    assert "Does not match this link" in body and bad["Cache-Control"] == "no-store"
    assert "seal--broken" in body and "Verified" in body  # the chain's own verdict stands beside it


def test_a_crafted_log_value_gets_a_message_that_claims_only_what_was_checked(client, settings, sealed_batch, product):
    """Garbled ?log= values: 200, "cannot be read, not checked"; a well-formed foreign state: "does not match this
    link", never "history rewritten"; neither purges cached pages, since anyone can type them."""
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    other = sealed_batch_of(product, 1)
    cached = f"/trace/{other.display_code}/"
    client.get(cached)
    url = f"/en/trace/{sealed_batch.display_code}/"
    size = transparency.LogCheckpoint.objects.latest_signed().size
    garbled = ["", "x.y", "-1." + "A" * 43, "9" * 5000 + "." + "A" * 43, "中.文", "4." + "A" * 42, "4." + "*" * 43]
    for value in garbled:
        response = client.get(url, {"log": value})
        body = response.content.decode()
        assert response.status_code == 200, value
        assert "cannot be read" in body and "so it was not checked" in body, value
        assert "Does not match this link" not in body and "seal--ok" in body, value
        data = client.get(url, {"log": value, "format": "json"}).json()["label_check"]
        assert data == {"size": None, "readable": False, "consistent": None}, value
    for value in (f"{size}." + "B" * 43, f"{size + 5}." + "B" * 43, "1." + "B" * 43):
        body = client.get(url, {"log": value}).content.decode()
        assert "Does not match this link" in body and "not part of the log this site signs today" in body, value
        assert "may have been rewritten" in body and "typed or changed by hand" in body, value
    assert client.get(cached)[page_cache.HEADER] == "hit"  # nothing was purged by what a visitor typed


def test_healthz_reports_the_last_full_check_and_its_breaks(client, sealed_batch):
    """/healthz: the signed checkpoint, and the last trace_verify --files run with what it found broken."""
    health = client.get("/healthz").json()["provenance"]
    assert health["checkpoint"]["size"] >= 4 and health["last_full_check"] is None
    evidence = sealed_batch.events.get(sequence=2).evidence.get()
    with evidence.image.file.open("wb") as handle:
        handle.write(b"changed")
    trace_verify("--files")
    health = client.get("/healthz").json()["provenance"]
    assert health["status"] == "broken"
    assert health["last_full_check"]["broken"][0]["lot"] == sealed_batch.lot_code


def test_a_failed_verification_is_never_cached_and_purges_cached_trace_pages(client, settings, sealed_batch, product):
    """A cached 'verified' page of one batch is dropped as soon as any trace view fails verification."""
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    other = sealed_batch_of(product, 1)
    url = f"/trace/{other.display_code}/"
    client.get(url)
    assert client.get(url)[page_cache.HEADER] == "hit"
    with connection.cursor() as cursor:
        cursor.execute("UPDATE brands_provenanceevent SET note = 'x' WHERE batch_id = %s", [sealed_batch.pk])
    broken = client.get(f"/trace/{sealed_batch.display_code}/")
    assert broken["Cache-Control"] == "no-store"
    assert client.get(url)[page_cache.HEADER] != "hit"
    cache.clear()


def test_batches_of_products_under_a_restricted_brand_are_private(client, sealed_batch, brand):
    """A login restriction on the brand page (inherited by the product) hides page, JSON, QR, bundle and sitemap entry."""
    PageViewRestriction.objects.create(page=brand, restriction_type=PageViewRestriction.LOGIN)
    code = sealed_batch.display_code
    for url in (
        f"/trace/{code}/",
        f"/trace/{code}/?format=json",
        f"/trace/{code}/qr.svg",
        f"/trace/{code}/bundle.json",
    ):
        assert client.get(url).status_code == 404, url
    assert code not in client.get("/sitemap.xml").content.decode()
    leaf = client.get("/trace/log/inclusion/0/1/").json()["leaf"]
    assert sealed_batch.lot_code not in leaf and "五常" not in leaf  # the log reveals only hashes
