"""EXIF facts come from the file's own bytes, and the page compares them with the event."""

import hashlib
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from brands.exif import read_exif

from .conftest import WUCHANG, add_photo, jpeg_bytes, make_event

pytestmark = pytest.mark.django_db


def local_stamp(moment):
    return timezone.localtime(moment).strftime("%Y:%m:%d %H:%M:%S")


def test_capture_time_and_gps_are_read_from_the_file():
    """DateTimeOriginal (China time when no offset) and the GPS IFD become a time and coordinates."""
    facts = read_exif(io.BytesIO(jpeg_bytes("2026:09:12 14:03:00", WUCHANG)))
    assert facts.taken_at.isoformat() == "2026-09-12T14:03:00+08:00"
    assert abs(facts.latitude - WUCHANG[0]) < Decimal("0.0001")
    assert abs(facts.longitude - WUCHANG[1]) < Decimal("0.0001")


def test_an_offset_in_the_file_is_respected():
    """OffsetTimeOriginal, when the camera wrote one, decides the zone."""
    facts = read_exif(io.BytesIO(jpeg_bytes("2026:09:12 14:03:00", offset="+00:00")))
    assert facts.taken_at.isoformat() == "2026-09-12T14:03:00+00:00"
    assert facts.latitude is None


def test_a_file_without_exif_or_not_an_image_gives_no_facts():
    """No EXIF, or bytes that are not an image, give None rather than an error."""
    for data in (jpeg_bytes(), b"not an image at all"):
        facts = read_exif(io.BytesIO(data))
        assert (facts.taken_at, facts.latitude, facts.longitude) == (None, None, None)


def test_evidence_records_hash_and_exif_at_upload_ignoring_filename(batch):
    """The hash and EXIF are stored on save; a filename that looks like a date is ignored."""
    event = make_event(batch, latitude=WUCHANG[0], longitude=WUCHANG[1])
    data = jpeg_bytes()
    evidence = add_photo(event, data, caption="拍摄于 2026-09-12 五常")
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.exif_taken_at is None and evidence.exif_lat is None
    check = evidence.exif_check()
    assert check.status == "none"
    assert "No capture data" in str(check.messages[0])


def test_a_photo_taken_at_the_event_is_consistent(batch):
    """Within 48 hours and 25 km of the event: consistent, with the distance stated."""
    event = make_event(batch, latitude=WUCHANG[0], longitude=WUCHANG[1])
    near = (WUCHANG[0] + Decimal("0.01"), WUCHANG[1])
    evidence = add_photo(event, jpeg_bytes(local_stamp(event.occurred_at + timedelta(hours=2)), near))
    check = evidence.exif_check()
    assert check.status == "consistent"
    assert 1.0 < check.distance_km < 1.2
    assert "1.1 km" in " ".join(str(m) for m in check.messages)


def test_a_photo_from_elsewhere_or_another_month_is_inconsistent(batch):
    """A photo from Beijing, or taken 30 days before, does not match a Wuchang harvest."""
    event = make_event(batch, latitude=WUCHANG[0], longitude=WUCHANG[1])
    far = add_photo(event, jpeg_bytes(local_stamp(event.occurred_at), (Decimal("39.9"), Decimal("116.4"))))
    assert far.exif_check().status == "inconsistent"
    early = add_photo(event, jpeg_bytes(local_stamp(event.occurred_at - timedelta(days=30)), WUCHANG))
    assert early.exif_check().status == "inconsistent"


def test_time_only_or_event_without_coordinates_is_partial(batch):
    """With only one of the two facts to compare, the page says what it could check."""
    event = make_event(batch)
    evidence = add_photo(event, jpeg_bytes(local_stamp(event.occurred_at), WUCHANG))
    check = evidence.exif_check()
    assert check.status == "partial"
    assert "no coordinates" in " ".join(str(m) for m in check.messages)
