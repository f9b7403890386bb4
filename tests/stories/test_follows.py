""" "Follow" a brand: double opt-in, one email per event (broadcast scheduled, story published)."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from stories.models import BrandFollow, FollowNotice
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def brand(site_tree):
    return factories.make_brand(site_tree.brands, title="五常稻香合作社", slug="daoxiang")


def link(message, path):
    return re.search(rf"https?://[^/\s]+(\S*{path}\S*/)", message.body).group(1)


def follow(client, brand, email="fan@example.com", prefix=""):
    response = client.post(f"{prefix}/follow/{brand.pk}/", {"email": email})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def confirm(client, message):
    url = link(message, "/follow/confirm/")
    assert client.get(url).status_code == 200  # the button only
    assert client.post(url).status_code == 200


def followed(client, brand, mailoutbox, email="fan@example.com", prefix=""):
    follow(client, brand, email, prefix)
    confirm(client, mailoutbox[-1])
    return BrandFollow.objects.get(email=email, brand=brand)


def news(mailoutbox, to="fan@example.com"):
    return [m for m in mailoutbox if m.to == [to] and "confirm" not in m.subject.lower() and "确认" not in m.subject]


def upcoming(brand, **kw):
    start = timezone.now() + datetime.timedelta(days=3)
    kw.setdefault("title", "新米开镰直播")
    return factories.make_broadcast(
        brand=brand, scheduled_start=start, scheduled_end=start + datetime.timedelta(hours=2), **kw
    )


def test_follower_hears_once_of_a_story_and_once_of_a_broadcast(
    client, brand, mailoutbox, django_capture_on_commit_callbacks
):
    """A new story and a scheduled broadcast each send one email; republishing or rescheduling sends none."""
    assert client.get(brand.url).status_code == 200
    followed(client, brand, mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        story = factories.make_story(brand=brand, title="守着黑土地的人")
    [story_mail] = news(mailoutbox)
    assert "守着黑土地的人" in story_mail.subject and "五常稻香合作社" in story_mail.subject
    assert "http://localhost/stories/" in story_mail.body
    unsubscribe = link(story_mail, "/follow/unsubscribe/")
    assert story_mail.extra_headers["List-Unsubscribe"] == f"<http://localhost{unsubscribe}one-click/>"
    assert story_mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    with django_capture_on_commit_callbacks(execute=True):
        story.title += "（修订）"
        story.save_revision().publish()
    assert len(news(mailoutbox)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        broadcast = upcoming(brand)
    assert len(news(mailoutbox)) == 2
    assert "新米开镰直播" in news(mailoutbox)[1].subject
    with django_capture_on_commit_callbacks(execute=True):
        broadcast.scheduled_start += datetime.timedelta(days=1)
        broadcast.scheduled_end += datetime.timedelta(days=1)
        broadcast.save_revision().publish()
    assert len(news(mailoutbox)) == 2
    assert FollowNotice.objects.count() == 2


def test_other_brands_replays_and_unconfirmed_addresses_hear_nothing(
    client, brand, mailoutbox, django_capture_on_commit_callbacks
):
    """Another brand's story, a replay published after the fact and an unconfirmed follower send nothing."""
    followed(client, brand, mailoutbox)
    follow(client, brand, email="unsure@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_story(brand=factories.make_brand())
        factories.make_broadcast(brand=brand)  # ended yesterday: a replay, not a schedule
        factories.make_story()  # no brand
    assert news(mailoutbox) == []
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_story(brand=brand)
    assert len(news(mailoutbox)) == 1
    assert news(mailoutbox, to="unsure@example.com") == []


def test_old_story_republished_after_following_sends_nothing(
    client, brand, mailoutbox, django_capture_on_commit_callbacks
):
    """Following is not a way to be mailed the brand's old stories when an editor fixes a typo."""
    story = factories.make_story(brand=brand)
    followed(client, brand, mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        story.title += "（修订）"
        story.save_revision().publish()
    assert news(mailoutbox) == []


def test_following_in_both_languages_still_one_email(client, brand, mailoutbox, django_capture_on_commit_callbacks):
    """The same address following the Chinese and the English page gets one email per event, in its first language."""
    english_brand = factories.make_english_translation(brand, title="Daoxiang Co-op")
    followed(client, brand, mailoutbox)
    followed(client, english_brand, mailoutbox, prefix="/en")
    assert BrandFollow.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_story(brand=brand)
    assert len(news(mailoutbox)) == 1


def test_english_follower_gets_english_mail(client, brand, mailoutbox, django_capture_on_commit_callbacks):
    """Followed on the English site, the confirmation and the news are English, with the brand's English page."""
    english_brand = factories.make_english_translation(brand, title="Daoxiang Co-op")
    follow(client, english_brand, prefix="/en")
    assert mailoutbox[0].subject == "Please confirm that you follow Daoxiang Co-op"
    confirm(client, mailoutbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_story(brand=brand, title="守着黑土地的人")
    [mail] = news(mailoutbox)
    assert mail.subject.startswith("New from Daoxiang Co-op")
    assert "/en/follow/unsubscribe/" in mail.body and "/en/brands/" in mail.body


@pytest.mark.parametrize("one_click", [False, True], ids=["unsubscribe-page-button", "rfc8058-one-click-post"])
def test_unsubscribed_follower_hears_nothing_more(
    client, brand, mailoutbox, django_capture_on_commit_callbacks, one_click
):
    """Unsubscribing (page button or the header's one-click POST) deletes the follow and its address."""
    followed(client, brand, mailoutbox)
    page_url = link(mailoutbox[0], "/follow/unsubscribe/")
    assert "fan@example.com" in client.get(page_url).content.decode()
    if one_click:
        header_url = mailoutbox[0].extra_headers["List-Unsubscribe"].strip("<>")
        response = Client(enforce_csrf_checks=True).post(
            header_url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )
    else:
        response = client.post(page_url)
    assert response.status_code == 200
    assert not BrandFollow.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_story(brand=brand)
    assert news(mailoutbox) == []


def test_following_the_link_without_pressing_the_button_confirms_nothing(client, brand, mailoutbox):
    """A mail scanner's GET of the confirmation link shows the button only."""
    follow(client, brand)
    assert client.get(link(mailoutbox[0], "/follow/confirm/")).status_code == 200
    assert BrandFollow.objects.get().confirmed_at is None


# --- Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [{}, {"email": ""}, {"email": "fan"}, {"email": "x" * 300 + "@example.com"}, {"email": "a\x00@example.com"}],
    ids=["missing", "empty", "no-at", "too-long", "nul-byte"],
)
def test_bad_address_gets_a_field_error(client, brand, mailoutbox, data):
    """A wrong address answers 400 with the message on the email field; nothing is stored or sent."""
    response = client.post(f"/follow/{brand.pk}/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["email"]
    assert not BrandFollow.objects.exists()
    assert mailoutbox == []


def test_unknown_brand_and_other_methods(client, brand, site_tree):
    """An id that is no live brand is a 404 whatever its shape; GET shows the form page; PUT is 405."""
    assert client.post("/follow/999999/", {"email": "a@example.com"}).status_code == 404
    assert client.post("/follow/99999999999999999999/", {"email": "a@example.com"}).status_code == 404
    assert client.post(f"/follow/{site_tree.brands.pk}/", {"email": "a@example.com"}).status_code == 404
    assert client.get(f"/follow/{site_tree.home.pk}/").status_code == 404
    assert client.put(f"/follow/{brand.pk}/").status_code == 405
    brand.unpublish()
    assert client.post(f"/follow/{brand.pk}/", {"email": "a@example.com"}).status_code == 404


@pytest.mark.parametrize("token", ["garbage", "x" * 2000, "%00", "-" * 40], ids=["garbage", "long", "nul", "dashes"])
def test_bad_tokens(client, brand, token):
    """A confirmation link that is not ours is a 400 page; an unsubscribe link that names no one says you are out."""
    assert client.post(f"/follow/confirm/{token}/").status_code == 400
    assert client.get(f"/follow/unsubscribe/{token}/").status_code == 200
    assert client.post(f"/follow/unsubscribe/{token}/").status_code == 200
    assert Client(enforce_csrf_checks=True).post(f"/follow/unsubscribe/{token}/one-click/").status_code == 200


def test_confirmation_link_of_a_reminder_does_not_confirm_a_follow(client, brand, mailoutbox):
    """Each list signs with its own salt: a token from one list is refused by the other."""
    follow(client, brand)
    token = link(mailoutbox[0], "/follow/confirm/").rstrip("/").rsplit("/", 1)[1]
    assert client.post(f"/reminders/confirm/{token}/").status_code == 400


def test_rate_limits(client, brand, mailoutbox):
    """An address gets at most 5 confirmation links an hour from follows; then the form answers 429."""
    for _ in range(5):
        follow(client, brand, email="target@example.com")
    assert client.post(f"/follow/{brand.pk}/", {"email": "target@example.com"}).status_code == 429
    assert len(mailoutbox) == 5
