"""Mail a brand's followers once per event: a broadcast scheduled, a story published, a batch recalled.

Each event is a background task, enqueued after the transaction that caused it commits. A unique
FollowNotice per (follower, event) makes "once" durable across republishing, rescheduling, retries and
translations (an event is keyed on the page's translation key, so the English copy is the same event).
Only followers who had confirmed before the page was first published hear of it: following a brand is
not a way to be mailed its old stories when an editor fixes a typo.
"""

import logging
import smtplib

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task
from wagtail.signals import page_published

from brands.models import FarmBrandPage
from brands.recall import batch_recalled, public_recall
from site_content import mailing

from ..broadcasts.models import BroadcastReplayPage
from ..story.models import BrandStoryPage
from .follows import absolute_url, mail_context, unsubscribe_urls
from .models import BrandFollow, FollowNotice

logger = logging.getLogger("farmcast.follows")


# --- What is news --------------------------------------------------------------------------------


def page_event(page, now):
    """The event a published page is for its brand's followers, or None when it is none."""
    if page.brand_id is None:
        return None
    if isinstance(page, BroadcastReplayPage):
        # Scheduling is news while the broadcast is ahead; a replay published afterwards is not a schedule.
        return f"broadcast:{page.translation_key}" if page.scheduled_start > now else None
    if isinstance(page, BrandStoryPage):
        return f"story:{page.translation_key}"
    return None


def notify(brand, event, followers, send):
    """Call `send(follow)` for each of `followers` not yet mailed about `event`, once per address."""
    sent = 0
    mailed = set(FollowNotice.objects.filter(event=event, follow__in=followers).values_list("follow__email", flat=True))
    for follow in followers.order_by("pk"):
        if follow.email in mailed:  # followed the brand in both languages: one email still
            continue
        try:
            # The row and the mail commit together: if sending fails the row rolls back and a retry sends it.
            with transaction.atomic():
                _notice, created = FollowNotice.objects.get_or_create(follow=follow, event=event)
                if created:
                    send(follow)
        except (smtplib.SMTPException, OSError):
            logger.exception("follower email %s about %s could not be sent", follow.pk, event)
            continue
        mailed.add(follow.email)
        sent += created
    logger.info("%s: brand %s's followers mailed: %s", event, brand.pk, sent)
    return sent


# --- Tasks ---------------------------------------------------------------------------------------


@task()
def notify_followers_of_page(page_id):
    """Mail the followers of a published story's or upcoming broadcast's brand, once each."""
    page = BroadcastReplayPage.objects.live().public().filter(pk=page_id).first()
    page = page or BrandStoryPage.objects.live().public().filter(pk=page_id).first()
    if page is None:  # unpublished or made private before the worker got to it
        return 0
    event = page_event(page, timezone.now())
    brand = FarmBrandPage.objects.live().public().filter(pk=page.brand_id).first()
    if event is None or brand is None:
        return 0
    followers = BrandFollow.objects.of_brand(brand).confirmed().filter(confirmed_at__lte=page.first_published_at)
    template = "broadcast" if isinstance(page, BroadcastReplayPage) else "story"
    return notify(brand, event, followers, lambda follow: _send_page_news(follow, brand, page, template))


@task()
def notify_followers_of_recall(batch_id):
    """Mail every confirmed follower of a recalled batch's brand, once: a recall is safety news, old or new follower."""
    found = public_recall(batch_id)
    if found is None:
        return 0
    batch, recall = found
    brand = FarmBrandPage.objects.live().public().filter(pk=batch.product.get_parent().pk).first()
    if brand is None:
        return 0
    followers = BrandFollow.objects.of_brand(brand).confirmed()
    return notify(
        brand, f"recall:{batch.lot_code}", followers, lambda follow: _send_recall(follow, brand, batch, recall)
    )


# --- The emails ------------------------------------------------------------------------------------


def _send_page_news(follow, brand, page, kind):
    with translation.override(follow.language):
        shown = page.localized.specific
        shown_brand = brand.localized.specific
        if kind == "broadcast":
            subject = _("%(brand)s goes live: %(title)s") % {"brand": shown_brand.title, "title": shown.title}
        else:
            subject = _("New from %(brand)s: %(title)s") % {"brand": shown_brand.title, "title": shown.title}
        context = mail_context(follow, shown_brand, page=shown, page_url=shown.get_full_url())
        _send(follow, subject, f"stories/follows/email_{kind}.txt", context, shown_brand)


def _send_recall(follow, brand, batch, recall):
    with translation.override(follow.language):
        shown_brand = brand.localized.specific
        product = batch.product.localized.specific
        subject = _("Recalled: %(product)s, batch %(code)s") % {"product": product.title, "code": batch.display_code}
        trace_url = absolute_url(batch.get_absolute_url(), shown_brand)
        context = mail_context(follow, shown_brand, product=product, batch=batch, recall=recall, trace_url=trace_url)
        _send(follow, subject, "stories/follows/email_recall.txt", context, shown_brand)


def _send(follow, subject, template, context, brand):
    unsubscribe_url, one_click_url = unsubscribe_urls(follow, brand)
    mailing.send_list_mail(subject, template, context, follow.email, unsubscribe_url, one_click_url)


# --- When ------------------------------------------------------------------------------------------


def _on_publish(sender, instance, **kwargs):
    if page_event(instance, timezone.now()) is None:
        return
    # After commit, so the task never runs inside (or instead of) the publishing request's transaction.
    transaction.on_commit(lambda: notify_followers_of_page.enqueue(instance.pk))


def _on_recall(sender, batch, **kwargs):
    # brands sends this after the recall commits.
    notify_followers_of_recall.enqueue(batch.pk)


def connect():
    """Called by StoriesConfig.ready(): every process that publishes notifies."""
    for model in (BroadcastReplayPage, BrandStoryPage):
        page_published.connect(_on_publish, sender=model, dispatch_uid=f"follows-notify-{model.__name__}")
    batch_recalled.connect(_on_recall, dispatch_uid="follows-notify-recall")
