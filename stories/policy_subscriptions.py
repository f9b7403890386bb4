"""Email subscriptions to policy news by region and topic: double opt-in, one email per item, one-click unsubscribe.

Flow: the form (rate limited per address and per client) stores an unconfirmed row and mails a signed
confirmation link; the link's page confirms with one button. When a PolicyNewsPage is published, a
background task, enqueued after the publishing transaction commits, mails each matching confirmed
subscriber once: a unique PolicyNotification row per (subscription, item) makes "never twice" durable
across republishing, retries and translations. Unsubscribing deletes the row and with it the address.
"""

import base64
import binascii
import logging
import secrets
from urllib.parse import urljoin

from django import forms
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task
from wagtail.signals import page_published

from site_content.client import client_ip, count_hit
from site_content.models import Region

from .policy import PolicyNewsPage, PolicyTopic

logger = logging.getLogger("farmcast.policy")

CONFIRM_SALT = "stories.policy.subscribe"
CONFIRM_MAX_AGE = 3 * 24 * 60 * 60
RATE_WINDOW = 60 * 60
PER_ADDRESS = 3
PER_CLIENT = 10


def _new_token():
    return secrets.token_urlsafe(32)


class PolicySubscription(models.Model):
    email = models.EmailField(_("email address"), unique=True)
    regions = models.ManyToManyField(Region, verbose_name=_("regions"), related_name="policy_subscriptions")
    topics = models.ManyToManyField(
        PolicyTopic,
        verbose_name=_("topics"),
        blank=True,
        related_name="subscriptions",
        help_text=_("None means every topic."),
    )
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # The unsubscribe link's secret; random, so it cannot be derived from the address.
    token = models.CharField(_("unsubscribe token"), max_length=64, unique=True, default=_new_token, editable=False)

    class Meta:
        verbose_name = _("policy subscription")
        verbose_name_plural = _("policy subscriptions")

    def __str__(self):
        return self.email

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None


class PolicyNotification(models.Model):
    """One email sent: the unique pair is what keeps a republished item from being mailed twice."""

    subscription = models.ForeignKey(PolicySubscription, on_delete=models.CASCADE, related_name="notifications")
    page = models.ForeignKey(PolicyNewsPage, on_delete=models.CASCADE, related_name="notifications")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("policy notification")
        constraints = [models.UniqueConstraint(fields=["subscription", "page"], name="policy_notification_once")]


# --- The form -----------------------------------------------------------------------------------


class SubscriptionForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions"),
        queryset=Region.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("News for a region includes its province's and its counties' news."),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=PolicyTopic.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Pick none to hear about every topic."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].queryset = subscribable_regions()
        self.fields["regions"].label_from_instance = lambda region: region.path_display
        self.fields["topics"].label_from_instance = lambda topic: topic.display_name
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


def subscribable_regions():
    """Every region, province first then its cities and counties (a county reader picks their county)."""
    return Region.objects.with_ancestors().order_by("code")


# --- Rate limits --------------------------------------------------------------------------------


def over_limit(request, email):
    """Count this attempt; True when the client or the address has asked too often this hour."""
    client = signing.Signer(salt="policy.ratelimit").signature(client_ip(request))
    address = signing.Signer(salt="policy.ratelimit").signature(email)
    # Both counters move, so alternating addresses from one client or clients for one address both stop.
    over_client = count_hit(f"policy-subscribe:ip:{client}", PER_CLIENT, RATE_WINDOW)
    over_address = count_hit(f"policy-subscribe:email:{address}", PER_ADDRESS, RATE_WINDOW)
    return over_client or over_address


# --- Tokens and mail ------------------------------------------------------------------------------


def confirmation_token(subscription, regions, topics):
    payload = {"s": subscription.pk, "r": sorted(r.pk for r in regions), "t": sorted(t.pk for t in topics)}
    signed = signing.TimestampSigner(salt=CONFIRM_SALT).sign_object(payload)
    # Wagtail serves page paths made of word characters and hyphens only, and signatures contain ":".
    return base64.urlsafe_b64encode(signed.encode()).decode().rstrip("=")


