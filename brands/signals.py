import logging

from django.core.exceptions import ValidationError

from .forms import sealed_evidence_uses
from .models.provenance import SealedEventError
from .seal import SealError, seal_batch

logger = logging.getLogger("farmcast.provenance")


def seal_on_publish(sender, instance, **kwargs):
    """Seal every batch's pending events; an invalid event stays unsealed (and unpublished) without blocking the page."""
    for batch in instance.batches.all():
        try:
            seal_batch(batch)
        except (ValidationError, SealError):
            logger.warning("batch %s: pending events not sealed on publish", batch.lot_code, exc_info=True)


def refuse_replacing_sealed_files(sender, instance, **kwargs):
    """pre_save on images and documents: a file that sealed evidence uses keeps its bytes (the admin form explains)."""
    if instance.pk is None:
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("file", flat=True).first()
    if stored is None or stored == instance.file.name:
        return
    field = "image" if hasattr(instance, "get_rendition") else "document"
    if sealed_evidence_uses(**{field: instance.pk}):
        raise SealedEventError(f"{field} {instance.pk} is sealed evidence; its file cannot be replaced")
