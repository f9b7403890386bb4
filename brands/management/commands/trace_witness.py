"""Witness a Farmcast site's provenance log: anyone can run this, from anywhere, without trusting the site."""

import base64
import hashlib
import json
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from brands import tlog

USER_AGENT = "farmcast-trace-witness/1"


class Fork(CommandError):
    """The site showed two histories that cannot both be true."""


class Command(BaseCommand):
    help = (
        "Fetch a site's latest signed log checkpoint, check its signature and that it is consistent with every "
        "checkpoint this witness saw before (RFC 6962 consistency proof), then remember it. Exit status 1 on a "
        "fork, a rollback or a bad signature. Run it from cron on a machine the site's operators do not control."
    )

    def add_arguments(self, parser):
        parser.add_argument("site_url", help="e.g. https://farmcast.example")
        parser.add_argument("--key", help="The log's verifier key; default: the one pinned on the first run")
        parser.add_argument(
            "--state",
            default=str(Path.home() / ".farmcast-witness"),
            help="Folder of the checkpoints seen (default ~/.farmcast-witness)",
        )

    def handle(self, *args, site_url, key=None, state, **options):
        site = site_url.rstrip("/")
        path = Path(state) / (hashlib.sha256(site.encode()).hexdigest()[:16] + ".json")
        memory = json.loads(path.read_text()) if path.exists() else {"site": site, "key": None, "seen": []}
        key = key or memory["key"]
        if key is None:
            key = self.fetch(f"{site}/trace/log/key").strip()
            self.stdout.write(f"pinned the site's key on first use: {key} (compare it with one published elsewhere)")
        elif memory["key"] and key != memory["key"]:
            raise Fork(f"the key given ({key}) is not the one pinned before ({memory['key']})")
        try:
            verifier = tlog.Verifier.parse(key)
            note = self.fetch(f"{site}/trace/log/checkpoint")
            checkpoint = tlog.open_checkpoint(note, verifier)
        except tlog.LogError as error:
            raise Fork(f"the site's checkpoint does not verify: {error}") from None
        seen = max(memory["seen"], key=lambda c: c["size"], default=None)
        if seen is not None:
            self.check(site, seen, checkpoint)
        if seen is None or checkpoint.size > seen["size"]:
            memory["seen"].append(
                {
                    "size": checkpoint.size,
                    "root": base64.b64encode(checkpoint.root).decode(),
                    "note": note,
                    "at": int(time.time()),
                }
            )
        memory["key"] = key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(memory, indent=1))
        self.stdout.write(self.style.SUCCESS(f"consistent: {checkpoint.origin} at {checkpoint.size} leaves"))

    def check(self, site, seen, checkpoint):
        old_size, old_root = seen["size"], base64.b64decode(seen["root"])
        if checkpoint.size < old_size:
            raise Fork(f"FORK: the log shrank from {old_size} to {checkpoint.size} leaves since this witness saw it")
        proof = []
        if checkpoint.size > old_size:
            answer = json.loads(self.fetch(f"{site}/trace/log/consistency/{old_size}/{checkpoint.size}/"))
            proof = [base64.b64decode(h) for h in answer["proof"]]
        try:
            tlog.verify_consistency(old_size, checkpoint.size, old_root, checkpoint.root, proof)
        except tlog.LogError as error:
            raise Fork(
                f"FORK: the log of {checkpoint.size} leaves does not extend the one of {old_size} seen: {error}"
            ) from None

    def fetch(self, url):
        if not url.startswith(("https://", "http://")):
            raise CommandError("the site URL starts with https:// (or http:// for a local test)")
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310 - checked above
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - checked above
                return response.read().decode("utf-8")
        except (urllib.error.URLError, OSError) as error:
            raise CommandError(f"cannot fetch {url}: {error}") from None
