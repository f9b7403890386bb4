"""Public feedback endpoints: submit (POST only), "check your inbox", confirm by signed link.

The link in the email opens a page with a button; only the button's POST confirms. Mail scanners and
link previews follow links with GET, and must not confirm a message on its writer's behalf.
"""

import logging
import smtplib
from datetime import timedelta

from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import Page

from brands.models import FarmBrandPage, ProductPage

from . import spam
from .forms import QuestionForm, ReviewForm
from .models import Question, Review, hash_client_ip

logger = logging.getLogger("farmcast.feedback")

CONFIRM_MAX_AGE = timedelta(hours=48)
_SIGNER_SALT = "feedback.confirm"
_KINDS = {"review": Review, "question": Question}


def confirmation_token(item):
    kind = "review" if isinstance(item, Review) else "question"
    return signing.TimestampSigner(salt=_SIGNER_SALT).sign_object({"k": kind, "id": item.pk})


def _public_pages():
    return Page.objects.live().public()


@require_POST
def submit_review(request, product_id):
    product = get_object_or_404(ProductPage.objects.live().public(), pk=product_id)
    return _submit(request, ReviewForm, product, {"product": product})


@require_POST
def submit_question(request, page_id):
    page = get_object_or_404(_public_pages().type(ProductPage, FarmBrandPage), pk=page_id).specific
    return _submit(request, QuestionForm, page, {"page": page})


def _submit(request, form_class, page, fields):
    form = form_class(request.POST)
    sent_url = f"{reverse('feedback:sent')}?page={page.pk}"
    # Bots that fill the honeypot get the same answer as people, so they learn nothing; nothing is stored.
    if request.POST.get(form_class.honeypot_field):
        logger.info("feedback honeypot filled on page %s", page.pk)
        return redirect(sent_url)
    if not form.is_valid():
        return _form_page(request, form, page, status=400)

    ip_hash = hash_client_ip(spam.client_ip(request))
    broken = spam.over_limit(ip_hash, form.cleaned_data["email"])
    if broken:
        form.add_error(
            "email" if broken == "email" else None,
            _("You have sent several messages in the last hour. Please try again later.")
            if broken == "ip"
            else _("This address has sent several messages in the last hour. Please try again later."),
        )
        return _form_page(request, form, page, status=429)

    item = form.save(commit=False)
    for name, value in fields.items():
        setattr(item, name, value)
    item.client_ip_hash = ip_hash
    if isinstance(item, Review):
        item.verify_batch(form.cleaned_data.get("package_code", ""))
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:  # another review claimed the same package a moment ago: this one only matches
        item.package_number, item.package_verified = None, False
        item.save()
    if not _send_confirmation(request, item, page):
        return render(request, "feedback/not_sent.html", {"feedback_page": page}, status=503)
    return redirect(sent_url)


def _form_page(request, form, page, status):
    return render(
        request,
        "feedback/form_page.html",
        {"form": form, "feedback_page": page, "is_review": isinstance(form, ReviewForm)},
        status=status,
    )


def _send_confirmation(request, item, page):
    link = request.build_absolute_uri(reverse("feedback:confirm", args=[confirmation_token(item)]))
    context = {"item": item, "page": page, "link": link, "hours": int(CONFIRM_MAX_AGE.total_seconds() // 3600)}
    subject = " ".join(render_to_string("feedback/email/confirm_subject.txt", context).split())
    body = render_to_string("feedback/email/confirm_body.txt", context)
    try:
        send_mail(subject, body, None, [item.email])
    except (smtplib.SMTPException, OSError):
        logger.exception("feedback confirmation email to item %s could not be sent", item.pk)
        return False
    return True


@require_GET
def sent(request):
    page = None
    page_id = request.GET.get("page", "")
    if page_id.isdigit():
        page = _public_pages().filter(pk=int(page_id)).first()
    return render(request, "feedback/sent.html", {"feedback_page": page})


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    signer = signing.TimestampSigner(salt=_SIGNER_SALT)
    try:
        payload = signer.unsign_object(token, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        return render(request, "feedback/confirm_failed.html", {"expired": True}, status=410)
    except signing.BadSignature:
        return render(request, "feedback/confirm_failed.html", {"expired": False}, status=400)
    model = _KINDS.get(payload.get("k")) if isinstance(payload, dict) else None
    if model is None or not isinstance(payload.get("id"), int):
        return render(request, "feedback/confirm_failed.html", {"expired": False}, status=400)
    item = model.objects.filter(pk=payload["id"]).first()
    if item is None:
        raise Http404("feedback item gone")
    if request.method != "POST":
        return render(request, "feedback/confirm.html", {"item": item, "feedback_page": item.page})
    newly = item.confirm()
    return render(request, "feedback/confirmed.html", {"item": item, "newly": newly, "feedback_page": item.page})
