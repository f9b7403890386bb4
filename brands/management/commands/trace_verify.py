from django.core.management.base import BaseCommand, CommandError

from brands.models.provenance import Batch
from brands.seal import verify_chain


class Command(BaseCommand):
    help = "Verify every batch's seal chain; exit 1 if any chain is broken."

    def add_arguments(self, parser):
        parser.add_argument(
            "--files", action="store_true", help="Also hash every evidence file again and compare with the sealed hash."
        )
        parser.add_argument("lot_codes", nargs="*", help="Only these batches (default: all).")

    def handle(self, *args, lot_codes=(), files=False, **options):
        batches = Batch.objects.order_by("lot_code")
        if lot_codes:
            batches = batches.filter(lot_code__in=[c.replace("-", "").upper() for c in lot_codes])
        broken = checked = 0
        for batch in batches.iterator():
            result = verify_chain(batch, check_files=files)
            checked += 1
            if result.ok:
                self.stdout.write(f"ok      {batch.display_code}  {result.checked} events", style_func=None)
            else:
                broken += 1
                self.stderr.write(
                    self.style.ERROR(
                        f"BROKEN  {batch.display_code}  event {result.failed_sequence} (id {result.event.pk}): "
                        f"{result.reason}"
                    )
                )
        if broken:
            raise CommandError(f"{broken} of {checked} batches have a broken seal chain")
        self.stdout.write(self.style.SUCCESS(f"{checked} batches verified"))
