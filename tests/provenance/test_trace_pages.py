"""The public /trace/ pages: lookup flows, the batch page, its JSON, QR codes and GS1 links."""

import hashlib
import io
import json
import re
from datetime import timedelta
from unittest import mock

import pytest
import zxingcpp
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw
from wagtail.images import get_image_model

from brands.models.provenance import Certificate, EvidenceFile, ProvenanceEvent
from brands.seal import seal_batch
from brands.transparency import sign_checkpoint
from brands.views import PICTURE_FILTER, TIMELINE_PER_PAGE
from tests import factories
from tests.growth import content as growth_content

from .conftest import make_batch, make_event

pytestmark = pytest.mark.django_db


def test_the_lookup_form_renders(client):
    """/trace/ without a code shows the form."""
    response = client.get("/trace/")
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


def test_a_known_code_typed_loosely_redirects_to_its_page(client, sealed_batch):
    """Lower case and spaces are forgiven; the reader lands on the canonical URL."""
    loose = sealed_batch.lot_code.lower()[:4] + " " + sealed_batch.lot_code.lower()[4:]
    response = client.get("/trace/", {"code": loose})
    assert response.status_code == 302
    assert response["Location"] == f"/trace/{sealed_batch.display_code}/"


def test_a_malformed_code_gets_a_400_with_the_reason(client):
    """A code with an O or a 1 cannot exist: the form says so instead of searching."""
    response = client.get("/trace/", {"code": "WC7K-3MXO"})
    assert response.status_code == 400
    assert "0、O、1、I 或 L" in response.content.decode()
    english = client.get("/en/trace/", {"code": "WC7K-3MXO"})
    assert english.status_code == 400
    assert "0, O, 1, I or L" in english.content.decode()


def test_an_unknown_code_gets_a_404_with_the_form_and_a_hint(client, sealed_batch):
    """A well-formed code that matches nothing is a 404 page, with the form filled in again."""
    response = client.get("/trace/", {"code": "ZZZZ-ZZZZ"})
    body = response.content.decode()
    assert response.status_code == 404
    assert "ZZZZ-ZZZZ" in body and 'name="code"' in body
    assert client.get("/trace/ZZZZ-ZZZZ/").status_code == 404
    assert client.get("/trace/not-a-code/").status_code == 400


def test_a_non_canonical_path_redirects_permanently(client, sealed_batch):
    """/trace/wc7k3mxp/ → /trace/WC7K-3MXP/, so each batch has one URL."""
    response = client.get(f"/trace/{sealed_batch.lot_code.lower()}/")
    assert response.status_code == 301
    assert response["Location"] == f"/trace/{sealed_batch.display_code}/"


def test_the_batch_page_shows_product_timeline_checks_and_verified_seal(client, sealed_batch, product):
    """Product, brand, events in order, the EXIF check and 'verified' are on the page."""
    response = client.get(f"/trace/{sealed_batch.display_code}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert product.title in body and product.get_parent().title in body
    timeline = body[body.index('class="timeline"') :]
    assert [timeline.index(f'id="event-{n}"') for n in (1, 2, 3)] == sorted(
        timeline.index(f'id="event-{n}"') for n in (1, 2, 3)
    )
    english = client.get(f"/en/trace/{sealed_batch.display_code}/").content.decode()
    english = english[english.index('class="timeline"') :]
    assert english.index("Planting") < english.index("Harvest") < english.index("Packing")
    assert "exif--consistent" in body
    assert "seal--ok" in body
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1))
    assert ld["@type"] == "Product" and ld["sku"] == sealed_batch.display_code


def test_the_english_page_says_verified_and_what_was_checked(client, sealed_batch):
    """Under /en/ the badge reads 'Verified' and says how many events were checked and what the seals cover."""
    body = client.get(f"/en/trace/{sealed_batch.display_code}/").content.decode()
    assert '<strong class="seal__badge">Verified</strong>' in body
    assert "the record of all 3 events is intact" in body
    assert "SHA-256 fingerprint of 1 evidence file is inside the seals" in body


def test_sequence_numbers_and_notes_appear_once_per_event(client, sealed_batch):
    """No "1. 1." doubling (the list is unnumbered; the icon marks each stage), and a caption equal to the
    note is not printed a second time under the photo."""
    harvest = sealed_batch.events.get(stage="harvest")
    EvidenceFile.objects.filter(event=harvest).update(caption=harvest.note)
    body = client.get(f"/trace/{sealed_batch.display_code}/").content.decode()
    timeline = body[body.index('class="timeline"') : body.index('id="certificates-heading"')]
    assert timeline.count(harvest.note) == 2  # the note, and the photo's alt text; no figcaption copy
    assert "<figcaption>" + harvest.note not in timeline
    assert not re.search(r">\s*1\.\s*<", timeline)


