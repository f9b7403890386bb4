"""Cached pages with forms: each visitor gets their own CSRF token, and their submission works."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from feedback.models import Review
from tests import factories

from .conftest import cache_state, csrf_tokens

pytestmark = pytest.mark.django_db

REVIEW = {
    "rating": "4",
    "title": "新米很香",
    "body": "煮出来有股稻花香，就是包装袋有点薄。",
    "lot_code": "",
    "display_name": "王女士",
    "email": "wang@example.com",
    "website": "",
}


@pytest.fixture
def product(site_tree):
    return factories.make_product(factories.make_brand(site_tree.brands), title="稻花香大米", slug="daohuaxiang")


def test_second_visitor_submits_the_review_form_of_a_cached_product_page(product):
    """The second visitor's copy comes from the cache, carries their own token, and their review is accepted."""
    first = Client(enforce_csrf_checks=True)
    first_response = first.get(product.url)
    assert cache_state(first_response) == "miss"
    first_tokens = csrf_tokens(first_response.content.decode())
    assert first_tokens

    second = Client(enforce_csrf_checks=True)
    second_response = second.get(product.url)
    assert cache_state(second_response) == "hit"
    second_tokens = csrf_tokens(second_response.content.decode())
    assert second_tokens and not set(second_tokens) & set(first_tokens)
    assert "csrftoken" in second_response.cookies

    response = second.post(
        reverse("feedback:submit_review", args=[product.pk]), {**REVIEW, "csrfmiddlewaretoken": second_tokens[0]}
    )
    assert response.status_code == 302
    assert Review.objects.filter(product=product, display_name="王女士").exists()
    assert len(mail.outbox) == 1


def test_first_visitors_token_is_not_handed_to_the_second(product):
    """The first visitor's token does not appear in anyone else's copy, so it cannot be replayed against them."""
    first = Client(enforce_csrf_checks=True)
    first_body = first.get(product.url).content.decode()
    second_body = Client().get(product.url).content.decode()
    for token in csrf_tokens(first_body):
        assert token not in second_body
    assert first.cookies["csrftoken"].value not in second_body


def test_visitor_who_already_has_a_csrf_cookie_still_gets_the_cached_page(product):
    """The CSRF cookie is not a session: a returning visitor is served from the cache, with a matching token."""
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(product.url)
    response = visitor.get(product.url)
    assert cache_state(response) == "hit"
    token = csrf_tokens(response.content.decode())[0]
    posted = visitor.post(
        reverse("feedback:submit_review", args=[product.pk]), {**REVIEW, "csrfmiddlewaretoken": token}
    )
    assert posted.status_code == 302
