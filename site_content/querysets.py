"""Query helpers every page type's QuerySet builds on."""

from django.db.models import Exists, OuterRef, Prefetch
from django.db.models.functions import Length, Substr
from django.utils.functional import SimpleLazyObject
from wagtail.images import get_image_model
from wagtail.models import PageManager, PageViewRestriction
from wagtail.query import PageQuerySet


def private_pages_q(path="path"):
    """Pages inside a section with a view restriction (the restricted page is a prefix of their path).

    Wagtail's `private_q()` runs a query for the restrictions each time a queryset calls `public()`,
    seven times on the home page; as a subquery it costs nothing more than the listing's own query.
    `path` names the page's path from the queryset's model: "product__path" for rows that hang off a page.
    """
    restricted = PageViewRestriction.objects.filter(page__path=Substr(OuterRef(path), 1, Length("page__path")))
    return Exists(restricted)


def lazy(compute):
    """A context value that runs `compute()` on first use: no queries when the page never shows it.

    Pages whose content comes from a cached fragment (`{% fragment %}`) then skip the queries behind it;
    the value behaves as what `compute()` returns (iterate it, test it, read its attributes).
    """
    return SimpleLazyObject(compute)


def card_renditions(image_field, *specs):
    """Prefetch the renditions a card template shows of `image_field`, for every card in one query.

    The specs must match the card template's `{% srcset_image %}` / `{% image %}` filters exactly;
    Wagtail then finds them in `prefetched_renditions` instead of querying per card.
    """
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec__in=specs)
    return Prefetch(f"{image_field}__renditions", renditions, to_attr="prefetched_renditions")


class FarmcastPageQuerySet(PageQuerySet):
    def private_q(self):
        return private_pages_q()

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
