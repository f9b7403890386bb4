"""JSON-LD ratings, the search helper and the demo data, all from approved reviews only."""

import pytest

from feedback.demo import create_demo_feedback
from feedback.models import Question, Review, Status
from feedback.ratings import average_rating, ratings_for
from feedback.schema import rating_data
from feedback.stats import response_times

from .conftest import review_on

pytestmark = pytest.mark.django_db


def test_rating_data_counts_only_approved_reviews(product):
    """Pending, rejected and unconfirmed reviews stay out of aggregateRating and review."""
    review_on(product, rating=5)
    review_on(product, rating=4, title="第二条")
    review_on(product, rating=1, status=Status.PENDING)
    review_on(product, rating=1, status=Status.REJECTED, rejection_reason="广告")
    review_on(product, rating=1, status=Status.UNCONFIRMED, confirmed_at=None)
    data = rating_data(product)
    assert data["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": 4.5,
        "reviewCount": 2,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert {r["reviewRating"]["ratingValue"] for r in data["review"]} == {4, 5}
    assert all("email" not in str(r) for r in data["review"])


def test_rating_data_is_empty_without_approved_reviews(product):
    """No approved review: nothing to merge, so no empty aggregateRating (Google rejects those)."""
    review_on(product, status=Status.PENDING)
    assert rating_data(product) == {}


def test_average_rating_for_search(product, other_product):
    """average_rating() for one product, ratings_for() for many in one query."""
    review_on(product, rating=5)
    review_on(product, rating=2)
    assert average_rating(product) == 3.5
    assert average_rating(other_product) is None
    assert ratings_for([product, other_product]) == {
        product.pk: {"average": 3.5, "count": 2},
        other_product.pk: {"average": None, "count": 0},
    }


def test_demo_feedback_is_realistic_and_idempotent(product, other_product, brand):
    """Mostly 4–5 stars with a few lower, answered questions, figures on the brand; a second run adds nothing."""
    from brands.models.provenance import Batch

    Batch.objects.create(product=product, quantity=10, unit="kg")
    Batch.objects.create(product=other_product, quantity=10, unit="kg")
    create_demo_feedback([product, other_product])
    reviews = Review.objects.approved()
    assert reviews.count() >= 8
    ratings = list(reviews.values_list("rating", flat=True))
    assert sum(r >= 4 for r in ratings) > len(ratings) / 2
    assert Question.objects.approved().answered().exists()
    assert response_times(brand).answered > 0
    counts = (Review.objects.count(), Question.objects.count())
    assert create_demo_feedback([product, other_product]) == {"reviews": 0, "questions": 0, "answers": 0}
    assert (Review.objects.count(), Question.objects.count()) == counts
