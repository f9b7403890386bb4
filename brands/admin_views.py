"""Admin views for batches: seal the pending events, recall the batch, print a sheet of QR labels."""

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin import messages

from .models.provenance import PACKAGES_MAX, Batch
from .models.transparency import LogCheckpoint
from .recall import AlreadyRecalled, recall_batch
from .rooms import provenance_scope
from .seal import SealError, seal_batch, verify_chain
from .views import label_fragment, qr_code

LABELS_MAX = 200


def _batch_for(request, pk, action="change"):
    """The batch, if `request.user` may `action` it: the model permission and its brand (brands/rooms.py)."""
    # The permission first: without it, the admin's usual refusal; with it, another brand's batch is a 404.
    if not request.user.has_perm(f"brands.{action}_batch"):
        raise PermissionDenied
    return get_object_or_404(provenance_scope(Batch.objects.select_related("product"), request.user), pk=pk)


def _edit_url(batch):
    return reverse("wagtailsnippets_brands_batch:edit", args=[batch.pk])


def seal_view(request, pk):
    """GET: what would be sealed. POST: seal it. Sealing cannot be undone, hence the confirmation."""
    batch = _batch_for(request, pk)
    pending = batch.events.filter(seal="").select_related("region").order_by("occurred_at")
    if request.method == "POST":
        try:
            count = seal_batch(batch)
        except (ValidationError, SealError) as error:
            messages.error(request, _("Nothing was sealed: an event is not valid yet (%(error)s).") % {"error": error})
            return redirect(_edit_url(batch))
        messages.success(
            request,
            ngettext(
                "%(count)d event sealed: it is now public on the batch's trace page.",
                "%(count)d events sealed: they are now public on the batch's trace page.",
                count,
            )
            % {"count": count},
            buttons=[messages.button(batch.get_absolute_url(), _("View trace page"), new_window=True)],
        )
        return redirect(_edit_url(batch))
    return TemplateResponse(
        request,
        "brands/trace/admin/seal_confirm.html",
        {"batch": batch, "pending": pending, "edit_url": _edit_url(batch), "result": verify_chain(batch)},
    )


class RecallForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why it is recalled, and what buyers should do"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=gettext_lazy(
            "Shown in red on the batch's trace page and product page, and sealed: it cannot change."
        ),
    )
    actor = forms.CharField(label=gettext_lazy("Recalled by"), max_length=120)

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Say why the batch is recalled."))
        return reason


def recall_view(request, pk):
    """GET: the recall form. POST: seal the recall into the batch's chain and the log, mark the batch recalled."""
    batch = _batch_for(request, pk)
    if batch.events.recalls().exists():
        messages.info(request, _("This batch is recalled already; its recall is sealed."))
        return redirect(_edit_url(batch))
    actor = request.user.get_full_name() or request.user.get_username()
    form = RecallForm(request.POST or None, initial={"actor": actor})
    if request.method == "POST" and form.is_valid():
        try:
            recall_batch(batch, form.cleaned_data["reason"], form.cleaned_data["actor"])
        except AlreadyRecalled:
            messages.info(request, _("This batch is recalled already; its recall is sealed."))
            return redirect(_edit_url(batch))
        messages.success(request, _("Batch %(code)s is recalled; the recall is sealed.") % {"code": batch.display_code})
        return redirect(_edit_url(batch))
    return TemplateResponse(
        request,
        "brands/trace/admin/recall_confirm.html",
        {"batch": batch, "form": form, "edit_url": _edit_url(batch)},
        status=400 if form.is_bound else 200,
    )


class LabelSheetForm(forms.Form):
    count = forms.IntegerField(label=gettext_lazy("How many labels"), min_value=1, max_value=LABELS_MAX, initial=24)
    first = forms.IntegerField(
        label=gettext_lazy("First package number"),
        min_value=1,
        max_value=PACKAGES_MAX - LABELS_MAX,
        initial=1,
        required=False,  # a sheet asked for by its count alone starts at package 1
        help_text=gettext_lazy("Each package gets its own code: continue after the last sheet you printed."),
    )


def label_sheet(request, pk):
    """A print-ready page of QR labels for one batch's packages (A4, 3 × 8)."""
    batch = _batch_for(request, pk, "view")
    form = LabelSheetForm(request.GET or None)
    count, first = (form.cleaned_data["count"], form.cleaned_data["first"] or 1) if form.is_valid() else (24, 1)
    batch.ensure_label_secret()
    # Labels are printed once for every reader: they carry the default-language URL.
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("trace:batch", kwargs={"code": batch.display_code})
    site = batch.product.get_site()
    url = (site.root_url if site else request.build_absolute_uri("/").rstrip("/")) + path
    # The log state at packing: a later scan shows whether history was rewritten since the label was printed.
    checkpoint = LogCheckpoint.objects.latest_signed()
    if checkpoint is not None:
        url += f"?log={label_fragment(checkpoint)}"
    svg = qr_code(url).svg_inline(scale=3, border=2, title=batch.display_code)
    return TemplateResponse(
        request,
        "brands/trace/admin/label_sheet.html",
        {
            "batch": batch,
            "form": form,
            "url": url,
            "svg": svg,
            # Each package's own code, which a buyer's review quotes to show they hold the package.
            "labels": [(number, batch.package_code(number)) for number in range(first, first + count)],
            "edit_url": _edit_url(batch),
        },
    )
