"""Email subscriptions to policy news by region and topic: double opt-in, one-click unsubscribe.

Flow: the form (rate limited per address and per client) stores an unconfirmed row and mails a signed
confirmation link; the link's page confirms with one button. Unsubscribing deletes the row and with it
the address. Mailing subscribers when news is published is notifications.py's. Signing, rate limits and
the List-Unsubscribe headers are site_content/mailing.py's, shared with broadcast reminders and brand follows.
"""

from urllib.parse import urljoin

from django import forms
from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from site_content import mailing
from site_content.models import Region

from .models import PolicySubscription, PolicyTopic, subscribable_regions

CONFIRM_SALT = "stories.policy.subscribe"
RATE_SCOPE = "policy-subscribe"
PER_ADDRESS = 3
PER_CLIENT = 10


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


# --- Rate limits --------------------------------------------------------------------------------


def over_limit(request, email):
    """Count this attempt; True when the client or the address has asked too often this hour."""
    return mailing.over_limit(request, email, RATE_SCOPE, PER_CLIENT, PER_ADDRESS)


# --- Tokens and mail ------------------------------------------------------------------------------


def confirmation_token(subscription, regions, topics):
    payload = {"s": subscription.pk, "r": sorted(r.pk for r in regions), "t": sorted(t.pk for t in topics)}
    return mailing.sign(payload, CONFIRM_SALT)


def read_confirmation_token(token):
    """The payload, or None when the token is malformed, its signature wrong or it is older than three days."""
    return mailing.unsign(token, CONFIRM_SALT)


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
    mailing.send_list_mail(
        _("Please confirm your policy news subscription"),
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
        subscription.confirm()
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
