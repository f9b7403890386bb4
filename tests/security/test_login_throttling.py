"""Admin login throttling: five wrong passwords lock a username from one address out for 15 minutes."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone

LOGIN = "/admin/login/"
PASSWORD = "correct horse battery staple"  # noqa: S105 — a test account


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "editor@farmcast.example", PASSWORD)


def attempt(client, password, username="editor", ip="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(client):
    return "_auth_user_id" in client.session


def test_the_sixth_attempt_is_refused_even_with_the_right_password(client, editor):
    """After five wrong passwords the right one no longer logs in: the answer is 429 and no session."""
    for _ in range(5):
        attempt(client, "wrong")
        assert not logged_in(client)
    response = attempt(client, PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)


def test_four_wrong_passwords_still_let_the_right_one_in(client, editor):
    """Below the limit an editor who mistypes a few times still gets in."""
    for _ in range(4):
        attempt(client, "wrong")
    response = attempt(client, PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_a_lockout_covers_one_username_from_one_address_only(client, editor, django_user_model):
    """Locking out editor@203.0.113.7 does not lock the same editor elsewhere, nor another user there."""
    django_user_model.objects.create_superuser("reviewer", "reviewer@farmcast.example", PASSWORD)
    for _ in range(5):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD, ip="198.51.100.20").status_code == 302
    client.logout()
    assert attempt(client, PASSWORD, username="reviewer").status_code == 302


def test_the_lockout_ends_after_fifteen_minutes(client, editor):
    """Once the cool-off has passed the right password works again."""
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(5):
            attempt(client, "wrong")
        clock.shift(datetime.timedelta(minutes=14))
        assert attempt(client, PASSWORD).status_code == 429
        clock.shift(datetime.timedelta(minutes=16))
        response = attempt(client, PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_a_forged_forwarded_for_header_does_not_escape_the_lockout(client, editor):
    """Without a proxy, a client that changes X-Forwarded-For on every try is still one address."""
    for n in range(5):
        client.post(
            LOGIN,
            {"username": "editor", "password": "wrong"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    response = client.post(
        LOGIN,
        {"username": "editor", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )
    assert response.status_code == 429


@override_settings(CLIENT_IP_HEADER="HTTP_X_REAL_IP")
def test_behind_a_proxy_the_lockout_follows_the_visitor_not_the_proxy(client, editor):
    """With the proxy's header configured, locking one visitor out leaves another behind the same proxy free."""
    proxy = "10.0.0.2"
    for _ in range(5):
        client.post(LOGIN, {"username": "editor", "password": "wrong"}, REMOTE_ADDR=proxy, HTTP_X_REAL_IP="203.0.113.7")
    locked = client.post(
        LOGIN, {"username": "editor", "password": PASSWORD}, REMOTE_ADDR=proxy, HTTP_X_REAL_IP="203.0.113.7"
    )
    assert locked.status_code == 429
    other = client.post(
        LOGIN, {"username": "editor", "password": PASSWORD}, REMOTE_ADDR=proxy, HTTP_X_REAL_IP="198.51.100.20"
    )
    assert other.status_code == 302
