"""The transparency log library: RFC 6962 hashing and proofs, signed-note checkpoints, the signing key."""

import hashlib
import os
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from brands import tlog

from .memory_log import MemoryLog

# RFC 6962 test leaves and roots, as used by Certificate Transparency implementations.
CT_LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    b"\x50\x51\x52\x53\x54\x55\x56\x57",
    bytes(range(0x60, 0x70)),
]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]

# The signer and message of Go's golang.org/x/mod/sumdb/note documentation example.
GO_EXAMPLE_SIGNER = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_EXAMPLE_VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_EXAMPLE_TEXT = (
    "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
)
GO_EXAMPLE_SIGNATURE = (
    "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)


def reference_root(leaves):
    """RFC 6962's MTH written as the RFC defines it, to check the stored-subtree arithmetic against."""
    if len(leaves) == 1:
        return tlog.leaf_hash(leaves[0])
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return tlog.node_hash(reference_root(leaves[:k]), reference_root(leaves[k:]))


def grown_log(count):
    log = MemoryLog()
    for i in range(count):
        log.append(f"leaf {i}".encode())
    return log


@pytest.fixture(scope="module")
def signer():
    return tlog.Signer.generate("farmcast.test/provenance")


def test_tree_hashes_match_the_rfc_6962_test_vectors():
    """Leaf prefix 0x00, node prefix 0x01: roots of the 8 CT test leaves match the published ones."""
    log = MemoryLog()
    for leaves, expected in enumerate(CT_ROOTS, start=1):
        log.append(CT_LEAVES[leaves - 1])
        assert log.root().hex() == expected
    assert tlog.tree_hash(0, log.read) == hashlib.sha256(b"").digest()


def test_stored_subtrees_give_the_rfc_root_for_every_size_up_to_70():
    """Roots built from the stored complete subtrees equal MTH computed by the RFC's recursion."""
    log = grown_log(70)
    leaves = [f"leaf {i}".encode() for i in range(70)]
    for size in range(1, 71):
        assert log.root(size) == reference_root(leaves[:size])


def test_every_inclusion_proof_verifies_and_a_wrong_one_does_not():
    """Each leaf's audit path leads to the root; a flipped bit, another leaf or another size fails."""
    log = grown_log(37)
    for size in range(1, 38):
        root = log.root(size)
        for index in range(size):
            leaf = tlog.leaf_hash(f"leaf {index}".encode())
            proof = log.inclusion(index, size)
            tlog.verify_inclusion(leaf, index, size, proof, root)
            with pytest.raises(tlog.LogError):
                tlog.verify_inclusion(tlog.leaf_hash(b"forged"), index, size, proof, root)
            if proof:
                bad = [bytes([proof[0][0] ^ 1]) + proof[0][1:], *proof[1:]]
                with pytest.raises(tlog.LogError):
                    tlog.verify_inclusion(leaf, index, size, bad, root)
                with pytest.raises(tlog.LogError):
                    tlog.verify_inclusion(leaf, index, size, proof[:-1], root)
            with pytest.raises(tlog.LogError):
                tlog.verify_inclusion(leaf, index, size, [*proof, root], root)


def test_every_consistency_proof_verifies_and_a_rewritten_history_does_not():
    """Old trees are prefixes of new ones; a log whose past leaf changed fails the proof."""
    log = grown_log(33)
    for new in range(1, 34):
        for old in range(0, new + 1):
            proof = log.consistency(old, new)
            old_root = log.root(old)
            tlog.verify_consistency(old, new, old_root, log.root(new), proof)
            if 0 < old < new:
                with pytest.raises(tlog.LogError):
                    tlog.verify_consistency(old, new, tlog.leaf_hash(b"other history"), log.root(new), proof)
    forked = MemoryLog()
    for i in range(33):
        forked.append(b"rewritten" if i == 5 else f"leaf {i}".encode())
    with pytest.raises(tlog.LogError, match="rewritten"):
        tlog.verify_consistency(10, 33, log.root(10), forked.root(33), forked.consistency(10, 33))


def test_one_read_per_proof():
    """A proof or root asks storage once for all the subtrees it needs, so a database log needs one query."""
    log = grown_log(1000)
    calls = []

    def counting_read(keys):
        calls.append(len(keys))
        return log.read(keys)

    tlog.inclusion_proof(617, 1000, counting_read)
    tlog.consistency_proof(333, 1000, counting_read)
    tlog.tree_hash(1000, counting_read)
    assert len(calls) == 3
    assert max(calls) <= 2 * 10 + 2  # O(log n) subtrees, never the leaves


def test_key_id_and_signature_match_gos_note_package_example():
    """Our key id, verifier key string and Ed25519 note signature equal those in Go's note documentation."""
    signer = tlog.Signer.parse(GO_EXAMPLE_SIGNER)
    assert str(signer.verifier) == GO_EXAMPLE_VERIFIER
    assert str(signer) == GO_EXAMPLE_SIGNER
    assert signer.sign_note(GO_EXAMPLE_TEXT) == GO_EXAMPLE_TEXT + "\n" + GO_EXAMPLE_SIGNATURE
    verifier = tlog.Verifier.parse(GO_EXAMPLE_VERIFIER)
    assert tlog.open_note(GO_EXAMPLE_TEXT + "\n" + GO_EXAMPLE_SIGNATURE, verifier) == GO_EXAMPLE_TEXT


def test_checkpoint_round_trip_and_tampering(signer):
    """A signed checkpoint opens with the log's key; a changed size, root or another key is refused."""
    log = grown_log(5)
    note = log.checkpoint(signer)
    opened = tlog.open_checkpoint(note, signer.verifier)
    assert (opened.origin, opened.size, opened.root) == (signer.name, 5, log.root())
    assert note.startswith(f"{signer.name}\n5\n")
    with pytest.raises(tlog.LogError, match="does not verify"):
        tlog.open_checkpoint(note.replace("\n5\n", "\n6\n", 1), signer.verifier)
    other = tlog.Signer.generate(signer.name)
    with pytest.raises(tlog.LogError, match="no signature"):
        tlog.open_checkpoint(note, other.verifier)
    with pytest.raises(tlog.LogError, match="not a signed note"):
        tlog.open_checkpoint(tlog.Checkpoint(signer.name, 5, log.root()).body(), signer.verifier)


def test_key_strings_with_a_wrong_id_are_refused(signer):
    """A verifier key whose id does not match its name and key is refused, as Go refuses it."""
    name, key_id, key = str(signer.verifier).split("+", 2)
    wrong = f"{name}+{(int(key_id, 16) ^ 1):08x}+{key}"
    with pytest.raises(tlog.LogError, match="id does not match"):
        tlog.Verifier.parse(wrong)
    with pytest.raises(tlog.LogError):
        tlog.Signer.generate("has space")


def test_signing_refuses_to_run_without_a_key(settings, monkeypatch):
    """No key in settings or the environment: loading the signer fails and says how to make one."""
    settings.TLOG_SIGNING_KEY = settings.TLOG_SIGNING_KEY_FILE = ""
    monkeypatch.delenv("TLOG_SIGNING_KEY", raising=False)
    monkeypatch.delenv("TLOG_SIGNING_KEY_FILE", raising=False)
    with pytest.raises(tlog.SigningKeyMissing, match="tlog_keygen"):
        tlog.load_signer()
    settings.TLOG_SIGNING_KEY_FILE = "/nonexistent/tlog.key"
    with pytest.raises(tlog.SigningKeyMissing, match="cannot read"):
        tlog.load_signer()


def test_keygen_writes_a_private_key_file_the_site_loads(tmp_path, settings, capsys):
    """manage.py tlog_keygen makes a 0600 key file, prints the verifier key, and refuses to overwrite it."""
    path = tmp_path / "keys" / "tlog.key"
    call_command("tlog_keygen", str(path), name="farmcast.test/provenance")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    settings.TLOG_SIGNING_KEY = ""
    settings.TLOG_SIGNING_KEY_FILE = str(path)
    signer = tlog.load_signer()
    assert f"verifier key: {signer.verifier}" in capsys.readouterr().out
    assert path.read_text().startswith("PRIVATE+KEY+farmcast.test/provenance+")
    assert "PRIVATE" not in repr(signer)  # a logged signer never shows its private key
    with pytest.raises(CommandError, match="keeps its key"):
        call_command("tlog_keygen", str(path), name="farmcast.test/provenance")
