"""Brand stories, broadcasts (upcoming, live, replay) and policy news, with their index pages."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from site_content.blocks import StoryStreamBlock
from site_content.models import BilingualNameMixin
from site_content.querysets import FarmcastPageQuerySet
from site_content.seo import SeoMixin, absolute_image_url
from site_content.validators import http_url

PUBLISHER = {"@type": "Organization", "name": "Farmcast 农播"}


# --- Brand stories: /stories/<slug>/ -------------------------------------------------------


class StoryIndexPage(SeoMixin, Page):
    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    promote_panels = SeoMixin.promote_panels
    parent_page_types = ["site_content.HomePage"]
    subpage_types = ["stories.BrandStoryPage"]
    max_count_per_parent = 1
    page_description = _("The list of brand stories, at /stories/")

    class Meta:
        verbose_name = _("story index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        stories = BrandStoryPage.objects.child_of(self).visible().for_cards().order_by("-date", "-pk")
        # get_page() turns a missing, malformed or out-of-range ?page= into a valid page, never a 500.
        context["stories"] = Paginator(stories, 24).get_page(request.GET.get("page"))
        return context


class BrandStoryQuerySet(FarmcastPageQuerySet):
    def for_cards(self):
        # The renditions components/story_card.html shows, for all cards in one query.
        renditions = get_image_model().get_rendition_model().objects.filter
        return self.select_related("hero_image", "brand").prefetch_related(
            Prefetch(
                "hero_image__renditions",
                renditions(filter_spec__in=["fill-400x250|format-webp", "fill-800x500|format-webp"]),
                to_attr="prefetched_renditions",
            )
        )


class BrandStoryPage(SeoMixin, Page):
    """A story about a brand, its people and products, told with text, photos, quotes and video."""

    date = models.DateField(_("date"), default=timezone.localdate)
    introduction = models.CharField(_("introduction"), max_length=250)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    brand = models.ForeignKey(
        "brands.FarmBrandPage",
        verbose_name=_("brand"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
    )
    products = ParentalManyToManyField(
        "brands.ProductPage", verbose_name=_("products"), blank=True, related_name="stories"
    )
    body = StreamField(StoryStreamBlock(), verbose_name=_("story"))
    author = models.CharField(_("author"), max_length=80, blank=True)

    objects = PageManager.from_queryset(BrandStoryQuerySet)()

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("date"), FieldPanel("author")]),
        FieldPanel("introduction"),
        FieldPanel("hero_image"),
        FieldRowPanel([FieldPanel("brand"), FieldPanel("products")]),
        FieldPanel("body"),
    ]
    promote_panels = SeoMixin.promote_panels
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
        index.RelatedFields("brand", [index.SearchField("title")]),
        index.FilterField("date"),
    ]
    parent_page_types = ["stories.StoryIndexPage"]
    subpage_types = []
    page_description = _("A story about a farm brand and its products")

    class Meta:
        verbose_name = _("brand story")
        verbose_name_plural = _("brand stories")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from brands.models import ProductPage

        # By primary key, because in a preview `self.products` is an in-memory list, not a queryset.
        product_ids = [product.pk for product in self.products.all()]
        context["related_products"] = ProductPage.objects.filter(pk__in=product_ids).visible().for_cards()
        return context

    def get_social_image(self):
        return self.social_image or self.hero_image

    def structured_data(self, request):
        data = {
            "@type": "Article",
            "headline": self.title[:110],
            "description": self.search_description or self.introduction,
            "datePublished": self.date.isoformat(),
            "dateModified": (self.last_published_at or timezone.now()).isoformat(),
            "url": self.get_full_url(request),
            "publisher": PUBLISHER,
            "author": {"@type": "Person", "name": self.author} if self.author else PUBLISHER,
        }
        if self.hero_image:
            data["image"] = absolute_image_url(request, self.hero_image)
        return [data]


# --- Broadcasts: /replays/<slug>/ ---------------------------------------------------------


class ReplayIndexPage(SeoMixin, Page):
    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    promote_panels = SeoMixin.promote_panels
    parent_page_types = ["site_content.HomePage"]
    subpage_types = ["stories.BroadcastReplayPage"]
    max_count_per_parent = 1
    page_description = _("Live broadcasts and their replays, at /replays/")

    class Meta:
        verbose_name = _("broadcast index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        broadcasts = BroadcastReplayPage.objects.child_of(self).visible().for_cards()
        context["live_and_upcoming"] = broadcasts.not_ended(now).order_by("scheduled_start")
        # get_page() turns a missing, malformed or out-of-range ?page= into a valid page, never a 500.
        context["replays"] = Paginator(broadcasts.replays(now), 24).get_page(request.GET.get("page"))
        return context


class BroadcastQuerySet(FarmcastPageQuerySet):
    def for_cards(self):
        # The renditions components/broadcast_card.html shows, for all cards in one query.
        renditions = get_image_model().get_rendition_model().objects.filter
        return self.select_related("poster_image", "brand").prefetch_related(
            Prefetch(
                "poster_image__renditions",
                renditions(filter_spec__in=["fill-400x225|format-webp", "fill-800x450|format-webp"]),
                to_attr="prefetched_renditions",
            )
        )

    def upcoming(self, now):
        return self.filter(scheduled_start__gt=now).order_by("scheduled_start")

    def live_at(self, now):
        return self.filter(scheduled_start__lte=now, scheduled_end__gt=now)

    def not_ended(self, now):
        return self.filter(scheduled_end__gt=now)

    def replays(self, now):
        return self.filter(scheduled_end__lte=now).order_by("-scheduled_start")


class BroadcastReplayPage(SeoMixin, Page):
    """One live-commerce broadcast: announced while upcoming, linked while live, a replay after."""

    class State(models.TextChoices):
        UPCOMING = "upcoming", _("Upcoming")
        LIVE = "live", _("Live now")
        REPLAY = "replay", _("Replay")

    brand = models.ForeignKey(
        "brands.FarmBrandPage",
        verbose_name=_("brand"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="broadcasts",
    )
    host = models.CharField(_("host"), max_length=80)
    summary = models.CharField(_("summary"), max_length=250)
    description = RichTextField(_("description"), features=["bold", "italic", "link", "ul"], blank=True)
    scheduled_start = models.DateTimeField(_("scheduled start"))
    scheduled_end = models.DateTimeField(_("scheduled end"))
    live_room_url = models.URLField(_("live room"), blank=True, validators=[http_url])
    replay_embed_url = models.URLField(
        _("replay video link"), blank=True, validators=[http_url], help_text=_("A video page Wagtail can embed")
    )
    replay_video = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("replay video file"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("An uploaded WebM or MP4 file, played by the browser"),
    )
    poster_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("poster image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)

    objects = PageManager.from_queryset(BroadcastQuerySet)()

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("brand"), FieldPanel("host")]),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldRowPanel(
            [FieldPanel("scheduled_start"), FieldPanel("scheduled_end")], heading=_("Schedule (Beijing time)")
        ),
        FieldPanel("live_room_url"),
        MultiFieldPanel(
            [
                FieldPanel("replay_embed_url"),
                FieldPanel("replay_video"),
                FieldPanel("poster_image"),
                FieldPanel("duration_seconds"),
            ],
            _("Replay"),
        ),
    ]
    promote_panels = SeoMixin.promote_panels
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("host"),
        index.RelatedFields("brand", [index.SearchField("title")]),
        index.FilterField("scheduled_start"),
    ]
    parent_page_types = ["stories.ReplayIndexPage"]
    subpage_types = []
    page_description = _("A live-commerce broadcast: upcoming, live now, then its replay")

    class Meta:
        verbose_name = _("broadcast")
        verbose_name_plural = _("broadcasts")

    def clean(self):
        super().clean()
        if self.scheduled_start and self.scheduled_end and self.scheduled_end <= self.scheduled_start:
            raise ValidationError({"scheduled_end": _("A broadcast must end after it starts.")})

    def state(self, now=None):
        now = now or timezone.now()
        if now < self.scheduled_start:
            return self.State.UPCOMING
        if now < self.scheduled_end:
            return self.State.LIVE
        return self.State.REPLAY

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["state"] = self.state()
        return context

    def get_social_image(self):
        return self.social_image or self.poster_image

    def structured_data(self, request):
        state = self.state()
        url = self.get_full_url(request)
        image = absolute_image_url(request, self.poster_image)
        if state == self.State.REPLAY:
            data = {
                "@type": "VideoObject",
                "name": self.title,
                "description": self.search_description or self.summary,
                "uploadDate": self.scheduled_end.isoformat(),
                "url": url,
            }
            if image:
                data["thumbnailUrl"] = image
            if self.duration_seconds:
                data["duration"] = f"PT{self.duration_seconds}S"
            return [data]
        data = {
            "@type": "Event",
            "name": self.title,
            "description": self.search_description or self.summary,
            "startDate": self.scheduled_start.isoformat(),
            "endDate": self.scheduled_end.isoformat(),
            "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
            "eventStatus": "https://schema.org/EventScheduled",
            "location": {"@type": "VirtualLocation", "url": self.live_room_url or url},
            "organizer": {"@type": "Organization", "name": self.brand.title if self.brand else PUBLISHER["name"]},
            "url": url,
        }
        if image:
            data["image"] = image
        return [data]


# --- Policy news: /policy/<region>/<slug>/ ------------------------------------------------


class PolicyTopic(BilingualNameMixin):
    """A policy topic readers filter and subscribe by: subsidies, training, cold chain..."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    panels = [FieldPanel("name"), FieldPanel("name_en"), FieldPanel("slug")]

    class Meta:
        verbose_name = _("policy topic")
        verbose_name_plural = _("policy topics")
        ordering = ["name"]


register_snippet(PolicyTopic)


class PolicyIndexPage(SeoMixin, Page):
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
    parent_page_types = ["site_content.HomePage", "stories.PolicyIndexPage"]
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

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = PolicyIndexPage.objects.child_of(self).live().public().select_related("region")
        news = PolicyNewsPage.objects.descendant_of(self).visible().for_cards().order_by("-effective_date", "-pk")
        # get_page() turns a missing, malformed or out-of-range ?page= into a valid page, never a 500.
        context["news"] = Paginator(news, 20).get_page(request.GET.get("page"))
        return context


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
        context["attachments"] = self.attachments.select_related("document")
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
