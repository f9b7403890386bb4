""" "Remind me": double opt-in, one email N minutes before the start through the database queue, never twice."""

import datetime
import logging
import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from stories.models import BroadcastReminder
from tests import factories

from .conftest import NOW, make_timed_broadcast

pytestmark = pytest.mark.django_db

START = NOW + datetime.timedelta(hours=2)
MINUTE = datetime.timedelta(minutes=1)
DUE = START - 30 * MINUTE


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def db_queue(settings):
    """The database queue production runs (test settings run tasks at once, which cannot wait for a time)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def broadcast(clock, site_tree):
    return make_timed_broadcast(START, title="五常新米开镰直播", slug="kailian")


def run_worker():
    """What `manage.py db_worker` does in production, once: every task whose time has come."""
    # The worker drops connections it thinks stale between tasks; here that would be the test's own,
    # whose transaction holds everything the test made (PostgreSQL; SQLite's in-memory one never closes).
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def ask(client, broadcast, email, prefix=""):
    return client.post(f"{prefix}/reminders/{broadcast.pk}/", {"email": email})


def link(message, path):
    return re.search(rf"https?://[^/\s]+(\S*{path}\S*/)", message.body).group(1)


def confirm(client, message):
    url = link(message, "/reminders/confirm/")
    assert client.get(url).status_code == 200  # the button only
    assert client.post(url).status_code == 200


def reminders(mailoutbox):
    return [m for m in mailoutbox if "Please confirm" not in m.subject and "请确认" not in m.subject]


def signed_up(client, broadcast, mailoutbox, email="reader@example.com"):
    response = ask(client, broadcast, email)
    assert response.status_code == 302
    confirm(client, mailoutbox[-1])
    return BroadcastReminder.objects.get(email=email)


def reschedule(broadcast, start, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        broadcast.scheduled_start = start
        broadcast.scheduled_end = start + datetime.timedelta(hours=2)
        broadcast.save_revision().publish()


def test_reminder_is_sent_once_at_its_time_not_before(client, broadcast, db_queue, clock, mailoutbox):
    """Confirmed, the reminder goes out 30 minutes before the start, not a minute earlier, and never again."""
    response = ask(client, broadcast, "Reader@Example.com")
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["reader@example.com"]
    assert mailoutbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    confirm(client, mailoutbox[0])

    clock.move_to(DUE - MINUTE)
    run_worker()
    assert reminders(mailoutbox) == []

    clock.move_to(DUE)
    run_worker()
    [reminder] = reminders(mailoutbox)
    assert reminder.to == ["reader@example.com"]
    assert "五常新米开镰直播" in reminder.subject and "22:00" in reminder.subject  # Beijing time
    assert "http://localhost/replays/kailian/" in reminder.body
    assert "https://live.example.com/room/wuchang" in reminder.body
    unsubscribe = link(reminder, "/reminders/unsubscribe/")
    assert reminder.extra_headers["List-Unsubscribe"] == f"<http://localhost{unsubscribe}one-click/>"
    assert reminder.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    clock.move_to(START - MINUTE)
    run_worker()
    assert len(reminders(mailoutbox)) == 1


def test_following_the_link_without_pressing_the_button_confirms_nothing(
    client, broadcast, db_queue, clock, mailoutbox
):
    """A mail scanner's GET of the confirmation link shows the button only: no reminder is ever sent."""
    ask(client, broadcast, "scanned@example.com")
    assert client.get(link(mailoutbox[0], "/reminders/confirm/")).status_code == 200
    assert BroadcastReminder.objects.get().confirmed_at is None
    clock.move_to(DUE)
    run_worker()
    assert reminders(mailoutbox) == []


