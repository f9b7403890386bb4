"""gunicorn hooks for `make bench` (bench/common.py starts gunicorn with `--config` this file), on top of
the deployed configuration (gunicorn.conf.py).

- Each worker marks itself ready once it has loaded the application, so the bench knows when a
  restart is over and the next request is a worker's first ("cold"), not one spent importing.
- With BENCH_MODULES_LOG set, each worker writes at exit which of the text dictionaries' libraries it
  has loaded (pypinyin, rjieba, OpenCC).
- With BENCH_QUERY_LOG set, each request's SQL query count is appended there, counted inside the
  worker that served it: the count a real server makes, cold or warm.
"""

import os
import runpy
from pathlib import Path

# The configuration as deployed (the app and the text dictionaries loaded once in the master), so the
# bench measures what production runs; gunicorn reads only one config file, so the bench's names it.
_DEPLOYED = runpy.run_path(str(Path(__file__).resolve().parents[1] / "gunicorn.conf.py"))
preload_app = _DEPLOYED["preload_app"]
when_ready = _DEPLOYED["when_ready"]

_counter = []


def post_worker_init(worker):
    ready = os.environ.get("BENCH_READY_DIR")
    if ready:
        Path(ready, str(worker.pid)).touch()


def _count(execute, sql, params, many, context):
    _counter[-1] += 1
    return execute(sql, params, many, context)


def pre_request(worker, req):
    if os.environ.get("BENCH_QUERY_LOG"):
        from django.db import connection

        _counter.append(0)
        connection.execute_wrappers.append(_count)


def post_request(worker, req, environ, resp):
    log = os.environ.get("BENCH_QUERY_LOG")
    if log and _counter:
        from django.db import connection

        if _count in connection.execute_wrappers:
            connection.execute_wrappers.remove(_count)
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{worker.pid}\t{req.path}?{req.query}\t{_counter.pop()}\n")


DICTIONARIES = ("pypinyin", "rjieba", "opencc")


def worker_exit(server, worker):
    log = os.environ.get("BENCH_MODULES_LOG")
    if log:
        import sys

        loaded = [name for name in DICTIONARIES if name in sys.modules]
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{worker.pid}\t{','.join(loaded)}\n")
