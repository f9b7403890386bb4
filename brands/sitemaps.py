"""Trace pages in /sitemap.xml: one entry per public batch that has sealed events."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.utils import translation

from .models.provenance import Batch


class TraceSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return (
            Batch.objects.visible()
            .filter(events__seal__gt="")
            .annotate(last_sealed=Max("events__sealed_at"))
            .order_by("lot_code")
        )

    def location(self, batch):
        # Crawlers get the default-language URL; /en/ pages are reached through hreflang-free links.
        with translation.override(settings.LANGUAGE_CODE):
            return batch.get_absolute_url()

    def lastmod(self, batch):
        return batch.last_sealed
