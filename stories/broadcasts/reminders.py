"""Reminders ("提醒我 / Remind me") on an upcoming broadcast: one email BROADCAST_REMINDER_MINUTES (30) before it starts.

The list's pages are stories/signups.py's. Sending is a django-tasks task deferred to the reminder's time
(`run_after`), so it needs a queue that can defer: the database queue and its `db_worker` in production.

Never twice, and on time when the start moves:
- each queued task carries the start time it was queued for, and does nothing when the broadcast has
  moved since (a publish that moved it queued another task for the new time);
- a reminder remembers the start its task was queued for (`scheduled_for`): publishing a broadcast
  queues a task only when some confirmed, unsent reminder is not yet covered for the current start;
- a task claims each reminder by setting `sent_at` in the transaction that sends its email, so two
  tasks for the same start (a start moved away and back) still send one email;
- an unpublished, private or deleted broadcast sends nothing (deleting cascades to its reminders), and
  a broadcast that has ended sends nothing either. Unsubscribing deletes the reminder.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task
from wagtail.signals import page_published

from site_content import mailing

from ..signups import Signup
from .models import BroadcastReminder, BroadcastReplayPage

logger = logging.getLogger("farmcast.reminders")


def lead_minutes():
    return getattr(settings, "BROADCAST_REMINDER_MINUTES", 30)


def lead_time():
    return datetime.timedelta(minutes=lead_minutes())


def remind_at(broadcast):
    return broadcast.scheduled_start - lead_time()


def start_key(broadcast):
    """The start as a task argument: UTC, so a value from the editor's form and one read back compare equal."""
    return broadcast.scheduled_start.astimezone(datetime.UTC).isoformat()


class ReminderSignup(Signup):
    kind = "reminder"
    model = BroadcastReminder
    page_field = "broadcast"
    page_model = BroadcastReplayPage
    salt = "stories.broadcasts.remind"
    per_client = 10
    per_address = 5
    confirm_template = "stories/broadcasts/email_reminder_confirm.txt"

    def refusal(self, page, now):
        if page.state(now) != BroadcastReplayPage.State.UPCOMING:
            return gettext_lazy("This broadcast has already started: there is nothing left to remind you of.")
        return None

    def confirmed(self, row):
        schedule_reminders(row.broadcast)

    def confirm_subject(self, page):
        return _("Please confirm your reminder for %(title)s") % {"title": page.title}

    def extra_context(self):
        return {"minutes": lead_minutes()}


REMINDERS = ReminderSignup()


# --- Queueing ------------------------------------------------------------------------------------


def schedule_reminders(broadcast, now=None):
    """Queue the task that sends `broadcast`'s confirmed reminders, unless one is queued for its current start.

    Returns the time the task runs at (None when nothing was queued).
    """
    now = now or timezone.now()
    start = broadcast.scheduled_start
    pending = BroadcastReminder.objects.filter(broadcast=broadcast).confirmed().unsent()
    if start <= now or not pending.exclude(scheduled_for=start).exists():
        return None
    when = remind_at(broadcast)
    if when > now and pending.filter(scheduled_for=start).exists():
        # A task for this start is still waiting, and it takes every reminder confirmed by then.
        pending.update(scheduled_for=start)
        return None
    run_after = when if when > now else None
    send = send_broadcast_reminders
    if run_after is not None:
        if not send.get_backend().supports_defer:
            # `make run` runs tasks at once and cannot wait: say so rather than mail early.
            logger.warning("reminders for broadcast %s not queued: the task backend cannot defer", broadcast.pk)
            return None
        send = send.using(run_after=run_after)
    send.enqueue(broadcast.pk, start_key(broadcast))
    pending.update(scheduled_for=start)
    return run_after or now


@task()
def send_broadcast_reminders(broadcast_id, start):
    """Mail each confirmed reminder of broadcast `broadcast_id` once, if it still starts at `start`."""
    now = timezone.now()
    pending = BroadcastReminder.objects.filter(broadcast_id=broadcast_id).confirmed().unsent()
    broadcast = BroadcastReplayPage.objects.live().public().filter(pk=broadcast_id).first()
    if broadcast is None:
        # Unpublished or made private (a cancelled broadcast): publishing it again queues anew.
        pending.update(scheduled_for=None)
        return 0
    if start_key(broadcast) != start:
        return 0  # moved since: the publish that moved it queued the task for the new time
    if broadcast.state(now) == BroadcastReplayPage.State.REPLAY:
        return 0  # the worker was down past the end: a reminder now would only mislead
    sent = 0
    for reminder in pending.order_by("pk"):
        try:
            with transaction.atomic():
                # The claim and the mail commit together: a failed send leaves the reminder unsent.
                claimed = BroadcastReminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).update(sent_at=now)
                if claimed:
                    _send_reminder(reminder, broadcast)
        except (smtplib.SMTPException, OSError):
            logger.exception("reminder %s could not be sent", reminder.pk)
            continue
        sent += claimed
    logger.info("broadcast %s: %s reminders sent", broadcast.pk, sent)
    return sent


def _send_reminder(reminder, broadcast):
    with translation.override(reminder.language):
        shown = broadcast.localized.specific
        start = timezone.localtime(broadcast.scheduled_start)
        subject = _("Starting at %(time)s: %(title)s") % {
            "time": formats.date_format(start, "H:i"),
            "title": shown.title,
        }
        unsubscribe_url, one_click_url = REMINDERS.unsubscribe_urls(reminder, shown)
        context = {
            "page": shown,
            "page_url": shown.get_full_url(),
            "start": start,
            "minutes": lead_minutes(),
            "unsubscribe_url": unsubscribe_url,
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        mailing.send_list_mail(
            subject, "stories/broadcasts/email_reminder.txt", context, reminder.email, unsubscribe_url, one_click_url
        )


def schedule_every_language(translation_key):
    """Schedule the reminders of each language's page of one broadcast."""
    # A start moved in one language is copied into the others' rows without publishing them
    # (site_content/facts.py): their reminders must move too.
    for broadcast in BroadcastReplayPage.objects.filter(translation_key=translation_key):
        schedule_reminders(broadcast)


def _on_publish(sender, instance, **kwargs):
    # After commit: the task must see the published start, and must not run inside the editor's transaction.
    transaction.on_commit(lambda: schedule_every_language(instance.translation_key))


def connect():
    """Called by StoriesConfig.ready(): a publish that moves the start (any process) moves the reminders."""
    page_published.connect(_on_publish, sender=BroadcastReplayPage, dispatch_uid="broadcast-reminders-schedule")
