"""`manage.py policy_region_setup <region-code>`: a government's own policy section, groups and review workflow."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from site_content.models import Region
from stories.policy.permissions import PolicySetupError, setup_policy_region


class Command(BaseCommand):
    help = (
        "Create (idempotently) a region's policy section under /policy/, its government editors and reviewers "
        "groups, a document collection and a submit → approve workflow."
    )

    def add_arguments(self, parser):
        parser.add_argument("region", nargs="+", help="administrative code (e.g. 230000) or slug (e.g. heilongjiang)")
        parser.add_argument("--title", help="the section's title (default: '<region>政策')")

    def handle(self, *args, **options):
        for value in options["region"]:
            region = Region.objects.with_ancestors().filter(Q(code=value) | Q(slug=value)).first()
            if region is None:
                raise CommandError(f"No region with code or slug {value!r}.")
            try:
                result = setup_policy_region(region, title=options.get("title"))
            except PolicySetupError as error:
                raise CommandError(str(error)) from error
            for line in result.created:
                self.stdout.write(f"  created {line}")
            self.stdout.write(
                self.style.SUCCESS(
                    f"{region.name}: section {result.section.url_path}, groups '{result.editors.name}' and "
                    f"'{result.reviewers.name}', workflow '{result.workflow.name}'"
                    + ("" if result.created else " (already set up, nothing changed)")
                )
            )
