"""tlog_checkpoint (the hourly cron): chains sealed before the log join it; without a key it refuses."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from brands import transparency
from brands.models.provenance import ProvenanceEvent
from brands.seal import GENESIS, compute_seal, verify_chain

from .conftest import make_event
from .surfaces import trace_verify

pytestmark = pytest.mark.django_db


def seal_as_version_1(batch):
    """A chain sealed the way the site did before the log: version 1 seals, no leaves."""
    previous = GENESIS
    for sequence, event in enumerate(batch.events.order_by("occurred_at"), start=1):
        event.sequence, event.previous_seal = sequence, previous
        event.sealed_at = event.occurred_at.replace(microsecond=0)
        event.seal = previous = compute_seal(event, previous)
        ProvenanceEvent.objects.filter(pk=event.pk).update(
            sequence=sequence, previous_seal=event.previous_seal, sealed_at=event.sealed_at, seal=event.seal
        )


def test_version_1_chains_still_verify_and_join_the_log(client, batch, capsys):
    """An old chain verifies as before; tlog_checkpoint appends it and signs, and the page then proves inclusion."""
    make_event(batch, "planting", days_ago=150)
    make_event(batch, "harvest", days_ago=20)
    seal_as_version_1(batch)
    result = verify_chain(batch)
    assert result.ok and not result.log.leaves
    call_command("tlog_checkpoint")
    assert "appended 2 events sealed before the log" in capsys.readouterr().out
    result = verify_chain(batch)
    assert result.ok and len(result.log.proofs) == 2
    data = client.get(f"/trace/{batch.display_code}/", {"format": "json"}).json()
    assert [e["payload"]["v"] for e in data["events"]] == [1, 1]
    assert all(e["inclusion"] is not None for e in data["events"])
    assert trace_verify()[0] == 0


def test_tlog_checkpoint_refuses_to_run_without_a_key(settings, monkeypatch, sealed_batch):
    """No key configured: the command fails and says how to make one; nothing is signed."""
    settings.TLOG_SIGNING_KEY = settings.TLOG_SIGNING_KEY_FILE = ""
    monkeypatch.delenv("TLOG_SIGNING_KEY", raising=False)
    monkeypatch.delenv("TLOG_SIGNING_KEY_FILE", raising=False)
    before = transparency.LogCheckpoint.objects.count()
    with pytest.raises(CommandError, match="tlog_keygen"):
        call_command("tlog_checkpoint", force=True)
    assert transparency.LogCheckpoint.objects.count() == before


def test_log_rows_are_append_only():
    """The ORM refuses to update or delete leaves, subtree hashes and checkpoints, on instances and querysets."""
    with pytest.raises(transparency.AppendOnlyError):
        transparency.LogLeaf.objects.all().delete()
    with pytest.raises(transparency.AppendOnlyError):
        transparency.LogNode.objects.update(hash="00")
    with pytest.raises(transparency.AppendOnlyError):
        transparency.LogCheckpoint(size=0, root="", note="").delete()
