"""The seal chain: canonical serialisation, sealing and verification. docs/provenance.md is the spec.

Version 1 (the first chains) seals the event's own fields and its evidence hashes; the payload is
rebuilt from the database when verifying. Version 2 (every event sealed since) also seals what the
trace page shows inside its verified box: product and brand identity, GTIN, the batch's harvest
date and quantity, each evidence file's kind and caption, and the region's codes and names. Its
canonical text is stored at sealing, so the page shows exactly what was sealed; the payload rebuilt
from today's rows must still agree with it on everything but names (a product renamed later is a
rename, not a forgery; moving the batch to another product, or editing a caption, is a break).
Every sealed event and evidence hash is also a leaf of the site's transparency log (brands.transparency).
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from . import tlog, transparency

CANONICAL_VERSION = 2
GENESIS = ""  # the previous_seal of a batch's first event
# In a version 2 payload, the values that may change after sealing without breaking it: names.
RENAMEABLE = {("product", "title"), ("brand", "title"), ("region", "names")}


def file_sha256(field_file):
    digest = hashlib.sha256()
    field_file.open("rb")
    try:
        for chunk in field_file.chunks():
            digest.update(chunk)
    finally:
        field_file.close()
    return digest.hexdigest()


def utc_iso(value):
    """ISO-8601 in UTC with a Z, to the second: how times appear in the seal's canonical form."""
    return value.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def now_to_second():
    return datetime.now(UTC).replace(microsecond=0)


def _coordinate(value):
    return None if value is None else f"{value:.6f}"


def batch_identity(batch):
    """The batch, product and brand facts a version 2 seal covers; one query (the brand), once per batch, unless
    the batch was read `for_trace()`, which brings the brand's id and title along."""
    product = batch.product
    if hasattr(batch, "sealed_brand_id"):
        brand = {"id": batch.sealed_brand_id, "title": batch.sealed_brand_title}
    else:
        parent = product.get_parent()
        brand = {"id": parent.pk, "title": parent.title}
    return {
        "product": {"id": product.pk, "title": product.title, "gtin": product.gtin or None},
        "brand": brand,
        "batch": {
            "harvest_date": batch.harvest_date.isoformat() if batch.harvest_date else None,
            "quantity": f"{batch.quantity:.2f}",
            "unit": batch.unit,
        },
    }


def _region_path(region):
    path = []
    while region is not None:
        path.insert(0, {"code": region.code, "name": region.name, "name_en": region.name_en})
        region = region.parent
    return path


def canonical_payload(event, identity=None, version=None, region_names=True):
    """The exact fields a seal covers, as JSON-ready values. Listed explicitly: new fields are not sealed by accident.

    `region_names=False` leaves the region's names out of a version 2 payload: they may change after sealing
    (RENAMEABLE), so a check of today's rows against the seal needs no ancestor regions loaded.
    """
    version = version or event.canonical_version or CANONICAL_VERSION
    payload = {
        "v": version,
        "lot": event.batch.lot_code,
        "sequence": event.sequence,
        "stage": event.stage,
        "occurred_at": utc_iso(event.occurred_at),
        "region": event.region.code,
        "latitude": _coordinate(event.latitude),
        "longitude": _coordinate(event.longitude),
        "actor": event.actor,
        "note": event.note,
        "corrects": event.corrects.seal if event.corrects_id else None,
        "evidence": event.evidence_hashes(),
        "sealed_at": utc_iso(event.sealed_at) if event.sealed_at else None,
    }
    if version >= 2:
        identity = identity or batch_identity(event.batch)
        payload.update(identity)
        payload["region"] = {"code": event.region.code}
        if region_names:
            payload["region"]["names"] = _region_path(event.region)
        payload["evidence"] = sorted(
            ({"sha256": e.sha256, "kind": e.kind, "caption": e.caption} for e in event.evidence.all()),
            key=lambda item: (item["sha256"], item["kind"], item["caption"]),
        )
    return payload


def canonical_bytes(payload):
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def seal_of(previous_seal, canonical):
    if isinstance(canonical, dict):
        canonical = canonical_bytes(canonical)
    return hashlib.sha256(previous_seal.encode("ascii") + canonical).hexdigest()


def compute_seal(event, previous_seal, identity=None):
    """The seal the event's rows give today (version 1), or of the canonical text stored at sealing (version 2)."""
    if event.canonical_version >= 2 and event.canonical:
        return seal_of(previous_seal or GENESIS, event.canonical.encode("utf-8"))
    return seal_of(previous_seal or GENESIS, canonical_payload(event, identity))


def changed_since_sealing(event, identity=None):
    """For a version 2 event: the payload keys whose values today differ from the sealed ones (names aside)."""
    if event.canonical_version < 2 or not event.canonical:
        return []
    sealed = json.loads(event.canonical)
    today = canonical_payload(event, identity, version=event.canonical_version, region_names=False)
    changed = []
    for key in sorted(set(sealed) | set(today)):
        was, now = sealed.get(key), today.get(key)
        if isinstance(was, dict) and isinstance(now, dict):
            for sub in sorted(set(was) | set(now)):
                if was.get(sub) != now.get(sub) and (key, sub) not in RENAMEABLE:
                    changed.append(f"{key}.{sub}")
        elif was != now:
            changed.append(key)
    return changed