def test_rescheduled_broadcast_moves_the_reminder(
    client, broadcast, db_queue, clock, mailoutbox, django_capture_on_commit_callbacks
):
    """Moved a day later, nothing goes out at the old time and one email at the new one."""
    signed_up(client, broadcast, mailoutbox)
    later = START + datetime.timedelta(days=1)
    reschedule(broadcast, later, django_capture_on_commit_callbacks)

    clock.move_to(DUE)
    run_worker()
    assert reminders(mailoutbox) == []

    clock.move_to(later - 30 * MINUTE)
    run_worker()
    [reminder] = reminders(mailoutbox)
    assert "22:00" in reminder.subject


def test_start_moved_in_chinese_moves_the_english_pages_reminder(
    client, broadcast, db_queue, clock, mailoutbox, django_capture_on_commit_callbacks
):
    """Asked on the English page, the reminder follows a start the editor moved on the Chinese page."""
    english = factories.make_english_translation(broadcast, title="New rice harvest live")
    ask(client, english, "reader@example.com", prefix="/en")
    confirm(client, mailoutbox[0])
    later = START + datetime.timedelta(days=1)
    reschedule(broadcast, later, django_capture_on_commit_callbacks)

    clock.move_to(DUE)
    run_worker()
    assert reminders(mailoutbox) == []
    clock.move_to(later - 30 * MINUTE)
    run_worker()
    [reminder] = reminders(mailoutbox)
    assert reminder.subject == "Starting at 22:00: New rice harvest live"


def test_moved_earlier_past_the_reminder_time_sends_at_once(
    client, broadcast, db_queue, clock, mailoutbox, django_capture_on_commit_callbacks
):
    """Moved to start in ten minutes, the reminder's time has passed: it goes out now, once."""
    signed_up(client, broadcast, mailoutbox)
    reschedule(broadcast, NOW + 10 * MINUTE, django_capture_on_commit_callbacks)
    run_worker()
    assert len(reminders(mailoutbox)) == 1
    clock.move_to(DUE)
    run_worker()
    assert len(reminders(mailoutbox)) == 1


def test_moved_away_and_back_still_sends_one_email(
    client, broadcast, db_queue, clock, mailoutbox, django_capture_on_commit_callbacks
):
    """Two queued tasks for the same start (moved away and back) send one email between them."""
    signed_up(client, broadcast, mailoutbox)
    reschedule(broadcast, START + datetime.timedelta(hours=5), django_capture_on_commit_callbacks)
    reschedule(broadcast, START, django_capture_on_commit_callbacks)
    clock.move_to(DUE)
    run_worker()
    assert len(reminders(mailoutbox)) == 1


def test_sent_reminder_is_not_sent_again_when_the_start_moves(
    client, broadcast, db_queue, clock, mailoutbox, django_capture_on_commit_callbacks
):
    """Never twice: a broadcast moved after its reminder went out sends no second one."""
    signed_up(client, broadcast, mailoutbox)
    clock.move_to(DUE)
    run_worker()
    later = START + datetime.timedelta(days=1)
    reschedule(broadcast, later, django_capture_on_commit_callbacks)
    clock.move_to(later - 30 * MINUTE)
    run_worker()
    assert len(reminders(mailoutbox)) == 1


def test_unpublished_broadcast_sends_nothing_and_republished_sends_once(
    client, broadcast, db_queue, clock, mailoutbox, django_capture_on_commit_callbacks
):
    """A broadcast taken down (cancelled) sends nothing at its time; published again before the start, it reminds."""
    signed_up(client, broadcast, mailoutbox)
    broadcast.unpublish()
    clock.move_to(DUE)
    run_worker()
    assert reminders(mailoutbox) == []

    clock.move_to(DUE + 10 * MINUTE)
    with django_capture_on_commit_callbacks(execute=True):
        broadcast.get_latest_revision().publish()
    run_worker()
    assert len(reminders(mailoutbox)) == 1


