"""Broadcasts: upcoming, live now, then the replay, at /replays/<slug>/.

A broadcast's state follows the clock (scheduled start, scheduled or actual end), so every response
that shows a state says, in its cache headers, when it goes stale: at the next start or end.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import slug_re
from django.db import models
from django.db.models import Exists, Min, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index

from brands.models import FarmBrandPage, ProductPage
from brands.rooms import BrandOwnedFormMixin, BrandOwnedPageMixin
from site_content.admin_forms import FarmcastPageForm
from site_content.clock import cache_until, clock, request_now
from site_content.facts import SynchronisedFactsMixin
from site_content.mailing import Subscriber, SubscriberQuerySet
from site_content.models import ProductCategory
from site_content.pages import SectionIndexPage
from site_content.querysets import FarmcastPageQuerySet, card_renditions, lazy
from site_content.seo import PUBLISHER, SeoMixin, absolute_image_url
from site_content.validators import http_url

from .ics import calendar_response
from .vtt import document_cues, parse_pasted_transcript, parse_vtt, read_document_text

logger = logging.getLogger(__name__)


# --- Querying ------------------------------------------------------------------------------


def _ended(now):
    return Q(actual_end__isnull=False, actual_end__lte=now) | Q(actual_end__isnull=True, scheduled_end__lte=now)


class BroadcastQuerySet(FarmcastPageQuerySet):
    def for_cards(self):
        # The renditions components/broadcast_card.html shows, for all cards in one query.
        return self.select_related("poster_image", "brand").prefetch_related(
            card_renditions("poster_image", "fill-400x225|format-webp", "fill-800x450|format-webp")
        )

    def upcoming(self, now):
        return self.filter(scheduled_start__gt=now).exclude(_ended(now)).order_by("scheduled_start")

    def live_at(self, now):
        return self.filter(scheduled_start__lte=now).exclude(_ended(now))

    def not_ended(self, now):
        return self.exclude(_ended(now))

    def replays(self, now):
        return self.filter(_ended(now)).order_by("-scheduled_start")

    def next_change(self, now):
        """When the first of these broadcasts starts or ends after `now`; None if all have ended."""
        found = self.not_ended(now).aggregate(
            next_start=Min("scheduled_start", filter=Q(scheduled_start__gt=now)),
            next_end=Min(Coalesce("actual_end", "scheduled_end")),
        )
        times = [t for t in found.values() if t is not None]
        return min(times) if times else None

    def for_brand(self, brand):
        return self.filter(brand=brand)

    def for_product(self, product):
        """Broadcasts with a chapter that presents `product`."""
        return self.filter(pk__in=BroadcastChapter.objects.of_product(product).values("page_id"))

    def for_category(self, category):
        """Broadcasts that show a product of `category` in a chapter, or whose brand sells one."""
        products = ProductPage.objects.filter(category=category)
        # A product page sits directly under its brand page, so the brand's path is the product's minus a step.
        brand_paths = {p[: -Page.steplen] for p in products.values_list("path", flat=True)}
        chaptered = BroadcastChapter.objects.filter(product__in=products).values("page_id")
        return self.filter(Q(pk__in=chaptered) | Q(brand__path__in=brand_paths))


# --- The index: /replays/ ------------------------------------------------------------------


class ReplayIndexPage(SectionIndexPage):
    parent_page_types = ["home.HomePage"]
    subpage_types = ["stories.BroadcastReplayPage"]
    page_description = _("Live broadcasts and their replays, at /replays/, and their calendar")
    cache_query_params = ("page", "brand", "category", "product")  # the listing's filters, for the page cache

    class Meta:
        verbose_name = _("broadcast index")

    def broadcasts(self):
        return BroadcastReplayPage.objects.child_of(self).visible()

    def next_change(self, now):
        return self.broadcasts().next_change(now)

    def serve(self, request, *args, **kwargs):
        now = request_now(request)
        response = super().serve(request, *args, **kwargs)
        return cache_until(response, request, self.next_change(now), now)

    def filters(self, request):
        """The brand and category the reader chose, and a message for each value that names nothing."""
        chosen, problems = {}, []
        brand_slug = request.GET.get("brand", "").strip()
        if brand_slug:
            # Only a value shaped like a slug reaches the query: PostgreSQL refuses a NUL byte (a 500).
            chosen["brand"] = (
                FarmBrandPage.objects.filter(slug=brand_slug, locale_id=self.locale_id).first()
                if slug_re.match(brand_slug)
                else None
            )
            if chosen["brand"] is None:
                problems.append(_("There is no brand “%(value)s”.") % {"value": brand_slug[:80]})
        category_slug = request.GET.get("category", "").strip()
        if category_slug:
            chosen["category"] = (
                ProductCategory.objects.filter(slug=category_slug).first() if slug_re.match(category_slug) else None
            )
            if chosen["category"] is None:
                problems.append(_("There is no product category “%(value)s”.") % {"value": category_slug[:80]})
        product_slug = request.GET.get("product", "").strip()
        if product_slug:
            chosen["product"] = (
                ProductPage.objects.filter(slug=product_slug, locale_id=self.locale_id).first()
                if slug_re.match(product_slug)
                else None
            )
            if chosen["product"] is None:
                problems.append(_("There is no product “%(value)s”.") % {"value": product_slug[:80]})
        return chosen, problems

    def filtered(self, broadcasts, chosen):
        if "product" in chosen:
            broadcasts = broadcasts.for_product(chosen["product"]) if chosen["product"] else broadcasts.none()
        if "brand" in chosen:
            broadcasts = broadcasts.for_brand(chosen["brand"]) if chosen["brand"] else broadcasts.none()
        if "category" in chosen:
            broadcasts = broadcasts.for_category(chosen["category"]) if chosen["category"] else broadcasts.none()
        return broadcasts

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = request_now(request)
        # Lazy, so none of it is queried when the content comes from the fragment cache.
        filters = lazy(lambda: self.filters(request))
        broadcasts = lazy(lambda: self.filtered(self.broadcasts(), filters[0]).for_cards())
        context["now"] = now
        context["live_and_upcoming"] = lazy(lambda: broadcasts.not_ended(now).order_by("scheduled_start"))
        context["replays"] = lazy(lambda: self.page_of(request, broadcasts.replays(now)))
        context["filter_problems"] = lazy(lambda: filters[1])
        context["chosen"] = lazy(lambda: filters[0])
        context["brand_choices"] = (
            FarmBrandPage.objects.live().filter(pk__in=self.broadcasts().values("brand_id")).order_by("title")
        )
        context["category_choices"] = ProductCategory.objects.order_by("name")
        context["is_filtered"] = lazy(lambda: bool(filters[0]))
        return context

    def calendar(self, request):
        """/replays/calendar.ics: upcoming and live broadcasts, for readers who subscribe in a calendar app.

        Served by stories/broadcasts/urls.py: Wagtail's page URLs cannot contain a dot.
        """
        now = request_now(request)
        broadcasts = self.broadcasts().not_ended(now).order_by("scheduled_start")
        return calendar_response(broadcasts, request, self.title, "farmcast-broadcasts.ics")


# --- One broadcast: /replays/<slug>/ -------------------------------------------------------


class BroadcastPageForm(BrandOwnedFormMixin, FarmcastPageForm):
    """Checks chapters against each other and the video's length, on the chapter that is wrong.

    Its brand is one the editor edits (brands/rooms.py).
    """

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("chapters")
        if formset is None:
            return cleaned_data
        duration = cleaned_data.get("duration_seconds")
        kept = []
        for position, form in enumerate(formset.forms):
            if not form.is_valid():
                continue
            data = form.cleaned_data
            if data.get("DELETE") or data.get("start_seconds") is None:
                continue
            kept.append((data.get("ORDER") or position, position, form))
        previous = None
        for _order, _position, form in sorted(kept, key=lambda item: item[:2]):
            start = form.cleaned_data["start_seconds"]
            if duration is not None and start >= duration:
                message = _("This chapter starts at %(start)s, but the video is only %(duration)s long.")
                error = ValidationError(
                    message, code="after_end", params={"start": clock(start), "duration": clock(duration)}
                )
                form.add_error("start_seconds", error)
            elif previous is not None and start == previous:
                message = _("Another chapter already starts at %(start)s.")
                form.add_error(
                    "start_seconds", ValidationError(message, code="duplicate", params={"start": clock(start)})
                )
            elif previous is not None and start < previous:
                message = _(
                    "Chapters must be in order: this one starts at %(start)s, before the one above (%(previous)s)."
                )
                params = {"start": clock(start), "previous": clock(previous)}
                form.add_error("start_seconds", ValidationError(message, code="out_of_order", params=params))
            previous = start if previous is None else max(previous, start)
        return cleaned_data


class BroadcastReplayPage(BrandOwnedPageMixin, SynchronisedFactsMixin, SeoMixin, Page):
    """One live-commerce broadcast: announced while upcoming, linked while live, a replay after.

    Its brand's editors edit it (brands/rooms.py), wherever it sits under /replays/.
    """

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
    actual_end = models.DateTimeField(
        _("actual end"),
        null=True,
        blank=True,
        help_text=_(
            "Only if the broadcast ended early or ran over: the time it really ended, or will end. "
            "Leave empty to use the scheduled end."
        ),
    )
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
    transcript = models.TextField(
        _("transcript"),
        blank=True,
        help_text=_(
            "Paste WebVTT, or one line per remark starting with its time (“12:34 text”). "
            "Leave empty to use the caption file in the page's language."
        ),
    )

    objects = PageManager.from_queryset(BroadcastQuerySet)()
    base_form_class = BroadcastPageForm
    # The same in every language (site_content/facts.py): times, media, the brand, each chapter's second,
    # product and batch. Titles, summaries, chapter titles and the transcript are words.
    synchronised_fields = (
        "brand",
        "scheduled_start",
        "scheduled_end",
        "actual_end",
        "live_room_url",
        "replay_embed_url",
        "replay_video",
        "poster_image",
        "duration_seconds",
    )
    synchronised_children = {
        "chapters": ("start_seconds", "product", "batch", "sort_order"),
        "caption_tracks": ("language", "file", "sort_order"),
    }

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("brand"), FieldPanel("host")]),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldRowPanel(
            [FieldPanel("scheduled_start"), FieldPanel("scheduled_end")], heading=_("Schedule (Beijing time)")
        ),
        FieldPanel("actual_end"),
        FieldPanel("live_room_url"),
        MultiFieldPanel(
            [
                FieldPanel("replay_video"),
                FieldPanel("poster_image"),
                FieldPanel("replay_embed_url"),
                FieldPanel("duration_seconds"),
            ],
            _("Replay"),
        ),
        InlinePanel("caption_tracks", heading=_("Captions (WebVTT)"), label=_("caption track")),
        InlinePanel("chapters", heading=_("Chapters"), label=_("chapter")),
        FieldPanel("transcript"),
    ]
    promote_panels = SeoMixin.promote_panels
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("host"),
        index.SearchField("transcript_text"),  # pasted or from the caption file: what was said
        index.RelatedFields("brand", [index.SearchField("title")]),
        index.RelatedFields("chapters", [index.SearchField("title")]),
        index.FilterField("scheduled_start"),
    ]
    parent_page_types = ["stories.ReplayIndexPage"]
    subpage_types = []
    page_description = _("A live-commerce broadcast: upcoming, live now, then its replay")
    cache_query_params = ("t",)  # where the replay starts, for the page cache

    class Meta:
        verbose_name = _("broadcast")
        verbose_name_plural = _("broadcasts")

    def clean(self):
        super().clean()
        errors = {}
        if self.scheduled_start and self.scheduled_end and self.scheduled_end <= self.scheduled_start:
            errors["scheduled_end"] = _("A broadcast must end after it starts.")
        if self.actual_end and self.scheduled_start and self.actual_end <= self.scheduled_start:
            errors["actual_end"] = _("A broadcast must end after it starts.")
        try:
            parse_pasted_transcript(self.transcript)
        except ValidationError as error:
            errors["transcript"] = error
        if self.replay_video and not self.replay_video.file.name.lower().endswith((".webm", ".mp4")):
            errors["replay_video"] = _("Choose a WebM or MP4 video: browsers cannot play this file in the page.")
        if errors:
            raise ValidationError(errors)

    # --- State -----------------------------------------------------------------------------

    @property
    def ends_at(self):
        return self.actual_end or self.scheduled_end

    def state(self, now=None):
        now = now or timezone.now()
        if now < self.scheduled_start:
            return self.State.UPCOMING
        if now < self.ends_at:
            return self.State.LIVE
        return self.State.REPLAY

    def next_change(self, now):
        """When this page next shows something else: at the start, at the end, or never."""
        if now < self.scheduled_start:
            return self.scheduled_start
        if now < self.ends_at:
            return self.ends_at
        return None

    def serve(self, request, *args, **kwargs):
        now = request_now(request)
        response = super().serve(request, *args, **kwargs)
        return cache_until(response, request, self.next_change(now), now)

    def calendar(self, request):
        """/replays/<slug>/calendar.ics: this broadcast as an event, from the "add to calendar" link."""
        return calendar_response([self], request, self.title, f"{self.slug}.ics")

    # --- Replay: chapters, captions, transcript ---------------------------------------------

    def moment_url(self, seconds, request=None):
        """The page at `seconds` into the video: ?t= for the server, #t= for the script and shared links."""
        base = self.get_full_url(request) if request is not None else self.url
        return f"{base}?t={int(seconds)}#t={int(seconds)}"

    def chapter_list(self):
        """Chapters in order, each with its end (the next chapter's start, or the video's end)."""
        return self._with_ends(list(self.chapters.all()))

    def _with_ends(self, chapters):
        for i, chapter in enumerate(chapters):
            chapter.end_seconds = chapters[i + 1].start_seconds if i + 1 < len(chapters) else self.duration_seconds
        return chapters

    def caption_track_for_transcript(self):
        tracks = list(self.caption_tracks.all())
        language = "en" if self.locale.language_code.startswith("en") else "zh-Hans"
        return next((t for t in tracks if t.language == language), tracks[0] if tracks else None)

    def transcript_cues(self):
        """The transcript as timed lines: pasted text first, else the caption file in the page's language."""
        try:
            if self.transcript.strip():
                return parse_pasted_transcript(self.transcript)
            track = self.caption_track_for_transcript()
            return document_cues(track.file) if track is not None else []
        except (ValidationError, OSError):
            # Validation refuses bad files on save; one that broke later (edited outside the admin,
            # storage unreachable) costs the transcript, not the page.
            logger.exception("Transcript of broadcast %s could not be read", self.pk)
            return []

    def transcript_text(self):
        """All transcript words as one string, for search indexes."""
        return " ".join(cue.text for cue in self.transcript_cues())

    def chapters_for_search(self):
        """Chapters and transcript lines with their moment, so a search hit can link straight to it."""
        moments = [
            {"kind": "chapter", "start": c.start_seconds, "text": c.title, "url": self.moment_url(c.start_seconds)}
            for c in self.chapters.all()
        ]
        moments += [
            {"kind": "transcript", "start": cue.start, "text": cue.text, "url": self.moment_url(cue.start)}
            for cue in self.transcript_cues()
        ]
        return moments

    def requested_start(self, request):
        """The ?t= a shared link asked for, if it is a whole second inside the video."""
        try:
            seconds = int(request.GET.get("t", ""))
        except ValueError:
            return None
        if seconds < 0 or (self.duration_seconds and seconds >= self.duration_seconds):
            return None
        return seconds

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = request_now(request)
        context["now"] = now
        context["state"] = self.state(now)
        if context["state"] == self.State.REPLAY:
            # Lazy: none of these queries runs when the content comes from the fragment cache.
            context["chapters"] = lazy(self.chapter_list_for_page)
            context["caption_tracks"] = lazy(lambda: list(self.caption_tracks.select_related(None).all()))
            context["transcript"] = lazy(self.transcript_cues)
            context["start_at"] = self.requested_start(request)
        else:
            context["seconds_to_start"] = max(0, int((self.scheduled_start - now).total_seconds()))
            # The "remind me" form says how long before the start it mails (stories/broadcasts/reminders.py).
            context["reminder_minutes"] = getattr(settings, "BROADCAST_REMINDER_MINUTES", 30)
        return context

    def chapter_list_for_page(self):
        products = Prefetch(
            "product",
            queryset=ProductPage.objects.live().select_related("main_image").prefetch_related("buy_links"),
        )
        return self._with_ends(list(self.chapters.prefetch_related(products).all()))

    # --- SEO ---------------------------------------------------------------------------------

    def get_social_image(self):
        return self.social_image or self.poster_image

    def structured_data(self, request):
        now = request_now(request) if request is not None else timezone.now()
        state = self.state(now)
        url = self.get_full_url(request)
        image = absolute_image_url(request, self.poster_image)
        if state == self.State.UPCOMING:
            return [self._event_data(url, image)]
        video = {
            "@type": "VideoObject",
            "name": self.title,
            "description": self.search_description or self.summary,
            "uploadDate": self.scheduled_start.isoformat(),
            "url": url,
        }
        if image:
            video["thumbnailUrl"] = image
        if state == self.State.LIVE:
            video["publication"] = {
                "@type": "BroadcastEvent",
                "isLiveBroadcast": True,
                "startDate": self.scheduled_start.isoformat(),
                "endDate": self.ends_at.isoformat(),
            }
            if self.live_room_url:
                video["embedUrl"] = self.live_room_url
            return [video]
        if self.duration_seconds:
            video["duration"] = f"PT{self.duration_seconds}S"
        if self.replay_video:
            video["contentUrl"] = (
                request.build_absolute_uri(self.replay_video.url) if request else self.replay_video.url
            )
        elif self.replay_embed_url:
            video["embedUrl"] = self.replay_embed_url
        clips = []
        for chapter in self.chapter_list():
            clip = {
                "@type": "Clip",
                "name": chapter.title,
                "startOffset": chapter.start_seconds,
                "url": f"{url}?t={chapter.start_seconds}",
            }
            if chapter.end_seconds is not None:
                clip["endOffset"] = chapter.end_seconds
            clips.append(clip)
        if clips:
            video["hasPart"] = clips
        return [video]

    def _event_data(self, url, image):
        data = {
            "@type": "Event",
            "name": self.title,
            "description": self.search_description or self.summary,
            "startDate": self.scheduled_start.isoformat(),
            "endDate": self.ends_at.isoformat(),
            "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
            "eventStatus": "https://schema.org/EventScheduled",
            "location": {"@type": "VirtualLocation", "url": self.live_room_url or url},
            "organizer": {"@type": "Organization", "name": self.brand.title if self.brand else PUBLISHER["name"]},
            "url": url,
        }
        if image:
            data["image"] = image
        return data


