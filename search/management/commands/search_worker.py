"""Apply the search outbox: `search_worker` loops, `--once` does one pass, `--drain` empties it."""

import time

from django.core.management.base import BaseCommand, CommandError

from search import engine
from search.indexing import process_outbox
from search.models import IndexOutbox


class Command(BaseCommand):
    help = "Bring the discovery index up to date from the outbox (retries with backoff while the engine is down)."

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--once", action="store_true", help="Apply the rows that are due, then exit.")
        mode.add_argument(
            "--drain",
            action="store_true",
            help="Apply every pending row now, ignoring backoff; exit non-zero if any remain.",
        )
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--interval", type=float, default=0.5, help="Seconds between polls when idle.")

    def handle(self, *args, once=False, drain=False, batch_size=500, interval=0.5, **options):
        if not engine.is_configured():
            raise CommandError("SEARCH_ENGINE_URL is not set: there is no engine to write to.")
        if once:
            applied, failed = process_outbox(limit=batch_size)
            self.stdout.write(f"applied {applied}, failed {failed}")
            return
        if drain:
            total = 0
            while True:
                applied, failed = process_outbox(limit=batch_size, ignore_schedule=True)
                total += applied
                if failed:
                    raise CommandError(f"the engine refused the update; {IndexOutbox.objects.count()} rows remain")
                if not applied:
                    break
            self.stdout.write(f"applied {total}")
            return
        self.stdout.write("search worker running; Ctrl-C to stop")
        try:
            while True:
                applied, failed = process_outbox(limit=batch_size)
                if not applied:
                    # Idle or backing off: the rows carry their own next_attempt_at.
                    time.sleep(interval)
        except KeyboardInterrupt:
            self.stdout.write("search worker stopped")
