"""A buyer's review and question from the form to the product page, through email and the admin."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from feedback.models import Question, Review, Status

from .conftest import render_product_feedback

pytestmark = pytest.mark.django_db

REVIEW = {
    "rating": "4",
    "title": "新米很香",
    "body": "煮出来有股稻花香，就是包装袋有点薄。",
    "lot_code": "",
    "display_name": "王女士",
    "email": "Wang@Example.com",
    "website": "",
}


def confirmation_link(message):
    return re.search(r"http://testserver(/\S+/confirm/\S+/)", message.body).group(1)


def test_review_is_confirmed_approved_answered_and_shown(client, product, brand, brand_editor):
    """Submit → email → confirm → a brand editor approves and answers in the admin → both appear on the page."""
    response = client.post(reverse("feedback:submit_review", args=[product.pk]), REVIEW)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("feedback:sent"))
    review = Review.objects.get()
    assert review.status == Status.UNCONFIRMED
    assert review.email == "wang@example.com"
    assert "新米很香" not in render_product_feedback(product, brand=brand)

    assert client.get(response["Location"]).status_code == 200
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["wang@example.com"]
    response = client.post(confirmation_link(mail.outbox[0]))
    assert response.status_code == 200
    review.refresh_from_db()
    assert review.status == Status.PENDING and review.confirmed_at is not None
    assert "新米很香" not in render_product_feedback(product, brand=brand), "pending is not public"

    client.force_login(brand_editor)
    edit_url = reverse("wagtailsnippets_feedback_review:edit", args=[review.pk])
    assert client.get(edit_url).status_code == 200
    response = client.post(
        edit_url, {"status": Status.APPROVED, "rejection_reason": "", "answer": "谢谢！下一批换加厚包装袋。"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    review.refresh_from_db()
    assert review.status == Status.APPROVED
    assert review.answer.answered_by == brand_editor

    html = render_product_feedback(product, brand=brand)
    assert "新米很香" in html
    assert "谢谢！下一批换加厚包装袋。" in html
    assert "wang@example.com" not in html.lower(), "the email is never displayed"


def test_question_on_a_brand_page_is_answered_and_shown(client, brand, brand_editor):
    """A question asked on the brand page, confirmed and answered, shows in the brand's section."""
    response = client.post(
        reverse("feedback:submit_question", args=[brand.pk]),
        {"body": "合作社可以去参观吗？", "display_name": "小陈", "email": "chen@example.com", "website": ""},
    )
    assert response.status_code == 302
    client.post(confirmation_link(mail.outbox[0]))
    question = Question.objects.get()
    client.force_login(brand_editor)
    response = client.post(
        reverse("wagtailsnippets_feedback_question:edit", args=[question.pk]),
        {"status": Status.APPROVED, "rejection_reason": "", "answer": "欢迎秋收时来，提前一周联系我们。"},
    )
    assert response.status_code == 302
    from django.template import engines
    from django.test import RequestFactory

    html = (
        engines["django"]
        .from_string("{% load feedback_tags %}{% brand_feedback page %}")
        .render({"page": brand}, request=RequestFactory().get("/"))
    )
    assert "合作社可以去参观吗？" in html and "欢迎秋收时来" in html


def test_rejecting_needs_a_reason_and_hides_the_review(client, product, brand_editor):
    """Reject without a reason is a form error on that field; with one, the review stays hidden."""
    from .conftest import review_on

    review = review_on(product, status=Status.PENDING)
    client.force_login(brand_editor)
    url = reverse("wagtailsnippets_feedback_review:edit", args=[review.pk])
    response = client.post(url, {"status": Status.REJECTED, "rejection_reason": "", "answer": ""})
    assert response.status_code == 200
    assert "rejection_reason" in response.context["form"].errors
    response = client.post(url, {"status": Status.REJECTED, "rejection_reason": "广告", "answer": ""})
    assert response.status_code == 302
    assert not Review.objects.approved().exists()


def test_confirming_twice_is_harmless(client, product):
    """The second click on the button says thanks again and changes nothing."""
    client.post(reverse("feedback:submit_review", args=[product.pk]), REVIEW)
    link = confirmation_link(mail.outbox[0])
    assert client.post(link).status_code == 200
    first = Review.objects.get().confirmed_at
    assert client.post(link).status_code == 200
    assert Review.objects.get().confirmed_at == first


def test_tampered_and_expired_links_are_refused(client, product, settings):
    """A changed token is 400; one older than 48 hours is 410; neither confirms anything."""
    client.post(reverse("feedback:submit_review", args=[product.pk]), REVIEW)
    link = confirmation_link(mail.outbox[0])
    assert client.get(link.replace("/confirm/", "/confirm/x")).status_code == 400
    assert client.get(reverse("feedback:confirm", args=["nonsense"])).status_code == 400
    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        assert client.get(link).status_code == 410
    assert Review.objects.get().status == Status.UNCONFIRMED


def test_review_with_a_lot_code_of_this_product_is_batch_verified(client, product, other_product):
    """A real lot code of this product marks the review verified; another product's code does not."""
    from brands.models.provenance import Batch, format_lot_code

    mine = Batch.objects.create(product=product, quantity=100, unit="kg")
    theirs = Batch.objects.create(product=other_product, quantity=100, unit="kg")
    client.post(
        reverse("feedback:submit_review", args=[product.pk]),
        {**REVIEW, "lot_code": format_lot_code(mine.lot_code).lower()},
    )
    client.post(
        reverse("feedback:submit_review", args=[product.pk]),
        {**REVIEW, "email": "b@example.com", "lot_code": theirs.lot_code},
    )
    verified = dict(Review.objects.values_list("email", "batch_verified"))
    assert verified == {"wang@example.com": True, "b@example.com": False}
    assert Review.objects.get(email="wang@example.com").lot_code == mine.lot_code


def test_pages_speak_the_readers_language(client, site_tree):
    """The check-your-inbox page is Chinese at /feedback/ and English under /en/."""
    assert "请查收邮件" in client.get(reverse("feedback:sent")).content.decode()
    assert "Check your inbox" in client.get("/en/feedback/sent/").content.decode()
