"""The transparency log: an append-only Merkle tree (RFC 6962 / RFC 9162) and its signed checkpoints.

Hashing is RFC 6962's: a leaf is SHA-256(0x00 || data), an inner node SHA-256(0x01 || left || right).
Checkpoints are C2SP tlog-checkpoint bodies in a C2SP signed note, signed with Ed25519, so that Go's
golang.org/x/mod/sumdb/note and .../tlog (and any other implementation of those specs) verify them;
tests/provenance/goverify does exactly that in the test suite. docs/provenance.md is the prose version.

Nothing here touches the database: the log's storage hands in a `read` callable that returns the
stored hashes of complete subtrees, keyed by (level, index) - the subtree at level L, index i covers
leaves [i * 2**L, (i + 1) * 2**L). Every proof and tree hash here is built from such subtrees, and
each function asks for all the subtrees it needs in ONE call, so a database-backed log answers any
proof in one query.
"""

import base64
import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

HASH_SIZE = 32
ED25519_ALGORITHM = 0x01  # the signed-note signature type byte for Ed25519
SIGNATURE_DASH = "\u2014"  # "—": every signature line of a signed note starts with it and a space

# What a leaf holds. Only hashes, never names or lot codes, so that the log reveals nothing about a
# batch that the batch's own page would not (restricted products stay private even in the log).
EVENT_LEAF_PREFIX = b"farmcast/provenance/event\n"
EVIDENCE_LEAF_PREFIX = b"farmcast/provenance/evidence\n"


class LogError(ValueError):
    """A proof, checkpoint or key that does not verify or cannot be parsed; the message says why."""


# --- Merkle tree hashing ---------------------------------------------------------------------


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def event_leaf(seal_hex: str) -> bytes:
    """The leaf data for a sealed event: its seal, which commits to its lot, position and content."""
    return EVENT_LEAF_PREFIX + seal_hex.encode("ascii") + b"\n"


def evidence_leaf(seal_hex: str, file_sha256_hex: str) -> bytes:
    """The leaf data for an evidence file: the seal of its event and the SHA-256 of the file's bytes."""
    return EVIDENCE_LEAF_PREFIX + seal_hex.encode("ascii") + b"\n" + file_sha256_hex.encode("ascii") + b"\n"


def _largest_power_of_two_below(n):
    """The k of RFC 6962: the largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def subtrees(lo, hi):
    """The complete subtrees, as (level, index), whose hashes make up the hash of leaves [lo, hi).

    In every range RFC 6962 asks for, lo is a multiple of a power of two at least hi - lo, so the
    range splits into at most log2(hi - lo) + 1 complete subtrees, biggest first.
    """
    keys = []
    while lo < hi:
        level = (hi - lo).bit_length() - 1
        while lo % (1 << level):
            level -= 1
        keys.append((level, lo >> level))
        lo += 1 << level
    return keys


def range_hash(lo, hi, hashes):
    """MTH(D[lo:hi]) from the complete subtrees `subtrees(lo, hi)`, looked up in `hashes`."""
    keys = subtrees(lo, hi)
    if not keys:
        raise LogError("the hash of an empty range is not defined here")
    result = hashes[keys[-1]]
    for key in reversed(keys[:-1]):
        result = node_hash(hashes[key], result)
    return result


def new_subtrees(index, leaf):
    """The complete subtrees that appending leaf `index` (with hash `leaf`) completes, as a plan.

    Returns the keys to read (the left siblings, already stored) and a function that, given their
    hashes, returns {(level, index): hash} for every subtree to store, the leaf itself included.
    """
    needed = []
    level, position = 0, index
    while position % 2 == 1:
        needed.append((level, position - 1))
        level, position = level + 1, position // 2

    def build(hashes):
        made = {(0, index): leaf}
        current, level, position = leaf, 0, index
        while position % 2 == 1:
            current = node_hash(hashes[(level, position - 1)], current)
            level, position = level + 1, position // 2
            made[(level, position)] = current
        return made

    return needed, build


def tree_hash(size, read):
    """The root hash of the first `size` leaves; the empty tree's is SHA-256 of nothing."""
    if size == 0:
        return hashlib.sha256(b"").digest()
    keys = subtrees(0, size)
    return range_hash(0, size, read(keys))


