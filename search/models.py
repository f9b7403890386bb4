"""Synonyms editors manage, best bets, the indexing outbox, and what shoppers search for and open (search.analytics)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet

from site_content.models import SNIPPET_VIEWSET

from .documents import SEARCHABLE_MODELS
from .text import normalise_query


def terms_of(text):
    """Terms of a comma-separated list (ASCII or full-width commas, 、 and semicolons too), stripped, no repeats."""
    for comma in ("，", "、", ";", "；"):
        text = text.replace(comma, ",")
    return list(dict.fromkeys(t.strip() for t in text.split(",") if t.strip()))


class Synonym(models.Model):
    """A group of words shoppers use for the same thing, applied to every search from the moment it is saved.

    `terms` all find each other (土豆, 马铃薯, 洋芋, potato). `narrower` words are found by a search for
    any of the terms but do not find them back (水果 finds 苹果; 苹果 does not find every fruit).
    Groups shipped in search/data/synonyms.txt carry their first term as `dictionary_key`, so
    `manage.py load_synonyms` adds the missing ones and never overwrites an editor's change.
    """

    terms = models.CharField(
        _("equivalent terms"),
        max_length=500,
        help_text=_("Words or phrases that mean the same, separated by commas, e.g. 土豆, 马铃薯, 洋芋, potato"),
    )
    narrower = models.CharField(
        _("narrower terms"),
        max_length=1000,
        blank=True,
        help_text=_(
            "Optional: kinds of the thing above, separated by commas. A search for the terms above also "
            "finds them, but they do not find the terms above, e.g. 红富士, 嘎啦 under 苹果"
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    dictionary_key = models.CharField(_("dictionary key"), max_length=100, blank=True, db_index=True, editable=False)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    panels = [FieldPanel("terms"), FieldPanel("narrower"), FieldPanel("note")]

    class Meta:
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        ordering = ["terms"]

    def __str__(self):
        return f"{self.terms} => {self.narrower}" if self.narrower else self.terms

    def clean(self):
        if not terms_of(self.terms):
            raise ValidationError({"terms": _("Give at least one word.")})
        if len(terms_of(self.terms)) < 2 and not terms_of(self.narrower):
            raise ValidationError({"terms": _("Give at least two words that mean the same, or a narrower term below.")})

    def term_list(self):
        return terms_of(self.terms)

    def narrower_list(self):
        return terms_of(self.narrower)


register_snippet(Synonym, viewset=SNIPPET_VIEWSET)


class BestBetQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(
            models.Q(starts_at__isnull=True) | models.Q(starts_at__lte=now),
            models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=now),
        )

    def for_query(self, normalised_query, now=None):
        return self.active(now).filter(query=normalised_query, page__live=True).order_by("sort_order", "pk")


class BestBet(models.Model):
    """A page editors pin to the top of the results for one query, between two dates.

    The query matches as shoppers' queries are counted (search.analytics.normalise: case, spacing,
    width and traditional characters do not matter); the page shows in the visitor's language
    through its translation when it has one.
    """

    query = models.CharField(
        _("query"), max_length=100, help_text=_("The search, as a shopper types it, e.g. 新米 or new rice")
    )
    page = models.ForeignKey("wagtailcore.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField(_("from"), null=True, blank=True, help_text=_("Empty: from now"))
    ends_at = models.DateTimeField(_("until"), null=True, blank=True, help_text=_("Empty: until removed"))
    sort_order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower comes first when a query has several pinned pages")
    )

    objects = BestBetQuerySet.as_manager()

    panels = [
        FieldPanel("query"),
        FieldPanel("page"),
        FieldPanel("starts_at"),
        FieldPanel("ends_at"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("best bet")
        verbose_name_plural = _("best bets")
        ordering = ["query", "sort_order"]

    def __str__(self):
        return f"{self.query} → {self.page}"

    def clean(self):
        errors = {}
        self.query = normalise_query(self.query)
        if not self.query:
            errors["query"] = _("Give the search this page is pinned for.")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The end must come after the start.")
        if self.page_id and self.page.specific_class not in SEARCHABLE_MODELS.values():
            errors["page"] = _("Pin a brand, product, story, broadcast or policy news page.")
        if errors:
            raise ValidationError(errors)


register_snippet(BestBet, viewset=SNIPPET_VIEWSET)


class IndexOutboxQuerySet(models.QuerySet):
    def due(self, now=None):
        return self.filter(next_attempt_at__lte=now or timezone.now()).order_by("id")


class IndexOutbox(models.Model):
    """A page whose search document must be brought up to date, written in the change's transaction.

    The row names the page, not the document: the worker reads the page's current state when it
    applies the row, so replaying rows in any order, or twice, gives the same index.
    """

    class Action(models.TextChoices):
        INDEX = "index", _("index")
        DELETE = "delete", _("delete")

    page_id = models.IntegerField(_("page id"), db_index=True)  # not a FK: deleted pages must stay queued
    action = models.CharField(_("action"), max_length=10, choices=Action.choices, default=Action.INDEX)
    created = models.DateTimeField(_("created"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now, db_index=True)
    last_error = models.TextField(_("last error"), blank=True)

    objects = IndexOutboxQuerySet.as_manager()

    class Meta:
        verbose_name = _("search index update")
        verbose_name_plural = _("search index updates")

    def __str__(self):
        return f"{self.action} page {self.page_id}"

    @staticmethod
    def backoff(attempts):
        """Seconds to wait after the n-th failure: 2, 4, 8 ... capped at 5 minutes."""
        return min(2**attempts, 300)

    @classmethod
    def record_failure(cls, ids, error):
        """Push rows back with exponential backoff; one UPDATE per distinct attempt count."""
        now = timezone.now()
        for attempts in set(cls.objects.filter(id__in=ids).values_list("attempts", flat=True)):
            cls.objects.filter(id__in=ids, attempts=attempts).update(
                attempts=attempts + 1,
                next_attempt_at=now + datetime.timedelta(seconds=cls.backoff(attempts + 1)),
                last_error=str(error)[:2000],
            )


class SearchTermQuerySet(models.QuerySet):
    def for_report(self):
        return self.order_by("-searches", "-last_seen")


class SearchTerm(models.Model):
    """One query as shoppers typed it (normalised), and what they did with its results.

    In the spirit of OpenSearch's User Behavior Insights, without anything about the person: no IP,
    no user, no session. The counters are what the "search terms" report shows; search.analytics
    keeps the table bounded (a flood of random queries evicts the rarest and stalest terms).
    """

    query = models.CharField(_("query"), max_length=100, unique=True)
    searches = models.PositiveIntegerField(_("searches"), default=0)
    zero_results = models.PositiveIntegerField(_("searches without results"), default=0)
    searches_clicked = models.PositiveIntegerField(_("searches with a click"), default=0)
    first_click_positions = models.PositiveIntegerField(_("sum of first-click positions"), default=0)
    far_first_clicks = models.PositiveIntegerField(_("first clicks far down"), default=0)
    first_seen = models.DateTimeField(_("first searched"), default=timezone.now)
    last_seen = models.DateTimeField(_("last searched"), default=timezone.now, db_index=True)

    objects = SearchTermQuerySet.as_manager()

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        ordering = ["-searches", "-last_seen"]

    def __str__(self):
        return self.query

    @property
    def click_through_rate(self):
        """Share of searches with at least one result clicked."""
        return self.searches_clicked / self.searches if self.searches else 0.0

    @property
    def zero_result_rate(self):
        return self.zero_results / self.searches if self.searches else 0.0

    @property
    def average_first_click(self):
        """Mean position (1 = top) of the first result clicked, or None before any click."""
        return self.first_click_positions / self.searches_clicked if self.searches_clicked else None


class SearchEvent(models.Model):
    """One search a shopper ran (UBI's query record): what its clicks are attributed to, kept briefly."""

    id = models.CharField(primary_key=True, max_length=32, editable=False)  # random, handed to the page
    term = models.ForeignKey(SearchTerm, on_delete=models.CASCADE, related_name="events")
    language = models.CharField(_("language"), max_length=10)
    answered_by = models.CharField(_("answered by"), max_length=10)  # "engine" or "database"
    results = models.PositiveIntegerField(_("results"))
    first_click_position = models.PositiveSmallIntegerField(_("first click position"), null=True, blank=True)
    created = models.DateTimeField(_("searched"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("search event")
        verbose_name_plural = _("search events")

    def __str__(self):
        return f"{self.term} ({self.created:%Y-%m-%d %H:%M})"


class SearchClick(models.Model):
    """A result a shopper opened from a search (UBI's event with action_name "click")."""

    event = models.ForeignKey(SearchEvent, on_delete=models.CASCADE, related_name="clicks")
    page_id = models.PositiveIntegerField(_("page id"))
    position = models.PositiveSmallIntegerField(_("position"))  # 1 is the first result of the first page
    result_type = models.CharField(_("result type"), max_length=20, blank=True)
    created = models.DateTimeField(_("clicked"), default=timezone.now)

    class Meta:
        verbose_name = _("search click")
        verbose_name_plural = _("search clicks")
        constraints = [models.UniqueConstraint(fields=["event", "page_id"], name="one_click_per_result_per_search")]

    def __str__(self):
        return f"{self.event_id} #{self.position}"
