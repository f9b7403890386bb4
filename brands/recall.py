"""Recalling a batch: a sealed event in its chain and the log, and the batch's status, in one transaction.

The recall is an event like the others (stage `recall`, the reason as its note), so it is sealed, appended
to the transparency log and covered by the next signed checkpoint: it cannot be deleted, edited or quietly
taken back, and a batch whose recall is sealed keeps the status "recalled" (Batch.clean()).
"""

import django.dispatch
from django.db import transaction
from django.utils import timezone

from .models.provenance import Batch, ProvenanceEvent
from .seal import seal_batch

# Sent once the recall has committed, with `batch` and the sealed `event`: stories mails the brand's followers.
batch_recalled = django.dispatch.Signal()


class AlreadyRecalled(Exception):
    """The batch's recall is sealed already; a second one would say nothing new."""


def recall_of(events):
    """The recall among a batch's sealed events (the first, if there were several), or None."""
    return next((event for event in events if event.stage == ProvenanceEvent.Stage.RECALL and event.is_sealed), None)


def public_recall(batch_id):
    """(batch, its sealed recall) when visitors may see the batch, else None: whom to tell, and what.

    A batch of a product under a view restriction keeps its recall private too, like its trace page.
    """
    batch = Batch.objects.visible().select_related("product").filter(pk=batch_id).first()
    recall = ProvenanceEvent.objects.recalls().filter(batch_id=batch_id).first()
    return (batch, recall) if batch and recall else None


def recall_region(batch):
    """Where the recall is recorded: where the batch's last event happened, else the brand's region."""
    last = batch.events.order_by("-occurred_at", "-pk").select_related("region").first()
    return last.region if last else batch.product.get_parent().specific.region


@transaction.atomic
def recall_batch(batch, reason, actor):
    """Record, seal and log the recall of `batch`; mark it recalled. Returns the sealed event.

    Only the recall is sealed here: an unfinished draft event of the batch must not hold a recall back.
    """
    batch = Batch.objects.select_for_update().select_related("product").get(pk=batch.pk)
    if ProvenanceEvent.objects.filter(batch=batch).recalls().exists():
        raise AlreadyRecalled(batch.lot_code)
    event = ProvenanceEvent.objects.create(
        batch=batch,
        stage=ProvenanceEvent.Stage.RECALL,
        occurred_at=timezone.now().replace(microsecond=0),
        region=recall_region(batch),
        actor=actor,
        note=reason,
    )
    seal_batch(batch, only=[event])
    batch.status = Batch.Status.RECALLED
    batch.save(update_fields=["status"])  # post_save: the page cache drops the trace and product pages
    event.refresh_from_db()
    transaction.on_commit(lambda: batch_recalled.send(sender=Batch, batch=batch, event=event))
    return event
