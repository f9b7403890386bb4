"""Query helpers every page type's QuerySet builds on."""

from django.db.models import Prefetch
from wagtail.images import get_image_model
from wagtail.models import PageManager
from wagtail.query import PageQuerySet


def card_renditions(image_field, *specs):
    """Prefetch the renditions a card template shows of `image_field`, for every card in one query.

    The specs must match the card template's `{% srcset_image %}` / `{% image %}` filters exactly;
    Wagtail then finds them in `prefetched_renditions` instead of querying per card.
    """
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec__in=specs)
    return Prefetch(f"{image_field}__renditions", renditions, to_attr="prefetched_renditions")


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
