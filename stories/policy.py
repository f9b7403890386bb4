"""Policy news from local governments, at /policy/ and /policy/<region>/<slug>/."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from site_content.models import BilingualNameMixin
from site_content.querysets import FarmcastPageQuerySet, lazy
from site_content.seo import SeoMixin

# --- Policy news: /policy/<region>/<slug>/ ------------------------------------------------


__all__ = ["PolicyTopic", "PolicyIndexPage", "PolicyNewsQuerySet", "PolicyNewsPage", "PolicyAttachment"]


class PolicyTopic(BilingualNameMixin):
    """A policy topic readers filter and subscribe by: subsidies, training, cold chain..."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    panels = [FieldPanel("name"), FieldPanel("name_en"), FieldPanel("slug")]

    class Meta:
        verbose_name = _("policy topic")
        verbose_name_plural = _("policy topics")
        ordering = ["name"]


register_snippet(PolicyTopic)


class PolicyIndexPage(RoutablePageMixin, SeoMixin, Page):
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
    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("region"), FieldPanel("introduction")]
    promote_panels = SeoMixin.promote_panels
    parent_page_types = ["home.HomePage", "stories.PolicyIndexPage"]
    subpage_types = ["stories.PolicyIndexPage", "stories.PolicyNewsPage"]
    page_description = _("Policy news: all regions at /policy/, or one region's section at /policy/<region>/")

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
            from .policy_filters import listing_context

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

    # Feeds and subscriptions are routes of the page, so /en/policy/feed/rss/ works like /policy/feed/rss/.
    @path("feed/rss/", name="feed_rss")
    def feed_rss(self, request):
        from . import policy_views

        return policy_views.rss(self, request)

    @path("feed/atom/", name="feed_atom")
    def feed_atom(self, request):
        from . import policy_views

        return policy_views.atom(self, request)

    @path("subscribe/", name="subscribe")
    def subscribe(self, request):
        from . import policy_views

        return policy_views.subscribe(self, request)

    @path("subscribe/confirm/<str:token>/", name="confirm")
    def confirm(self, request, token):
        from . import policy_views

        return policy_views.confirm(self, request, token)

    @path("unsubscribe/<str:token>/", name="unsubscribe")
    def unsubscribe(self, request, token):
        from . import policy_views

        return policy_views.unsubscribe(self, request, token)


class PolicyNewsQuerySet(FarmcastPageQuerySet):
    def for_cards(self):
        return self.prefetch_related("topics", "regions")

    def for_region(self, region):
        """News for `region`, its ancestors (a county reader needs provincial news) and descendants."""
        if region is None:
            return self.order_by("-effective_date")
        lineage = [r.pk for r in region.ancestors_and_self()]
        return (
            self.filter(Q(regions__in=lineage) | Q(regions__parent=region) | Q(regions__parent__parent=region))
            .distinct()
            .order_by("-effective_date")
        )


class PolicyNewsPage(SeoMixin, Page):
    """A policy document or announcement from a local government."""

    authority = models.CharField(_("issuing authority"), max_length=120)
    document_number = models.CharField(_("document number (文号)"), max_length=80, blank=True)
    regions = ParentalManyToManyField(
        "site_content.Region", verbose_name=_("applies to regions"), related_name="policy_news"
    )
    topics = ParentalManyToManyField(PolicyTopic, verbose_name=_("topics"), blank=True, related_name="news")
    effective_date = models.DateField(_("takes effect"))
    expiry_date = models.DateField(_("expires"), null=True, blank=True)
    summary = models.TextField(_("summary"), max_length=500)
    body = RichTextField(_("full text"), features=["h3", "bold", "italic", "link", "ol", "ul", "document-link"])
    contact = models.CharField(_("contact"), max_length=200, blank=True)

    objects = PageManager.from_queryset(PolicyNewsQuerySet)()

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("authority"), FieldPanel("document_number")]),
        FieldRowPanel([FieldPanel("regions"), FieldPanel("topics")]),
        FieldRowPanel([FieldPanel("effective_date"), FieldPanel("expiry_date")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("Attached documents")),
        FieldPanel("contact"),
    ]
    promote_panels = SeoMixin.promote_panels
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("authority"),
        index.SearchField("document_number"),
        index.FilterField("effective_date"),
    ]
    parent_page_types = ["stories.PolicyIndexPage"]
    subpage_types = []
    page_description = _("A policy update from a local government: dates, regions, topics, documents")

    class Meta:
        verbose_name = _("policy news")
        verbose_name_plural = _("policy news")

    def clean(self):
        super().clean()
        if self.expiry_date and self.effective_date and self.expiry_date <= self.effective_date:
            raise ValidationError({"expiry_date": _("A policy must expire after it takes effect.")})

    def status(self, today=None):
        today = today or timezone.localdate()
        if today < self.effective_date:
            return "pending"
        if self.expiry_date and today >= self.expiry_date:
            return "expired"
        return "in_force"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: building the queryset costs more than reading the cached fragment that shows it.
        context["attachments"] = lazy(lambda: self.attachments.select_related("document"))
        return context

    def structured_data(self, request):
        return [
            {
                "@type": "NewsArticle",
                "headline": self.title[:110],
                "description": self.search_description or self.summary,
                "datePublished": (self.first_published_at or timezone.now()).isoformat(),
                "dateModified": (self.last_published_at or timezone.now()).isoformat(),
                "url": self.get_full_url(request),
                "author": {"@type": "GovernmentOrganization", "name": self.authority},
                "publisher": {"@type": "GovernmentOrganization", "name": self.authority},
            }
        ]


class PolicyAttachment(Orderable):
    page = ParentalKey(PolicyNewsPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("document"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    def clean(self):
        super().clean()
        document = self.document if self.document_id else None
        if document is None:
            return
        extension = (document.file_extension or "").lower()
        if extension not in ATTACHMENT_EXTENSIONS:
            raise ValidationError(
                {
                    "document": _("Attach a PDF, Word (DOCX) or Excel (XLSX) file, not “%(ext)s”.")
                    % {"ext": extension or "?"}
                }
            )
        size = document.get_file_size()
        if size is None:
            raise ValidationError({"document": _("The document's file is missing; upload it again.")})
        if size > ATTACHMENT_MAX_SIZE:
            raise ValidationError(
                {
                    "document": _("The file is %(size)s MB; policy attachments may be at most %(max)s MB.")
                    % {"size": round(size / 1024 / 1024, 1), "max": ATTACHMENT_MAX_SIZE // 1024 // 1024}
                }
            )


# Notices are read on phones over rural mobile networks: keep attachments in formats every phone
# opens and small enough to download.
ATTACHMENT_EXTENSIONS = {"pdf", "docx", "xlsx"}
ATTACHMENT_MAX_SIZE = 10 * 1024 * 1024

# Subscriptions are models of this app too; importing them registers them and their publish signal.
from .policy_subscriptions import PolicyNotification, PolicySubscription  # noqa: E402

__all__ += ["PolicySubscription", "PolicyNotification"]
