"""Response-time figures per brand on known data: median time to answer, share answered within 48 hours."""

from datetime import timedelta

import pytest
from django.utils import timezone

from feedback.models import Status
from feedback.stats import response_times

from .conftest import answer, question_on, review_on

pytestmark = pytest.mark.django_db


def asked_and_answered(page, now, days_ago, hours_to_answer, kind="review", **kw):
    asked = now - timedelta(days=days_ago)
    item = (review_on if kind == "review" else question_on)(page, created_at=asked, **kw)
    if hours_to_answer is not None:
        answer(item, answered_at=asked + timedelta(hours=hours_to_answer))
    return item


def test_median_and_share_on_known_data(product, brand, other_product):
    """Answers after 2, 10, 30 and 60 hours plus one overdue item: median 20 h, 3 of 5 within 48 h."""
    now = timezone.now()
    asked_and_answered(product, now, 10, 2)
    asked_and_answered(product, now, 20, 10, status=Status.PENDING)
    asked_and_answered(brand, now, 30, 30, kind="question")
    asked_and_answered(product, now, 40, 60, kind="question")
    asked_and_answered(product, now, 5, None)  # unanswered for five days: counts against the brand
    # Not counted: too old, answered young, rejected, unconfirmed, another brand's.
    asked_and_answered(product, now, 120, 1)
    asked_and_answered(product, now, 0.5, None)
    asked_and_answered(product, now, 3, 100, status=Status.REJECTED, rejection_reason="广告")
    asked_and_answered(product, now, 3, 100, status=Status.UNCONFIRMED, confirmed_at=None)
    asked_and_answered(other_product, now, 3, 100)

    times = response_times(brand, now=now)
    assert times.answered == 4
    assert times.asked == 5
    assert times.answered_fast == 3
    assert times.median == timedelta(hours=20)
    assert times.share_fast_percent == 60


def test_odd_count_median_is_the_middle_value(product, brand):
    """With three answers the median is the middle one."""
    now = timezone.now()
    for hours in (1, 5, 90):
        asked_and_answered(product, now, 7, hours)
    assert response_times(brand, now=now).median == timedelta(hours=5)


def test_a_brand_without_feedback_has_no_figures(brand):
    """No items: nothing to show, and no division by zero."""
    times = response_times(brand)
    assert times.asked == 0 and times.median is None and times.share_fast is None


def test_figures_take_two_queries_whatever_the_volume(product, brand, django_assert_num_queries):
    """One query over the answers, one counting overdue items (no N+1)."""
    now = timezone.now()
    for n in range(30):
        asked_and_answered(product, now, 1 + n, n % 4 * 20 if n % 5 else None)
    with django_assert_num_queries(2):
        response_times(brand, now=now)


def test_brand_section_shows_the_figures(product, brand):
    """The brand page's tag prints the median and the share."""
    from django.template import engines

    now = timezone.now()
    asked_and_answered(product, now, 3, 5)
    html = (
        engines["django"].from_string("{% load feedback_tags %}{% brand_response_times page %}").render({"page": brand})
    )
    assert "100%" in html and "5" in html


def _brand_figures(brand):
    from django.template import engines

    template = "{% load feedback_tags %}{% brand_response_times page %}"
    return engines["django"].from_string(template).render({"page": brand})


def test_the_brand_page_reads_its_figures_from_the_cache_until_feedback_changes(
    product, brand, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """A second render makes no query; a new answer (saved, committed) shows on the next render at once."""
    now = timezone.now()
    asked_and_answered(product, now, 3, 5)
    first = _brand_figures(brand)
    with django_assert_num_queries(0):
        assert _brand_figures(brand) == first
    with django_capture_on_commit_callbacks(execute=True):
        late = review_on(product, created_at=now - timedelta(days=4))
        answer(late, answered_at=now - timedelta(days=1))  # after 72 hours: no longer 100% within 48
    assert "50%" in _brand_figures(brand) and "100%" in first


def test_feedback_below_the_brand_moves_its_version_on(product, brand, django_capture_on_commit_callbacks):
    """Deleting an answer on one of the brand's products changes the version the brand's figures are kept under."""
    from feedback.stats import feedback_version

    now = timezone.now()
    item = asked_and_answered(product, now, 3, 5)
    before = feedback_version(brand.translation_key)
    with django_capture_on_commit_callbacks(execute=True):
        item.answer.delete()
    assert feedback_version(brand.translation_key) != before