def _inclusion_ranges(index, lo, hi):
    """RFC 6962 PATH(m, D[lo:hi]) as leaf ranges, from the leaf up."""
    if hi - lo == 1:
        return []
    k = _largest_power_of_two_below(hi - lo)
    if index < lo + k:
        return [*_inclusion_ranges(index, lo, lo + k), (lo + k, hi)]
    return [*_inclusion_ranges(index, lo + k, hi), (lo, lo + k)]


def _consistency_ranges(old, lo, hi, whole):
    """RFC 6962 SUBPROOF(m, D[lo:hi], b) as leaf ranges."""
    if old == hi - lo:
        return [] if whole else [(lo, hi)]
    k = _largest_power_of_two_below(hi - lo)
    if old <= k:
        return [*_consistency_ranges(old, lo, lo + k, whole), (lo + k, hi)]
    return [*_consistency_ranges(old - k, lo + k, hi, False), (lo, lo + k)]


def _proof_from_ranges(ranges, read):
    keys = sorted({key for lo, hi in ranges for key in subtrees(lo, hi)})
    hashes = read(keys) if keys else {}
    return [range_hash(lo, hi, hashes) for lo, hi in ranges]


def inclusion_proofs(indexes, size, read):
    """The audit paths of several leaves of one tree, from a single read: {index: proof}."""
    for index in indexes:
        if not 0 <= index < size:
            raise LogError(f"leaf {index} is not in a tree of {size} leaves")
    ranges = {index: _inclusion_ranges(index, 0, size) for index in indexes}
    keys = sorted({key for path in ranges.values() for lo, hi in path for key in subtrees(lo, hi)})
    hashes = read(keys) if keys else {}
    return {index: [range_hash(lo, hi, hashes) for lo, hi in path] for index, path in ranges.items()}


def inclusion_proof(index, size, read):
    """The audit path of leaf `index` in the tree of `size` leaves (RFC 9162 2.1.3.1)."""
    if not 0 <= index < size:
        raise LogError(f"leaf {index} is not in a tree of {size} leaves")
    return _proof_from_ranges(_inclusion_ranges(index, 0, size), read)


def consistency_proof(old_size, new_size, read):
    """The proof that the tree of `old_size` leaves is a prefix of the one of `new_size` (RFC 9162 2.1.4.1)."""
    if not 0 <= old_size <= new_size:
        raise LogError(f"no consistency proof from {old_size} to {new_size} leaves")
    if old_size in (0, new_size):
        return []
    return _proof_from_ranges(_consistency_ranges(old_size, 0, new_size, True), read)


def verify_inclusion(leaf, index, size, proof, root):
    """RFC 9162 2.1.3.2: does `proof` show leaf hash `leaf` at `index` in the tree with `root`? Raises LogError."""
    if not 0 <= index < size:
        raise LogError(f"leaf {index} is not in a tree of {size} leaves")
    fn, sn, result = index, size - 1, leaf
    for sibling in proof:
        if sn == 0:
            raise LogError("the inclusion proof is too long")
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            result = node_hash(result, sibling)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise LogError("the inclusion proof is too short")
    if result != root:
        raise LogError("the inclusion proof does not lead to the tree's root hash")


def verify_consistency(old_size, new_size, old_root, new_root, proof):
    """RFC 9162 2.1.4.2: is the tree (old_size, old_root) a prefix of (new_size, new_root)? Raises LogError."""
    if not 0 <= old_size <= new_size:
        raise LogError(f"a tree of {new_size} leaves cannot extend one of {old_size}")
    if old_size == 0:
        if proof:
            raise LogError("a proof from the empty tree must be empty")
        return
    if old_size == new_size:
        if proof:
            raise LogError("a proof between equal sizes must be empty")
        if old_root != new_root:
            raise LogError("two trees of the same size have different root hashes: the log forked")
        return
    if not proof:
        raise LogError("the consistency proof is empty")
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    first = second = path[0]
    for sibling in path[1:]:
        if sn == 0:
            raise LogError("the consistency proof is too long")
        if fn & 1 or fn == sn:
            first = node_hash(sibling, first)
            second = node_hash(sibling, second)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            second = node_hash(second, sibling)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise LogError("the consistency proof is too short")
    if first != old_root:
        raise LogError("the consistency proof does not lead to the older root hash: history was rewritten")
    if second != new_root:
        raise LogError("the consistency proof does not lead to the newer root hash")


