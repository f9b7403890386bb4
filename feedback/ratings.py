"""Ratings for other parts of the site (search documents, JSON-LD), from approved reviews only."""

from django.db.models import Avg, Count

from .models import Review


def rating_summary(product):
    """{"average": float | None, "count": int} over the product's approved reviews, in one query."""
    summary = Review.objects.approved().on_page(product).aggregate(average=Avg("rating"), count=Count("pk"))
    if summary["average"] is not None:
        summary["average"] = round(float(summary["average"]), 2)
    return summary


def average_rating(product):
    """The product's average rating (1–5, two decimals), or None before its first approved review."""
    return rating_summary(product)["average"]


def ratings_for(products):
    """{product.pk: {"average", "count"}} for many products in one query (for bulk indexing).

    Keyed by the pages passed in; reviews left on any translation of a product count for all of them.
    """
    keys = {p.translation_key: p.pk for p in products}
    rows = (
        Review.objects.approved()
        .filter(product__translation_key__in=keys)
        .values("product__translation_key")
        .annotate(average=Avg("rating"), count=Count("pk"))
    )
    by_key = {row["product__translation_key"]: row for row in rows}
    result = {}
    for product in products:
        row = by_key.get(product.translation_key)
        result[product.pk] = (
            {"average": round(float(row["average"]), 2), "count": row["count"]}
            if row
            else {"average": None, "count": 0}
        )
    return result