class SealError(Exception):
    pass


@transaction.atomic
def seal_batch(batch, only=None):
    """Seal the batch's unsealed events in time order, extending its chain and the log. Returns how many.

    `only`: the events to seal (a recall is sealed at once, whatever drafts the batch holds); default all.

    Each event is validated first; an invalid event stops sealing there, so the chain never holds one.
    A checkpoint is signed once the transaction commits.
    """
    # Not at module top: wagtail.signal_handlers looks up the Page model when imported, and this module is
    # imported while the models load (brands.models.provenance checks seals with it).
    from wagtail.signal_handlers import disable_reference_index_auto_update

    # The models call this module (an event checks its own seal), so it takes them as they come.
    batch = type(batch).objects.select_for_update().select_related("product").get(pk=batch.pk)
    sealed = list(batch.events.sealed().order_by("sequence"))
    previous = sealed[-1].seal if sealed else GENESIS
    sequence = sealed[-1].sequence if sealed else 0
    pending = (
        batch.events.filter(seal="")
        .select_related("region__parent__parent", "corrects", "batch")
        .prefetch_related("evidence")
        .order_by("occurred_at", "pk")
    )
    if only is not None:
        pending = pending.filter(pk__in=[event.pk for event in only])
    identity = batch_identity(batch)
    # Every pending event is checked against the batch's whole timeline: read it once, not once per event.
    peers = list(batch.events.order_by())
    count = 0
    for event in pending:
        event.timeline_peers = peers
        event.full_clean()
        if event.corrects_id and not event.corrects.is_sealed:
            raise SealError(f"event {event.pk} corrects an unsealed event")
        sequence += 1
        event.sequence = sequence
        event.sealed_at = now_to_second()
        event.previous_seal = previous
        event.canonical_version = CANONICAL_VERSION
        event.canonical = canonical_bytes(canonical_payload(event, identity)).decode("utf-8")
        event.seal = compute_seal(event, previous)
        # Sealing writes no reference (region, evidence, correction): Wagtail's reference index would
        # re-read the whole batch, every event and its evidence, after each event's save otherwise.
        with disable_reference_index_auto_update():
            event.save(
                update_fields=["sequence", "sealed_at", "previous_seal", "canonical_version", "canonical", "seal"]
            )
        transparency.append_event(event)
        previous = event.seal
        count += 1
    if count:
        transparency.sign_after_commit()
    return count


def seal_product_batches(product):
    return sum(seal_batch(batch) for batch in product.batches.all())


@dataclass
class LogStatus:
    """Where a batch stands in the transparency log, against the latest signed checkpoint."""

    checkpoint: object = None  # tlog.Checkpoint, signature checked
    note: str = ""
    leaves: list = field(default_factory=list)  # LogLeaf rows of the batch
    proofs: dict = field(default_factory=dict)  # leaf index -> inclusion proof (list of hashes)
    pending: int = 0  # leaves appended since the checkpoint was signed
    signed_at: object = None
    files_checked: object = None  # the last `trace_verify --files` run, read with the checkpoint (its breaks show)


@dataclass
class ChainResult:
    ok: bool
    checked: int = 0
    event: object = None  # the first ProvenanceEvent that failed
    reason: str = ""
    events: list = field(default_factory=list)
    changed: list = field(default_factory=list)  # payload keys changed since sealing (version 2)
    log: LogStatus | None = None

    @property
    def head(self):
        """The chain's length and last seal: what cached HTML of a chain that verified is keyed on (brands/views.py).

        Two checks of a batch that both verified with the same head showed the same sealed rows: the last seal
        pins every sealed value before it, and a version 2 seal also covers the product, brand and batch.
        """
        return len(self.events), self.events[-1].seal if self.events else ""

    @property
    def failed_sequence(self):
        return self.event.sequence if self.event else self.checked + 1 if not self.ok else None


def chain_events(batch):
    """The batch's sealed events with what their seals cover (region codes, corrected events, evidence rows).

    Not the evidence's image and document rows, nor the regions' provinces and cities: checking the seals needs
    only the hashes, kinds and captions on the evidence rows and each region's code (names may change after
    sealing), so a trace view whose timeline comes from a cached fragment skips them (`prefetch_files`,
    `prefetch_regions` for what shows them).
    """
    events = list(batch.events.sealed().select_related("region").prefetch_related("evidence").order_by("sequence"))
    # The batch and the corrected events are at hand: no join for them.
    by_pk = {event.pk: event for event in events}
    for event in events:
        event.batch = batch
        if event.corrects_id in by_pk:
            event.corrects = by_pk[event.corrects_id]
    return events


def prefetch_regions(events):
    """Each event's city and province, for what shows the region's whole name: two queries for the whole chain."""
    prefetch_related_objects(events, "region__parent__parent")


def prefetch_files(events):
    """The image or document behind each evidence row, for the whole chain in two queries (its files, its URLs)."""
    prefetch_related_objects(events, "evidence__image", "evidence__document")


