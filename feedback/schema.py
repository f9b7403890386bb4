"""schema.org `aggregateRating` and `review` for a product's JSON-LD, from approved reviews only."""

from django.utils import timezone

from .models import Review
from .ratings import rating_summary

REVIEWS_IN_JSON_LD = 5


def _rating(value):
    return {"@type": "Rating", "ratingValue": value, "bestRating": 5, "worstRating": 1}


def rating_data(product):
    """{"aggregateRating": {...}, "review": [...]} to merge into the Product object; {} before any approved review."""
    summary = rating_summary(product)
    if not summary["count"]:
        return {}
    latest = Review.objects.approved().on_page(product).latest_first()[:REVIEWS_IN_JSON_LD]
    return {
        "aggregateRating": {
            "@type": "AggregateRating",
            "ratingValue": summary["average"],
            "reviewCount": summary["count"],
            "bestRating": 5,
            "worstRating": 1,
        },
        "review": [
            {
                "@type": "Review",
                "name": review.title,
                "reviewBody": review.body,
                "author": {"@type": "Person", "name": review.display_name},
                "datePublished": timezone.localdate(review.created_at).isoformat(),
                "reviewRating": _rating(review.rating),
            }
            for review in latest
        ],
    }
