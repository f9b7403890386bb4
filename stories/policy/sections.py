"""The policy section pages: /policy/ lists every region's news, /policy/<region>/ one region's.

Their routes serve the feeds and the subscription pages (views.py), so /en/policy/feed/rss/ works like
/policy/feed/rss/ and no project URL needs to know them.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from site_content.pages import SectionIndexPage
from site_content.querysets import lazy

from . import views
from .filters import listing_context


class PolicyIndexPage(RoutablePageMixin, SectionIndexPage):
    """/policy/ lists every region's news; each region's section (/policy/<region>/) is one too."""

    region = models.ForeignKey(
        "site_content.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policy_sections",
        help_text=_("Leave empty for the national /policy/ page; set it for a region's own section."),
    )

    content_panels = Page.content_panels + [FieldPanel("region"), FieldPanel("introduction")]
    parent_page_types = ["home.HomePage", "stories.PolicyIndexPage"]
    subpage_types = ["stories.PolicyIndexPage", "stories.PolicyNewsPage"]
    max_count_per_parent = None  # /policy/ holds a section for each region
    page_description = _("Policy news: all regions at /policy/, or one region's section at /policy/<region>/")
    # Its listing's filters (filters.py) and its feeds' (feeds.py), for the page cache's key.
    cache_query_params = ("page", "region", "topic", "status", "from", "to")

    class Meta:
        verbose_name = _("policy section")
        verbose_name_plural = _("policy sections")

    def clean(self):
        super().clean()
        parent = self.get_parent() if self.pk else None
        if parent is not None and isinstance(parent.specific, PolicyIndexPage) and not self.region_id:
            raise ValidationError({"region": _("A region's policy section needs its region.")})

    def get_context(self, request, *args, listing=True, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy, like the listing below: none of it is queried when the content comes from the fragment cache.
        context["sections"] = lazy(
            lambda: PolicyIndexPage.objects.child_of(self).live().public().select_related("region")
        )
        context["top_page"] = lazy(self.top_page)
        if listing:
            keys = ("filter_form", "filter_messages", "filter_values", "filtered", "region_options")
            keys += ("topic_counts", "status_counts", "news")
            listing = lazy(lambda: listing_context(self, request))
            context.update({key: lazy(lambda key=key: listing[key]) for key in keys})
        return context

    def top_page(self):
        """/policy/ in this page's language: the subscription links live there."""
        if self.region_id is None:
            return self
        return PolicyIndexPage.objects.ancestor_of(self).filter(region__isnull=True).order_by("depth").first() or self

    @path("feed/rss/", name="feed_rss")
    def feed_rss(self, request):
        return views.rss(self, request)

    @path("feed/atom/", name="feed_atom")
    def feed_atom(self, request):
        return views.atom(self, request)

    @path("subscribe/", name="subscribe")
    def subscribe(self, request):
        return views.subscribe(self, request)

    @path("subscribe/confirm/<str:token>/", name="confirm")
    def confirm(self, request, token):
        return views.confirm(self, request, token)

    @path("unsubscribe/<str:token>/", name="unsubscribe")
    def unsubscribe(self, request, token):
        return views.unsubscribe(self, request, token)