class ChapterQuerySet(models.QuerySet):
    def moments(self, now):
        """Chapters of replays readers can watch, newest broadcast first, with what a moment card shows."""
        replays = BroadcastReplayPage.objects.live().public().replays(now)
        return (
            self.filter(page__in=replays)
            .select_related("page__poster_image")
            .prefetch_related(card_renditions("page__poster_image", "fill-320x180|format-webp"))
            .order_by("-page__scheduled_start", "start_seconds")
        )

    def in_locale(self, locale_id):
        """One chapter per moment: the replay's live translation in `locale_id` where it has one, else the replay."""
        translated = BroadcastReplayPage.objects.live().filter(
            locale_id=locale_id, translation_key=OuterRef("page__translation_key")
        )
        return self.filter(Q(page__locale_id=locale_id) | ~Exists(translated))

    def of_product(self, product):
        """Chapters that present `product`, in whichever language the chapter names it."""
        return self.filter(product__translation_key=product.translation_key)

    def of_batch(self, batch):
        return self.filter(batch=batch)


class BroadcastChapter(Orderable):
    """A moment in the replay: where it starts, what it is called, and the product (and batch) shown then."""

    page = ParentalKey(BroadcastReplayPage, on_delete=models.CASCADE, related_name="chapters")
    start_seconds = models.PositiveIntegerField(
        _("starts at (seconds)"), help_text=_("Seconds from the start of the video: 754 is 12:34.")
    )
    title = models.CharField(_("title"), max_length=120)
    product = models.ForeignKey(
        "brands.ProductPage",
        verbose_name=_("product shown"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="broadcast_chapters",
    )
    batch = models.ForeignKey(
        "brands.Batch",
        verbose_name=_("batch shown"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="broadcast_chapters",
        help_text=_("The harvest this chapter shows: its trace page then links to this moment."),
    )

    objects = ChapterQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("start_seconds"), FieldPanel("title")]),
        FieldRowPanel([FieldPanel("product"), FieldPanel("batch")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")

    @property
    def clock(self):
        return clock(self.start_seconds)

    @property
    def url(self):
        """The replay at this chapter's second."""
        return self.page.moment_url(self.start_seconds)

    def clean(self):
        super().clean()
        if self.batch_id and self.product_id and self.batch.product_id != self.product_id:
            raise ValidationError({"batch": _("This batch is of another product than the one this chapter shows.")})


class BroadcastCaptionTrack(Orderable):
    """A WebVTT caption file for the replay video, in one language."""

    class Language(models.TextChoices):
        CHINESE = "zh-Hans", "中文"
        ENGLISH = "en", "English"

    page = ParentalKey(BroadcastReplayPage, on_delete=models.CASCADE, related_name="caption_tracks")
    language = models.CharField(_("language"), max_length=10, choices=Language.choices, default=Language.CHINESE)
    file = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("WebVTT file"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("A .vtt caption file, saved as UTF-8."),
    )

    panels = [FieldRowPanel([FieldPanel("language"), FieldPanel("file")])]

    class Meta(Orderable.Meta):
        verbose_name = _("caption track")
        verbose_name_plural = _("caption tracks")

    @property
    def label(self):
        return self.get_language_display()

    def clean(self):
        super().clean()
        if self.file_id is None:
            return
        try:
            parse_vtt(read_document_text(self.file))
        except ValidationError as error:
            raise ValidationError({"file": error}) from error
        except OSError as error:
            raise ValidationError(
                {"file": ValidationError(_("This file could not be read."), code="unreadable")}
            ) from error


# --- Reminders: "提醒我" on an upcoming broadcast (reminders.py) -------------------------------------


class ReminderQuerySet(SubscriberQuerySet):
    def unsent(self):
        return self.filter(sent_at__isnull=True)


class BroadcastReminder(Subscriber):
    """An address to mail once, a few minutes before the broadcast starts."""

    broadcast = models.ForeignKey(
        BroadcastReplayPage, verbose_name=_("broadcast"), on_delete=models.CASCADE, related_name="reminders"
    )
    # The start time the queued task that will send this reminder was enqueued for: a publish that moves
    # the start finds reminders whose task is for another time, and queues one for the new time.
    scheduled_for = models.DateTimeField(_("queued for the start at"), null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("broadcast reminder")
        verbose_name_plural = _("broadcast reminders")
        constraints = [models.UniqueConstraint(fields=["broadcast", "email"], name="broadcast_reminder_once")]
