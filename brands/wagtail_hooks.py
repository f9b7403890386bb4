"""Batches, provenance events and certificates in the admin, grouped under "Provenance"."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models.pages import ProductPage
from .models.provenance import Batch, Certificate, ProvenanceEvent


class BatchAdminForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        events = self.formsets.get("events") if hasattr(self, "formsets") else None
        if events is not None:
            for form in events.deleted_forms:
                if form.instance.pk and form.instance.is_sealed:
                    self.add_error(
                        None,
                        _("Sealed event “%(event)s” cannot be deleted: add a correction instead.")
                        % {"event": form.instance},
                    )
        return cleaned


class BatchEditView(EditView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        pk = self.object.pk
        buttons += [
            Button(_("Seal pending events"), url=reverse("provenance_batch_seal", args=[pk]), icon_name="lock"),
            Button(_("Recall batch"), url=reverse("provenance_batch_recall", args=[pk]), icon_name="warning"),
            Button(_("Print QR labels"), url=reverse("provenance_batch_labels", args=[pk]), icon_name="doc-full"),
            Button(_("View trace page"), url=self.object.get_absolute_url(), icon_name="view"),
        ]
        return buttons


class BatchViewSet(SnippetViewSet):
    model = Batch
    icon = "tag"
    menu_label = _("Batches")
    edit_view_class = BatchEditView
    list_display = ["display_code", "product", "status", "harvest_date", "created_at"]
    list_filter = ["status"]
    edit_handler = ObjectList(Batch.panels, base_form_class=BatchAdminForm)


class ProvenanceEventViewSet(SnippetViewSet):
    model = ProvenanceEvent
    icon = "date"
    menu_label = _("Provenance events")
    list_display = ["__str__", "batch", "actor", "sequence", "sealed_at"]
    list_filter = ["stage"]
    edit_handler = ObjectList(
        [
            FieldPanel("batch"),
            *ProvenanceEvent.panels,
            InlinePanel("evidence", heading=_("Evidence"), label=_("File")),
        ]
    )


class CertificateViewSet(SnippetViewSet):
    model = Certificate
    icon = "success"
    menu_label = _("Certificates")
    list_display = ["__str__", "certification_type", "issuer", "valid_from", "valid_to"]
    list_filter = ["certification_type"]


class ProvenanceGroup(SnippetViewSetGroup):
    menu_label = _("Provenance")
    menu_icon = "tag"
    menu_order = 250
    items = (BatchViewSet, ProvenanceEventViewSet, CertificateViewSet)


register_snippet(ProvenanceGroup)


@hooks.register("register_admin_urls")
def provenance_admin_urls():
    return [
        path("provenance/batches/<int:pk>/seal/", admin_views.seal_view, name="provenance_batch_seal"),
        path("provenance/batches/<int:pk>/recall/", admin_views.recall_view, name="provenance_batch_recall"),
        path("provenance/batches/<int:pk>/labels/", admin_views.label_sheet, name="provenance_batch_labels"),
    ]


def _sealed_refusal(request, objects):
    """Which of `objects` (batches, events, evidence) hold sealed provenance, as readable names."""
    refused = []
    for obj in objects:
        if isinstance(obj, Batch) and obj.has_sealed_events:
            refused.append(str(obj))
        elif isinstance(obj, ProvenanceEvent) and obj.is_sealed:
            refused.append(f"{obj} ({obj.batch.display_code})")
    return refused


def _refuse(request, names, message):
    messages.error(request, message % {"items": "、".join(names)})
    return redirect(request.META.get("HTTP_REFERER") or reverse("wagtailadmin_home"))


@hooks.register("before_delete_snippet")
def refuse_deleting_sealed_provenance(request, instances):
    """Single and bulk delete of batches and events: sealed ones stay, with a message instead of an error page."""
    names = _sealed_refusal(request, instances)
    if names:
        return _refuse(
            request,
            names,
            _(
                "Sealed provenance is never deleted (%(items)s). Add a correcting event instead; a batch with sealed "
                "events can be marked recalled or sold out."
            ),
        )
    return None


@hooks.register("before_delete_page")
def refuse_deleting_products_with_sealed_batches(request, page):
    """Deleting a product (or a brand above it) would cascade to its sealed batches: refused with a message."""
    products = ProductPage.objects.descendant_of(page, inclusive=True)
    batches = Batch.objects.filter(product__in=products, events__seal__gt="").distinct()
    names = [batch.display_code for batch in batches[:10]]
    if names:
        return _refuse(
            request,
            names,
            _(
                "This page has batches with sealed provenance (%(items)s), which is never deleted. Unpublish it instead."
            ),
        )
    return None


@hooks.register("before_move_page")
def refuse_moving_products_with_sealed_batches(request, page, destination):
    """A product's brand is sealed into its batches' events: moving it to another brand is refused."""
    if page.get_parent().pk == destination.pk:
        return None
    products = ProductPage.objects.descendant_of(page, inclusive=True)
    names = [b.display_code for b in Batch.objects.filter(product__in=products, events__seal__gt="").distinct()[:10]]
    if names:
        return _refuse(
            request,
            names,
            _("This product's batches are sealed under its brand (%(items)s): it cannot move to another brand."),
        )
    return None
