"""/trace/: look up a batch by its lot code, see its provenance and seal status, get its QR code."""

import io

import segno
from django import forms
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .models.provenance import Batch, Certificate, LotCodeError, format_lot_code, normalise_lot_code
from .seal import CANONICAL_VERSION, GENESIS, canonical_bytes, canonical_payload, verify_chain
from .structured_data import batch_json_ld


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Lot code"),
        max_length=40,
        help_text=_("The 8 characters printed next to the QR code, e.g. WC7K-3MXP."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def clean_code(self):
        try:
            return normalise_lot_code(self.cleaned_data["code"])
        except LotCodeError as error:
            raise forms.ValidationError(str(error)) from None


def _lookup_page(request, form, status=200, not_found=None):
    return TemplateResponse(request, "brands/trace/lookup.html", {"form": form, "not_found": not_found}, status=status)


@require_GET
def lookup(request):
    """GET /trace/?code=: a form; a good code redirects to its page, a bad one says why."""
    if "code" not in request.GET:
        return _lookup_page(request, LookupForm())
    form = LookupForm(request.GET)
    if not form.is_valid():
        return _lookup_page(request, form, status=400)
    code = form.cleaned_data["code"]
    if not Batch.objects.visible().filter(lot_code=code).exists():
        return _lookup_page(request, form, status=404, not_found=format_lot_code(code))
    return redirect("trace:batch", code=format_lot_code(code))


def _resolve(request, code):
    """The batch for a code in the URL, or a response to send instead (400, 404 or a redirect)."""
    try:
        normalised = normalise_lot_code(code)
    except LotCodeError:
        form = LookupForm({"code": code})
        form.is_valid()
        return None, _lookup_page(request, form, status=400)
    if code != format_lot_code(normalised):
        # Typed by hand in lower case or without the dash: one canonical URL per batch.
        return None, redirect(request.resolver_match.view_name, code=format_lot_code(normalised), permanent=True)
    batch = Batch.objects.visible().for_trace().filter(lot_code=normalised).first()
    if batch is None:
        form = LookupForm({"code": code})
        form.is_valid()
        return None, _lookup_page(request, form, status=404, not_found=code)
    return batch, None


def absolute_trace_url(request, batch):
    return request.build_absolute_uri(reverse("trace:batch", kwargs={"code": batch.display_code}))


@require_GET
def batch_detail(request, code):
    batch, response = _resolve(request, code)
    if response is not None:
        return response
    result = verify_chain(batch)
    if request.GET.get("format") == "json":
        return JsonResponse(chain_json(request, batch, result), json_dumps_params={"ensure_ascii": False, "indent": 2})
    product = batch.product.specific
    brand = product.get_parent().specific
    events = result.events
    corrected_by = {}
    for event in events:
        if event.corrects_id:
            corrected_by.setdefault(event.corrects_id, []).append(event)
    timeline = [
        {
            "event": event,
            "corrected_by": corrected_by.get(event.pk, []),
            "failed": result.event is not None and event.pk == result.event.pk,
            "evidence": [(e, e.exif_check(event)) for e in event.evidence.all()],
        }
        for event in events
    ]
    certificates = Certificate.objects.for_product(product).order_by("certification_type__name", "-valid_to")
    context = {
        "batch": batch,
        "product": product,
        "brand": brand,
        "timeline": timeline,
        "result": result,
        "certificates": certificates,
        "stories": brand.stories.live().public().order_by("-first_published_at")[:3],
        "broadcasts": brand.broadcasts.live().public().order_by("-scheduled_start")[:3],
        "trace_url": absolute_trace_url(request, batch),
        "json_ld": batch_json_ld(request, batch, product, brand, certificates),
        "form": LookupForm(initial={"code": batch.display_code}),
    }
    return TemplateResponse(request, "brands/trace/batch.html", context)


def chain_json(request, batch, result):
    """Everything a third party needs to recompute each seal; docs/provenance.md explains how."""
    events = []
    for event in result.events:
        payload = canonical_payload(event)
        events.append(
            {
                "sequence": event.sequence,
                "payload": payload,
                "canonical": canonical_bytes(payload).decode("utf-8"),
                "previous_seal": event.previous_seal,
                "seal": event.seal,
                "evidence": [
                    {
                        "kind": evidence.kind,
                        "sha256": evidence.sha256,
                        "url": request.build_absolute_uri(evidence.file.url) if evidence.file else None,
                        "exif": {
                            "taken_at": evidence.exif_taken_at.isoformat() if evidence.exif_taken_at else None,
                            "latitude": None if evidence.exif_lat is None else f"{evidence.exif_lat:.6f}",
                            "longitude": None if evidence.exif_lon is None else f"{evidence.exif_lon:.6f}",
                        },
                    }
                    for evidence in event.evidence.all()
                ],
            }
        )
    return {
        "lot": batch.lot_code,
        "display_code": batch.display_code,
        "url": absolute_trace_url(request, batch),
        "product": batch.product.title,
        "seal": {
            "algorithm": "sha256",
            "version": CANONICAL_VERSION,
            "genesis": GENESIS,
            "rule": "seal = sha256(previous_seal (ASCII hex) + canonical (UTF-8))",
        },
        "verified": result.ok,
        "failure": None if result.ok else {"sequence": result.failed_sequence, "reason": str(result.reason)},
        "events": events,
    }


def qr_code(url):
    # Medium error correction survives a scuffed label without making the code dense.
    return segno.make(url, error="m", micro=False)


@require_GET
@cache_control(public=True, max_age=86400)
def batch_qr_svg(request, code):
    return _qr_response(request, code, "svg")


@require_GET
@cache_control(public=True, max_age=86400)
def batch_qr_png(request, code):
    return _qr_response(request, code, "png")


def _qr_response(request, code, kind):
    batch, response = _resolve(request, code)
    if response is not None:
        return response
    qr = qr_code(absolute_trace_url(request, batch))
    buffer = io.BytesIO()
    if kind == "svg":
        qr.save(buffer, kind="svg", scale=4, border=4, title=batch.display_code, svgclass=None, lineclass=None)
        return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    qr.save(buffer, kind="png", scale=8, border=4)
    return HttpResponse(buffer.getvalue(), content_type="image/png")


@require_GET
def gs1_digital_link(request, gtin, lot):
    """GS1 Digital Link (/01/<gtin>/10/<lot>): a retail scanner's way to the batch page."""
    try:
        code = normalise_lot_code(lot)
    except LotCodeError:
        return _lookup_page(request, LookupForm({"code": lot}), status=404, not_found=lot)
    batch = Batch.objects.visible().filter(lot_code=code).select_related("product").first()
    if batch is None or not gtin.isdigit() or batch.product.gtin.zfill(14) != gtin.zfill(14):
        return _lookup_page(request, LookupForm({"code": lot}), status=404, not_found=format_lot_code(code))
    return redirect("trace:batch", code=batch.display_code)
