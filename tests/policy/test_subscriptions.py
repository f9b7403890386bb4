"""Subscriptions: double opt-in, one email per matching item after publishing, one-click unsubscribe, rate limits."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from stories.models import PolicyNotification, PolicySubscription
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def places(site_tree):
    hlj = factories.make_region(name="黑龙江省", name_en="Heilongjiang", code="230000", slug="heilongjiang")
    wuchang = factories.make_region(name="五常市", code="230184", slug="wuchang", parent=hlj, level=3)
    jiangxi = factories.make_region(name="江西省", name_en="Jiangxi", code="360000", slug="jiangxi")
    return {
        "hlj": hlj,
        "wuchang": wuchang,
        "jiangxi": jiangxi,
        "hlj_section": factories.make_policy_section(hlj, site_tree.policy),
        "jx_section": factories.make_policy_section(jiangxi, site_tree.policy),
        "subsidies": factories.make_policy_topic(name="补贴", slug="subsidies"),
        "land": factories.make_policy_topic(name="土地", slug="land"),
    }


def subscribe(client, email, regions, topics=(), **extra):
    data = {"email": email, "regions": [r.pk for r in regions], "topics": [t.pk for t in topics]}
    return client.post("/policy/subscribe/", data, **extra)


def link(message, path):
    return re.search(rf"https?://[^/\s]+(/\S*{path}\S*/)", message.body).group(1)


def confirm(client, message):
    url = link(message, "/subscribe/confirm/")
    assert client.get(url).status_code == 200  # the button only
    assert client.post(url).status_code == 200


def publish_news(section, django_capture_on_commit_callbacks, **kw):
    with django_capture_on_commit_callbacks(execute=True):
        return factories.make_policy_news(section, **kw)


def republish(page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page.title += "（修订）"
        page.save_revision().publish()


def test_whole_flow_confirmed_subscriber_gets_one_email(client, places, mailoutbox, django_capture_on_commit_callbacks):
    """Subscribe, confirm by the signed link, get exactly one email per matching item, with unsubscribe links."""
    assert client.get("/policy/subscribe/").status_code == 200
    response = subscribe(client, "Reader@Example.com", [places["wuchang"]], [places["subsidies"]])
    assert response.status_code == 200
    assert len(mailoutbox) == 1
    confirmation = mailoutbox[0]
    assert confirmation.to == ["reader@example.com"]
    assert confirmation.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    subscription = PolicySubscription.objects.get()
    assert subscription.confirmed_at is None

    # Not confirmed yet: nothing is sent.
    publish_news(places["hlj_section"], django_capture_on_commit_callbacks, topics=[places["subsidies"]])
    assert len(mailoutbox) == 1

    confirm(client, confirmation)
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None
    assert list(subscription.regions.all()) == [places["wuchang"]]

    # A provincial item reaches a county subscriber; a different topic or region does not.
    item = publish_news(
        places["hlj_section"], django_capture_on_commit_callbacks, title="省级补贴", topics=[places["subsidies"]]
    )
    publish_news(places["hlj_section"], django_capture_on_commit_callbacks, topics=[places["land"]])
    publish_news(places["jx_section"], django_capture_on_commit_callbacks, topics=[places["subsidies"]])
    assert len(mailoutbox) == 2
    news_mail = mailoutbox[1]
    assert news_mail.subject == "省级补贴"
    assert "http://localhost/policy/heilongjiang/" in news_mail.body
    unsubscribe_url = link(news_mail, "/unsubscribe/")
    # The header names the CSRF-exempt one-click URL beside the page (home/urls.py).
    assert news_mail.extra_headers["List-Unsubscribe"].endswith(f"{unsubscribe_url}one-click/>")
    assert news_mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Republishing the same item never mails it again.
    republish(item, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 2
    assert PolicyNotification.objects.filter(subscription=subscription, page=item).count() == 1


def test_subscriber_without_topics_gets_every_topic(client, places, mailoutbox, django_capture_on_commit_callbacks):
    """Picking no topic means every topic in the chosen regions."""
    subscribe(client, "all@example.com", [places["hlj"]])
    confirm(client, mailoutbox[0])
    publish_news(places["hlj_section"], django_capture_on_commit_callbacks, topics=[places["land"]])
    publish_news(places["hlj_section"], django_capture_on_commit_callbacks, regions=[places["wuchang"]])
    assert len(mailoutbox) == 3


def test_mail_is_sent_after_the_publishing_transaction_not_in_it(
    client, places, mailoutbox, django_capture_on_commit_callbacks
):
    """Publishing only schedules the task for after commit; no mail goes out inside the publishing transaction."""
    subscribe(client, "later@example.com", [places["hlj"]])
    confirm(client, mailoutbox[0])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        factories.make_policy_news(places["hlj_section"])
    assert len(mailoutbox) == 1
    assert callbacks  # the task (and the search index's work) waits for the commit
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 2


@pytest.mark.parametrize("one_click", [False, True], ids=["unsubscribe-page-button", "rfc8058-one-click-post"])
def test_unsubscribing_deletes_the_address(client, places, mailoutbox, one_click):
    """The unsubscribe link's page (or a mail client's one-click POST) deletes the row and the address with it."""
    subscribe(client, "leave@example.com", [places["hlj"]])
    confirm(client, mailoutbox[0])
    url = link(mailoutbox[0], "/unsubscribe/")
    assert "leave@example.com" in client.get(url).content.decode()
    if one_click:
        # A mail provider POSTs to the header's URL with no CSRF token (RFC 8058).
        header_url = mailoutbox[0].extra_headers["List-Unsubscribe"].split("<")[-1].rstrip(">")
        provider = Client(enforce_csrf_checks=True)
        response = provider.post(
            header_url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )
    else:
        response = client.post(url)
    assert response.status_code == 200
    assert not PolicySubscription.objects.filter(email="leave@example.com").exists()
    assert client.post(url).status_code == 200  # twice is harmless


def test_subscribe_form_works_with_csrf_enforced(places, mailoutbox):
    """The subscribe form carries its CSRF token: refused without it, accepted with it."""
    client = Client(enforce_csrf_checks=True)
    subscribe(client, "csrf@example.com", [places["hlj"]])  # the subscribe page's form has its token too
    assert not mailoutbox  # refused without the token
    page = client.get("/policy/subscribe/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = client.post(
        "/policy/subscribe/",
        {"email": "csrf@example.com", "regions": [places["hlj"].pk], "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 200 and len(mailoutbox) == 1


@pytest.mark.parametrize("email", ["not-an-address", "a@b", "", "x" * 250 + "@example.com"])
def test_invalid_addresses_are_refused(client, places, mailoutbox, email):
    """Invalid addresses get the form back with an error (400) and no mail."""
    response = subscribe(client, email, [places["hlj"]])
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    assert not mailoutbox and not PolicySubscription.objects.exists()


def test_regions_are_required_and_must_exist(client, places, mailoutbox):
    """No region, or an unknown region id, is a form error, not a 500."""
    assert client.post("/policy/subscribe/", {"email": "a@example.com"}).status_code == 400
    response = client.post("/policy/subscribe/", {"email": "a@example.com", "regions": ["999999", "abc"]})
    assert response.status_code == 400 and "regions" in response.context["form"].errors
    assert not mailoutbox


def test_rate_limit_per_address(client, places, mailoutbox):
    """A fourth request for one address within the hour is refused, from any client."""
    for n in range(3):
        assert subscribe(client, "victim@example.com", [places["hlj"]], REMOTE_ADDR=f"10.0.0.{n}").status_code == 200
    response = subscribe(client, "victim@example.com", [places["hlj"]], REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert len(mailoutbox) == 3


def test_rate_limit_per_client(client, places, mailoutbox):
    """One client asking for many addresses is stopped after ten in the hour."""
    for n in range(10):
        assert subscribe(client, f"p{n}@example.com", [places["hlj"]], REMOTE_ADDR="10.1.1.1").status_code == 200
    assert subscribe(client, "p10@example.com", [places["hlj"]], REMOTE_ADDR="10.1.1.1").status_code == 429
    assert subscribe(client, "p11@example.com", [places["hlj"]], REMOTE_ADDR="10.1.1.2").status_code == 200
    assert len(mailoutbox) == 11


@pytest.mark.parametrize("token", ["nonsense", "ZXlKeklqb3hmUToxYWJjOmZvcmdlZA", "a-_b"])
def test_bad_confirmation_links_are_refused(client, places, token):
    """A wrong or forged confirmation token answers 400 and confirms nothing."""
    assert client.get(f"/policy/subscribe/confirm/{token}/").status_code == 400
    assert client.post(f"/policy/subscribe/confirm/{token}/").status_code == 400


def test_expired_confirmation_link_is_refused(client, places, mailoutbox, time_machine):
    """A confirmation link older than three days no longer works."""
    subscribe(client, "slow@example.com", [places["hlj"]])
    url = link(mailoutbox[0], "/subscribe/confirm/")
    time_machine.move_to(timezone.now() + datetime.timedelta(days=4))
    assert client.post(url).status_code == 400
    assert PolicySubscription.objects.get().confirmed_at is None


def test_a_stranger_cannot_change_a_confirmed_subscription(client, places, mailoutbox):
    """Submitting a confirmed address again changes nothing until the new link is clicked."""
    subscribe(client, "owner@example.com", [places["hlj"]])
    confirm(client, mailoutbox[0])
    subscribe(client, "owner@example.com", [places["jiangxi"]], REMOTE_ADDR="10.9.9.9")
    subscription = PolicySubscription.objects.get()
    assert list(subscription.regions.all()) == [places["hlj"]]
    confirm(client, mailoutbox[1])
    assert list(subscription.regions.all()) == [places["jiangxi"]]


def test_unknown_unsubscribe_token_is_harmless(client, places):
    """An unknown unsubscribe token shows the 'unsubscribed' page and deletes nothing."""
    factories.make_region()
    assert client.get("/policy/unsubscribe/unknown/").status_code == 200
    assert client.post("/policy/unsubscribe/unknown/").status_code == 200


def test_one_click_view_deletes_without_a_csrf_token(places, mailoutbox, rf):
    """The CSRF-exempt one-click view deletes the subscription a mail provider's bare POST names."""
    from stories.policy.views import one_click_unsubscribe

    subscribe(Client(), "oneclick@example.com", [places["hlj"]])
    token = PolicySubscription.objects.get().token
    request = rf.post("/", "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert one_click_unsubscribe(request, token).status_code == 200
    assert not PolicySubscription.objects.exists()
    assert one_click_unsubscribe(rf.get("/"), token).status_code == 405
