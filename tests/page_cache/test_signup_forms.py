""" "Remind me" and "Follow" on cached pages: each visitor's own token works, and nobody's form state is served to another."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from stories.models import BrandFollow, BroadcastReminder
from tests import factories

from .conftest import cache_state, csrf_tokens

pytestmark = pytest.mark.django_db


@pytest.fixture
def brand(site_tree):
    return factories.make_brand(site_tree.brands, title="五常稻香合作社", slug="daoxiang")


@pytest.fixture
def broadcast(brand):
    start = timezone.now() + datetime.timedelta(days=2)
    return factories.make_broadcast(
        brand=brand, slug="kailian", scheduled_start=start, scheduled_end=start + datetime.timedelta(hours=2)
    )


@pytest.mark.parametrize(
    ("page_name", "action", "model"),
    [("broadcast", "/reminders/{pk}/", BroadcastReminder), ("brand", "/follow/{pk}/", BrandFollow)],
    ids=["remind-me-on-a-broadcast", "follow-on-a-brand"],
)
def test_second_visitor_signs_up_from_the_cached_page_with_their_own_token(request, page_name, action, model):
    """The cached copy carries the second visitor's token (not the first's), and their sign-up is accepted."""
    page = request.getfixturevalue(page_name)
    first = Client(enforce_csrf_checks=True)
    first_response = first.get(page.url)
    assert cache_state(first_response) == "miss"
    first_tokens = csrf_tokens(first_response.content.decode())
    assert action.format(pk=page.pk) in first_response.content.decode()

    second = Client(enforce_csrf_checks=True)
    second_response = second.get(page.url)
    assert cache_state(second_response) == "hit"
    second_tokens = csrf_tokens(second_response.content.decode())
    assert second_tokens and not set(second_tokens) & set(first_tokens)

    response = second.post(
        action.format(pk=page.pk), {"email": "second@example.com", "csrfmiddlewaretoken": second_tokens[0]}
    )
    assert response.status_code == 302
    assert model.objects.filter(email="second@example.com").exists()


@pytest.mark.parametrize(
    ("page_name", "action"),
    [("broadcast", "/reminders/{pk}/"), ("brand", "/follow/{pk}/")],
    ids=["remind-me-on-a-broadcast", "follow-on-a-brand"],
)
def test_what_one_visitor_typed_is_never_served_to_another(request, page_name, action):
    """A rejected or accepted sign-up answers uncached, and the page others get shows neither address."""
    page = request.getfixturevalue(page_name)
    visitor = Client()
    visitor.get(page.url)
    rejected = visitor.post(action.format(pk=page.pk), {"email": "typo-at-example.com"})
    assert rejected.status_code == 400
    assert "typo-at-example.com" in rejected.content.decode()
    assert cache_state(rejected) == "bypass"
    accepted = visitor.post(action.format(pk=page.pk), {"email": "secret@example.com"})
    assert accepted.status_code == 302
    sent = visitor.get(accepted["Location"])
    assert cache_state(sent) == "bypass"
    assert cache_state(visitor.get(action.format(pk=page.pk))) == "bypass"  # the form on a page of its own

    other = Client().get(page.url)
    assert cache_state(other) == "hit"
    body = other.content.decode()
    assert "typo-at-example.com" not in body and "secret@example.com" not in body
    assert 'aria-invalid="true"' not in body


def test_replay_page_shows_no_reminder_form(site_tree):
    """Only an upcoming broadcast asks for reminders: a replay's page has no form."""
    replay = factories.make_broadcast()
    assert "/reminders/" not in Client().get(replay.url).content.decode()
