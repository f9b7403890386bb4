"""Builders for provenance tests: batches, events, and photos made here with or without EXIF."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone, translation
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from brands.models.provenance import Batch, EvidenceFile, ProvenanceEvent

WUCHANG = (Decimal("44.931900"), Decimal("127.159000"))


@pytest.fixture(autouse=True)
def english_messages():
    """These tests read messages as their English msgids; outside a request the default language is Chinese."""
    with translation.override("en"):
        yield


def jpeg_bytes(taken_at=None, gps=None, offset=None):
    """A small JPEG; `taken_at` as 'YYYY:MM:DD HH:MM:SS' and `gps` as (lat, lon) go into its EXIF."""
    image = Image.new("RGB", (48, 32), (90, 140, 70))
    exif = Image.Exif()
    if taken_at:
        exif.get_ifd(0x8769)[0x9003] = taken_at
        if offset:
            exif.get_ifd(0x8769)[0x9011] = offset
    if gps:
        lat, lon = gps
        info = exif.get_ifd(0x8825)
        info[1], info[2] = ("N" if lat >= 0 else "S"), _dms(abs(lat))
        info[3], info[4] = ("E" if lon >= 0 else "W"), _dms(abs(lon))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif) if (taken_at or gps) else image.save(buffer, "JPEG")
    return buffer.getvalue()


def _dms(value):
    value = float(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    return (float(degrees), float(minutes), round(((value - degrees) * 60 - minutes) * 60, 3))


def make_image(data=None, name="photo.jpg", title="photo"):
    return get_image_model().objects.create(title=title, file=ImageFile(io.BytesIO(data or jpeg_bytes()), name=name))


def make_document(data=b"%PDF-1.4\n% test report\n", name="report.pdf", title="report"):
    return get_document_model().objects.create(title=title, file=ContentFile(data, name=name))


def make_batch(product, **kw):
    kw.setdefault("quantity", Decimal("500"))
    kw.setdefault("unit", "kg")
    kw.setdefault("harvest_date", (timezone.now() - timedelta(days=20)).date())
    kw.setdefault("status", Batch.Status.AVAILABLE)
    return Batch.objects.create(product=product, **kw)


def make_event(batch, stage="harvest", days_ago=20, **kw):
    kw.setdefault("occurred_at", timezone.now() - timedelta(days=days_ago))
    kw.setdefault("region", batch.product.get_parent().specific.region)
    kw.setdefault("actor", "合作社收获组")
    kw.setdefault("note", "晴天收获")
    return ProvenanceEvent.objects.create(batch=batch, stage=stage, **kw)


def add_photo(event, data=None, **kw):
    return EvidenceFile.objects.create(event=event, kind=EvidenceFile.Kind.PHOTO, image=make_image(data), **kw)


@pytest.fixture
def batch(product):
    return make_batch(product)


@pytest.fixture
def timeline(batch):
    """Three events in order, the harvest with a photo; not sealed yet."""
    planting = make_event(batch, "planting", days_ago=150, note="育苗移栽")
    harvest = make_event(batch, "harvest", days_ago=20, latitude=WUCHANG[0], longitude=WUCHANG[1])
    add_photo(harvest, jpeg_bytes(timezone.localtime(harvest.occurred_at).strftime("%Y:%m:%d %H:%M:%S"), WUCHANG))
    packing = make_event(batch, "packing", days_ago=18, note="真空包装")
    return [planting, harvest, packing]


@pytest.fixture
def sealed_batch(batch, timeline):
    from brands.seal import seal_batch
    from brands.transparency import sign_checkpoint

    seal_batch(batch)
    sign_checkpoint()  # what the sealing's on-commit hook does; test transactions never commit
    return batch