def test_the_exif_chip_gives_the_verdict_distance_and_time_apart(client, sealed_batch):
    """The photo's chip says it matches the record, how far from the event and how long after it."""
    body = client.get(f"/en/trace/{sealed_batch.display_code}/").content.decode()
    chip = body[body.index('class="exif exif--consistent"') :][:1500]
    assert "Photo matches the record" in chip
    assert re.search(r"\d+\.\d km away", chip)
    assert re.search(r"\d+ minutes? apart", chip)


def test_certificate_cards_show_valid_expiring_and_expired(client, sealed_batch, product):
    """Each certificate card names its state: valid, expiring within 30 days (with the days left), or expired."""
    today = timezone.localdate()
    kinds = [factories.make_certification(name=n, slug=n) for n in ("valid", "soon", "old")]
    for kind, end in zip(kinds, (400, 12, -3), strict=True):
        Certificate.objects.create(
            product=product,
            certification_type=kind,
            number=f"LB-18-{kind.slug}",
            issuer="中国绿色食品发展中心",
            valid_from=today - timedelta(days=700),
            valid_to=today + timedelta(days=end),
        )
    body = client.get(f"/en/trace/{sealed_batch.display_code}/").content.decode()
    assert body.count("certificate certificate--valid") == 1
    assert "certificate certificate--expiring" in body and "Expires in 12 days" in body
    assert "certificate certificate--expired" in body and ">Expired<" in body


def test_the_page_names_the_event_that_fails_after_tampering(client, sealed_batch):
    """A row changed behind the application's back makes the page name that event."""
    second = sealed_batch.events.get(sequence=2)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {ProvenanceEvent._meta.db_table} SET actor = %s WHERE id = %s", ["他人", second.pk])
    body = client.get(f"/en/trace/{sealed_batch.display_code}/").content.decode()
    assert "seal--broken" in body
    assert "event 2 fails the check" in body


def test_unsealed_events_and_hidden_products_stay_off_the_public_page(client, batch, timeline, product):
    """Only sealed events are public, and only for live products."""
    body = client.get(f"/trace/{batch.display_code}/").content.decode()
    assert "timeline__event" not in body
    product.unpublish()
    assert client.get(f"/trace/{batch.display_code}/").status_code == 404


def test_the_json_lets_a_third_party_recompute_every_seal(client, sealed_batch):
    """From the JSON alone: sha256(previous_seal + canonical) equals each seal, and canonical matches payload."""
    data = client.get(f"/trace/{sealed_batch.display_code}/", {"format": "json"}).json()
    assert data["verified"] is True and data["lot"] == sealed_batch.lot_code
    previous = ""
    for event in data["events"]:
        canonical = json.dumps(event["payload"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert canonical == event["canonical"]
        assert event["previous_seal"] == previous
        assert hashlib.sha256((previous + canonical).encode("utf-8")).hexdigest() == event["seal"]
        previous = event["seal"]
    harvest = data["events"][1]
    evidence = harvest["evidence"][0]
    sealed = {"sha256": evidence["sha256"], "kind": evidence["kind"], "caption": evidence["caption"]}
    assert harvest["payload"]["evidence"] == [sealed]  # version 2 seals each file's kind and caption too
    assert harvest["payload"]["occurred_at"].endswith("Z")
    assert re.fullmatch(r"\d+\.\d{6}", harvest["payload"]["latitude"])


def svg_to_image(svg):
    """Rasterise segno's SVG (one path of horizontal strokes) so the test decodes the SVG itself."""
    width = int(re.search(r'width="(\d+)"', svg).group(1))
    scale = float(re.search(r"scale\(([\d.]+)\)", svg).group(1))
    size = int(width / scale)
    image = Image.new("L", (size, size), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for command, args in re.findall(r"([MmHh])([-\d.\s]+)", re.search(r' d="([^"]+)"', svg).group(1)):
        numbers = [float(n) for n in args.split()]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        else:
            end = numbers[0] if command == "H" else x + numbers[0]
            draw.rectangle([(x, int(y)), (end - 1, int(y))], fill=0)
            x = end
    return image.resize((size * 8, size * 8), Image.NEAREST)


def test_the_svg_qr_code_decodes_to_the_page_url(client, sealed_batch):
    """Decoding the SVG gives the absolute URL of the trace page, and that URL works."""
    response = client.get(f"/trace/{sealed_batch.display_code}/qr.svg")
    assert response["Content-Type"] == "image/svg+xml"
    results = zxingcpp.read_barcodes(svg_to_image(response.content.decode()))
    assert [r.text for r in results] == [f"http://testserver/trace/{sealed_batch.display_code}/"]
    assert client.get(results[0].text.removeprefix("http://testserver")).status_code == 200


def test_the_png_qr_code_decodes_to_the_page_url(client, sealed_batch):
    """The PNG encodes the same URL."""
    response = client.get(f"/trace/{sealed_batch.display_code}/qr.png")
    assert response["Content-Type"] == "image/png"
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.content)))
    assert results[0].text == f"http://testserver/trace/{sealed_batch.display_code}/"


