"""The product page's feedback section makes the same few queries with 3 reviews or 100."""

import pytest
from django.utils import timezone

from feedback.models import Review, Status

from .conftest import answer, question_on, render_product_feedback, review_on

pytestmark = pytest.mark.django_db


def add_reviews(product, n):
    Review.objects.bulk_create(
        Review(
            product=product,
            rating=4 + i % 2,
            title=f"评价{i}",
            body="好吃",
            display_name="王",
            email="a@example.com",
            status=Status.APPROVED,
            confirmed_at=timezone.now(),
        )
        for i in range(n)
    )
    for review in Review.objects.filter(product=product)[:n:2]:
        answer(review)
    for _ in range(3):
        answer(question_on(product))


@pytest.mark.parametrize("count", [3, 100])
def test_feedback_section_query_count_does_not_grow(product, brand, count, django_assert_num_queries):
    """Aggregate, one page of reviews with answers, one page of answered questions: 3 queries (no N+1)."""
    add_reviews(product, count)
    with django_assert_num_queries(3):
        html = render_product_feedback(product, brand=brand)
    assert html.count('class="feedback-item"') >= 3


@pytest.mark.parametrize("value", ["abc", "-1", "0", "99999", "2.5", "", "1e9"])
def test_bad_page_numbers_do_not_500(product, value):
    """Any ?reviews_page= or ?questions_page= value renders a page of results."""
    for i in range(12):
        review_on(product, title=f"评价{i}")
    html = render_product_feedback(product, query=f"?reviews_page={value}&questions_page={value}")
    assert "评价" in html


def test_pagination_reaches_older_reviews(product):
    """Page 2 shows older reviews than page 1."""
    from datetime import timedelta

    now = timezone.now()
    for i in range(7):
        review_on(product, title=f"第{i}条", created_at=now - timedelta(days=i))
    assert "第0条" in render_product_feedback(product) and "第6条" not in render_product_feedback(product)
    page2 = render_product_feedback(product, query="?reviews_page=2")
    assert "第6条" in page2 and "第0条" not in page2