@pytest.mark.parametrize("one_click", [False, True], ids=["unsubscribe-page-button", "rfc8058-one-click-post"])
def test_unsubscribed_reminder_is_not_sent(client, broadcast, db_queue, clock, mailoutbox, one_click):
    """Unsubscribing from the confirmation email (page button or the header's one-click POST) deletes the reminder."""
    signed_up(client, broadcast, mailoutbox, email="leave@example.com")
    page_url = link(mailoutbox[0], "/reminders/unsubscribe/")
    assert "leave@example.com" in client.get(page_url).content.decode()
    if one_click:
        header_url = mailoutbox[0].extra_headers["List-Unsubscribe"].strip("<>")
        provider = Client(enforce_csrf_checks=True)  # mail providers POST without a CSRF token
        response = provider.post(
            header_url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )
    else:
        response = client.post(page_url)
    assert response.status_code == 200
    assert not BroadcastReminder.objects.exists()
    clock.move_to(DUE)
    run_worker()
    assert reminders(mailoutbox) == []
    assert client.post(page_url).status_code == 200  # twice is harmless


def test_reminder_confirmed_late_is_sent_at_once(client, broadcast, db_queue, clock, mailoutbox):
    """Confirmed ten minutes before the start (after the reminder time), the reminder goes out straight away."""
    ask(client, broadcast, "late@example.com")
    clock.move_to(START - 10 * MINUTE)
    confirm(client, mailoutbox[0])
    run_worker()
    assert len(reminders(mailoutbox)) == 1


def test_many_confirmations_queue_one_task_per_start(client, broadcast, db_queue, clock, mailoutbox):
    """Confirmations before the reminder time join the task already queued; each address still gets its email."""
    for n in range(3):
        signed_up(client, broadcast, mailoutbox, email=f"reader{n}@example.com")
    assert DBTaskResult.objects.count() == 1
    clock.move_to(DUE)
    run_worker()
    assert sorted(m.to[0] for m in reminders(mailoutbox)) == [f"reader{n}@example.com" for n in range(3)]


def test_reminder_is_in_the_language_it_was_asked_in(client, broadcast, db_queue, clock, mailoutbox):
    """Asked on the English site, the confirmation and the reminder are English, with English links."""
    ask(client, broadcast, "reader@example.com", prefix="/en")
    confirmation = mailoutbox[0]
    assert confirmation.subject.startswith("Please confirm your reminder")
    assert "/en/reminders/confirm/" in confirmation.body
    confirm(client, confirmation)
    clock.move_to(DUE)
    run_worker()
    [reminder] = reminders(mailoutbox)
    assert reminder.subject.startswith("Starting at 22:00")
    assert "/en/reminders/unsubscribe/" in reminder.body
    assert "Beijing time" in reminder.body


def test_chinese_reader_gets_chinese_mail(client, broadcast, db_queue, clock, mailoutbox):
    """Asked on the Chinese site, the mails are Chinese."""
    ask(client, broadcast, "reader@example.com")
    assert "请确认" in mailoutbox[0].subject
    confirm(client, mailoutbox[0])
    clock.move_to(DUE)
    run_worker()
    [reminder] = reminders(mailoutbox)
    assert "北京时间" in reminder.body


def test_a_queue_that_cannot_wait_sends_nothing_early(client, broadcast, clock, mailoutbox, caplog):
    """With tasks run at once (make run), confirming queues nothing rather than mailing hours early, and says so."""
    ask(client, broadcast, "dev@example.com")
    with caplog.at_level(logging.WARNING, logger="farmcast.reminders"):
        confirm(client, mailoutbox[0])
    assert len(mailoutbox) == 1
    assert "cannot defer" in caplog.text


# --- Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "email",
    ["", "not-an-address", "a@b", "x" * 250 + "@example.com", "nul\x00@example.com", "<script>@example.com"],
    ids=["empty", "no-at", "no-domain-dot", "too-long", "nul-byte", "markup"],
)
def test_bad_address_gets_a_field_error(client, broadcast, email, mailoutbox):
    """A wrong address answers 400 with the message on the email field, and stores and sends nothing."""
    response = client.post(f"/reminders/{broadcast.pk}/", {"email": email})
    assert response.status_code == 400
    assert response.context["form"].errors["email"]
    assert 'aria-invalid="true"' in response.content.decode()
    assert not BroadcastReminder.objects.exists()
    assert mailoutbox == []


