"""Broadcasts: upcoming, live now, then the replay, at /replays/<slug>/."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.images import get_image_model
from wagtail.models import Page, PageManager
from wagtail.search import index

from site_content.querysets import FarmcastPageQuerySet
from site_content.seo import SeoMixin, absolute_image_url
from site_content.validators import http_url

from .models_common import PUBLISHER

# --- Broadcasts: /replays/<slug>/ ---------------------------------------------------------


__all__ = ["ReplayIndexPage", "BroadcastQuerySet", "BroadcastReplayPage"]


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
