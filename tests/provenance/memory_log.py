"""An in-memory log built only from brands.tlog's functions, for tests that need a log without the database."""

import base64

from brands import tlog


class MemoryLog:
    def __init__(self):
        self.stored = {}
        self.size = 0

    def read(self, keys):
        return {key: self.stored[key] for key in keys}

    def append(self, data):
        needed, build = tlog.new_subtrees(self.size, tlog.leaf_hash(data))
        self.stored.update(build(self.read(needed)))
        self.size += 1
        return self.size - 1

    def root(self, size=None):
        return tlog.tree_hash(self.size if size is None else size, self.read)

    def checkpoint(self, signer, size=None):
        size = self.size if size is None else size
        return tlog.sign_checkpoint(tlog.Checkpoint(signer.name, size, self.root(size)), signer)

    def inclusion(self, index, size=None):
        return tlog.inclusion_proof(index, self.size if size is None else size, self.read)

    def consistency(self, old, new=None):
        return tlog.consistency_proof(old, self.size if new is None else new, self.read)


def b64(raw):
    return base64.b64encode(raw).decode("ascii")
