"""Query helpers every page type's QuerySet builds on."""

from wagtail.models import PageManager
from wagtail.query import PageQuerySet


class FarmcastPageQuerySet(PageQuerySet):
    def visible(self):
        """What an anonymous visitor may see."""
        return self.live().public()

    def in_locale_of(self, page):
        """Pages in the same language as `page` (each language has its own tree)."""
        return self.filter(locale_id=page.locale_id)

    def for_cards(self):
        """Override to select and prefetch what a card shows, so listings stay at constant queries."""
        return self


FarmcastPageManager = PageManager.from_queryset(FarmcastPageQuerySet)
