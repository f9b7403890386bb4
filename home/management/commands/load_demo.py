"""`manage.py load_demo`: realistic, bilingual demo content. Safe to run again: it only adds what is missing."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from home.demo.build import ADMIN_PASSWORD, ADMIN_USERNAME, Loader, summary


class Command(BaseCommand):
    help = "Load demo brands, products, stories, broadcasts and policy news (idempotent)."

    def handle(self, *args, **options):
        started = time.monotonic()
        # One transaction: a failure half-way leaves the database as it was, and SQLite is much faster.
        with transaction.atomic():
            created = Loader().run()
        # The shipped synonym dictionary (search/data/synonyms.txt), added as editable groups.
        call_command("load_synonyms", stdout=self.stdout)
        elapsed = time.monotonic() - started
        if created:
            self.stdout.write("Created: " + ", ".join(f"{n} {kind}" for kind, n in created.items()))
        else:
            self.stdout.write("Nothing to do: the demo content is already loaded.")
        self.stdout.write("Demo now has: " + ", ".join(f"{n} {kind}" for kind, n in summary().items()))
        self.stdout.write(
            self.style.SUCCESS(f"Done in {elapsed:.1f}s. Admin login: {ADMIN_USERNAME} / {ADMIN_PASSWORD}")
        )
