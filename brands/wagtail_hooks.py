"""Batches, provenance events and certificates in the admin, grouped under "Provenance".

Each brand's editors see, open and choose only their own brand's (brands/rooms.py).
"""

from datetime import datetime

from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.widgets import Button, HeaderButton
from wagtail.documents import get_document_model
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSetGroup

from site_content.files import FILE_REPLACEMENT_HOOK
from site_content.snippets import ScopedSnippetViewSet

from . import admin_views
from .forms import refuse_replacing_sealed_evidence
from .models.pages import ProductPage
from .models.provenance import UNSEALED_EVENT_FIELDS, Batch, Certificate, ProvenanceEvent
from .rooms import ProvenanceForm, ProvenancePermissionPolicy, provenance_scope


class BatchAdminForm(ProvenanceForm):
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


def _as_shown(value):
    """A value as the admin's widgets show and send it back: times to the minute, text with LF line ends."""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(second=0, microsecond=0)
    if isinstance(value, str):
        return "\n".join(value.strip().splitlines())
    return value


class SealedFieldsKeptMixin:
    """A sealed event's form keeps the sealed fields as stored when they come back as the widgets showed them.

    They do not come back exactly as stored: the date widget shows minutes (a sealed time may have seconds)
    and a browser sends line breaks as CRLF, so re-posting an untouched sealed event was refused as a change.
    One posted back as shown keeps its stored value; one posted changed is refused on its field (and
    ProvenanceEvent.clean() and save() refuse it too). `unsealed_fields` (no seal covers them) may change.
    """

    unsealed_fields = ()

    def clean(self):
        cleaned = super().clean()
        event = self.instance
        if not (event.pk and event.is_sealed):
            return cleaned
        sealed = {f.name for f in type(event)._meta.concrete_fields if not f.primary_key} - set(self.unsealed_fields)
        for name in [name for name in cleaned if name in sealed]:
            stored = getattr(event, name)
            if _as_shown(cleaned[name]) == _as_shown(stored):
                cleaned[name] = stored
            else:
                self.add_error(
                    name, _("This event is sealed: this cannot change. Add a new event that corrects it instead.")
                )
        return cleaned


class EventAdminForm(SealedFieldsKeptMixin, ProvenanceForm):
    """The event's own form: what no seal covers (the editors' translation of its note) can change after sealing."""

    unsealed_fields = UNSEALED_EVENT_FIELDS


class BatchEventForm(SealedFieldsKeptMixin, WagtailAdminModelForm):
    """An event in the batch form: saving the batch re-posts its sealed events, which must pass untouched."""


