"""The demo batch: a full, sealed timeline whose photos agree with their events; idempotent."""

import pytest
from django.core.management import call_command

from brands.models.provenance import Certificate
from brands.provenance_demo import create_demo_batches
from brands.seal import verify_chain

pytestmark = pytest.mark.django_db


def test_demo_batch_is_full_sealed_and_its_photos_are_consistent(product, region):
    """Every stage up to shipping, all sealed and verified, every photo consistent with its event."""
    region.code = "230184"  # Wuchang, whose coordinates the demo knows
    region.save()
    [batch] = create_demo_batches(product)
    events = list(batch.events.order_by("sequence"))
    assert [e.stage for e in events][:2] == ["planting", "growing"]
    assert all(e.is_sealed for e in events) and verify_chain(batch, check_files=True).ok
    checks = [evidence.exif_check(event) for event in events for evidence in event.evidence.all() if evidence.image_id]
    assert len(checks) == len(events)
    assert {c.status for c in checks} == {"consistent"}
    assert Certificate.objects.filter(product=product).count() == product.certifications.count()


def test_demo_batches_are_idempotent(product):
    """Running it twice leaves one batch."""
    create_demo_batches(product)
    create_demo_batches(product)
    assert product.batches.count() == 1
    call_command("trace_verify")
