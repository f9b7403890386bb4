"""Mail policy news to its subscribers when it is published: one email per item and subscriber, ever.

When a PolicyNewsPage is published, a background task, enqueued after the publishing transaction
commits, mails each matching confirmed subscriber once: a unique PolicyNotification row per
(subscription, item) makes "never twice" durable across republishing, retries and translations.
"""

import logging

from django.conf import settings
from django.db import models, transaction
from django.utils import translation
from django_tasks import task
from wagtail.models import Locale
from wagtail.signals import page_published

from site_content import mailing
from site_content.models import Region

from .models import PolicyNewsPage, PolicyNotification, PolicySubscription
from .sections import PolicyIndexPage
from .subscriptions import absolute_unsubscribe_url, one_click_url

logger = logging.getLogger("farmcast.policy")


def matching_region_ids(page):
    """Regions whose subscribers want `page`: its regions, their ancestors and their sub-regions."""
    ids = set()
    for region in page.regions.all().select_related("parent__parent"):
        ids.update(r.pk for r in region.ancestors_and_self())
        ids.update(
            Region.objects.filter(models.Q(parent=region) | models.Q(parent__parent=region)).values_list(
                "pk", flat=True
            )
        )
    return ids


def matching_subscriptions(page):
    """Confirmed subscriptions for the page's regions whose topics (none = all) include one of its own."""
    topic_ids = list(page.topics.values_list("pk", flat=True))
    wants_topic = models.Q(topics__isnull=True)
    if topic_ids:
        wants_topic |= models.Q(topics__in=topic_ids)
    return (
        PolicySubscription.objects.filter(confirmed_at__isnull=False, regions__in=matching_region_ids(page))
        .filter(wants_topic)
        .distinct()
        .order_by("pk")
    )


@task()
def notify_policy_subscribers(page_id):
    """Mail each matching confirmed subscriber once about the published policy item `page_id`."""
    page = PolicyNewsPage.objects.live().public().filter(pk=page_id).first()
    if page is None:  # unpublished or made private before the worker got to it
        return 0
    # All languages of one item count as one item: nobody gets the English copy after the Chinese one.
    versions = list(PolicyNewsPage.objects.filter(translation_key=page.translation_key).values_list("pk", flat=True))
    sent = 0
    for subscription in matching_subscriptions(page):
        if PolicyNotification.objects.filter(subscription=subscription, page_id__in=versions).exists():
            continue
        # The row and the mail commit together: if sending fails the row rolls back and a retry sends it.
        with transaction.atomic():
            _, created = PolicyNotification.objects.get_or_create(subscription=subscription, page=page)
            if not created:
                continue
            _send_news(subscription, page)
        sent += 1
    logger.info("policy item %s mailed to %s subscribers", page.pk, sent)
    return sent


def _send_news(subscription, page):
    with translation.override(subscription.language):
        localized = page.get_translation_or_none(_locale_for(subscription.language))
        shown = localized.specific if localized is not None and localized.live else page
        unsubscribe_url = absolute_unsubscribe_url(top_policy_page(shown), subscription)
        context = {
            "page": shown,
            "page_url": shown.get_full_url(),
            "unsubscribe_url": unsubscribe_url,
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        mailing.send_list_mail(
            shown.title,
            "stories/policy/email_news.txt",
            context,
            subscription.email,
            unsubscribe_url,
            one_click_url(unsubscribe_url, subscription),
        )


def _locale_for(language):
    return Locale.objects.filter(language_code=language).first()


def top_policy_page(page):
    """The /policy/ page above `page` (its own language's), whose routes serve the subscription links."""
    return PolicyIndexPage.objects.ancestor_of(page, inclusive=True).order_by("depth").first()


def _on_publish(sender, instance, **kwargs):
    # After commit, so the task never runs inside (or instead of) the publishing request's transaction.
    transaction.on_commit(lambda: notify_policy_subscribers.enqueue(instance.pk))


def connect():
    """Called by StoriesConfig.ready(): every process that publishes (web, publish_scheduled, imports) notifies."""
    page_published.connect(_on_publish, sender=PolicyNewsPage, dispatch_uid="policy-news-notify-subscribers")