def test_gs1_digital_link_redirects_for_a_matching_gtin(client, product):
    """/01/<gtin>/10/<lot> lands on the batch page when the GTIN is the product's."""
    product.gtin = "6901234567892"
    product.save_revision().publish()
    batch = make_batch(product)
    response = client.get(f"/01/06901234567892/10/{batch.lot_code}")
    assert response.status_code == 302
    assert response["Location"] == f"/trace/{batch.display_code}/"
    assert client.get(f"/01/00000000000000/10/{batch.lot_code}").status_code == 404
    assert client.get("/01/06901234567892/10/O0O0").status_code == 404


@pytest.mark.parametrize("damage", ["missing", "unreadable"])
def test_a_damaged_evidence_photo_is_listed_without_its_picture_and_says_so(client, sealed_batch, damage):
    """A photo whose file is gone or is not an image any more: the page (200) keeps the evidence, says why no picture."""
    evidence = sealed_batch.events.get(sequence=2).evidence.get()
    storage, name = evidence.image.file.storage, evidence.image.file.name
    if damage == "missing":
        storage.delete(name)
    else:
        with storage.open(name, "wb") as handle:
            handle.write(b"\xff\xd8 not a jpeg any more")
    for url, says in [
        (f"/en/trace/{sealed_batch.display_code}/", "This picture cannot be shown: its file is missing or damaged."),
        (f"/trace/{sealed_batch.display_code}/", "这张图片无法显示"),
    ]:
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200
        assert says in body and evidence.sha256[:14] in body
        assert "not-found" not in body  # not Wagtail's empty placeholder image either
    assert client.get(f"/trace/{sealed_batch.display_code}/", {"format": "json"}).status_code == 200


def test_a_second_view_writes_no_evidence_rendition_to_the_cache(client, sealed_batch):
    """The photos' renditions come prefetched with the chain, so a view after the first writes none of them back to
    Wagtail's rendition cache (which Wagtail does on every use otherwise: a pickled file each on the file cache)."""
    url = f"/trace/{sealed_batch.display_code}/"
    assert client.get(url).status_code == 200  # the first view makes the renditions
    backend = get_image_model().get_rendition_model().cache_backend
    written = []
    with (
        mock.patch.object(backend, "set", side_effect=lambda key, *a, **k: written.append(key)),
        mock.patch.object(backend, "set_many", side_effect=lambda data, *a, **k: written.extend(data)),
    ):
        body = client.get(url).content.decode()
    assert [key for key in written if key.endswith(PICTURE_FILTER)] == []
    photos = EvidenceFile.objects.filter(event__batch=sealed_batch, image__isnull=False)
    assert photos  # the fixture's chain has photos, so the check above could fail
    for evidence in photos:
        assert evidence.image.renditions.get(filter_spec=PICTURE_FILTER).url in body


@pytest.fixture
def long_batch(product):
    """A batch of 120 sealed events (three timeline pages), the last one correcting event 2."""
    batch = growth_content.batch_with_events(product, product.get_parent().specific.region, 120)
    second = batch.events.get(sequence=2)
    make_event(batch, "inspection", corrects=second, occurred_at=second.occurred_at + timedelta(hours=1))
    seal_batch(batch)
    sign_checkpoint()
    return batch


def rendered_events(body):
    return [int(n) for n in re.findall(r'id="event-(\d+)"', body)]


def test_a_long_timeline_shows_one_page_of_events_and_checks_them_all(client, long_batch):
    """121 events: the page renders 50 of them (its cost no longer grows with the batch) and verifies all 121."""
    body = client.get(f"/en/trace/{long_batch.display_code}/").content.decode()
    assert rendered_events(body) == list(range(1, TIMELINE_PER_PAGE + 1))
    assert "the record of all 121 events is intact" in body and "seal--ok" in body
    assert "Events 1–50 of 121." in body and 'href="?page=2" rel="next"' in body
    last = client.get(f"/en/trace/{long_batch.display_code}/", {"page": 3}).content.decode()
    assert rendered_events(last) == list(range(101, 122))
    assert '<ol class="timeline" start="101">' in last


