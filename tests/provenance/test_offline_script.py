"""scripts/verify_provenance.py, the standalone checker a buyer runs, on the bundles the site serves."""

import base64

import pytest

from brands import tlog, transparency
from brands.views import label_fragment

from .conftest import make_event
from .surfaces import bundle_of, offline

pytestmark = pytest.mark.django_db


def test_a_downloaded_bundle_verifies_with_its_file_and_the_label(client, sealed_batch, tmp_path):
    """Signature, seal chain, every event and file in the log, a downloaded photo, and the label's log state."""
    from brands.seal import seal_batch

    label = label_fragment(transparency.LogCheckpoint.objects.latest_signed())
    make_event(sealed_batch, "shipping", days_ago=10)
    seal_batch(sealed_batch)
    transparency.sign_checkpoint()  # the log grew after the label was printed
    size = int(label.split(".")[0])
    bundle = bundle_of(client, sealed_batch, since=size)
    photo = sealed_batch.events.get(sequence=2).evidence.get()
    local = tmp_path / "photo.jpg"
    with photo.file.open("rb") as handle:
        local.write_bytes(handle.read())
    exit_code, output = offline(tmp_path, bundle, "--file", str(local), "--since", label)
    assert exit_code == 0, output
    assert "4 events, seal chain intact" in output
    assert f"extends the log of {size} leaves" in output
    assert output.rstrip().endswith("VERIFIED")


def test_a_label_from_another_history_says_rewritten(client, sealed_batch, tmp_path):
    """A label whose log root the signed log does not extend: history was rewritten since it was printed."""
    checkpoint = transparency.LogCheckpoint.objects.latest_signed()
    other_root = base64.urlsafe_b64encode(tlog.leaf_hash(b"another history")).decode().rstrip("=")
    bundle = bundle_of(client, sealed_batch, since=checkpoint.size)
    exit_code, output = offline(tmp_path, bundle, "--since", f"{checkpoint.size}.{other_root}")
    assert exit_code == 1
    assert "rewritten since the label was printed" in output


def test_only_the_pinned_key_is_trusted(client, sealed_batch, tmp_path):
    """Another key (even with the log's name) is refused, and so is a checkpoint edited after signing."""
    bundle = bundle_of(client, sealed_batch)
    impostor = tlog.Signer.generate(transparency.verifier().name)
    exit_code, output = offline(tmp_path, bundle, key=str(impostor.verifier))
    assert exit_code == 1 and "no signature by this key" in output
    size = transparency.LogCheckpoint.objects.latest_signed().size
    bundle["checkpoint"] = bundle["checkpoint"].replace(f"\n{size}\n", f"\n{size + 1}\n", 1)
    exit_code, output = offline(tmp_path, bundle)
    assert exit_code == 1 and "signature does not verify" in output


def test_a_batch_not_yet_in_a_checkpoint_says_so(client, batch, timeline, tmp_path):
    """Sealed but not signed yet (the on-commit signing has not run): the checker says wait, not verified."""
    from brands.seal import seal_batch

    transparency.sign_checkpoint()
    seal_batch(batch)
    exit_code, output = offline(tmp_path, bundle_of(client, batch))
    assert exit_code == 1
    assert "not in a signed checkpoint yet" in output
