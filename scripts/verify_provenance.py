#!/usr/bin/env python3
"""Check a Farmcast proof bundle offline, trusting nothing the site says except the key you pin.

    python3 verify_provenance.py BUNDLE.json --key 'farmcast.example/provenance+1a2b3c4d+AU...'
        [--since SIZE.ROOT]   the log state printed on the label: the `log=` value in its QR code's URL
        [--file PATH ...]     evidence files you downloaded; each must be one the chain sealed

Needs only Python 3.10+ and the `cryptography` package (pip install cryptography).
It checks: the checkpoint's Ed25519 signature (C2SP signed note) by the key you give; each
event's seal chain (SHA-256 over the canonical JSON, linked to the previous seal); that every
event and every evidence hash is a leaf of the signed log (RFC 6962 inclusion proofs); and, with
--since (and a bundle downloaded with ?since=SIZE), that the log today extends the log when the
label was printed (RFC 6962 consistency proof), i.e. that history was not rewritten since.
Exit status 0: verified; 1: something does not verify (the message says what); 2: bad usage.
docs/provenance.md in the Farmcast repository describes every format used here.
"""

import argparse
import base64
import hashlib
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


class Broken(Exception):
    pass


def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def b64(text):
    return base64.b64decode(text, validate=True)


def parse_key(vkey):
    """<name>+<8 hex key id>+<base64(0x01 || Ed25519 public key)>, as Go's note.NewVerifier reads it."""
    name, key_id, encoded = vkey.strip().split("+", 2)
    raw = b64(encoded)
    if len(raw) != 33 or raw[0] != 1:
        raise Broken("the key is not an Ed25519 signed-note key")
    expected = hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4]
    if expected.hex() != key_id:
        raise Broken("the key's id does not match its name and key")
    return name, expected, Ed25519PublicKey.from_public_bytes(raw[1:])


def open_checkpoint(note, vkey):
    """C2SP signed note + tlog-checkpoint: returns (size, root) after checking the signature."""
    name, key_id, public_key = parse_key(vkey)
    text, _, signatures = note.rpartition("\n\n")
    text += "\n"
    for line in signatures.splitlines():
        signer, _, encoded = line.removeprefix("\u2014 ").partition(" ")
        blob = b64(encoded) if encoded else b""
        if signer == name and blob[:4] == key_id:
            try:
                public_key.verify(blob[4:], text.encode("utf-8"))
            except InvalidSignature:
                raise Broken("the checkpoint's signature does not verify: it was not signed by this key") from None
            origin, size, root = text.split("\n")[:3]
            if origin != name:
                raise Broken(f"the checkpoint is of another log ({origin})")
            return int(size), b64(root)
    raise Broken("the checkpoint carries no signature by this key")


