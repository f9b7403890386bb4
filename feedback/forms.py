"""Public forms for reviews and questions, with the spam defences that do not need the request."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from brands.models.provenance import LotCodeError, normalise_lot_code

from .models import NAME_MAX_LENGTH, TITLE_MAX_LENGTH, Question, Review

# Links are how spam pays: any scheme, "www.", or a bare domain with a common top-level domain.
LINK_PATTERN = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://|www\.|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org|top|xyz|info|io|cc|me|shop|vip|"
    r"club|site|online|ru|tk|biz|co|app|link|live)\b)",
    re.IGNORECASE,
)
NO_LINKS_MESSAGE = _("Please leave out links and web addresses; write the text only.")

RATING_CHOICES = [
    (5, _("5 — excellent")),
    (4, _("4 — good")),
    (3, _("3 — all right")),
    (2, _("2 — poor")),
    (1, _("1 — bad")),
]


def refuse_links(value):
    if value and LINK_PATTERN.search(value):
        raise ValidationError(NO_LINKS_MESSAGE, code="link")


class FeedbackForm(forms.ModelForm):
    # A field people never see (hidden by CSS, skipped by screen readers and the tab key) and bots fill in.
    website = forms.CharField(label=_("Leave this empty"), required=False)

    honeypot_field = "website"
    # Both forms sit on a product page: distinct id prefixes keep their labels pointing at their own inputs.
    id_prefix = "feedback"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["display_name"].widget.attrs.update({"autocomplete": "nickname"})
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["email"].help_text = _("Only to confirm it is you; never shown.")
        for name in ("body", "display_name"):
            self.fields[name].validators.append(refuse_links)

    @property
    def is_bot(self):
        """True when the honeypot was filled in. Ask only after is_valid()."""
        return bool(self.cleaned_data.get(self.honeypot_field))

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class ReviewForm(FeedbackForm):
    id_prefix = "review"
    rating = forms.TypedChoiceField(label=_("Rating"), choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect)
    lot_code = forms.CharField(
        label=_("Lot code (optional)"),
        required=False,
        max_length=20,
        help_text=_(
            "Printed on the package, e.g. WC7K-3MXP. Reviews with this product's lot code say “lot code matches”."
        ),
    )
    package_code = forms.CharField(
        label=_("Package code (optional)"),
        required=False,
        max_length=20,
        help_text=_(
            "The code under the QR code on your package's label, e.g. 2K7P-M9QX. With it (and the lot code) your "
            "review says “package verified”."
        ),
    )

    class Meta:
        model = Review
        fields = ["rating", "title", "body", "lot_code", "display_name", "email"]
        labels = {"title": _("Title"), "body": _("Your review"), "display_name": _("Name to display")}
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].validators.append(refuse_links)
        self.fields["email"].help_text = _(
            "To confirm it is you and, if the batch you name is ever recalled, to tell you once; never shown."
        )
        self.fields["title"].widget.attrs["maxlength"] = TITLE_MAX_LENGTH
        self.fields["display_name"].widget.attrs["maxlength"] = NAME_MAX_LENGTH

    def clean_lot_code(self):
        return self._code("lot_code")

    def clean_package_code(self):
        # The same alphabet and length as a lot code, so the same checks and messages apply.
        return self._code("package_code")

    def _code(self, field):
        raw = self.cleaned_data.get(field, "")
        if not raw.strip():
            return ""
        try:
            return normalise_lot_code(raw)
        except LotCodeError as error:
            raise ValidationError(str(error), code=field) from error

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("package_code") and not cleaned.get("lot_code") and "lot_code" not in self.errors:
            self.add_error("lot_code", _("Give the lot code too: the package code belongs to one batch."))
        return cleaned


class QuestionForm(FeedbackForm):
    id_prefix = "question"

    class Meta:
        model = Question
        fields = ["body", "display_name", "email"]
        labels = {"body": _("Your question"), "display_name": _("Name to display")}
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}
