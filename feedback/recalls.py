"""Warn the buyers who verified a recalled lot: one email each, in the language they reviewed in.

A review that names a lot code of its product says "lot code matches": its writer most likely bought that
lot (the code is public, so it proves no more than that; a package code would).
When the lot is recalled, they are the people who most need to know, so each confirmed writer gets one
email with the reason and the trace page (the review form says so beside the lot code; the address is
still never shown). `Review.recall_mailed_at` makes "one" durable across retries and translations.
"""

import logging
import smtplib
from urllib.parse import urljoin

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from brands.recall import batch_recalled, public_recall

from .models import Review

logger = logging.getLogger("farmcast.feedback")


@task()
def notify_reviewers_of_recall(batch_id):
    """Email each confirmed writer of a review that verified this lot, once per address; the count sent."""
    found = public_recall(batch_id)
    if found is None:
        return 0
    batch, recall = found
    reviews = Review.objects.filter(
        product__translation_key=batch.product.translation_key,
        lot_code=batch.lot_code,
        batch_verified=True,
        confirmed_at__isnull=False,
    ).select_related("product__locale")
    sent = 0
    for email in (
        reviews.filter(recall_mailed_at__isnull=True).order_by("email").values_list("email", flat=True).distinct()
    ):
        try:
            # The mark and the mail commit together: if sending fails nothing is marked and a retry sends it.
            with transaction.atomic():
                # Any review at this address already marked means it was mailed (the same buyer, twice).
                if reviews.filter(email=email, recall_mailed_at__isnull=False).exists():
                    continue
                writer = reviews.filter(email=email).order_by("created_at").first()
                reviews.filter(email=email).update(recall_mailed_at=timezone.now())
                _send(writer, batch, recall)
        except (smtplib.SMTPException, OSError):
            logger.exception("recall email to the writer of review %s could not be sent", writer.pk)
            continue
        sent += 1
    logger.info("recall of %s: %s verified reviewers mailed", batch.lot_code, sent)
    return sent


def _send(review, batch, recall):
    with translation.override(review.product.locale.language_code):
        product = batch.product.localized.specific
        subject = _("Recalled: %(product)s, batch %(code)s") % {"product": product.title, "code": batch.display_code}
        context = {
            "review": review,
            "product": product,
            "batch": batch,
            "recall": recall,
            "trace_url": urljoin(product.get_full_url(), batch.get_absolute_url()),  # a worker has no request
        }
        send_mail(subject, render_to_string("feedback/email/recall_body.txt", context), None, [review.email])


def _on_recall(sender, batch, **kwargs):
    # brands sends this after the recall commits.
    notify_reviewers_of_recall.enqueue(batch.pk)


def connect():
    """Called by FeedbackConfig.ready(): every process that recalls warns the lot's reviewers."""
    batch_recalled.connect(_on_recall, dispatch_uid="feedback-notify-recall")
