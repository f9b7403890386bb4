"""The pages of a double opt-in list about one page: "提醒我 / Remind me" on a broadcast, "关注 / Follow" on a brand.

A `Signup` is one such list (broadcasts/reminders.py, follows/follows.py). Its pages, under
/reminders/ and /follow/ (and /en/...):
- `<page id>/` (POST): the address, rate limited per client and per address; stores an unconfirmed row
  and mails a signed link that expires in three days, then redirects to `sent/` (so a reload sends nothing);
  a wrong address or a refused request answers the form again with the reason (400 or 429);
- `confirm/<token>/`: GET shows a button, POST confirms (a mail scanner that follows links confirms nothing);
- `unsubscribe/<token>/`: GET shows a button, POST deletes the row and the address with it;
- `unsubscribe/<token>/one-click/` (outside the language prefix, CSRF-exempt): RFC 8058's one-click POST.
Signing, rate limits and the List-Unsubscribe headers are site_content/mailing.py's, as for policy news.
None of these responses is cached: the page cache serves GETs of pages only, and these are not pages.
"""

from urllib.parse import urljoin

from django import forms
from django.conf import settings
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from site_content import mailing

# Page ids are 32-bit integers (Wagtail's AutoField).
MAX_PAGE_ID = 2**31 - 1


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "placeholder": "name@example.com"})

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


def absolute_url(path, page):
    """`path` on the site that serves `page`: mails sent by a worker have no request to build URLs from."""
    return urljoin(page.get_full_url(), path)


class Signup:
    kind = ""  # "reminder" or "follow": URL names, and the words the shared templates pick
    model = None  # a site_content.mailing.Subscriber with a foreign key `page_field` to the page
    page_field = ""
    page_model = None
    salt = ""
    per_client = 10
    per_address = 5
    confirm_template = ""  # the confirmation email's text

    # --- What each list says ---------------------------------------------------------------------

    def refusal(self, page, now):
        """Why this page takes no sign-ups now (a message for the form), or None."""
        return None

    def confirmed(self, row):
        """Called after a reader confirmed (again): what the list does then."""

    def confirm_subject(self, page):
        raise NotImplementedError

    def extra_context(self):
        """What this list's forms and pages show besides the page and the form."""
        return {}

    # --- URLs ------------------------------------------------------------------------------------

    def urlpatterns(self, prefix):
        return [
            path(f"{prefix}/<int:page_id>/", self.ask, name=f"{self.kind}_ask"),
            path(f"{prefix}/sent/", self.sent, name=f"{self.kind}_sent"),
            path(f"{prefix}/confirm/<str:token>/", self.confirm, name=f"{self.kind}_confirm"),
            path(f"{prefix}/unsubscribe/<str:token>/", self.unsubscribe, name=f"{self.kind}_unsubscribe"),
        ]

    def one_click_urlpatterns(self, prefix):
        view = mailing.one_click_unsubscribe_view(self.model)
        return [path(f"{prefix}/unsubscribe/<str:token>/one-click/", view, name=f"{self.kind}_one_click")]

    def unsubscribe_urls(self, row, page):
        """(the unsubscribe page in the active language, the one-click URL for the header), absolute."""
        return (
            absolute_url(reverse(f"{self.kind}_unsubscribe", args=[row.token]), page),
            absolute_url(reverse(f"{self.kind}_one_click", args=[row.token]), page),
        )

    # --- Views -----------------------------------------------------------------------------------

    def pages(self):
        return self.page_model.objects.live().public()

    def _render(self, request, template, status=200, **context):
        context = {"kind": self.kind, **self.extra_context(), **context}
        return TemplateResponse(request, f"stories/signups/{template}", context, status=status)

    def ask(self, request, page_id):
        if page_id > MAX_PAGE_ID:  # a database refuses an integer wider than its column (SQLite: a 500)
            raise Http404
        page = get_object_or_404(self.pages(), pk=page_id)
        if request.method in ("GET", "HEAD"):
            return self._render(request, "form.html", page=page, form=EmailForm())
        if request.method != "POST":
            return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
        form = EmailForm(request.POST)
        if not form.is_valid():
            return self._render(request, "form.html", status=400, page=page, form=form)
        refusal = self.refusal(page, timezone.now())
        if refusal:
            form.add_error(None, refusal)
            return self._render(request, "form.html", status=400, page=page, form=form)
        email = form.cleaned_data["email"]
        if mailing.over_limit(request, email, f"{self.kind}-signup", self.per_client, self.per_address):
            form.add_error(None, _("Too many requests. Please try again in an hour."))
            return self._render(request, "form.html", status=429, page=page, form=form)
        row, _created = self.model.objects.get_or_create(
            email=email,
            **{self.page_field: page},
            defaults={"language": translation.get_language() or settings.LANGUAGE_CODE},
        )
        self.mail_confirmation(request, row, page)
        # The same answer whether or not the address was known: the page reveals nobody's sign-up.
        return redirect(f"{reverse(f'{self.kind}_sent')}?page={page.pk}")

    def mail_confirmation(self, request, row, page):
        token = mailing.sign({"id": row.pk}, self.salt)
        unsubscribe_url, one_click_url = self.unsubscribe_urls(row, page)
        context = {
            "page": page,
            "confirm_url": request.build_absolute_uri(reverse(f"{self.kind}_confirm", args=[token])),
            "unsubscribe_url": unsubscribe_url,
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        mailing.send_list_mail(
            self.confirm_subject(page), self.confirm_template, context, row.email, unsubscribe_url, one_click_url
        )

    def sent(self, request):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        page_id = request.GET.get("page", "")
        page = (
            self.pages().filter(pk=int(page_id)).first()
            if page_id.isascii() and page_id.isdigit() and int(page_id) <= MAX_PAGE_ID
            else None
        )
        return self._render(request, "sent.html", page=page)

    def confirm(self, request, token):
        payload = mailing.unsign(token, self.salt)
        row_id = payload.get("id") if isinstance(payload, dict) else None
        row = self.model.objects.filter(pk=row_id).first() if isinstance(row_id, int) else None
        if row is None:
            return self._render(request, "confirm.html", status=400, invalid=True)
        page = getattr(row, self.page_field)
        if request.method == "POST":
            row.confirm()
            self.confirmed(row)
            return self._render(request, "confirm.html", confirmed=True, row=row, page=page)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
        # GET only shows the button: mail scanners that follow links must not confirm on a reader's behalf.
        return self._render(request, "confirm.html", row=row, page=page)

    def unsubscribe(self, request, token):
        row = self.model.objects.with_token(token).first()
        if request.method == "POST":
            if row is not None:
                row.delete()  # the address goes with the row
            return self._render(request, "unsubscribe.html", done=True)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
        page = getattr(row, self.page_field) if row is not None else None
        return self._render(request, "unsubscribe.html", row=row, page=page)
