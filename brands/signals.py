import logging

from django.core.exceptions import ValidationError

from .seal import SealError, seal_batch

logger = logging.getLogger("farmcast.provenance")


def seal_on_publish(sender, instance, **kwargs):
    """Seal every batch's pending events; an invalid event stays unsealed (and unpublished) without blocking the page."""
    for batch in instance.batches.all():
        try:
            seal_batch(batch)
        except (ValidationError, SealError):
            logger.warning("batch %s: pending events not sealed on publish", batch.lot_code, exc_info=True)
