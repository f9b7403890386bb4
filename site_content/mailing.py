"""Mail to readers who asked for it: one mechanism for policy subscriptions, broadcast reminders and brand follows.

Every list works the same way:
- a form (rate limited per client and per address, `over_limit`) stores an unconfirmed `Subscriber` row and
  mails a signed, expiring confirmation link (`sign` / `unsign`); the link's page confirms with a button,
  on POST, so a mail scanner that follows links confirms nothing;
- every mail carries the row's random unsubscribe token in a link and in RFC 2369 / RFC 8058 headers
  (`send_list_mail`), and a CSRF-exempt one-click URL (`one_click_unsubscribe_view`) deletes the row,
  and the address with it.
"""

import base64
import binascii
import re
import secrets

from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .client import client_ip, count_hit

CONFIRM_MAX_AGE = 3 * 24 * 60 * 60
RATE_WINDOW = 60 * 60
# Unsubscribe tokens are secrets.token_urlsafe(32); anything else names no subscriber.
TOKEN_SHAPE = re.compile(r"[\w-]{1,64}", re.ASCII)


def new_token():
    return secrets.token_urlsafe(32)


# --- Who receives it --------------------------------------------------------------------------------


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def with_token(self, token):
        """The row an unsubscribe link names; none for a value that cannot be a token."""
        # Only a token's shape reaches the query: PostgreSQL refuses a NUL byte in one (a 500).
        if not isinstance(token, str) or not TOKEN_SHAPE.fullmatch(token):
            return self.none()
        return self.filter(token=token)


class Subscriber(models.Model):
    """An address that asked for mail, in the language it asked in; mailed only once confirmed."""

    email = models.EmailField(_("email address"))
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # The unsubscribe link's secret; random, so it cannot be derived from the address.
    token = models.CharField(_("unsubscribe token"), max_length=64, unique=True, default=new_token, editable=False)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return self.email

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

    def confirm(self):
        """Mark the address confirmed; True the first time."""
        if self.confirmed_at is not None:
            return False
        self.confirmed_at = timezone.now()
        self.save(update_fields=["confirmed_at"])
        return True


# --- Rate limits ------------------------------------------------------------------------------------


def over_limit(request, email, scope, per_client, per_address, window=RATE_WINDOW):
    """Count this attempt on list `scope`; True when the client or the address has asked too often."""
    signer = signing.Signer(salt=f"{scope}.ratelimit")
    # Keys hold signatures, not addresses: the cache never stores who asked.
    client = signer.signature(client_ip(request))
    address = signer.signature(email)
    # Both counters move, so alternating addresses from one client or clients for one address both stop.
    over_client = count_hit(f"{scope}:ip:{client}", per_client, window)
    over_address = count_hit(f"{scope}:email:{address}", per_address, window)
    return over_client or over_address


# --- Signed confirmation links --------------------------------------------------------------------


def sign(payload, salt):
    """`payload` signed with a timestamp, as URL-path-safe text."""
    signed = signing.TimestampSigner(salt=salt).sign_object(payload)
    # Wagtail serves page paths made of word characters and hyphens only, and signatures contain ":".
    return base64.urlsafe_b64encode(signed.encode()).decode().rstrip("=")


def unsign(token, salt, max_age=CONFIRM_MAX_AGE):
    """The payload, or None when the token is malformed, its signature wrong or it is older than `max_age`."""
    try:
        signed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        return signing.TimestampSigner(salt=salt).unsign_object(signed, max_age=max_age)
    except (binascii.Error, UnicodeDecodeError, ValueError, signing.BadSignature):
        # SignatureExpired is a BadSignature too; ValueError covers a payload that is not JSON.
        return None


# --- Sending ---------------------------------------------------------------------------------------


def send_list_mail(subject, template, context, to, unsubscribe_url, one_click_url=None):
    """Mail `template` rendered with `context` to `to`, with the headers mail clients show an unsubscribe button for."""
    body = render_to_string(template, context)
    message = EmailMultiAlternatives(
        subject=" ".join(str(subject).split()),
        body=body,
        to=[to],
        headers={
            # RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs to this URL.
            "List-Unsubscribe": f"<{one_click_url or unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()


def one_click_unsubscribe_view(model):
    """The RFC 8058 one-click view for `model`'s rows: answers 200 whether or not the token named one."""

    @csrf_exempt  # the token in the URL is the secret; mail providers POST without cookies (RFC 8058)
    @require_POST
    def one_click_unsubscribe(request, token):
        model.objects.with_token(token).delete()
        return HttpResponse(status=200)

    return one_click_unsubscribe
