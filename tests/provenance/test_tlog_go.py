"""Interoperability: Go's golang.org/x/mod/sumdb/note and .../tlog accept our checkpoints and proofs.

The Go program in tests/provenance/goverify shares no code with brands.tlog; it is built here from
its committed go.mod and go.sum (modules come through the Go module proxy). Under CI=true a missing
Go toolchain fails the run instead of skipping it.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from brands import tlog
from tests.prerequisites import missing

from .memory_log import MemoryLog, b64

SOURCE = Path(__file__).parent / "goverify"


def go_command():
    found = shutil.which("go") or "/usr/local/go/bin/go"
    return found if Path(found).exists() else None


@pytest.fixture(scope="module")
def goverify(tmp_path_factory):
    go = go_command()
    if go is None:
        missing("Go is missing: the interoperability test needs the go command (Go 1.26)")
    binary = tmp_path_factory.mktemp("goverify") / "goverify"
    # -mod=readonly: go.sum must already pin every module; GOTOOLCHAIN=local: never fetch another Go.
    env = {**os.environ, "GOFLAGS": "-mod=readonly -buildvcs=false", "GOTOOLCHAIN": "local", "CGO_ENABLED": "0"}
    subprocess.run([go, "build", "-o", str(binary), "."], cwd=SOURCE, env=env, check=True, timeout=540)  # noqa: S603
    return binary


def run(binary, request):
    return subprocess.run(  # noqa: S603
        [str(binary)], input=json.dumps(request), capture_output=True, text=True, timeout=60
    )


@pytest.fixture(scope="module")
def signer():
    return tlog.Signer.generate("farmcast.test/provenance")


def test_go_accepts_our_checkpoint_and_every_proof(goverify, signer):
    """For a 23-leaf log, Go verifies the signed checkpoint, every inclusion and every consistency proof."""
    log = MemoryLog()
    leaves = [tlog.event_leaf(f"{i:064x}") if i % 3 else tlog.evidence_leaf(f"{i:064x}", "ab" * 32) for i in range(23)]
    for leaf in leaves:
        log.append(leaf)
    request = {
        "verifier": str(signer.verifier),
        "checkpoint": log.checkpoint(signer),
        "inclusion": [
            {"index": i, "leaf": b64(leaf), "proof": [b64(h) for h in log.inclusion(i)]}
            for i, leaf in enumerate(leaves)
        ],
        "consistency": [
            {"old_size": old, "old_root": b64(log.root(old)), "proof": [b64(h) for h in log.consistency(old)]}
            for old in range(1, 24)
        ],
    }
    result = run(goverify, request)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"ok checkpoint {signer.name} size 23 key {signer.verifier.name}+{signer.verifier.key_id:08x}"
    assert sum(line.startswith("ok inclusion") for line in lines) == 23
    assert sum(line.startswith("ok consistency") for line in lines) == 23


@pytest.mark.parametrize("attack", ["signature", "other key", "inclusion", "consistency"])
def test_go_refuses_what_we_refuse(goverify, signer, attack):
    """The Go verifier really checks: a forged checkpoint, a wrong key, a bad leaf or a forked history fail."""
    log = MemoryLog()
    for i in range(9):
        log.append(f"leaf {i}".encode())
    request = {
        "verifier": str(signer.verifier),
        "checkpoint": log.checkpoint(signer),
        "inclusion": [],
        "consistency": [],
    }
    if attack == "signature":
        request["checkpoint"] = request["checkpoint"].replace("\n9\n", "\n10\n", 1)
    elif attack == "other key":
        request["checkpoint"] = log.checkpoint(tlog.Signer.generate(signer.name))
    elif attack == "inclusion":
        proof = [b64(h) for h in log.inclusion(4)]
        request["inclusion"] = [{"index": 4, "leaf": b64(b"leaf 5"), "proof": proof}]
    else:
        forked = MemoryLog()
        for _ in range(4):
            forked.append(b"rewritten")
        proof = [b64(h) for h in log.consistency(4)]
        request["consistency"] = [{"old_size": 4, "old_root": b64(forked.root()), "proof": proof}]
    result = run(goverify, request)
    assert result.returncode == 1
    assert result.stderr.startswith("FAIL")
    with pytest.raises(tlog.LogError):  # and the Python side agrees
        if attack in ("signature", "other key"):
            tlog.open_checkpoint(request["checkpoint"], signer.verifier)
        elif attack == "inclusion":
            tlog.verify_inclusion(tlog.leaf_hash(b"leaf 5"), 4, 9, log.inclusion(4), log.root())
        else:
            tlog.verify_consistency(4, 9, forked.root(), log.root(), log.consistency(4))


@pytest.mark.django_db
def test_go_accepts_the_sites_checkpoint_and_proofs(goverify, client, sealed_batch):
    """The live endpoints: /trace/log/checkpoint and key, a batch's inclusion proofs, and a consistency proof."""
    from brands import transparency
    from brands.seal import seal_batch

    from .conftest import make_event

    old = client.get("/trace/log/checkpoint").content.decode()
    old_size = int(old.split("\n")[1])
    old_root = old.split("\n")[2]
    make_event(sealed_batch, "shipping", days_ago=10)
    seal_batch(sealed_batch)
    transparency.sign_checkpoint()
    checkpoint = client.get("/trace/log/checkpoint")
    assert checkpoint["Content-Type"].startswith("text/plain")
    new_size = int(checkpoint.content.decode().split("\n")[1])
    bundle = client.get(f"/trace/{sealed_batch.display_code}/bundle.json").json()
    inclusion = []
    for event in bundle["events"]:
        for place in [event, *event["evidence"]]:
            proof = client.get(f"/trace/log/inclusion/{place['leaf_index']}/{new_size}/").json()
            assert proof["proof"] == place["inclusion"]
            inclusion.append(
                {"index": place["leaf_index"], "leaf": b64(proof["leaf"].encode()), "proof": proof["proof"]}
            )
    consistency = client.get(f"/trace/log/consistency/{old_size}/{new_size}/").json()
    request = {
        "verifier": client.get("/trace/log/key").content.decode().strip(),
        "checkpoint": checkpoint.content.decode(),
        "inclusion": inclusion,
        "consistency": [{"old_size": old_size, "old_root": old_root, "proof": consistency["proof"]}],
    }
    result = run(goverify, request)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("ok inclusion") == len(inclusion) == 5  # 4 events and 1 photo
    assert "ok consistency" in result.stdout