def read_confirmation_token(token):
    """The payload, or None when the token is malformed, its signature wrong or it is older than three days."""
    try:
        signed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        return signing.TimestampSigner(salt=CONFIRM_SALT).unsign_object(signed, max_age=CONFIRM_MAX_AGE)
    except (binascii.Error, UnicodeDecodeError, ValueError, signing.BadSignature):
        # SignatureExpired is a BadSignature too; ValueError covers a payload that is not JSON.
        return None


def request_subscription(request, form, top_page):
    """Store the address unconfirmed (or keep the existing row) and mail the confirmation link.

    The chosen regions and topics travel in the signed link, so a stranger who types someone's
    address cannot change what a confirmed subscriber receives without that person's click.
    """
    email = form.cleaned_data["email"]
    subscription, _created = PolicySubscription.objects.get_or_create(
        email=email, defaults={"language": translation.get_language() or settings.LANGUAGE_CODE}
    )
    token = confirmation_token(subscription, form.cleaned_data["regions"], form.cleaned_data["topics"])
    confirm_url = request.build_absolute_uri(top_page.url + top_page.reverse_subpage("confirm", args=(token,)))
    unsubscribe_url = absolute_unsubscribe_url(top_page, subscription, request)
    context = {
        "confirm_url": confirm_url,
        "unsubscribe_url": unsubscribe_url,
        "regions": form.cleaned_data["regions"],
        "topics": form.cleaned_data["topics"],
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    _send(
        str(_("Please confirm your policy news subscription")),
        "stories/policy/email_confirm.txt",
        context,
        email,
        unsubscribe_url,
        one_click_url(unsubscribe_url, subscription),
    )


def confirm_subscription(payload):
    """Apply the signed choices and mark the address confirmed; None if the row is gone."""
    subscription = PolicySubscription.objects.filter(pk=payload.get("s")).first()
    if subscription is None:
        return None
    with transaction.atomic():
        subscription.regions.set(Region.objects.filter(pk__in=payload.get("r", [])))
        subscription.topics.set(PolicyTopic.objects.filter(pk__in=payload.get("t", [])))
        if subscription.confirmed_at is None:
            subscription.confirmed_at = timezone.now()
            subscription.save(update_fields=["confirmed_at"])
    return subscription


def absolute_unsubscribe_url(top_page, subscription, request=None):
    path = top_page.reverse_subpage("unsubscribe", args=(subscription.token,))
    if request is not None:
        return request.build_absolute_uri(top_page.url + path)
    return top_page.get_full_url() + path


def one_click_url(unsubscribe_url, subscription):
    """Where mail clients POST an RFC 8058 one-click unsubscribe.

    Wagtail serves page routes through a view that enforces CSRF, which a mail provider's POST cannot pass;
    the CSRF-exempt `policy_one_click_unsubscribe` URL takes it when the project routes it.
    """
    try:
        path = reverse("policy_one_click_unsubscribe", args=(subscription.token,))
    except NoReverseMatch:
        return unsubscribe_url
    return urljoin(unsubscribe_url, path)


def _send(subject, template, context, to, unsubscribe_url, header_url=None):
    body = render_to_string(template, context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=[to],
        headers={
            # RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs to this URL.
            "List-Unsubscribe": f"<{header_url or unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()


# --- Notifying subscribers ------------------------------------------------------------------------


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
        _send(
            shown.title,
            "stories/policy/email_news.txt",
            context,
            subscription.email,
            unsubscribe_url,
            one_click_url(unsubscribe_url, subscription),
        )


def _locale_for(language):
    from wagtail.models import Locale

    return Locale.objects.filter(language_code=language).first()


def top_policy_page(page):
    """The /policy/ page above `page` (its own language's), whose routes serve the subscription links."""
    from .policy import PolicyIndexPage

    return PolicyIndexPage.objects.ancestor_of(page, inclusive=True).order_by("depth").first()


def _on_publish(sender, instance, **kwargs):
    # After commit, so the task never runs inside (or instead of) the publishing request's transaction.
    transaction.on_commit(lambda: notify_policy_subscribers.enqueue(instance.pk))


page_published.connect(_on_publish, sender=PolicyNewsPage, dispatch_uid="policy-news-notify-subscribers")
