"""Who moderates what: brand editors their own brands' feedback only; moderators and superusers all of it."""

import pytest
from django.urls import reverse

from feedback.models import Review, Status

from .conftest import question_on, review_on

pytestmark = pytest.mark.django_db

REVIEWS = "wagtailsnippets_feedback_review"
QUESTIONS = "wagtailsnippets_feedback_question"


@pytest.fixture
def two_reviews(product, other_product):
    return (
        review_on(product, status=Status.PENDING, title="稻香的评价"),
        review_on(other_product, status=Status.PENDING, title="脐橙的评价"),
    )


def test_brand_editor_lists_only_their_brands_feedback(client, brand_editor, two_reviews):
    """The review listing shows an editor their brand's reviews and not another brand's."""
    client.force_login(brand_editor)
    response = client.get(reverse(f"{REVIEWS}:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "稻香的评价" in html and "脐橙的评价" not in html


@pytest.mark.parametrize("view", ["edit", "delete", "history"])
def test_brand_editor_gets_403_on_another_brands_review(client, brand_editor, two_reviews, view):
    """Guessing another brand's review id gives 403, on every per-item view."""
    client.force_login(brand_editor)
    theirs = two_reviews[1]
    assert client.get(reverse(f"{REVIEWS}:{view}", args=[theirs.pk])).status_code == 403


def test_brand_editor_cannot_approve_another_brands_review_by_post(client, brand_editor, two_reviews):
    """A POST to another brand's review is refused and changes nothing."""
    client.force_login(brand_editor)
    theirs = two_reviews[1]
    response = client.post(
        reverse(f"{REVIEWS}:edit", args=[theirs.pk]), {"status": Status.APPROVED, "rejection_reason": "", "answer": "x"}
    )
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == Status.PENDING and not theirs.is_answered


def test_brand_editor_gets_403_on_another_brands_question(client, brand_editor, other_brand, brand):
    """Questions on another brand's page are out of reach too; those on their own brand page are not."""
    theirs = question_on(other_brand, status=Status.PENDING)
    mine = question_on(brand, status=Status.PENDING)
    client.force_login(brand_editor)
    assert client.get(reverse(f"{QUESTIONS}:edit", args=[theirs.pk])).status_code == 403
    assert client.get(reverse(f"{QUESTIONS}:edit", args=[mine.pk])).status_code == 200


@pytest.mark.parametrize("who", ["moderator", "admin_user"])
def test_moderators_and_superusers_see_and_moderate_everything(client, request, two_reviews, who):
    """Site-wide moderators and superusers list both brands' reviews and may open either."""
    client.force_login(request.getfixturevalue(who))
    html = client.get(reverse(f"{REVIEWS}:list")).content.decode()
    assert "稻香的评价" in html and "脐橙的评价" in html
    for review in two_reviews:
        assert client.get(reverse(f"{REVIEWS}:edit", args=[review.pk])).status_code == 200


def test_anonymous_visitors_are_sent_to_the_login_page(client, two_reviews):
    """The moderation views need an admin login."""
    response = client.get(reverse(f"{REVIEWS}:edit", args=[two_reviews[0].pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_nobody_adds_reviews_in_the_admin(client, admin_user):
    """Reviews come from buyers: the add view refuses even a superuser (Wagtail's refusal: back to the dashboard)."""
    client.force_login(admin_user)
    response = client.get(reverse(f"{REVIEWS}:add"))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_unconfirmed_feedback_stays_out_of_moderation(client, admin_user, product):
    """Until the writer confirms, moderators do not see it (it may be a bot or a typo'd address)."""
    review_on(product, status=Status.UNCONFIRMED, confirmed_at=None, title="未确认的评价")
    client.force_login(admin_user)
    assert "未确认的评价" not in client.get(reverse(f"{REVIEWS}:list")).content.decode()


def test_approving_unconfirmed_is_refused_on_the_status_field(client, admin_user, product):
    """Even by URL, an unconfirmed review cannot be approved: a form error on status."""
    review = review_on(product, status=Status.UNCONFIRMED, confirmed_at=None)
    client.force_login(admin_user)
    response = client.post(
        reverse(f"{REVIEWS}:edit", args=[review.pk]), {"status": Status.APPROVED, "rejection_reason": "", "answer": ""}
    )
    assert response.status_code == 200
    assert "status" in response.context["form"].errors
    assert not Review.objects.approved().exists()


def test_listing_filters_pending_unanswered_and_oldest_first(client, admin_user, product):
    """Filters narrow to pending or unanswered items and can put the oldest first."""
    from datetime import timedelta

    from django.utils import timezone

    from .conftest import answer

    now = timezone.now()
    old = review_on(product, status=Status.PENDING, title="最早的", created_at=now - timedelta(days=3))
    review_on(product, status=Status.PENDING, title="较新的", created_at=now - timedelta(days=1))
    answer(review_on(product, title="已回复的", created_at=now - timedelta(days=2)))
    client.force_login(admin_user)
    url = reverse(f"{REVIEWS}:list")
    html = client.get(url, {"status": "pending", "sort": "oldest"}).content.decode()
    assert "已回复的" not in html
    assert html.index("最早的") < html.index("较新的")
    html = client.get(url, {"unanswered": "true"}).content.decode()
    assert "已回复的" not in html and "最早的" in html
    assert old.pk


def test_dashboard_counts_pending_feedback_in_the_users_scope(client, brand_editor, two_reviews, brand):
    """The admin home shows a brand editor the number of their own pending items."""
    question_on(brand, status=Status.PENDING)
    client.force_login(brand_editor)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="pending-feedback-title"' in html
    assert "<span>1</span>" in html  # one review of theirs, one question: the other brand's is not counted


@pytest.mark.parametrize("listing", [REVIEWS, QUESTIONS])
def test_moderation_listing_headings_say_what_each_column_is(client, admin_user, product, listing):
    """Every column of the moderation lists has a heading that names it ("Status", not "method"), in Chinese."""
    import re

    from django.conf import settings
    from django.utils import translation
    from django.utils.translation import gettext as _

    review_on(product, status=Status.PENDING, title="有一条评价")
    question_on(product, status=Status.PENDING)
    client.force_login(admin_user)
    html = client.get(reverse(f"{listing}:list")).content.decode()
    headings = [re.sub(r"<[^>]+>|\s+", " ", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", html, re.S)]
    with translation.override(settings.LANGUAGE_CODE):
        expected = {_("Status"), _("Buyer"), _("Answered"), _("Submitted")}
    assert expected <= set(headings), headings
    assert not [h for h in headings if "method" in h.lower() or "display" in h.lower()], headings
