"""/trace/: look up a batch by its lot code, see its provenance and seal status, get its QR code."""

import base64
import io
import re
from datetime import date

import segno
from django import forms
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from PIL import Image
from wagtail.images import get_image_model

from site_content.querysets import lazy

from . import tlog, transparency
from .models.provenance import Batch, Certificate, LotCodeError, format_lot_code, normalise_lot_code
from .models.transparency import LogCheckpoint
from .recall import recall_of
from .seal import (
    GENESIS,
    batch_identity,
    canonical_bytes,
    canonical_payload,
    prefetch_files,
    prefetch_regions,
    verify_chain,
)
from .structured_data import batch_json_ld

# Proofs for a given tree size never change: cache them for a year.
IMMUTABLE = {"public": True, "max_age": 31536000, "immutable": True}
# How a trace page shows an evidence photo: one size for all, as the gallery is a grid of equal tiles.
PICTURE_FILTER = "fill-480x360|format-webp"
# The timeline shows this many events a page: the page checks the whole chain, but rendering 700
# events (their evidence, EXIF checks, dates) made a long batch's page 12.6x slower than a short one's.
TIMELINE_PER_PAGE = 50
# The batches a code in a /trace/ URL may name, built once: resolving the restriction and brand subqueries was half
# of the lookup's time on every view (1.2 of 2.5 ms, in-process on the PostgreSQL demo). Each lookup filters a
# clone, as Django's generic views do with their `queryset`.
TRACEABLE = Batch.objects.visible().for_trace()


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
    try:
        # get(), not first(): no ORDER BY to build and sort for a unique code.
        batch = TRACEABLE.get(lot_code=normalised)
    except Batch.DoesNotExist:
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
    file_break(result, batch)
    label = label_check(request.GET.get("log"), result)
    if request.GET.get("format") == "json":
        data = chain_json(request, batch, result)
        data["label_check"] = label
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    else:
        context = batch_context(request, batch, result, label)
        checkpoint = result.log.checkpoint if result.log else None
        context["log_root"] = base64.b64encode(checkpoint.root).decode("ascii") if checkpoint else ""
        response = TemplateResponse(request, "brands/trace/batch.html", context)
    if not result.ok:
        # A break is news: never cache it, and drop every cached page that may still say "verified".
        response["Cache-Control"] = "no-store"
        transparency.log_changed.send(sender=Batch, batch=batch)
    elif label is not None:
        # The answer depends on a value from the link, which anyone can type: never cached, and it purges
        # nothing (a mismatch says the link and today's log disagree, not that the site's state changed).
        response["Cache-Control"] = "no-store"
    return response


def batch_context(request, batch, result, label):
    events = result.events
    page = timeline_page(request, result)
    link = event_links(request, events, page.number)
    recall = recall_of(events)
    corrected_by = {}
    for event in events:
        if event.corrects_id:
            corrected_by.setdefault(event.corrects_id, []).append(event)

    def timeline():
        # Lazy: a cached timeline (templates/brands/trace/batch.html) reads no file, picture or EXIF row.
        prefetch_files(result.events)
        prefetch_pictures(result.events)
        prefetch_regions(result.events)
        return [
            {
                "event": event,
                "corrects": (event.corrects.sequence, link(event.corrects_id)) if event.corrects_id else None,
                "corrected_by": [(c.sequence, link(c.pk)) for c in corrected_by.get(event.pk, [])],
                "failed": result.event is not None and event.pk == result.event.pk,
                "evidence": [(e, e.exif_check(event), evidence_picture(e)) for e in event.evidence.all()],
            }
            for event in page.object_list
        ]

    # Everything below the verified box that is not verified is lazy: it fills cached fragments (the page's
    # head, structured data, certificates, "more from the brand"), so a cached view makes none of its queries.
    pages = lazy(lambda: ReaderPages(batch))
    certificates = lazy(
        lambda: list(Certificate.objects.for_product(pages.original).order_by("certification_type__name", "-valid_to"))
    )
    return {
        "batch": batch,
        "product": lazy(lambda: pages.product),
        "brand": lazy(lambda: pages.brand),
        "timeline": lazy(timeline),
        "timeline_page": page,
        "result": result,
        # The whole chain's evidence, not this page's (chain_events prefetched it: no query).
        "evidence_count": sum(len(event.evidence.all()) for event in events),
        "certificates": certificates,
        "unit": lazy(lambda: pages.unit),
        "stories": lazy(lambda: pages.in_reader_language("stories").order_by("-first_published_at")[:3]),
        "broadcasts": lazy(lambda: pages.in_reader_language("broadcasts").order_by("-scheduled_start")[:3]),
        "trace_url": absolute_trace_url(request, batch),
        "json_ld": lazy(lambda: batch_json_ld(request, batch, pages.product, pages.brand, certificates)),
        "form": LookupForm(initial={"code": batch.display_code}),
        "sealed": sealed_facts(result),
        "label": label,
        "recall": recall,
        "recall_link": link(recall.pk) if recall else "",
    }


