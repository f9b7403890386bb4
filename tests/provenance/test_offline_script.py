"""scripts/verify_provenance.py, the standalone checker a buyer runs, on bundles of a real sealed batch."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from brands import tlog
from brands.seal import canonical_payload, chain_events

from .memory_log import MemoryLog, b64

pytestmark = pytest.mark.django_db

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "verify_provenance.py"


@pytest.fixture(scope="module")
def signer():
    return tlog.Signer.generate("farmcast.test/provenance")


def make_bundle(batch, signer, label_at=None, before=3):
    """A bundle as the site will serve it: `before` unrelated leaves, then the batch's events and files."""
    log = MemoryLog()
    for i in range(before):
        log.append(f"another batch {i}".encode())
    label = None
    entries = []
    for event in chain_events(batch):
        index = log.append(tlog.event_leaf(event.seal))
        files = [(e, log.append(tlog.evidence_leaf(event.seal, e.sha256))) for e in event.evidence.all()]
        entries.append((event, index, files))
        if label_at == event.sequence:
            label = log.size
    events = [
        {
            "sequence": event.sequence,
            "payload": canonical_payload(event),
            "previous_seal": event.previous_seal,
            "seal": event.seal,
            "leaf_index": index,
            "inclusion": [b64(h) for h in log.inclusion(index)],
            "evidence": [
                {"sha256": e.sha256, "leaf_index": i, "inclusion": [b64(h) for h in log.inclusion(i)]} for e, i in files
            ],
        }
        for event, index, files in entries
    ]
    bundle = {"lot": batch.lot_code, "checkpoint": log.checkpoint(signer), "events": events}
    if label:
        bundle["label"] = {
            "size": label,
            "root": b64(log.root(label)),
            "consistency": [b64(h) for h in log.consistency(label)],
        }
    return bundle, log


def run_script(tmp_path, bundle, signer, *extra):
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    return subprocess.run(  # noqa: S603
        [sys.executable, str(SCRIPT), str(path), "--key", str(signer.verifier), *extra],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_an_intact_bundle_verifies_with_its_files(sealed_batch, signer, tmp_path):
    """Signature, seal chain, inclusion of every event and file, the label's log state, a downloaded file."""
    bundle, _ = make_bundle(sealed_batch, signer, label_at=3)
    photo = sealed_batch.events.get(sequence=2).evidence.get()
    local = tmp_path / "photo.jpg"
    with photo.file.open("rb") as handle:
        local.write_bytes(handle.read())
    result = run_script(tmp_path, bundle, signer, "--file", str(local))
    assert result.returncode == 0, result.stderr
    assert "3 events, seal chain intact" in result.stdout
    assert "the log today extends the log" in result.stdout
    assert result.stdout.rstrip().endswith("VERIFIED")


def test_an_edited_event_is_reported_at_that_event(sealed_batch, signer, tmp_path):
    """A payload changed after sealing (the raw-SQL attack, as the bundle shows it) fails at its position."""
    bundle, _ = make_bundle(sealed_batch, signer)
    bundle["events"][1]["payload"]["note"] = "暴雨后收获"
    result = run_script(tmp_path, bundle, signer)
    assert result.returncode == 1
    assert "event 2: its content changed after it was sealed" in result.stderr


def test_a_resealed_chain_is_not_in_the_signed_log(sealed_batch, signer, tmp_path):
    """Someone who recomputes every seal after an edit gets a consistent chain that the log does not hold."""
    bundle, _ = make_bundle(sealed_batch, signer)
    previous = ""
    for event in bundle["events"]:
        event["payload"]["actor"] = "别人"
        event["previous_seal"] = previous
        canonical = json.dumps(event["payload"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        event["seal"] = previous = hashlib.sha256((previous + canonical).encode()).hexdigest()
    result = run_script(tmp_path, bundle, signer)
    assert result.returncode == 1
    assert "event 1: it is not in the signed log" in result.stderr


def test_a_checkpoint_by_another_key_and_a_rewritten_log_are_refused(sealed_batch, signer, tmp_path):
    """The pinned key decides; a label's log state that the new log does not extend says history was rewritten."""
    bundle, _ = make_bundle(sealed_batch, signer, label_at=2)
    impostor = tlog.Signer.generate(signer.name)
    result = run_script(tmp_path, dict(bundle, checkpoint=make_bundle(sealed_batch, impostor)[0]["checkpoint"]), signer)
    assert result.returncode == 1
    assert "no signature by this key" in result.stderr
    result = run_script(tmp_path, dict(bundle, checkpoint=bundle["checkpoint"].replace("\n", "0\n", 2)), signer)
    assert result.returncode == 1
    assert "signature does not verify" in result.stderr
    other, _ = make_bundle(sealed_batch, signer, before=4)  # a log with a different past
    label = bundle["label"]
    result = run_script(tmp_path, other, signer, "--since", f"{label['size']}:{label['root']}")
    assert result.returncode == 1
    assert "rewritten since the label was printed" in result.stderr


def test_a_file_the_chain_did_not_seal_is_refused(sealed_batch, signer, tmp_path):
    """A swapped photo downloaded from the site is not one of the sealed hashes."""
    bundle, _ = make_bundle(sealed_batch, signer)
    swapped = tmp_path / "swapped.jpg"
    swapped.write_bytes(b"not the sealed photo")
    result = run_script(tmp_path, bundle, signer, "--file", str(swapped))
    assert result.returncode == 1
    assert "not one the chain sealed" in result.stderr
