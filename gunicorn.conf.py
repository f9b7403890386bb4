"""gunicorn's configuration as deployed (gunicorn reads ./gunicorn.conf.py by default; README, Deployment).

The app is loaded once in the master (`preload_app`), and so are the text dictionaries every web worker
needs to read a query (search.text.load_dictionaries, ~100 MB); the workers forked from it then share
those pages copy-on-write instead of each loading its own. `gc.freeze()` moves everything loaded so far
out of the garbage collector's reach, so a collection in a worker does not write to (and so copy) the
shared objects. Nothing here opens a database or engine connection before the fork: Django connects
lazily, per worker.
"""

import gc

preload_app = True


def when_ready(server):
    # Runs in the master after the preloaded app and before the first worker is forked.
    from search.text import load_dictionaries

    load_dictionaries()
    gc.freeze()
