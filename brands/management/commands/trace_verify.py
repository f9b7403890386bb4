"""Verify every batch's seal chain and its place in the signed log; with --files, every evidence file's bytes."""

from django.core.management.base import BaseCommand, CommandError

from brands import tlog, transparency
from brands.models.provenance import Batch
from brands.seal import verify_chain


class Command(BaseCommand):
    help = (
        "Verify every batch's seal chain and its inclusion in the latest signed checkpoint; recompute the whole "
        "log from its leaves and check every stored checkpoint against it. Exit 1 on any break. --files also "
        "re-hashes every evidence file (run it daily from cron; /healthz and the trace pages report the last run)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--files", action="store_true", help="Also hash every evidence file again and compare with the sealed hash."
        )
        parser.add_argument("lot_codes", nargs="*", help="Only these batches (default: all).")

    def handle(self, *args, lot_codes=(), files=False, **options):
        broken = []
        if not lot_codes:
            broken += [{"lot": "", "reason": reason} for reason in self.check_log()]
        batches = Batch.objects.select_related("product").order_by("lot_code")
        if lot_codes:
            batches = batches.filter(lot_code__in=[c.replace("-", "").upper() for c in lot_codes])
        checked = 0
        for batch in batches.iterator():
            result = verify_chain(batch, check_files=files)
            checked += 1
            if result.ok:
                self.stdout.write(f"ok      {batch.display_code}  {result.checked} events", style_func=None)
            else:
                event = f"event {result.failed_sequence}" + (f" (id {result.event.pk})" if result.event else "")
                broken.append({"lot": batch.lot_code, "sequence": result.failed_sequence, "reason": str(result.reason)})
                self.stderr.write(self.style.ERROR(f"BROKEN  {batch.display_code}  {event}: {result.reason}"))
        if not lot_codes:
            transparency.TraceCheck.objects.create(files=files, batches=checked, broken=broken)
        if broken:
            raise CommandError(f"{len(broken)} breaks found ({checked} batches checked)")
        self.stdout.write(self.style.SUCCESS(f"{checked} batches verified"))

    def check_log(self):
        """The whole log recomputed from its leaves against every checkpoint, each signature checked."""
        checkpoints = list(transparency.LogCheckpoint.objects.order_by("size", "pk"))
        if not checkpoints:
            return []
        try:
            verifier = transparency.verifier()
        except tlog.LogError as error:
            return [f"cannot check checkpoints: {error}"]
        try:
            roots = transparency.recomputed_roots(row.size for row in checkpoints)
        except tlog.LogError as error:
            self.stderr.write(self.style.ERROR(f"BROKEN  log  {error}"))
            return [str(error)]
        problems = []
        for row in checkpoints:
            try:
                checkpoint = tlog.open_checkpoint(row.note, verifier)
                if roots[checkpoint.size] != checkpoint.root:
                    raise tlog.LogError("the log's leaves no longer give its root hash: history was rewritten")
            except tlog.LogError as error:
                problems.append(f"checkpoint of {row.size} leaves: {error}")
                self.stderr.write(self.style.ERROR(f"BROKEN  log  checkpoint of {row.size} leaves: {error}"))
        if not problems:
            self.stdout.write(f"ok      log  {len(checkpoints)} checkpoints, {checkpoints[-1].size} leaves")
        return problems
