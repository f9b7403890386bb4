"""Validation errors are field-keyed and say what to fix; lot codes are normalised or refused."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from brands.models.provenance import (
    LOT_ALPHABET,
    Batch,
    Certificate,
    EvidenceFile,
    LotCodeError,
    ProvenanceEvent,
    format_lot_code,
    normalise_lot_code,
)

from .conftest import make_document, make_event, make_image

pytestmark = pytest.mark.django_db


def errors_of(instance):
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    return error.value.message_dict


def test_lot_codes_are_generated_from_the_unambiguous_alphabet(product):
    """New batches get 8 characters without 0, O, 1, I, L and display as XXXX-XXXX."""
    codes = {Batch.objects.create(product=product, quantity=1, unit="kg").lot_code for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert len(code) == 8 and set(code) <= set(LOT_ALPHABET)
        assert not set(code) & set("01OIL")
        assert format_lot_code(code)[4] == "-"


def test_typed_lot_codes_are_normalised():
    """Lower case, spaces and dashes are forgiven."""
    assert normalise_lot_code(" wc7k-3mxp ") == "WC7K3MXP"
    assert normalise_lot_code("WC7K 3MXP") == "WC7K3MXP"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("WC7K-3MX0", "never contain"),
        ("WC1K-3MXP", "never contain"),
        ("WC7K", "8 characters"),
        ("", "Enter"),
        ("WC7K-3MX#", "not one"),
    ],
)
def test_bad_lot_codes_are_refused_with_a_reason(raw, fragment):
    """Ambiguous characters are refused rather than guessed, with a message saying why."""
    with pytest.raises(LotCodeError, match=fragment):
        normalise_lot_code(raw)


def test_an_event_in_the_future_is_refused(batch):
    """No event in the future."""
    event = ProvenanceEvent(
        batch=batch,
        stage="growing",
        occurred_at=timezone.now() + timedelta(days=2),
        region=batch.product.get_parent().specific.region,
        actor="x",
    )
    assert "occurred_at" in errors_of(event)


def test_coordinates_must_be_inside_china_and_come_in_pairs(batch):
    """Latitude and longitude outside China's extent, or only one of them, are refused by field."""
    region = batch.product.get_parent().specific.region
    outside = ProvenanceEvent(
        batch=batch,
        stage="growing",
        occurred_at=timezone.now() - timedelta(days=40),
        region=region,
        actor="x",
        latitude=Decimal("48.85"),
        longitude=Decimal("2.35"),
    )
    assert set(errors_of(outside)) == {"longitude"}
    half = ProvenanceEvent(
        batch=batch,
        stage="growing",
        occurred_at=timezone.now() - timedelta(days=40),
        region=region,
        actor="x",
        latitude=Decimal("45"),
    )
    assert "longitude" in errors_of(half)


def test_packing_before_the_harvest_is_refused(batch):
    """Packing cannot come before the batch's harvest date or its harvest event."""
    make_event(batch, "harvest", days_ago=20)
    packing = ProvenanceEvent(
        batch=batch,
        stage="packing",
        occurred_at=timezone.now() - timedelta(days=25),
        region=batch.product.get_parent().specific.region,
        actor="x",
    )
    message = errors_of(packing)["occurred_at"][0]
    assert "harvest" in message.lower()


def test_stages_must_be_in_time_order_but_inspections_may_come_any_time(batch):
    """Planting after the harvest is refused; an inspection between them is fine."""
    make_event(batch, "harvest", days_ago=20)
    region = batch.product.get_parent().specific.region
    planting = ProvenanceEvent(
        batch=batch, stage="planting", occurred_at=timezone.now() - timedelta(days=10), region=region, actor="x"
    )
    assert "occurred_at" in errors_of(planting)
    inspection = ProvenanceEvent(
        batch=batch, stage="inspection", occurred_at=timezone.now() - timedelta(days=30), region=region, actor="x"
    )
    inspection.full_clean()


def test_evidence_needs_exactly_one_file_of_an_allowed_type(batch):
    """A photo or a document, not both nor neither; documents only of evidence types."""
    event = make_event(batch)
    assert "image" in errors_of(EvidenceFile(event=event, kind="photo"))
    both = EvidenceFile(event=event, image=make_image(), document=make_document())
    assert "image" in errors_of(both)
    video = EvidenceFile(event=event, kind="other", document=make_document(b"....", name="clip.vtt"))
    assert "document" in errors_of(video)
    EvidenceFile(event=event, kind="lab_test", document=make_document()).full_clean()


def test_evidence_over_the_size_limit_is_refused(batch, settings):
    """Files larger than the limit are refused with the limit in the message."""
    import brands.models.provenance as provenance

    event = make_event(batch)
    evidence = EvidenceFile(event=event, kind="lab_test", document=make_document(b"x" * 2048))
    original = provenance.EVIDENCE_MAX_BYTES
    provenance.EVIDENCE_MAX_BYTES = 1024
    try:
        assert "document" in errors_of(evidence)
    finally:
        provenance.EVIDENCE_MAX_BYTES = original


def test_a_certificate_ends_after_it_starts_and_belongs_to_one_holder(product, certification):
    """valid_to after valid_from, and a brand or a product, not both."""
    cert = Certificate(
        product=product,
        certification_type=certification,
        number="GI-1",
        issuer="农业农村部",
        valid_from=date(2025, 1, 1),
        valid_to=date(2024, 1, 1),
    )
    assert "valid_to" in errors_of(cert)
    cert.valid_to = date(2027, 1, 1)
    cert.brand = product.get_parent().specific
    assert "brand" in errors_of(cert)


def test_certificates_expire_automatically(product, certification):
    """is_expired and the valid() queryset follow today's date."""
    today = timezone.localdate()
    old = Certificate.objects.create(
        product=product,
        certification_type=certification,
        number="OLD",
        issuer="x",
        valid_from=today - timedelta(days=800),
        valid_to=today - timedelta(days=1),
    )
    current = Certificate.objects.create(
        product=product,
        certification_type=certification,
        number="NEW",
        issuer="x",
        valid_from=today - timedelta(days=10),
        valid_to=today + timedelta(days=300),
    )
    assert old.is_expired and not current.is_expired
    assert list(Certificate.objects.valid()) == [current]


def test_harvest_date_cannot_be_in_the_future(product):
    """A batch's harvest date is a fact, not a plan."""
    batch = Batch(product=product, quantity=1, unit="kg", harvest_date=timezone.localdate() + timedelta(days=3))
    assert "harvest_date" in errors_of(batch)
