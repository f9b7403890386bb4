"""The seal chain: canonical serialisation, sealing and verification. docs/provenance.md is the spec."""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

CANONICAL_VERSION = 1
GENESIS = ""  # the previous_seal of a batch's first event


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


def canonical_payload(event):
    """The exact fields a seal covers, as JSON-ready values. Listed explicitly: new fields are not sealed by accident."""
    return {
        "v": CANONICAL_VERSION,
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


def canonical_bytes(payload):
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def seal_of(previous_seal, payload):
    return hashlib.sha256(previous_seal.encode("ascii") + canonical_bytes(payload)).hexdigest()


def compute_seal(event, previous_seal):
    return seal_of(previous_seal or GENESIS, canonical_payload(event))


class SealError(Exception):
    pass


@transaction.atomic
def seal_batch(batch):
    """Seal the batch's unsealed events in time order, extending its chain. Returns how many were sealed.

    Each event is validated first; an invalid event stops sealing there, so the chain never holds one.
    """
    # The models call this module (an event checks its own seal), so it takes them as they come.
    batch = type(batch).objects.select_for_update().get(pk=batch.pk)
    sealed = list(batch.events.sealed().order_by("sequence"))
    previous = sealed[-1].seal if sealed else GENESIS
    sequence = sealed[-1].sequence if sealed else 0
    pending = (
        batch.events.filter(seal="")
        .select_related("region", "corrects", "batch")
        .prefetch_related("evidence")
        .order_by("occurred_at", "pk")
    )
    count = 0
    for event in pending:
        event.full_clean()
        if event.corrects_id and not event.corrects.is_sealed:
            raise SealError(f"event {event.pk} corrects an unsealed event")
        sequence += 1
        event.sequence = sequence
        event.sealed_at = now_to_second()
        event.previous_seal = previous
        event.seal = compute_seal(event, previous)
        event.save(update_fields=["sequence", "sealed_at", "previous_seal", "seal"])
        previous = event.seal
        count += 1
    return count


def seal_product_batches(product):
    return sum(seal_batch(batch) for batch in product.batches.all())


@dataclass
class ChainResult:
    ok: bool
    checked: int = 0
    event: object = None  # the first ProvenanceEvent that failed
    reason: str = ""
    events: list = field(default_factory=list)

    @property
    def failed_sequence(self):
        return self.event.sequence if self.event else None


def chain_events(batch):
    return list(
        batch.events.sealed()
        .select_related("region", "corrects", "batch")
        .prefetch_related("evidence__image", "evidence__document")
        .order_by("sequence")
    )


def verify_chain(batch, events=None, check_files=False):
    """Recompute every seal from the stored rows; the first event that does not match is reported.

    With `check_files`, each evidence file's bytes are hashed again too (slower; the command does it).
    """
    events = chain_events(batch) if events is None else events
    previous = GENESIS
    for expected_sequence, event in enumerate(events, start=1):
        if event.sequence != expected_sequence:
            return ChainResult(
                False, expected_sequence - 1, event, _("an event is missing before this one"), events=events
            )
        if event.previous_seal != previous:
            return ChainResult(
                False, expected_sequence - 1, event, _("it does not link to the seal of the event before it"), events
            )
        if compute_seal(event, previous) != event.seal:
            return ChainResult(
                False, expected_sequence - 1, event, _("its content changed after it was sealed"), events=events
            )
        if check_files:
            for evidence in event.evidence.all():
                try:
                    actual = file_sha256(evidence.file)
                except OSError:
                    return ChainResult(False, expected_sequence - 1, event, _("an evidence file is missing"), events)
                if actual != evidence.sha256:
                    return ChainResult(
                        False, expected_sequence - 1, event, _("an evidence file changed after sealing"), events
                    )
        previous = event.seal
    return ChainResult(True, len(events), events=events)