def check_inclusion(leaf, index, size, proof, root):
    """RFC 9162 section 2.1.3.2."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def check_consistency(old_size, old_root, size, root, proof):
    """RFC 9162 section 2.1.4.2."""
    if old_size == size:
        return not proof and old_root == root
    if not 0 < old_size < size or not proof:
        return False
    path = ([old_root] if old_size & (old_size - 1) == 0 else []) + list(proof)
    fn, sn = old_size - 1, size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == old_root and sr == root


RENAMEABLE = {("product", "title"), ("brand", "title"), ("region", "names")}  # names may change; ids may not


def changed_since_sealing(sealed, today):
    changed = []
    for key in sorted(set(sealed) | set(today)):
        was, now = sealed.get(key), today.get(key)
        if isinstance(was, dict) and isinstance(now, dict):
            changed += [
                f"{key}.{k}"
                for k in sorted(set(was) | set(now))
                if was.get(k) != now.get(k) and (key, k) not in RENAMEABLE
            ]
        elif was != now:
            changed.append(key)
    return changed


def canonical(payload):
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def verify(bundle, vkey, since=None, files=()):
    if not bundle.get("checkpoint"):
        raise Broken("the bundle carries no signed checkpoint: the log has not signed this batch yet")
    size, root = open_checkpoint(bundle["checkpoint"], vkey)
    print(f"checkpoint: log {vkey.split('+')[0]}, {size} leaves, signature verified")
    previous, sealed_hashes, n = "", set(), 0
    for event in bundle["events"]:
        n = event["sequence"]
        if event["payload"]["sequence"] != n or event["payload"]["lot"] != bundle["lot"]:
            raise Broken(f"event {n}: its payload is of another lot or position")
        if event["previous_seal"] != previous:
            raise Broken(f"event {n}: it does not link to the seal of the event before it")
        if hashlib.sha256(previous.encode("ascii") + canonical(event["payload"])).hexdigest() != event["seal"]:
            raise Broken(f"event {n}: its content changed after it was sealed")
        leaf = b"farmcast/provenance/event\n" + event["seal"].encode("ascii") + b"\n"
        if event.get("leaf_index") is None:
            raise Broken(f"event {n}: it is not in the signed log")
        if event.get("inclusion") is None:
            raise Broken(f"event {n}: it is not in a signed checkpoint yet (try again after the next one)")
        proof = [b64(p) for p in event["inclusion"]]
        if not check_inclusion(leaf_hash(leaf), event["leaf_index"], size, proof, root):
            raise Broken(f"event {n}: it is not in the signed log")
        if event["payload"]["v"] >= 2:
            # Version 2 seals what the page shows; `today` is the same payload rebuilt from today's rows.
            changed = changed_since_sealing(event["payload"], event.get("today") or {})
            if changed:
                raise Broken(f"event {n}: what the site shows changed after it was sealed ({', '.join(changed)})")
        today = sorted(e["sha256"] for e in event["evidence"])
        sealed = event["payload"]["evidence"]
        if today != sorted(e["sha256"] if isinstance(e, dict) else e for e in sealed):
            raise Broken(f"event {n}: its evidence is not what was sealed")
        for evidence in event["evidence"]:
            leaf = (
                b"farmcast/provenance/evidence\n" + event["seal"].encode("ascii") + b"\n"
                + evidence["sha256"].encode("ascii") + b"\n"
            )  # fmt: skip
            if evidence.get("leaf_index") is None:
                raise Broken(f"event {n}: evidence {evidence['sha256'][:12]}… is not in the signed log")
            if evidence.get("inclusion") is None:
                raise Broken(f"event {n}: evidence {evidence['sha256'][:12]}… is not in a signed checkpoint yet")
            proof = [b64(p) for p in evidence["inclusion"]]
            if not check_inclusion(leaf_hash(leaf), evidence["leaf_index"], size, proof, root):
                raise Broken(f"event {n}: evidence {evidence['sha256'][:12]}… is not in the signed log")
            sealed_hashes.add(evidence["sha256"])
        previous = event["seal"]
    if bundle.get("logged_events", 0) > len(bundle["events"]):
        raise Broken(f"the log holds {bundle['logged_events']} sealed events of this lot; the bundle has only {n}")
    print(f"lot {bundle['lot']}: {len(bundle['events'])} events, seal chain intact, every event and file in the log")
    if since:
        # The `log` value of the label's QR code: SIZE.ROOT, the root in base64url without padding.
        old_size, _, old_root = since.partition(".")
        old_size, old_root = int(old_size), base64.urlsafe_b64decode(old_root + "=" * (-len(old_root) % 4))
        consistency = bundle.get("consistency") or {}
        if consistency.get("old_size") != old_size:
            raise Broken(f"download the bundle with ?since={old_size} to check the label's log state")
        proof = [b64(p) for p in consistency["proof"]]
        if not check_consistency(old_size, old_root, size, root, proof):
            raise Broken(f"the log was rewritten since the label was printed (at {old_size} leaves)")
        print(f"label: the log today extends the log of {old_size} leaves when the label was printed")
    for path in files:
        with open(path, "rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()
        if digest not in sealed_hashes:
            raise Broken(f"{path}: this file is not one the chain sealed (SHA-256 {digest})")
        print(f"{path}: sealed evidence")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle")
    parser.add_argument("--key", required=True, help="the log's verifier key, from a source you trust")
    parser.add_argument("--since", help="the log=SIZE.ROOT value in the label's QR code URL")
    parser.add_argument("--file", action="append", default=[], help="an evidence file to check")
    args = parser.parse_args(argv)
    try:
        with open(args.bundle, encoding="utf-8") as handle:
            bundle = json.load(handle)
        verify(bundle, args.key, args.since, args.file)
    except Broken as error:
        print(f"NOT VERIFIED: {error}", file=sys.stderr)
        return 1
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        print(f"NOT VERIFIED: cannot read this bundle or key ({error!r})", file=sys.stderr)
        return 1
    print("VERIFIED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
