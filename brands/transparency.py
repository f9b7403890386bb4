"""The site's transparency log in the database: leaves, stored subtree hashes, signed checkpoints.

`brands.tlog` is the arithmetic and the formats; this module stores them. Every row here is
append-only: the models refuse updates and deletes, on instances and on querysets. Someone with
raw database access can still change rows, which is what the signed checkpoints are for: the
signing key is not in the database, so a rewritten log no longer matches any checkpoint that
buyers, labels and witnesses have kept (`trace_verify` recomputes the whole tree).
"""

import base64
import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta

import django.dispatch
from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from . import tlog

__all__ = ["AppendOnlyError", "log_changed"]

logger = logging.getLogger("farmcast.provenance")

# A checkpoint is signed after each sealing, and at least this often by `manage.py tlog_checkpoint`
# (cron), so a witness can tell a quiet log from a log that stopped signing.
CHECKPOINT_MAX_AGE = timedelta(hours=1)
# PostgreSQL advisory lock id serialising appends (any constant unique in this project).
APPEND_LOCK = 0x66617263  # "farc"

# Sent (after commit) when a new checkpoint is stored, and by the trace view when a verification fails;
# the page cache listens, so no cached page says "verified" for a log state it has not seen.
log_changed = django.dispatch.Signal()

# The tables are brands.models.transparency's. This module is imported by the seal chain, which the models
# import, so it names them through the app registry instead of importing them (no import circle).
MODELS = ("LogCheckpoint", "LogLeaf", "LogNode", "TraceCheck")


def _model(name):
    return apps.get_model("brands", name)


def __getattr__(name):
    if name in MODELS:
        return _model(name)
    raise AttributeError(name)


class AppendOnlyError(RuntimeError):
    """The transparency log's rows are never changed or deleted."""


# --- Reading --------------------------------------------------------------------------------


def read_nodes(keys):
    """The stored hashes of these (level, position) subtrees, in one query. A missing one is a LogError."""
    keys = set(keys)
    if not keys:
        return {}
    # Every wanted level by every wanted position, the few extra rows dropped here: two IN lists, where an OR of
    # one (level, positions) condition per level took 2.1 ms to build and run for a trace view's 37 keys (0.7).
    rows = _model("LogNode").objects.filter(
        level__in={level for level, _ in keys}, position__in={position for _, position in keys}
    )
    found = {
        (level, position): bytes.fromhex(h)
        for level, position, h in rows.values_list("level", "position", "hash")
        if (level, position) in keys
    }
    if len(found) != len(keys):
        raise tlog.LogError("the log is missing stored hashes: it was changed behind the application's back")
    return found


def recomputed_roots(sizes):
    """{size: root} recomputed from the leaves' own data, ignoring the stored subtree hashes (the full check)."""
    sizes = sorted(set(sizes))
    largest = sizes[-1] if sizes else 0
    data = _model("LogLeaf").objects.filter(index__lt=largest).order_by("index").values_list("index", "data")
    store = {}
    for expected, (index, text) in enumerate(data.iterator()):
        if index != expected:
            raise tlog.LogError(f"leaf {expected} of the log is missing: leaves were deleted")
        needed, build = tlog.new_subtrees(index, tlog.leaf_hash(text.encode("ascii")))
        store.update(build(store))
    if len(store) and largest and (0, largest - 1) not in store:
        raise tlog.LogError(f"the log should hold {largest} leaves: leaves were deleted")
    read = lambda keys: {key: store[key] for key in keys}  # noqa: E731
    return {size: tlog.tree_hash(size, read) for size in sizes}


def log_size():
    last = _model("LogLeaf").objects.aggregate(last=Max("index"))["last"]
    return 0 if last is None else last + 1


def tree_hash(size):
    return tlog.tree_hash(size, read_nodes)


def inclusion_proof(index, size):
    return tlog.inclusion_proof(index, size, read_nodes)


def consistency_proof(old_size, new_size):
    return tlog.consistency_proof(old_size, new_size, read_nodes)


# A proof is a function of the tree and the leaf alone, and a tree is named by its size and signed root.
PROOFS_SECONDS = 24 * 60 * 60


def inclusion_proofs(indexes, checkpoint):
    """{index: proof} of these leaves in the tree `checkpoint` signed, cached under its size and root.

    Sound to cache: every use hashes the proof up to the signed root again (`tlog.verify_inclusion`), so a
    cached proof confirms exactly what freshly read subtree hashes would. What it skips is noticing subtree
    rows changed behind the application's back after the first view; `trace_verify` recomputes the tree.
    """
    if not indexes:
        return {}
    key = (
        "provenance:proofs:"
        + hashlib.sha256(f"{checkpoint.size} {checkpoint.root.hex()} {indexes}".encode()).hexdigest()
    )
    proofs = cache.get(key)
    if proofs is None:
        proofs = tlog.inclusion_proofs(indexes, checkpoint.size, read_nodes)
        cache.set(key, proofs, PROOFS_SECONDS)
    return proofs


# --- The latest state, cached ---------------------------------------------------------------

STATE_KEY = "provenance:log-state"
# A backstop for rows written outside the application (a restore): what it stores replaces the state at once.
STATE_SECONDS = 5 * 60


