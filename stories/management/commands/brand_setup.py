"""`manage.py brand_setup <slug>`: a brand's own editor group, collection and moderation scope."""

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale

from brands.models import FarmBrandPage
from brands.rooms import setup_brand
from stories.models import ReplayIndexPage, StoryIndexPage


class Command(BaseCommand):
    help = (
        "Create (idempotently) a brand's editor group: its page and products, its stories and replays, its "
        "files (uploads private until published), its buyers' feedback and its provenance; nobody else's."
    )

    def add_arguments(self, parser):
        parser.add_argument("brand", nargs="+", help="the brand page's slug (e.g. wuchang-daoyuan)")

    def handle(self, *args, **options):
        locale = Locale.get_default()
        stories = StoryIndexPage.objects.filter(locale=locale).first()
        replays = ReplayIndexPage.objects.filter(locale=locale).first()
        for slug in options["brand"]:
            brand = FarmBrandPage.objects.filter(slug=slug, locale=locale).first()
            if brand is None:
                raise CommandError(f"No brand page with the slug {slug!r}.")
            room = setup_brand(brand, stories=stories, replays=replays)
            for line in room.created:
                self.stdout.write(f"  created {line}")
            self.stdout.write(
                self.style.SUCCESS(
                    f"{brand.title}: group '{room.editors.name}', collection '{room.collection}'"
                    + ("" if room.created else " (already set up, nothing changed)")
                )
            )
