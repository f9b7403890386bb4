"""The admin refuses broadcasts and policy news whose dates or links cannot be true."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from stories.models import BroadcastReplayPage, PolicyNewsPage
from tests.admin_forms import edit_form_data, form_errors

pytestmark = pytest.mark.django_db


def admin_datetime(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize("minutes", [-60, 0], ids=["ends-before-start", "ends-as-it-starts"])
def test_broadcast_must_end_after_it_starts(admin_client, broadcast, minutes):
    """A broadcast ending before (or as) it starts is refused on its end time, and nothing changes."""
    start = timezone.now() + datetime.timedelta(days=2)
    data = edit_form_data(
        admin_client,
        broadcast,
        scheduled_start=admin_datetime(start),
        scheduled_end=admin_datetime(start + datetime.timedelta(minutes=minutes)),
    )
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=(broadcast.pk,)), data)
    errors = form_errors(response)
    assert "scheduled_end" in errors, errors
    unchanged = BroadcastReplayPage.objects.get(pk=broadcast.pk)
    assert unchanged.scheduled_start == broadcast.scheduled_start


@pytest.mark.parametrize("field", ["live_room_url", "replay_embed_url"])
def test_broadcast_links_must_be_http(admin_client, broadcast, field):
    """A javascript: live-room or replay link is refused on its field."""
    data = edit_form_data(admin_client, broadcast, **{field: "javascript:alert(1)"})
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=(broadcast.pk,)), data)
    assert field in form_errors(response)


@pytest.mark.parametrize("days", [-30, 0], ids=["expires-before", "expires-same-day"])
def test_policy_must_expire_after_it_takes_effect(admin_client, policy_news, days):
    """A policy expiring before (or on) the day it takes effect is refused on its expiry date."""
    expiry = policy_news.effective_date + datetime.timedelta(days=days)
    data = edit_form_data(admin_client, policy_news, expiry_date=expiry.isoformat())
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=(policy_news.pk,)), data)
    errors = form_errors(response)
    assert "expiry_date" in errors, errors
    assert PolicyNewsPage.objects.get(pk=policy_news.pk).expiry_date == policy_news.expiry_date


def test_policy_without_regions_is_refused(admin_client, policy_news):
    """Policy news must say which regions it applies to."""
    data = edit_form_data(admin_client, policy_news)
    data.setlist("regions", [])
    response = admin_client.post(reverse("wagtailadmin_pages:edit", args=(policy_news.pk,)), data)
    assert "regions" in form_errors(response)
