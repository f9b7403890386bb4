"""Each spam and abuse defence, tried on its own; bad input is a form error or a 4xx, never a 500."""

import pytest
from django.core import mail
from django.urls import reverse

from feedback import spam
from feedback.models import BODY_MAX_LENGTH, Question, Review

from .conftest import render_product_feedback, review_on

pytestmark = pytest.mark.django_db


def review_data(**overrides):
    data = {
        "rating": "5",
        "title": "好米",
        "body": "煮饭很香。",
        "lot_code": "",
        "display_name": "小陈",
        "email": "chen@example.com",
        "website": "",
    }
    data.update(overrides)
    return data


def post_review(client, product, **overrides):
    return client.post(reverse("feedback:submit_review", args=[product.pk]), review_data(**overrides))


def test_honeypot_filled_looks_like_success_but_stores_and_sends_nothing(client, product):
    """A bot that fills the hidden field is redirected like a person, and nothing is saved or emailed."""
    response = post_review(client, product, website="http://spam.example")
    assert response.status_code == 302
    assert not Review.objects.exists()
    assert mail.outbox == []


def test_honeypot_is_in_the_form_but_out_of_sight(product):
    """The rendered form carries the trap, hidden from people and assistive technology."""
    html = render_product_feedback(product)
    assert 'class="feedback-hp" aria-hidden="true"' in html
    assert 'name="website"' in html and 'tabindex="-1"' in html


def test_rate_limit_per_client_address(client, product):
    """The sixth submission in an hour from one address gets 429 and a message, with different emails."""
    for n in range(spam.PER_IP):
        assert post_review(client, product, email=f"b{n}@example.com").status_code == 302
    response = post_review(client, product, email="fresh@example.com")
    assert response.status_code == 429
    assert response.context["form"].non_field_errors()
    assert Review.objects.count() == spam.PER_IP


def test_rate_limit_per_email_address(client, product):
    """The fourth submission in an hour for one email is refused on the email field, from any client."""
    for n in range(spam.PER_EMAIL):
        response = client.post(
            reverse("feedback:submit_review", args=[product.pk]), review_data(), REMOTE_ADDR=f"10.0.0.{n}"
        )
        assert response.status_code == 302
    response = client.post(
        reverse("feedback:submit_review", args=[product.pk]),
        review_data(email="CHEN@example.com"),
        REMOTE_ADDR="10.0.1.1",
    )
    assert response.status_code == 429
    assert "email" in response.context["form"].errors
    assert len(mail.outbox) == spam.PER_EMAIL


def test_too_long_text_is_a_field_error(client, product):
    """A body over the maximum length is refused on the body field."""
    response = post_review(client, product, body="好" * (BODY_MAX_LENGTH + 1))
    assert response.status_code == 400
    assert "body" in response.context["form"].errors
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    "body",
    ["便宜货看这里 https://spam.example/x", "加微信 www.example.cn", "去 cheap-rice.shop 买", "ftp://x.example"],
)
def test_links_in_text_are_refused_with_a_clear_message(client, product, body):
    """Bodies with web addresses are refused on the field, saying to leave links out."""
    response = post_review(client, product, body=body)
    assert response.status_code == 400
    assert "links" in " ".join(response.context["form"].errors["body"]) or "链接" in " ".join(
        response.context["form"].errors["body"]
    )


def test_links_in_title_and_name_are_refused_too(client, product):
    """A link hidden in the title or the display name is refused on that field."""
    response = post_review(client, product, title="看 example.com", display_name="www.example.com")
    assert set(response.context["form"].errors) >= {"title", "display_name"}


def test_html_is_escaped_on_the_page(product):
    """Markup in an approved review is shown as text, never run."""
    review_on(product, title="<b>粗体</b>", body='<script>alert("x")</script>', display_name="<img src=x>")
    html = render_product_feedback(product)
    assert "<script>alert" not in html and "<img src=x>" not in html and "<b>粗体" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"rating": "9"}, "rating"),
        ({"rating": "x"}, "rating"),
        ({"email": "not-an-email"}, "email"),
        ({"display_name": ""}, "display_name"),
        ({"lot_code": "WC70-0000"}, "lot_code"),
        ({"lot_code": "ABC"}, "lot_code"),
    ],
)
def test_bad_input_is_a_form_error_on_its_field(client, product, overrides, field):
    """Each malformed field comes back as a 400 with the error on that field."""
    response = post_review(client, product, **overrides)
    assert response.status_code == 400
    assert field in response.context["form"].errors


def test_get_on_submit_urls_is_405(client, product):
    """The submit URLs only accept POST."""
    assert client.get(reverse("feedback:submit_review", args=[product.pk])).status_code == 405
    assert client.get(reverse("feedback:submit_question", args=[product.pk])).status_code == 405


def test_unknown_or_unsuitable_pages_are_404(client, product, site_tree):
    """Reviews need a live product; questions a product or brand page."""
    assert post_review(client, type("P", (), {"pk": 999999})).status_code == 404
    response = client.post(
        reverse("feedback:submit_question", args=[site_tree.home.pk]),
        {"body": "你好", "display_name": "a", "email": "a@example.com"},
    )
    assert response.status_code == 404
    assert not Question.objects.exists()


def test_csrf_is_required(product):
    """A cross-site form post without the token is refused."""
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        reverse("feedback:submit_review", args=[product.pk]), review_data()
    )
    assert response.status_code == 403


def test_sent_page_ignores_a_bad_page_parameter(client):
    """?page= with nonsense still renders the check-your-inbox page."""
    assert client.get(reverse("feedback:sent") + "?page=abc").status_code == 200
    assert client.get(reverse("feedback:sent") + "?page=999999").status_code == 200