def verify_chain(batch, events=None, check_files=False, check_log=True):
    """Recompute every seal from the stored rows; the first event that does not match is reported.

    Then (`check_log`) check that the log holds exactly this chain and that every event and evidence
    hash is in the latest signed checkpoint: a fixed number of queries, hashes only. With
    `check_files`, each evidence file's bytes are hashed again too (slow; `trace_verify --files` does it).
    """
    events = chain_events(batch) if events is None else events
    if check_files:
        prefetch_files(events)
    result = _verify_events(batch, events, check_files)
    if check_log:
        chain_failure = None if result.ok else (result.event, result.reason, result.checked)
        _check_log(batch, result)  # also on a broken chain: the JSON still carries the proofs it can
        if chain_failure:
            result.ok = False
            result.event, result.reason, result.checked = chain_failure
    return result


def _verify_events(batch, events, check_files):
    identity = batch_identity(batch) if any(e.canonical_version >= 2 for e in events) else None
    previous = GENESIS
    for expected_sequence, event in enumerate(events, start=1):
        checked = expected_sequence - 1
        if event.sequence != expected_sequence:
            return ChainResult(False, checked, event, _("an event is missing before this one"), events=events)
        if event.previous_seal != previous:
            return ChainResult(
                False, checked, event, _("it does not link to the seal of the event before it"), events=events
            )
        if compute_seal(event, previous, identity) != event.seal:
            return ChainResult(False, checked, event, _("its content changed after it was sealed"), events=events)
        changed = changed_since_sealing(event, identity)
        if changed:
            reason = _("what it shows changed after it was sealed (%(fields)s)") % {"fields": ", ".join(changed)}
            return ChainResult(False, checked, event, reason, events=events, changed=changed)
        if check_files:
            for evidence in event.evidence.all():
                try:
                    actual = file_sha256(evidence.file)
                except (OSError, ValueError):
                    return ChainResult(False, checked, event, _("an evidence file is missing"), events=events)
                if actual != evidence.sha256:
                    return ChainResult(
                        False, checked, event, _("an evidence file changed after sealing"), events=events
                    )
        previous = event.seal
    return ChainResult(True, len(events), events=events)


def _fail(result, event, reason, checked=None):
    result.ok, result.event, result.reason = False, event, reason
    if checked is not None:
        result.checked = checked
    return result


def _check_log(batch, result):
    """The batch's chain against its leaves in the log and the latest signed checkpoint: 1 query (the leaves), 2
    when its proofs are not cached yet; the checkpoint and proofs from the cache are checked like ones just read."""
    events = result.events
    state = transparency.latest_state()
    status = result.log = LogStatus(
        leaves=list(transparency.LogLeaf.objects.filter(batch_id=batch.pk)), files_checked=state.files_checked
    )
    checkpoint_row = state.checkpoint
    if checkpoint_row is not None:
        try:
            status.checkpoint = tlog.open_checkpoint(checkpoint_row.note, transparency.verifier())
        except tlog.LogError:
            return _fail(result, None, _("the log's latest checkpoint is not signed by the log's key"), checked=0)
        status.note, status.signed_at = checkpoint_row.note, checkpoint_row.signed_at
    size = status.checkpoint.size if status.checkpoint else 0
    expected = {}
    for event in events:
        expected[tlog.event_leaf(event.seal).decode("ascii")] = event
        for sha256 in event.evidence_hashes():
            expected[tlog.evidence_leaf(event.seal, sha256).decode("ascii")] = event
    included = [leaf for leaf in status.leaves if leaf.index < size and leaf.data in expected]
    status.pending = sum(1 for leaf in status.leaves if leaf.index >= size)
    try:
        status.proofs = transparency.inclusion_proofs([leaf.index for leaf in included], status.checkpoint)
    except tlog.LogError:
        return _fail(result, None, _("the log's stored hashes were changed behind the application's back"), 0)
    event_leaves = {leaf.sequence: leaf for leaf in status.leaves if leaf.kind == transparency.LogLeaf.Kind.EVENT}
    if event_leaves and max(event_leaves) > len(events):
        # Sealed events were deleted: the log still holds them.
        reason = _("the log holds %(logged)d sealed events for this batch, but only %(shown)d are here") % {
            "logged": max(event_leaves),
            "shown": len(events),
        }
        return _fail(result, None, reason, checked=len(events))
    by_data = {leaf.data: leaf for leaf in status.leaves}
    for event in events:
        logged = event_leaves.get(event.sequence)
        if logged is not None and logged.data != tlog.event_leaf(event.seal).decode("ascii"):
            return _fail(result, event, _("it is not the event the log holds at this position"))
    for data, event in expected.items():
        if data not in by_data and event.sequence in event_leaves:
            return _fail(result, event, _("an evidence file of this event is not in the log"))
    for leaf in included:
        try:
            tlog.verify_inclusion(leaf.hash, leaf.index, size, status.proofs[leaf.index], status.checkpoint.root)
        except tlog.LogError:
            return _fail(result, expected[leaf.data], _("it is not in the log the latest checkpoint signed"))
    return result
