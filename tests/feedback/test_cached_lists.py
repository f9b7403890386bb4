"""Reviews and questions on public pages come from cached fragments: a cached view queries none of them,
and a review, question or answer saved shows on the next view. The forms stay outside the fragments."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import answer, question_on, review_on

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fragment_cache")]

FEEDBACK_TABLES = ("feedback_review", "feedback_question", "feedback_answer")


def feedback_queries(client, url):
    """(HTML, the SQL of the view's queries that read reviews, questions or answers)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    sql = [q["sql"] for q in queries.captured_queries if any(table in q["sql"] for table in FEEDBACK_TABLES)]
    return response.content.decode(), sql


def reviews_section(html):
    return html[html.index('class="section feedback-reviews"') :]


def test_a_cached_product_view_reads_no_feedback_and_still_has_both_forms(client, product):
    review_on(product, title="米香浓郁")
    answer(question_on(product, body="能放多久？"), body="阴凉处一年。")
    first, first_sql = feedback_queries(client, product.url)
    assert first_sql  # the first view builds the lists
    second, second_sql = feedback_queries(client, product.url)
    assert second_sql == []
    assert "米香浓郁" in second and "阴凉处一年。" in second
    assert 'name="rating"' in second and 'name="csrfmiddlewaretoken"' in second  # the review form, outside


def test_a_review_approved_after_a_cached_view_shows_on_the_next(client, product, commits):
    feedback_queries(client, product.url)
    with commits():
        review_on(product, title="第二次回购")
    assert "第二次回购" in feedback_queries(client, product.url)[0]


def test_an_answer_to_a_question_shows_on_the_next_view_of_the_brand_page(client, brand, commits):
    """The brand page's questions list is the same cached fragment: an answer saved moves it on."""
    question = question_on(brand, body="有机认证了吗？")
    assert "有机认证了吗？" not in feedback_queries(client, brand.url)[0]  # unanswered: not listed
    feedback_queries(client, brand.url)
    with commits():
        answer(question, body="去年拿到了证书。")
    html = feedback_queries(client, brand.url)[0]
    assert "有机认证了吗？" in html and "去年拿到了证书。" in html


def test_each_page_of_reviews_is_its_own_fragment(client, product):
    for n in range(7):
        review_on(product, title=f"评价{n}")
    # The list itself (the head's structured data names the newest reviews on every page).
    first_page, second_page = (
        reviews_section(feedback_queries(client, url)[0]) for url in (product.url, f"{product.url}?reviews_page=2")
    )
    assert "评价6" in first_page and "评价6" not in second_page
    assert "评价0" in second_page and "评价0" not in first_page
