"""What every section's index page (/brands/, /stories/, /replays/, /policy/) has in common."""

from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from .rooms import SectionPageMixin
from .seo import SeoMixin


class SectionIndexPage(SectionPageMixin, SeoMixin, Page):
    """A section's front page: an editor's introduction above a listing of the pages below it.

    Its URL is printed and linked everywhere: once published, only a superuser deletes, moves,
    unpublishes or renames it (site_content/rooms.py).

    Subclasses say where they go (`parent_page_types`), what goes below (`subpage_types`) and list it
    with `page_of()`.
    """

    PER_PAGE = 24
    # The query parameters the page reads (`page_of`): the page cache keys on these and no others.
    cache_query_params = ("page",)

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    promote_panels = SeoMixin.promote_panels
    max_count_per_parent = 1

    class Meta:
        abstract = True

    def page_of(self, request, items):
        """The page of `items` that `?page=` asks for; a missing, malformed or out-of-range value gives a valid one."""
        return Paginator(items, self.PER_PAGE).get_page(request.GET.get("page"))
