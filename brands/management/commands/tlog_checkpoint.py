"""Sign a checkpoint of the provenance log: run hourly from cron (docs/provenance.md)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from brands import tlog, transparency
from brands.models.provenance import ProvenanceEvent


class Command(BaseCommand):
    help = (
        "Append any sealed event the log does not hold yet (chains sealed before the log existed), then sign "
        "a checkpoint if the log grew or the latest one is over an hour old. Fails without the signing key."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Sign a new checkpoint even if the latest is fresh.")

    def handle(self, *args, force=False, **options):
        appended = self.backfill()
        try:
            checkpoint = transparency.sign_checkpoint(force=force)
        except tlog.SigningKeyMissing as error:
            raise CommandError(str(error)) from None
        if appended:
            self.stdout.write(f"appended {appended} events sealed before the log")
        self.stdout.write(f"checkpoint: {checkpoint.size} leaves, root {checkpoint.root}")

    @transaction.atomic
    def backfill(self):
        logged = set(transparency.LogLeaf.objects.filter(kind="event").values_list("event_id", flat=True))
        missing = (
            ProvenanceEvent.objects.sealed()
            .exclude(pk__in=logged)
            .prefetch_related("evidence")
            .order_by("batch_id", "sequence")
        )
        count = 0
        for event in missing:
            transparency.append_event(event)
            count += 1
        return count
