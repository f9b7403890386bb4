"""Compare what is published with what is indexed: ids and a content hash per document."""

from django.core.management.base import BaseCommand, CommandError

from search import engine
from search.indexing import iter_document_batches, sync_pages


def indexed_hashes(client):
    hits = engine.scan(client, index=engine.alias_name(), query={"_source": ["content_hash"]}, size=1000)
    return {int(hit["_id"]): hit["_source"].get("content_hash") for hit in hits}


def find_drift(client):
    """(missing, extra, stale) page ids: not indexed, indexed but not published, indexed but changed."""
    expected = {}
    for docs in iter_document_batches():
        expected.update({page_id: doc["content_hash"] for page_id, doc in docs.items()})
    actual = indexed_hashes(client)
    missing = sorted(expected.keys() - actual.keys())
    extra = sorted(actual.keys() - expected.keys())
    stale = sorted(pid for pid in expected.keys() & actual.keys() if expected[pid] != actual[pid])
    return missing, extra, stale


class Command(BaseCommand):
    help = "Check the discovery index against the database; exit non-zero on drift. --repair fixes it."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="Re-index missing/stale pages, delete extra ones.")

    def handle(self, *args, repair=False, **options):
        client = engine.get_client(timeout=60)
        if client is None:
            raise CommandError("SEARCH_ENGINE_URL is not set: there is no index to check.")
        try:
            problem = engine.identity_problem(client)
            if problem:
                raise CommandError(problem)
            missing, extra, stale = find_drift(client)
            self.stdout.write(f"missing {len(missing)}, extra {len(extra)}, stale {len(stale)}")
            for label, ids in (("missing", missing), ("extra", extra), ("stale", stale)):
                if ids:
                    self.stdout.write(f"  {label}: {', '.join(map(str, ids[:20]))}{' ...' if len(ids) > 20 else ''}")
            if not (missing or extra or stale):
                self.stdout.write("index is in sync")
                return
            if not repair:
                raise CommandError("the discovery index has drifted from the database; run with --repair")
            to_sync = missing + extra + stale
            for start in range(0, len(to_sync), 500):
                sync_pages(client, to_sync[start : start + 500])
            client.indices.refresh(index=engine.alias_name())
            missing, extra, stale = find_drift(client)
        except engine.EngineError as error:
            raise CommandError(f"search engine error: {error}") from error
        if missing or extra or stale:
            raise CommandError(f"still drifted after repair: missing {missing}, extra {extra}, stale {stale}")
        self.stdout.write("repaired; index is in sync")