class ReaderPages:
    """A batch's product and brand in the reader's language (/en/trace/ names the English ones where they exist).

    Certificates hang off the original product; stories and replays are the reader's language's where any are.
    """

    def __init__(self, batch):
        self.batch_unit = batch.unit
        self.original = batch.product.specific
        self.product = self.original.localized
        self.brand = self.product.get_parent().specific
        self.original_brand = self.brand if self.product is self.original else self.original.get_parent().specific

    @property
    def unit(self):
        """The batch's unit as written, or the product's in the reader's language when it is the product's unit."""
        translated = self.product is not self.original
        return self.product.unit if translated and self.batch_unit == self.original.unit else self.batch_unit

    def in_reader_language(self, relation):
        """The brand's live public stories or broadcasts in the reader's language, or the original's where it has none.

        A translated story or broadcast links to the translated brand (site_content/facts.py), so /en/trace/ lists
        the English ones; a brand translated before its stories were still shows the Chinese ones.
        """
        pages = getattr(self.brand, relation).live().public()
        if self.brand is self.original_brand or pages.exists():
            return pages
        return getattr(self.original_brand, relation).live().public()


def prefetch_pictures(events):
    """The evidence photos' renditions for the page, in one query for the whole chain.

    Wagtail writes a rendition back to its cache each time one is used, unless it came prefetched; without
    REDIS_URL that cache is Django's file cache, and those writes (a pickled file per photo) were ~13% of the
    trace page's time in a profile of the bench's demo.
    """
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec=PICTURE_FILTER)
    prefetch_related_objects(events, Prefetch("evidence__image__renditions", queryset=renditions))


def evidence_picture(evidence):
    """The photo's rendition for the page, or None when its file is missing or cannot be read as an image.

    A damaged file is evidence too: the page still lists it, with its sealed hash, and says the picture cannot
    be shown (Wagtail's image tag would raise on unreadable bytes, and draw an empty box for a missing file).
    Whether the bytes still match the seal is for `trace_verify --files`, not this view.
    """
    if not evidence.image_id:
        return None
    try:
        # get_renditions, not get_rendition: only the former skips the cache write for a prefetched rendition.
        return next(iter(evidence.image.get_renditions(PICTURE_FILTER).values()))
    except (OSError, ValueError, Image.DecompressionBombError):  # Wagtail's and Willow's read errors are OSErrors
        return None


def timeline_page(request, result):
    """The page of the timeline `?page=` asks for; without one, the page of the event that fails the check."""
    paginator = Paginator(result.events, TIMELINE_PER_PAGE)
    number = request.GET.get("page")
    if number is None and result.event is not None and result.event in result.events:
        number = result.events.index(result.event) // TIMELINE_PER_PAGE + 1
    return paginator.get_page(number)


