"""`manage.py site_address http://127.0.0.1:8000`: the default Site answers at the address the site is served on.

Wagtail builds absolute links (the read API's, emails', `get_full_url`) from the Site's hostname and
port. `make run` calls this with the address runserver listens on, so those links lead back to it.
"""

from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site


class Command(BaseCommand):
    help = "Point the default Site at the given address (scheme://host:port), as `make run` serves it."

    def add_arguments(self, parser):
        parser.add_argument("url", help="e.g. http://127.0.0.1:8000")

    def handle(self, *args, url, **options):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise CommandError(f"{url!r} is not an address like http://127.0.0.1:8000")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            raise CommandError("There is no default Site: run `manage.py migrate` first.")
        if (site.hostname, site.port) != (parts.hostname, port):
            site.hostname, site.port = parts.hostname, port
            site.save(update_fields=["hostname", "port"])
        self.stdout.write(f"{site.site_name}: {site.root_url}")
