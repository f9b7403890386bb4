"""What a trace view takes from the cache instead of the database, and why it still shows the log as it is.

The latest signed checkpoint and the last file check are cached until a new one is stored; inclusion proofs are
cached under the signed tree they belong to (brands/transparency.py). Each view still verifies the checkpoint's
signature and hashes every proof up to its root, so a cached value can only confirm what the rows would.
"""

import base64

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brands import tlog, transparency
from brands.seal import seal_batch
from tests.provenance.conftest import make_event

pytestmark = pytest.mark.django_db


def view(client, batch):
    """(JSON of one anonymous view of the batch's trace page, the SQL of its queries)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/en/trace/{batch.display_code}/", {"format": "json"})
    assert response.status_code == 200
    return response.json(), " ".join(q["sql"] for q in queries.captured_queries)


def checkpoint_size(data):
    return tlog.open_checkpoint(data["checkpoint"], transparency.verifier()).size


def test_a_second_view_reads_neither_the_checkpoint_nor_the_subtree_hashes(client, sealed_batch):
    first, _ = view(client, sealed_batch)
    second, sql = view(client, sealed_batch)
    assert second == first
    assert first["verified"] is True
    assert all(event["inclusion"] for event in first["events"])
    for table in ("brands_logcheckpoint", "brands_tracecheck", "brands_lognode"):
        assert f'"{table}"' not in sql, table
    assert '"brands_logleaf"' in sql  # truncation is still caught on every view


def test_a_checkpoint_signed_after_a_view_is_the_one_the_next_view_checks(client, sealed_batch, commits):
    before, _ = view(client, sealed_batch)
    make_event(sealed_batch, "shipping", days_ago=1)
    with commits():
        seal_batch(sealed_batch)
        transparency.sign_checkpoint()
    after, sql = view(client, sealed_batch)
    assert checkpoint_size(after) > checkpoint_size(before)
    assert after["verified"] is True
    assert after["events"][-1]["inclusion"] is not None  # in the new checkpoint, not pending
    assert '"brands_logcheckpoint"' not in sql  # stored in the cache by the commit, not read by the view


def test_a_checkpoint_not_signed_by_the_logs_key_shows_broken_on_the_next_view(client, sealed_batch):
    view(client, sealed_batch)
    latest = transparency.LogCheckpoint.objects.latest_signed()
    impostor = tlog.Signer.generate(transparency.verifier().name)
    root = base64.b64decode(latest.root)
    note = tlog.sign_checkpoint(tlog.Checkpoint(impostor.name, latest.size + 1, root), impostor)
    transparency.LogCheckpoint.objects.create(size=latest.size + 1, root=latest.root, note=note)
    data, _ = view(client, sealed_batch)
    assert data["verified"] is False
    assert "not signed by the log's key" in data["failure"]["reason"]


def test_a_file_check_that_found_a_break_shows_on_the_next_view(client, sealed_batch):
    view(client, sealed_batch)
    reason = "an evidence file changed after sealing"
    transparency.TraceCheck.objects.create(
        files=True, batches=1, broken=[{"lot": sealed_batch.lot_code, "sequence": 2, "reason": reason}]
    )
    data, _ = view(client, sealed_batch)
    assert data["verified"] is False
    assert reason in data["failure"]["reason"]


def test_cached_proofs_are_checked_against_the_root_signed_today(client, sealed_batch):
    """Someone with the database and the key signs another history of the same size: the proofs cached under the
    old root do not apply to it, and those read afresh do not reach it from the batch's leaves."""
    view(client, sealed_batch)
    latest = transparency.LogCheckpoint.objects.latest_signed()
    signer = tlog.load_signer()
    rewritten = bytes(32)
    note = tlog.sign_checkpoint(tlog.Checkpoint(signer.name, latest.size, rewritten), signer)
    transparency.LogCheckpoint.objects.create(size=latest.size, root=base64.b64encode(rewritten).decode(), note=note)
    data, sql = view(client, sealed_batch)
    assert data["verified"] is False
    assert "not in the log the latest checkpoint signed" in data["failure"]["reason"]
    assert '"brands_lognode"' in sql