class BatchEventsPanel(InlinePanel):
    """The batch's events, each in a BatchEventForm."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["form"] = BatchEventForm
        return options


def pending_seal_count(batch):
    return batch.events.filter(seal="").count() if batch is not None and batch.pk else 0


class PendingSealMessageMixin:
    """After a save, a batch with unsealed events says so and offers the seal step: events are only
    public once sealed, and sealing stays a deliberate, separate confirmation."""

    def batch_of_object(self):
        return self.object

    def save_action(self):
        response = super().save_action()
        batch = self.batch_of_object()
        pending = pending_seal_count(batch)
        if pending:
            messages.warning(
                self.request,
                ngettext(
                    "Batch %(code)s has %(n)d event waiting for a seal: it is not public until you seal it.",
                    "Batch %(code)s has %(n)d events waiting for a seal: they are not public until you seal them.",
                    pending,
                )
                % {"code": batch.display_code, "n": pending},
                buttons=[messages.button(reverse("provenance_batch_seal", args=[batch.pk]), _("Review and seal"))],
            )
        return response


class BatchEditView(PendingSealMessageMixin, EditView):
    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        pending = pending_seal_count(self.object)
        if pending:
            # Not hidden in the "more" menu: an unsealed event is invisible to buyers until this is done.
            label = ngettext("Seal %(n)d pending event", "Seal %(n)d pending events", pending) % {"n": pending}
            buttons.append(
                HeaderButton(label, url=reverse("provenance_batch_seal", args=[self.object.pk]), icon_name="lock")
            )
        return buttons

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


class EventCreateView(PendingSealMessageMixin, CreateView):
    def batch_of_object(self):
        return self.object.batch


class EventEditView(PendingSealMessageMixin, EditView):
    def batch_of_object(self):
        return self.object.batch


class ProvenanceViewSet(ScopedSnippetViewSet):
    scope_objects = True

    def scope_for_user(self, queryset, user):
        return provenance_scope(queryset, user)


class BatchViewSet(ProvenanceViewSet):
    model = Batch
    icon = "tag"
    menu_label = _("Batches")
    edit_view_class = BatchEditView
    list_display = [
        Column("display_code", label=_("Lot code")),
        Column("product", label=_("Product")),
        Column("status", label=_("Status"), accessor="get_status_display"),
        Column("pending_seal", label=_("Events waiting for a seal")),
        DateColumn("harvest_date", label=_("Harvest date")),
        DateColumn("created_at", label=_("Created")),
    ]
    list_filter = ["status"]
    edit_handler = ObjectList(
        [
            BatchEventsPanel(**panel.clone_kwargs())
            if isinstance(panel, InlinePanel) and panel.relation_name == "events"
            else panel
            for panel in Batch.panels
        ],
        base_form_class=BatchAdminForm,
    )

    def get_queryset(self, request):
        # One query for the whole page of batches, however many events each has (no N+1); the user's brands only.
        batches = Batch.objects.select_related("product").annotate(
            pending_seal=Count("events", filter=Q(events__seal=""))
        )
        return self.scope_for_user(batches, request.user)


class ProvenanceEventViewSet(ProvenanceViewSet):
    model = ProvenanceEvent
    icon = "date"
    menu_label = _("Provenance events")
    add_view_class = EventCreateView
    edit_view_class = EventEditView
    list_display = [
        Column("__str__", label=_("Event")),
        Column("batch", label=_("Batch")),
        Column("actor", label=_("Who")),
        Column("sequence", label=_("Position in chain")),
        DateColumn("sealed_at", label=_("Sealed (public since)")),
    ]
    list_filter = ["stage"]
    edit_handler = ObjectList(
        [
            FieldPanel("batch"),
            *ProvenanceEvent.panels,
            # Here, not in the batch's inline events: the one form that keeps a sealed event's fields as stored.
            MultiFieldPanel(
                [FieldPanel("note_translation")], heading=_("Translation for readers of the other language")
            ),
            InlinePanel("evidence", heading=_("Evidence"), label=_("File")),
        ],
        base_form_class=EventAdminForm,
    )


class CertificateViewSet(ProvenanceViewSet):
    model = Certificate
    icon = "success"
    menu_label = _("Certificates")
    list_display = [
        Column("number", label=_("Certificate no.")),
        Column("certification_type", label=_("Certification")),
        Column("issuer", label=_("Issuer")),
        DateColumn("valid_from", label=_("Valid from")),
        DateColumn("valid_to", label=_("Valid until")),
    ]
    list_filter = ["certification_type"]
    edit_handler = ObjectList(Certificate.panels, base_form_class=ProvenanceForm)


for _model in (Batch, ProvenanceEvent, Certificate):
    register_permission_policy(_model, ProvenancePermissionPolicy(_model))


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


hooks.register(FILE_REPLACEMENT_HOOK, refuse_replacing_sealed_evidence)


@hooks.register(FILE_REPLACEMENT_HOOK)
def refuse_replacing_live_certificate_proofs(file, user):
    """A certificate's proof shows on its live brand's or product's pages: replacing it needs the right to publish them."""
    if user.is_superuser or not isinstance(file, get_document_model()):
        return None
    for certificate in Certificate.objects.filter(proof=file).select_related("brand", "product"):
        holder = certificate.product or certificate.brand
        if holder is not None and holder.live and not holder.permissions_for_user(user).can_publish():
            return _(
                "This file proves certificate %(number)s of “%(holder)s”, which is published: replacing it needs the "
                "right to publish that page."
            ) % {"number": certificate.number, "holder": holder.title}
    return None