# --- Signed notes (C2SP signed-note) with Ed25519 --------------------------------------------


def _valid_key_name(name):
    return bool(name) and all(c not in name for c in "+ \t\n\r") and name.isprintable()


def key_id(name: str, public_key: bytes) -> int:
    """The signed-note key id: the first 4 bytes of SHA-256(name || "\\n" || 0x01 || public key)."""
    digest = hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([ED25519_ALGORITHM]) + public_key).digest()
    return int.from_bytes(digest[:4], "big")


@dataclass(frozen=True)
class Verifier:
    """A public key as signed notes name it: `<name>+<key id, 8 hex>+<base64(0x01 || key)>` (Go's note.NewVerifier)."""

    name: str
    key_id: int
    public_key: bytes

    @classmethod
    def parse(cls, text):
        parts = (text or "").strip().split("+", 2)
        if len(parts) != 3 or not _valid_key_name(parts[0]) or len(parts[1]) != 8:
            raise LogError("a verifier key looks like <name>+<8 hex digits>+<base64>")
        name, hex_id, encoded = parts
        try:
            declared = int(hex_id, 16)
            raw = base64.b64decode(encoded, validate=True)
        except ValueError:
            raise LogError("the verifier key's id or key is not hex and base64") from None
        if len(raw) != 33 or raw[0] != ED25519_ALGORITHM:
            raise LogError("only Ed25519 verifier keys (type 0x01, 32 bytes) are supported")
        if key_id(name, raw[1:]) != declared:
            raise LogError("the verifier key's id does not match its name and key")
        return cls(name, declared, raw[1:])

    def __str__(self):
        encoded = base64.b64encode(bytes([ED25519_ALGORITHM]) + self.public_key).decode("ascii")
        return f"{self.name}+{self.key_id:08x}+{encoded}"

    def verify(self, message: bytes, signature: bytes):
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except InvalidSignature:
            raise LogError(f"the signature by {self.name} does not verify") from None


@dataclass(frozen=True)
class Signer:
    """A private key in Go's note.NewSigner format: `PRIVATE+KEY+<name>+<key id>+<base64(0x01 || seed)>`."""

    name: str
    private_key: Ed25519PrivateKey

    @classmethod
    def generate(cls, name):
        if not _valid_key_name(name):
            raise LogError(
                "a key name is printable and has no spaces or '+'; use the log's origin, e.g. example.org/log"
            )
        return cls(name, Ed25519PrivateKey.generate())

    @classmethod
    def parse(cls, text):
        parts = (text or "").strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"] or not _valid_key_name(parts[2]):
            raise LogError("a signing key looks like PRIVATE+KEY+<name>+<8 hex digits>+<base64>")
        try:
            raw = base64.b64decode(parts[4], validate=True)
            declared = int(parts[3], 16)
        except ValueError:
            raise LogError("the signing key's id or key is not hex and base64") from None
        if len(raw) != 33 or raw[0] != ED25519_ALGORITHM:
            raise LogError("only Ed25519 signing keys (type 0x01, 32-byte seed) are supported")
        signer = cls(parts[2], Ed25519PrivateKey.from_private_bytes(raw[1:]))
        if signer.verifier.key_id != declared:
            raise LogError("the signing key's id does not match its name and key")
        return signer

    @property
    def verifier(self):
        public = self.private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return Verifier(self.name, key_id(self.name, public), public)

    def __str__(self):
        seed = self.private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        encoded = base64.b64encode(bytes([ED25519_ALGORITHM]) + seed).decode("ascii")
        return f"PRIVATE+KEY+{self.name}+{self.verifier.key_id:08x}+{encoded}"

    def __repr__(self):
        return f"Signer({self.name!r}, key id {self.verifier.key_id:08x})"  # never the private key

    def sign_note(self, text: str) -> str:
        """The note `text` (ending in a newline) followed by a blank line and this key's signature line."""
        if not text.endswith("\n") or "\n\n" in text:
            raise LogError("a note's text ends with a newline and has no blank line")
        signature = self.private_key.sign(text.encode("utf-8"))
        blob = self.verifier.key_id.to_bytes(4, "big") + signature
        return f"{text}\n{SIGNATURE_DASH} {self.name} {base64.b64encode(blob).decode('ascii')}\n"


