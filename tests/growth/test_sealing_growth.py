"""Sealing a batch costs the same per event however many events the batch has: no query reads the whole batch per event."""

from datetime import timedelta

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brands.models import Batch, EvidenceFile, ProvenanceEvent
from brands.seal import seal_batch
from tests import factories


def batch_with_pending_events(product, region, count):
    """A batch with `count` unsealed events in a valid timeline, each with one photo."""
    batch = Batch.objects.create(
        product=product,
        quantity=500,
        unit="kg",
        harvest_date=(timezone.now() - timedelta(days=10)).date(),
        status=Batch.Status.AVAILABLE,
    )
    start = timezone.now() - timedelta(days=count + 20)
    stage = ProvenanceEvent.Stage
    for i in range(count):
        event = ProvenanceEvent.objects.create(
            batch=batch,
            stage=stage.PLANTING if i == 0 else stage.INSPECTION,
            occurred_at=start + timedelta(days=i),
            region=region,
            actor="合作社",
        )
        EvidenceFile.objects.create(event=event, kind=EvidenceFile.Kind.PHOTO, image=factories.make_image())
    return batch


class SealingGrowsLinearly(TestCase):
    @classmethod
    def setUpTestData(cls):
        tree = factories.make_site_tree()
        cls.region = factories.make_region(name="黑龙江省", name_en="Heilongjiang", code="230000", slug="heilongjiang")
        cls.product = factories.make_product(factories.make_brand(tree.brands, region=cls.region))

    def sealing_queries(self, count):
        batch = batch_with_pending_events(self.product, self.region, count)
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(seal_batch(batch), count)
        return len(captured)

    def test_sealing_twice_the_events_costs_at_most_twice_the_queries(self):
        """Sealing 16 events costs no more than twice the queries of sealing 8 (each save re-read the batch before)."""
        eight, sixteen = self.sealing_queries(8), self.sealing_queries(16)
        # Linear cost a·n + b gives 2·q(8) - b; a per-event read of the whole batch gives about 4·q(8).
        self.assertLessEqual(sixteen, 2 * eight, f"8 events: {eight} queries, 16 events: {sixteen}")
