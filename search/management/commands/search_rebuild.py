"""Build a new discovery index, then swap the alias to it atomically and drop the old one."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from search import engine
from search.documents import SEARCHABLE_MODELS, create_index, finish_bulk_load
from search.indexing import REBUILD_BATCH_SIZE, bulk_load, default_workers, process_outbox
from search.models import IndexOutbox


def progress(done, total, stream, width=30):
    filled = int(width * done / total) if total else width
    stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
    stream.flush()


def indices_behind(client, alias):
    """The indices the alias points at now (none on a first build)."""
    if not client.indices.exists_alias(name=alias):
        return []
    return list(client.indices.get_alias(name=alias))


class Command(BaseCommand):
    help = "Rebuild the discovery index without downtime: new index, bulk load, refresh, swap the alias."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=REBUILD_BATCH_SIZE)
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help=f"processes preparing documents (default: one per core, here {default_workers()}; 1 = in this process)",
        )

    def handle(self, *args, batch_size=REBUILD_BATCH_SIZE, no_progress=False, workers=None, **options):
        client = engine.get_client(timeout=60)
        if client is None:
            raise CommandError("SEARCH_ENGINE_URL is not set: there is no engine to rebuild.")
        alias = engine.alias_name()
        started = timezone.now()
        try:
            problem = engine.identity_problem(client)
            if problem:
                raise CommandError(problem)
            new_index = create_index(client, bulk_load=True)
            total = sum(model.objects.live().public().count() for model in SEARCHABLE_MODELS.values())
            on_batch = None if no_progress else (lambda done: progress(done, total, self.stderr))
            done = bulk_load(client, new_index, batch_size, workers=workers, on_batch=on_batch)
            if not no_progress:
                self.stderr.write("")
            finish_bulk_load(client, new_index)
            old = indices_behind(client, alias)
            if not old and client.indices.exists(index=alias):
                # An index squatting on the alias's name (from an auto-create): it must go first.
                client.indices.delete(index=alias)
            actions = [{"remove": {"index": name, "alias": alias}} for name in old]
            actions.append({"add": {"index": new_index, "alias": alias}})
            client.indices.update_aliases(body={"actions": actions})
            for name in old:
                client.indices.delete(index=name, ignore_unavailable=True)
        except engine.EngineError as error:
            raise CommandError(f"search engine error: {error}") from error
        # Changes recorded before the rebuild started are in the new index; newer ones may have
        # been written to the old index only, so apply them again now.
        IndexOutbox.objects.filter(created__lt=started).delete()
        process_outbox(ignore_schedule=True, limit=10_000)
        self.stdout.write(f"indexed {done} documents into {new_index}; alias {alias} swapped")