def open_note(note: str, verifier: Verifier) -> str:
    """Check `verifier`'s signature on a signed note and return its text. Other signers' lines are ignored."""
    text, separator, signatures = note.rpartition("\n\n")
    if not separator:
        raise LogError("this is not a signed note: there is no blank line before the signatures")
    text += "\n"
    found = False
    for line in signatures.split("\n"):
        if not line:
            continue
        prefix = f"{SIGNATURE_DASH} "
        name, _, encoded = line.removeprefix(prefix).partition(" ")
        if not line.startswith(prefix) or not encoded:
            raise LogError("a signature line looks like “— <key name> <base64>”")
        try:
            blob = base64.b64decode(encoded, validate=True)
        except ValueError:
            raise LogError("a signature is not base64") from None
        if name != verifier.name or len(blob) < 4 or int.from_bytes(blob[:4], "big") != verifier.key_id:
            continue
        verifier.verify(text.encode("utf-8"), blob[4:])
        found = True
    if not found:
        raise LogError(f"the note carries no signature by {verifier.name}+{verifier.key_id:08x}")
    return text


# --- Checkpoints (C2SP tlog-checkpoint) -------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple = ()

    def body(self):
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode("ascii"), *self.extensions]
        return "".join(f"{line}\n" for line in lines)

    @classmethod
    def parse(cls, text):
        lines = text.split("\n")
        if len(lines) < 4 or lines[-1] != "" or not lines[0]:
            raise LogError("a checkpoint has an origin line, a size line and a root hash line")
        origin, size, root = lines[:3]
        if not size.isdigit() or (size != "0" and size.startswith("0")):
            raise LogError("the checkpoint's size is not a decimal number")
        try:
            digest = base64.b64decode(root, validate=True)
        except ValueError:
            raise LogError("the checkpoint's root hash is not base64") from None
        if len(digest) != HASH_SIZE:
            raise LogError("the checkpoint's root hash is not 32 bytes")
        return cls(origin, int(size), digest, tuple(lines[3:-1]))


def sign_checkpoint(checkpoint, signer):
    if checkpoint.origin != signer.name:
        raise LogError("a checkpoint is signed by the key named after its origin")
    return signer.sign_note(checkpoint.body())


def open_checkpoint(note, verifier):
    """The checkpoint in a signed note, after checking `verifier`'s signature and that it is the log's own."""
    checkpoint = Checkpoint.parse(open_note(note, verifier))
    if checkpoint.origin != verifier.name:
        raise LogError(f"the checkpoint is of log {checkpoint.origin!r}, not {verifier.name!r}")
    return checkpoint


# --- The site's key, which never lives in the database ------------------------------------------


class SigningKeyMissing(LogError):
    """There is no signing key configured: nothing is signed without one."""


def load_signer(key=None, key_file=None):
    """The signing key from TLOG_SIGNING_KEY (the key itself) or TLOG_SIGNING_KEY_FILE (a path).

    Django settings take precedence over the environment; both are outside the database on purpose:
    someone who can write the database must not be able to sign a rewritten history.
    """
    from django.conf import settings

    key = key or getattr(settings, "TLOG_SIGNING_KEY", "") or os.environ.get("TLOG_SIGNING_KEY", "")
    key_file = key_file or getattr(settings, "TLOG_SIGNING_KEY_FILE", "") or os.environ.get("TLOG_SIGNING_KEY_FILE")
    if not key and key_file:
        try:
            with open(key_file, encoding="ascii") as handle:
                key = handle.read()
        except OSError as error:
            raise SigningKeyMissing(f"cannot read the signing key file {key_file}: {error.strerror}") from None
    if not key:
        raise SigningKeyMissing(
            "no log signing key: set TLOG_SIGNING_KEY_FILE (or TLOG_SIGNING_KEY); make one with manage.py tlog_keygen"
        )
    return Signer.parse(key)