def test_missing_field_and_unknown_broadcast(client, broadcast):
    """No field at all is a field error; an id that is no live broadcast is a 404, whatever its shape."""
    assert client.post(f"/reminders/{broadcast.pk}/", {}).status_code == 400
    assert client.post("/reminders/999999/", {"email": "a@example.com"}).status_code == 404
    assert client.post("/reminders/99999999999999999999999/", {"email": "a@example.com"}).status_code == 404
    assert client.post("/reminders/abc/", {"email": "a@example.com"}).status_code == 404
    story = factories.make_story()
    assert client.post(f"/reminders/{story.pk}/", {"email": "a@example.com"}).status_code == 404


def test_broadcast_that_started_takes_no_reminders(client, clock, site_tree, mailoutbox):
    """Live now or a replay: the form answers 400 with the reason, and nothing is stored or sent."""
    for start in (NOW - MINUTE, NOW - datetime.timedelta(days=2)):
        live = make_timed_broadcast(start)
        response = client.post(f"/reminders/{live.pk}/", {"email": "a@example.com"})
        assert response.status_code == 400
        assert response.context["form"].non_field_errors()
    assert not BroadcastReminder.objects.exists()
    assert mailoutbox == []


def test_other_methods_and_the_form_page(client, broadcast):
    """GET shows the form on its own page; other methods are 405."""
    assert client.get(f"/reminders/{broadcast.pk}/").status_code == 200
    assert client.put(f"/reminders/{broadcast.pk}/").status_code == 405
    assert client.put("/reminders/sent/").status_code == 405


@pytest.mark.parametrize(
    "token",
    ["garbage", "x" * 2000, "%00", "eyJpZCI6MX0", "-" * 40],
    ids=["garbage", "long", "nul", "unsigned", "dashes"],
)
def test_bad_confirmation_and_unsubscribe_tokens(client, broadcast, token):
    """A confirmation link that is not ours is a 400 page; an unsubscribe link that names no one says you are out."""
    assert client.get(f"/reminders/confirm/{token}/").status_code == 400
    assert client.post(f"/reminders/confirm/{token}/").status_code == 400
    assert client.get(f"/reminders/unsubscribe/{token}/").status_code == 200
    assert client.post(f"/reminders/unsubscribe/{token}/").status_code == 200
    assert Client(enforce_csrf_checks=True).post(f"/reminders/unsubscribe/{token}/one-click/").status_code == 200


def test_expired_confirmation_link_is_refused(client, broadcast, clock, mailoutbox):
    """A confirmation link older than three days confirms nothing."""
    ask(client, broadcast, "slow@example.com")
    clock.move_to(NOW + datetime.timedelta(days=3, minutes=1))
    url = link(mailoutbox[0], "/reminders/confirm/")
    assert client.post(url).status_code == 400
    assert BroadcastReminder.objects.get().confirmed_at is None


@pytest.mark.parametrize("value", ["", "abc", "-1", "1" * 40, "%00", "%C2%B2", "%D9%A1"])
def test_sent_page_ignores_a_bad_page_parameter(client, broadcast, value):
    """The "check your inbox" page shows, whatever its ?page= says."""
    assert client.get(f"/reminders/sent/?page={value}").status_code == 200


def test_rate_limits_per_address_and_per_client(client, broadcast, site_tree, mailoutbox):
    """An address is mailed at most 5 confirmation links an hour, and a client may ask 10 times: then 429."""
    for _ in range(5):
        assert ask(client, broadcast, "target@example.com").status_code == 302
    response = ask(client, broadcast, "target@example.com")
    assert response.status_code == 429
    assert response.context["form"].non_field_errors()
    assert len(mailoutbox) == 5

    cache.clear()
    for n in range(10):
        assert ask(client, broadcast, f"r{n}@example.com").status_code == 302
    assert ask(client, broadcast, "r10@example.com").status_code == 429
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert ask(other, broadcast, "r10@example.com").status_code == 302
