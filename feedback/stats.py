"""How fast a brand answers its buyers, computed in the database.

Two queries per brand whatever the volume: one over the answers (durations, and the median on
PostgreSQL), one counting what is still unanswered after 48 hours.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Answer, Question, Review, Status

WINDOW = timedelta(days=90)
FAST = timedelta(hours=48)
# Rejected items are spam or abuse: answering them is not the brand's job, so they do not count.
COUNTED = [Status.PENDING, Status.APPROVED]


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