def event_links(request, events, current):
    """A function giving an event's link by pk: its anchor on this page, or its page and anchor on another."""
    position = {event.pk: (index // TIMELINE_PER_PAGE + 1, event.sequence) for index, event in enumerate(events)}

    def link(pk):
        number, sequence = position.get(pk, (current, None))
        if number == current:
            return f"#event-{sequence}"
        params = request.GET.copy()
        params["page"] = number
        return f"?{params.urlencode()}#event-{sequence}"

    return link


def file_break(result, batch):
    """The page never hashes files; the last `trace_verify --files` run did, and a break it found shows here."""
    files_checked = result.log.files_checked
    if not result.ok or files_checked is None:
        return
    for found in files_checked.broken:
        if found.get("lot") == batch.lot_code:
            result.ok = False
            result.event = next((e for e in result.events if e.sequence == found.get("sequence")), None)
            result.checked = (found.get("sequence") or 1) - 1
            result.reason = _("the file check of %(when)s found: %(reason)s") % {
                "when": files_checked.ran_at.strftime("%Y-%m-%d %H:%M"),
                "reason": found.get("reason"),
            }
            return


def sealed_facts(result):
    """What the verified box shows: the version 2 payload as sealed (first event), or None for older chains.

    The harvest date is sealed as an ISO string; it becomes a date so the page writes it in the reader's language.
    """
    for event in result.events:
        if event.canonical_version >= 2 and event.canonical:
            payload = event.sealed_payload
            if (payload.get("batch") or {}).get("harvest_date"):
                payload["batch"]["harvest_date"] = as_date(payload["batch"]["harvest_date"])
            return payload
    return None


def as_date(value):
    """An ISO date string as a date; anything else as it was (the seal check, not this box, judges a payload)."""
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return value


# What labels print: the tree size, a dot, and the root hash in base64url without padding (43 characters).
LABEL_LOG = re.compile(r"(?P<size>[0-9]{1,18})\.(?P<root>[A-Za-z0-9_-]{43})")


def label_check(raw, result):
    """The log state a label's QR code carries (`?log=SIZE.ROOT`): does today's signed log extend it?

    What this checks is the value in the link, which anyone can type or change: so `consistent` False says
    the link's state and today's log disagree, and the page says that, not that the log was rewritten.
    `readable` False: the value is not a log state at all, and nothing was checked.
    """
    if raw is None or result.log is None or result.log.checkpoint is None:
        return None
    match = LABEL_LOG.fullmatch(raw.strip())
    if match is None:
        return {"size": None, "readable": False, "consistent": None}
    old_size = int(match["size"])
    old_root = base64.urlsafe_b64decode(match["root"] + "=")
    checkpoint = result.log.checkpoint
    try:
        if old_size > checkpoint.size:
            raise tlog.LogError("the link's log state is larger than today's log")
        proof = transparency.consistency_proof(old_size, checkpoint.size)
        tlog.verify_consistency(old_size, checkpoint.size, old_root, checkpoint.root, proof)
    except tlog.LogError:
        return {"size": old_size, "readable": True, "consistent": False}
    return {"size": old_size, "readable": True, "consistent": True}


def label_fragment(checkpoint):
    """The `log` query value a label carries: the checkpoint's size and base64url root, without padding."""
    return f"{checkpoint.size}.{base64.urlsafe_b64encode(checkpoint.root_bytes).decode('ascii').rstrip('=')}"


def published_key():
    try:
        return str(transparency.verifier())
    except tlog.LogError:
        return None


def _b64(raw):
    return base64.b64encode(raw).decode("ascii")


def chain_json(request, batch, result):
    """Everything a third party needs to recompute each seal and check it against the signed log.

    It is also the proof bundle scripts/verify_provenance.py reads (docs/provenance.md).
    """
    prefetch_files(result.events)  # each evidence file's URL
    prefetch_regions(result.events)  # today's region names, beside the sealed ones
    log = result.log
    leaves = {leaf.data: leaf for leaf in (log.leaves if log else [])}
    proofs = log.proofs if log else {}

    def place(data):
        leaf = leaves.get(data.decode("ascii"))
        index = leaf.index if leaf else None
        return {"leaf_index": index, "inclusion": [_b64(h) for h in proofs.get(index, [])] if index in proofs else None}

    events = []
    identity = batch_identity(batch)
    for event in result.events:
        payload = event.sealed_payload or canonical_payload(event)
        today = canonical_payload(event, identity) if event.sealed_payload else None
        events.append(
            {
                "sequence": event.sequence,
                "payload": payload,
                "today": today,
                "canonical": event.canonical or canonical_bytes(payload).decode("utf-8"),
                "previous_seal": event.previous_seal,
                "seal": event.seal,
                **place(tlog.event_leaf(event.seal)),
                "evidence": [
                    {
                        "kind": evidence.kind,
                        "caption": evidence.caption,
                        "sha256": evidence.sha256,
                        "url": request.build_absolute_uri(evidence.file.url) if evidence.file else None,
                        **place(tlog.evidence_leaf(event.seal, evidence.sha256)),
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
    event_leaves = [leaf.sequence for leaf in (log.leaves if log else []) if leaf.kind == "event"]
    recall = recall_of(result.events)
    return {
        "lot": batch.lot_code,
        "display_code": batch.display_code,
        "url": absolute_trace_url(request, batch),
        "product": batch.product.title,
        "status": batch.status,
        "recall": recall and {"sequence": recall.sequence, "at": recall.occurred_at.isoformat(), "reason": recall.note},
        "seal": {
            "algorithm": "sha256",
            "versions": [1, 2],
            "genesis": GENESIS,
            "rule": "seal = sha256(previous_seal (ASCII hex) + canonical (UTF-8))",
        },
        "verified": result.ok,
        "failure": None if result.ok else {"sequence": result.failed_sequence, "reason": str(result.reason)},
        "logged_events": max(event_leaves, default=0),
        "checkpoint": log.note if log and log.checkpoint else None,
        "verifier_key": published_key(),
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


# --- The log's public endpoints ---------------------------------------------------------------


def _latest_checkpoint():
    checkpoint = LogCheckpoint.objects.latest_signed()
    if checkpoint is None:
        raise Http404("no checkpoint has been signed yet")
    return checkpoint


@require_GET
@cache_control(public=True, max_age=60)
def log_checkpoint(request):
    """The latest signed checkpoint (C2SP tlog-checkpoint in a signed note), as text."""
    return HttpResponse(_latest_checkpoint().note, content_type="text/plain; charset=utf-8")


@require_GET
@cache_control(public=True, max_age=86400)
def log_key(request):
    """The log's public verifier key, in the form Go's note.NewVerifier reads."""
    key = published_key()
    if key is None:
        raise Http404("this site has no log key configured")
    return HttpResponse(f"{key}\n", content_type="text/plain; charset=utf-8")


def _sizes(*values):
    """Tree sizes from the URL, refused (404) beyond the latest signed checkpoint: proofs are only for signed trees."""
    latest = _latest_checkpoint().size
    if any(value > latest for value in values):
        raise Http404("no signed checkpoint of that size")
    return latest


@require_GET
@cache_control(**IMMUTABLE)
def log_inclusion(request, index, size):
    """The inclusion proof of leaf `index` in the tree of `size` leaves, with the leaf's data (only hashes)."""
    _sizes(size)
    if index >= size:  # before any query: an index too large for the column is just "no such leaf"
        raise Http404("no such leaf in that tree")
    leaf = transparency.LogLeaf.objects.filter(index=index).first()
    if leaf is None:
        raise Http404("no such leaf in that tree")
    proof = transparency.inclusion_proof(index, size)
    return JsonResponse({"index": index, "size": size, "leaf": leaf.data, "proof": [_b64(h) for h in proof]})


@require_GET
@cache_control(**IMMUTABLE)
def log_consistency(request, old, new):
    """The consistency proof between two signed tree sizes (RFC 9162 2.1.4)."""
    _sizes(new)
    if old > new:
        raise Http404("the old size is larger than the new one")
    proof = transparency.consistency_proof(old, new)
    return JsonResponse({"old_size": old, "new_size": new, "proof": [_b64(h) for h in proof]})


@require_GET
def batch_bundle(request, code):
    """The proof bundle of one batch, to download and check offline with scripts/verify_provenance.py."""
    batch, response = _resolve(request, code)
    if response is not None:
        return response
    result = verify_chain(batch)
    file_break(result, batch)
    data = chain_json(request, batch, result)
    since = request.GET.get("since", "")
    checkpoint = result.log.checkpoint if result.log else None
    if since.isdigit() and checkpoint is not None and int(since) <= checkpoint.size:
        proof = transparency.consistency_proof(int(since), checkpoint.size)
        data["consistency"] = {"old_size": int(since), "proof": [_b64(h) for h in proof]}
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{batch.display_code}.json"'
    if not result.ok:
        response["Cache-Control"] = "no-store"
    return response
