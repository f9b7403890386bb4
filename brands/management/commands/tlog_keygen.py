"""Make the transparency log's Ed25519 signing key, in a file only its owner can read."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from brands.tlog import LogError, Signer


class Command(BaseCommand):
    help = (
        "Make a new Ed25519 signing key for the provenance log and write it to FILE (mode 0600). "
        "Point TLOG_SIGNING_KEY_FILE at it; the key never goes into the database. Prints the public "
        "verifier key, which the site publishes and witnesses pin."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the private key, e.g. /etc/farmcast/tlog.key")
        parser.add_argument(
            "--name",
            required=True,
            help="The log's origin and key name: a schema-less URL such as farmcast.example/provenance",
        )

    def handle(self, *args, file, name, **options):
        path = Path(file)
        if path.exists():
            # Replacing the key would orphan every checkpoint already signed and pinned by witnesses.
            raise CommandError(f"{path} exists; a log keeps its key. Remove it by hand if you really mean to.")
        try:
            signer = Signer.generate(name)
        except LogError as error:
            raise CommandError(str(error)) from None
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(f"{signer}\n")
        self.stdout.write(f"wrote {path} (keep it secret, back it up)")
        self.stdout.write(f"verifier key: {signer.verifier}")