@dataclass(frozen=True)
class LogState:
    checkpoint: object  # the latest signed LogCheckpoint, or None
    files_checked: object  # the last `trace_verify --files` run (a TraceCheck), or None


def _read_state():
    return LogState(_model("LogCheckpoint").objects.latest_signed(), _model("TraceCheck").objects.last_full())


def latest_state():
    """The latest signed checkpoint and the last full file check, without their two queries on each trace view.

    Cached; `state_changed` replaces it whenever either is stored. A cached checkpoint is verified against the
    log's key on every use, like one just read.
    """
    state = cache.get(STATE_KEY)
    if state is None:
        state = _read_state()
        cache.add(STATE_KEY, state, STATE_SECONDS)  # never over a state a commit stored meanwhile
    return state


def state_changed(sender, **kwargs):
    """post_save of a checkpoint or a file check: forgotten now, so this transaction's next view reads its row;
    the committed state stored after commit, over any older one a concurrent view cached in between."""
    cache.delete(STATE_KEY)
    transaction.on_commit(lambda: cache.set(STATE_KEY, _read_state(), STATE_SECONDS))


# --- Appending ------------------------------------------------------------------------------


def _lock():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [APPEND_LOCK])
    # SQLite serialises writers by itself.


def append_event(event):
    """Append the leaves of a just-sealed event (the event, then each evidence file) in this transaction."""
    entries = [(_model("LogLeaf").Kind.EVENT, tlog.event_leaf(event.seal))]
    entries += [
        (_model("LogLeaf").Kind.EVIDENCE, tlog.evidence_leaf(event.seal, sha256)) for sha256 in event.evidence_hashes()
    ]
    return append(event, entries)


@transaction.atomic
def append(event, entries):
    _lock()
    size = log_size()
    made, leaves = {}, []
    for kind, data in entries:
        needed, build = tlog.new_subtrees(size, tlog.leaf_hash(data))
        missing = [key for key in needed if key not in made]
        made.update(build({**read_nodes(missing), **made}))
        leaves.append(
            _model("LogLeaf")(
                index=size,
                kind=kind,
                batch_id=event.batch_id,
                event_id=event.pk,
                sequence=event.sequence,
                data=data.decode("ascii"),
            )
        )
        size += 1
    _model("LogLeaf").objects.bulk_create(leaves)
    _model("LogNode").objects.bulk_create(
        _model("LogNode")(level=lv, position=pos, hash=h.hex()) for (lv, pos), h in made.items()
    )
    return leaves


# --- Signing --------------------------------------------------------------------------------


def verifier():
    """The log's public key: configured alone (TLOG_VERIFIER_KEY) or derived from the signing key."""
    from django.conf import settings

    configured = getattr(settings, "TLOG_VERIFIER_KEY", "")
    return tlog.Verifier.parse(configured) if configured else tlog.load_signer().verifier


@transaction.atomic
def sign_checkpoint(force=False):
    """Sign and store a checkpoint of the whole log, unless the latest one is current and fresh.

    Raises tlog.SigningKeyMissing without a key: nothing is signed by a key the site does not hold.
    """
    signer = tlog.load_signer()
    _lock()
    size = log_size()
    latest = _model("LogCheckpoint").objects.latest_signed()
    fresh = latest is not None and timezone.now() - latest.signed_at < CHECKPOINT_MAX_AGE
    if latest is not None and latest.size == size and fresh and not force:
        return latest
    root = tree_hash(size)
    note = tlog.sign_checkpoint(tlog.Checkpoint(signer.name, size, root), signer)
    checkpoint = _model("LogCheckpoint").objects.create(
        size=size, root=base64.b64encode(root).decode("ascii"), note=note
    )
    transaction.on_commit(lambda: log_changed.send(sender=_model("LogCheckpoint"), checkpoint=checkpoint))
    return checkpoint


def sign_after_commit():
    """After a sealing commits, sign a checkpoint; without a key, say so loudly and leave it to the cron."""

    def sign():
        try:
            sign_checkpoint()
        except tlog.SigningKeyMissing:
            logger.error("provenance sealed but no checkpoint signed: no signing key (TLOG_SIGNING_KEY_FILE)")

    transaction.on_commit(sign)


def provenance_health():
    """For /healthz: the latest signed checkpoint, and the last full check (`trace_verify --files`) with its breaks."""
    checkpoint = _model("LogCheckpoint").objects.latest_signed()
    last = _model("TraceCheck").objects.order_by("-ran_at").first()
    full = _model("TraceCheck").objects.last_full()
    stale = checkpoint is None or timezone.now() - checkpoint.signed_at > 2 * CHECKPOINT_MAX_AGE
    return {
        "status": "broken" if last and last.broken else "stale" if stale and log_size() else "ok",
        "checkpoint": None
        if checkpoint is None
        else {"size": checkpoint.size, "signed_at": checkpoint.signed_at.isoformat(), "stale": stale},
        "last_check": None if last is None else {"ran_at": last.ran_at.isoformat(), "broken": last.broken},
        "last_full_check": None if full is None else {"ran_at": full.ran_at.isoformat(), "broken": full.broken},
    }
