"""The views PolicyIndexPage's routes serve (sections.py): feeds and the subscription pages.

They live under /policy/ (and /en/policy/) as routes of the page, so no project URL needs to know them.
"""

from django.http import HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from site_content.mailing import one_click_unsubscribe_view

from .feeds import PolicyAtomFeed, PolicyRssFeed
from .models import PolicySubscription
from .subscriptions import (
    SubscriptionForm,
    confirm_subscription,
    over_limit,
    read_confirmation_token,
    request_subscription,
)

TEMPLATES = "stories/policy/"


def rss(page, request):
    return PolicyRssFeed(page)(request)


def atom(page, request):
    return PolicyAtomFeed(page)(request)


def _render(page, request, template, status=200, **context):
    context = {**page.get_context(request, listing=False), **context}
    return TemplateResponse(request, TEMPLATES + template, context, status=status)


def subscribe(page, request):
    if request.method == "POST":
        form = SubscriptionForm(request.POST)
        if form.is_valid():
            if over_limit(request, form.cleaned_data["email"]):
                form.add_error(None, _("Too many subscription requests. Please try again in an hour."))
                return _render(page, request, "subscribe.html", status=429, form=form)
            request_subscription(request, form, page)
            # The same answer whether or not the address was known: the page reveals nobody's subscription.
            return _render(page, request, "subscribe_sent.html", email=form.cleaned_data["email"])
        return _render(page, request, "subscribe.html", status=400, form=form)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    initial = {"regions": [page.region_id]} if page.region_id else {}
    return _render(page, request, "subscribe.html", form=SubscriptionForm(initial=initial))


def confirm(page, request, token):
    payload = read_confirmation_token(token)
    if payload is None:
        return _render(page, request, "confirm.html", status=400, invalid=True)
    if request.method == "POST":
        subscription = confirm_subscription(payload)
        if subscription is None:
            return _render(page, request, "confirm.html", status=400, invalid=True)
        return _render(page, request, "confirm.html", confirmed=True, subscription=subscription)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    # GET only shows the button: mail scanners that follow links must not confirm on a reader's behalf.
    return _render(page, request, "confirm.html", token=token)


def unsubscribe(page, request, token):
    subscription = PolicySubscription.objects.with_token(token).first()
    if request.method == "POST":
        if subscription is not None:
            subscription.delete()  # the address goes with the row; notifications cascade
        return _render(page, request, "unsubscribe.html", done=True)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return _render(page, request, "unsubscribe.html", subscription=subscription, token=token)


# RFC 8058 one-click unsubscribe for the List-Unsubscribe header, routed in home/urls.py.
one_click_unsubscribe = one_click_unsubscribe_view(PolicySubscription)