def test_corrections_link_to_the_page_that_shows_the_other_event(client, long_batch):
    """'Corrects event 2' on page 3 links to page 1, and event 2 links forward to page 3."""
    first = client.get(f"/en/trace/{long_batch.display_code}/").content.decode()
    assert 'Corrected by <a href="?page=3#event-121">event 121</a>.' in first
    last = client.get(f"/en/trace/{long_batch.display_code}/", {"page": 3, "log": "x"}).content.decode()
    assert 'Corrects <a href="?page=1&amp;log=x#event-2">event 2</a>.' in last


def test_a_broken_long_chain_opens_on_the_page_of_the_failing_event(client, long_batch):
    """Without ?page=, the reader lands where the check fails, not on page 1."""
    event = long_batch.events.get(sequence=110)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {ProvenanceEvent._meta.db_table} SET actor = %s WHERE id = %s", ["他人", event.pk])
    body = client.get(f"/en/trace/{long_batch.display_code}/").content.decode()
    assert "event 110 fails the check" in body
    assert rendered_events(body) == list(range(101, 122))
    assert 'id="event-110"' in body[body.index("timeline__event--failed") - 200 :]


@pytest.mark.parametrize("page", ["0", "999", "abc", ""])
def test_a_timeline_page_out_of_range_or_malformed_gives_a_valid_page(client, long_batch, page):
    """?page= that names no page shows the nearest one, never an error."""
    response = client.get(f"/en/trace/{long_batch.display_code}/", {"page": page})
    assert response.status_code == 200
    assert len(rendered_events(response.content.decode())) in (TIMELINE_PER_PAGE, 21)


def test_editors_get_the_label_sheet_link_and_buyers_do_not(client, sealed_batch, django_user_model):
    """The trace page links to the printable QR label sheet for someone who may view batches, not for buyers."""
    labels = reverse("provenance_batch_labels", args=[sealed_batch.pk])
    assert labels not in client.get(f"/trace/{sealed_batch.display_code}/").content.decode()
    client.force_login(django_user_model.objects.create_superuser("editor", "editor@example.com", "pw"))
    assert labels in client.get(f"/trace/{sealed_batch.display_code}/").content.decode()


@pytest.fixture
def bagged_batch(product):
    """A sealed batch of 1,200 five-kilo bags of the product, whose Chinese unit is also "5公斤袋"."""
    product.unit = "5公斤袋"
    product.save_revision().publish()
    batch = make_batch(product, quantity="1200.00", unit="5公斤袋")
    make_event(batch, "harvest", days_ago=20)
    seal_batch(batch)
    sign_checkpoint()
    return batch


def box_facts(body):
    return body[body.index('class="seal__facts"') : body.index('class="seal__files"')]


def test_the_quantity_reads_as_a_count_of_packs_in_both_languages(client, bagged_batch):
    """Header and sealed facts say "5公斤袋 × 1200" / "1,200 × 5公斤袋", never the sealed "1200.00 5公斤袋"."""
    chinese = client.get(f"/trace/{bagged_batch.display_code}/").content.decode()
    english = client.get(f"/en/trace/{bagged_batch.display_code}/").content.decode()
    assert "1200.00" not in chinese and "1200.00" not in english
    assert "<dd>5公斤袋 × 1200</dd>" in box_facts(chinese)
    assert '<dd>1,200 × <span lang="zh-Hans">5公斤袋</span></dd>' in box_facts(english)
    assert chinese.count("5公斤袋 × 1200") == 2  # the page's header and the sealed facts


def test_the_english_trace_page_names_the_english_product_and_its_unit(client, bagged_batch, product):
    """Under /en/ the heading, title and quantity use the product's English translation; the sealed box
    keeps the Chinese title as sealed, marked as Chinese."""
    factories.make_english_translation(product, title="Wuchang rice", unit="5 kg bag")
    english = client.get(f"/en/trace/{bagged_batch.display_code}/").content.decode()
    heading = re.search(r"<h1>(.*?)</h1>", english, re.S).group(1)
    assert ">Wuchang rice</a>" in heading and 'href="/en/brands/' in heading
    assert "<title>Wuchang rice, batch" in english
    assert "<dd>1,200 × 5 kg bag</dd>" in english
    assert f'<span lang="zh-Hans">{product.title}</span>' in box_facts(english)
    chinese = client.get(f"/trace/{bagged_batch.display_code}/").content.decode()
    assert "Wuchang rice" not in chinese
