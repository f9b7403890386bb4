"""Synonyms editors manage, the indexing outbox, and the queries that found nothing."""

import datetime

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet


class Synonym(models.Model):
    """One line of equivalent terms, e.g. `脐橙, 橙子, navel orange`, applied at the next rebuild."""

    terms = models.CharField(
        _("equivalent terms"),
        max_length=500,
        help_text=_("Words or phrases that mean the same, separated by commas, e.g. 脐橙, 橙子, navel orange"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    panels = [FieldPanel("terms"), FieldPanel("note")]

    class Meta:
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        ordering = ["terms"]

    def __str__(self):
        return self.terms

    def term_list(self):
        return [t.strip() for t in self.terms.replace("，", ",").split(",") if t.strip()]


register_snippet(Synonym)


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


class NoResultQuery(models.Model):
    """A search that found nothing: editors read these to know what content to write next."""

    query = models.CharField(_("query"), max_length=200, unique=True)
    count = models.PositiveIntegerField(_("times searched"), default=1)
    first_seen = models.DateTimeField(_("first searched"), default=timezone.now)
    last_seen = models.DateTimeField(_("last searched"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("search with no results")
        verbose_name_plural = _("searches with no results")
        ordering = ["-count", "-last_seen"]

    def __str__(self):
        return self.query

    @classmethod
    def record(cls, query):
        query = " ".join(query.split())[:200]
        if not query:
            return
        now = timezone.now()
        # F() + 1 in one UPDATE: concurrent searches never lose a count (no read-modify-write).
        if cls.objects.filter(query=query).update(count=F("count") + 1, last_seen=now):
            return
        try:
            with transaction.atomic():
                cls.objects.create(query=query, first_seen=now, last_seen=now)
        except IntegrityError:
            cls.objects.filter(query=query).update(count=F("count") + 1, last_seen=now)
