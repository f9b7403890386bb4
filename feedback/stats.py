"""How fast a brand answers its buyers, computed in the database.

Two queries per brand whatever the volume: one over the answers (durations, and the median on
PostgreSQL), one counting what is still unanswered after 48 hours. The brand page reads them through
`cached_response_times`: the figures as data, keyed on the brand's feedback version, which every saved or
deleted review, question or answer below the brand moves on (so an answer shows at once), and kept at most
ten minutes, because the figures also move with the clock (an item becomes overdue 48 hours after it was asked).
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from wagtail.models import Page

from .models import Answer, Question, Review, Status

WINDOW = timedelta(days=90)
FAST = timedelta(hours=48)
# Rejected items are spam or abuse: answering them is not the brand's job, so they do not count.
COUNTED = [Status.PENDING, Status.APPROVED]
# How long the brand page may show figures the clock has moved on from (an item turning overdue).
CACHE_SECONDS = 10 * 60


class Median(Aggregate):
    """PostgreSQL's continuous median; it interpolates, so an even count gives the mean of the middle two."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


@dataclass(frozen=True)
class ResponseTimes:
    asked: int  # items that count: answered, or unanswered for longer than FAST
    answered: int
    answered_fast: int
    median: timedelta | None

    @property
    def share_fast(self):
        """Share of the counted items answered within 48 hours, 0–1; None when nothing counts yet."""
        return self.answered_fast / self.asked if self.asked else None

    @property
    def share_fast_percent(self):
        share = self.share_fast
        return None if share is None else round(share * 100)

    @property
    def median_hours(self):
        return None if self.median is None else self.median.total_seconds() / 3600


def _median_of_sorted(values):
    if not values:
        return None
    middle = len(values) // 2
    if len(values) % 2:
        return values[middle]
    return (values[middle - 1] + values[middle]) / 2


def response_times(brand, now=None):
    """Median time to answer and share answered within 48 hours, for items asked in the last 90 days."""
    now = now or timezone.now()
    since = now - WINDOW
    reviews = Review.objects.for_brand(brand).confirmed().filter(status__in=COUNTED, created_at__gte=since)
    questions = Question.objects.for_brand(brand).confirmed().filter(status__in=COUNTED, created_at__gte=since)

    answers = (
        Answer.objects.filter(Q(review__in=reviews.values("pk")) | Q(question__in=questions.values("pk")))
        .annotate(asked_at=Coalesce("review__created_at", "question__created_at"))
        .annotate(duration=ExpressionWrapper(F("answered_at") - F("asked_at"), output_field=DurationField()))
    )
    if connection.vendor == "postgresql":
        figures = answers.aggregate(
            answered=Count("pk"), answered_fast=Count("pk", filter=Q(duration__lte=FAST)), median=Median("duration")
        )
    else:
        # SQLite has no percentile aggregate: the database orders the durations, we pick the middle.
        durations = list(answers.order_by("duration").values_list("duration", flat=True))
        figures = {
            "answered": len(durations),
            "answered_fast": sum(1 for d in durations if d <= FAST),
            "median": _median_of_sorted(durations),
        }

    # Unanswered items younger than FAST may still be answered in time: they do not count against the brand yet.
    overdue = now - FAST
    unanswered = (
        reviews.unanswered()
        .filter(created_at__lt=overdue)
        .order_by()
        .values("pk")
        .union(questions.unanswered().filter(created_at__lt=overdue).order_by().values("pk"), all=True)
        .count()
    )
    return ResponseTimes(asked=figures["answered"] + unanswered, **figures)


def _version_key(translation_key):
    return f"feedback-version:{translation_key}"


def feedback_version(translation_key):
    """The brand's (or any page's) feedback version: a token that changes whenever feedback below it changes."""
    return cache.get_or_set(_version_key(translation_key), lambda: uuid.uuid4().hex, None)


def cached_response_times(brand):
    """`response_times(brand)`, from the cache while no feedback below the brand changed (at most CACHE_SECONDS)."""
    key = f"feedback-response-times:{brand.translation_key}:{feedback_version(brand.translation_key)}"
    return cache.get_or_set(key, lambda: response_times(brand), CACHE_SECONDS)


def _feedback_changed(sender, instance, **kwargs):
    """A review, question or answer was saved or deleted: every page above it (its brand among them) gets a new
    version, in every language (translations share the translation key)."""
    item = instance.item if isinstance(instance, Answer) else instance
    if item is None:
        return
    page_id = item.product_id if isinstance(item, Review) else item.page_id
    page = Page.objects.filter(pk=page_id).only("path", "depth").first()
    if page is None:
        return
    keys = [
        _version_key(key)
        for key in Page.objects.ancestor_of(page, inclusive=True).values_list("translation_key", flat=True)
    ]
    cache.delete_many(keys)
    # Again after the commit: a page rendered in between would have cached the old figures under the new version.
    transaction.on_commit(lambda: cache.delete_many(keys))


def connect():
    """Called by FeedbackConfig.ready()."""
    for model in (Review, Question, Answer):
        post_save.connect(_feedback_changed, sender=model, dispatch_uid=f"feedback-version-save-{model.__name__}")
        post_delete.connect(_feedback_changed, sender=model, dispatch_uid=f"feedback-version-delete-{model.__name__}")
