"""`manage.py load_synonyms`: add the shipped synonym groups (search/data/synonyms.txt) that are missing.

Idempotent, and an editor's change wins: a group whose key (its first term as shipped) is already
in the database is left as it is, even if an editor changed its words since.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from search.models import Synonym
from search.synonyms import dictionary_file, forget, parse_dictionary


class Command(BaseCommand):
    help = "Add the shipped synonym dictionary's groups that are not in the database yet (never overwrites)."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=None, help="A dictionary file in the same format (default: shipped)")

    def handle(self, *args, **options):
        path = options["file"] or dictionary_file()
        with open(path, encoding="utf-8") as file:
            groups = parse_dictionary(file.read())
        known = set(Synonym.objects.exclude(dictionary_key="").values_list("dictionary_key", flat=True))
        new = [
            Synonym(
                terms=", ".join(terms),
                narrower=", ".join(narrower),
                note=note[:200],
                dictionary_key=terms[0][:100],
            )
            for terms, narrower, note in groups
            if terms[0][:100] not in known
        ]
        with transaction.atomic():
            Synonym.objects.bulk_create(new)
        # bulk_create sends no post_save: tell every process the dictionary changed.
        forget()
        self.stdout.write(f"{len(new)} synonym groups added, {len(groups) - len(new)} already there.")
