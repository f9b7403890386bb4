// goverify checks Farmcast's transparency log with Go's own implementations of the formats:
// golang.org/x/mod/sumdb/note for the signed checkpoint and golang.org/x/mod/sumdb/tlog for
// RFC 6962 inclusion and consistency proofs. It shares no code with the Python side, so
// agreement means we speak the published formats, not a private dialect.
//
// Input (stdin, JSON): {"verifier": "<vkey>", "checkpoint": "<signed note>",
//   "inclusion": [{"index": n, "leaf": "<base64 leaf data>", "proof": ["<base64>", ...]}],
//   "consistency": [{"old_size": n, "old_root": "<base64>", "proof": [...]}]}
// Every proof is checked against the checkpoint's tree. Output: one line per check; exit 1 on any failure.
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type request struct {
	Verifier   string `json:"verifier"`
	Checkpoint string `json:"checkpoint"`
	Inclusion  []struct {
		Index int64    `json:"index"`
		Leaf  string   `json:"leaf"`
		Proof []string `json:"proof"`
	} `json:"inclusion"`
	Consistency []struct {
		OldSize int64    `json:"old_size"`
		OldRoot string   `json:"old_root"`
		Proof   []string `json:"proof"`
	} `json:"consistency"`
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "FAIL "+format+"\n", args...)
	os.Exit(1)
}

func hashOf(text string) tlog.Hash {
	raw, err := base64.StdEncoding.DecodeString(text)
	if err != nil || len(raw) != tlog.HashSize {
		fail("not a base64 SHA-256 hash: %q", text)
	}
	var h tlog.Hash
	copy(h[:], raw)
	return h
}

func hashesOf(texts []string) []tlog.Hash {
	hashes := make([]tlog.Hash, len(texts))
	for i, text := range texts {
		hashes[i] = hashOf(text)
	}
	return hashes
}

func main() {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fail("reading the request: %v", err)
	}
	verifier, err := note.NewVerifier(req.Verifier)
	if err != nil {
		fail("verifier key: %v", err)
	}
	signed, err := note.Open([]byte(req.Checkpoint), note.VerifierList(verifier))
	if err != nil {
		fail("checkpoint signature: %v", err)
	}
	// C2SP tlog-checkpoint: origin, decimal size, base64 root hash, then optional extension lines.
	lines := strings.SplitN(signed.Text, "\n", 4)
	if len(lines) < 4 || lines[0] != verifier.Name() {
		fail("checkpoint body: %q", signed.Text)
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 {
		fail("checkpoint size: %q", lines[1])
	}
	root := hashOf(lines[2])
	fmt.Printf("ok checkpoint %s size %d key %s+%08x\n", lines[0], size, verifier.Name(), verifier.KeyHash())

	for _, inc := range req.Inclusion {
		leaf, err := base64.StdEncoding.DecodeString(inc.Leaf)
		if err != nil {
			fail("leaf %d data: %v", inc.Index, err)
		}
		if err := tlog.CheckRecord(hashesOf(inc.Proof), size, root, inc.Index, tlog.RecordHash(leaf)); err != nil {
			fail("inclusion of leaf %d in tree %d: %v", inc.Index, size, err)
		}
		fmt.Printf("ok inclusion %d %d\n", inc.Index, size)
	}
	for _, con := range req.Consistency {
		if err := tlog.CheckTree(hashesOf(con.Proof), size, root, con.OldSize, hashOf(con.OldRoot)); err != nil {
			fail("consistency of tree %d with tree %d: %v", con.OldSize, size, err)
		}
		fmt.Printf("ok consistency %d %d\n", con.OldSize, size)
	}
}
