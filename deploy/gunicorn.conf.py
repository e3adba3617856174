"""gunicorn configuration of parindex (``gunicorn -c deploy/gunicorn.conf.py``), used by
deploy/parindex-web.service and by the web benchmark (bench/web.py), so both run the same.

Sized for the province's server, 2 cores: 4 sync workers (one request at a time each, 2 per
core). The autosave and the table page are CPU-bound in Python (Django's ORM and templates):
threads in one process only take turns on its interpreter lock, and the kernel hands the
waiting connections to idle processes first come, first served. Measured in bench/RESULTS.md
("## Web", 20 clients without think time): against gthread 2 × 4 and 3 × 2 the same CPU per
request, but autosave p95 140–165 ms instead of 170–290 ms and table page p95 240–275 ms instead
of 300–470 ms; 3 sync workers did as well, 6 worse. nginx buffers uploads and slow clients
(and opens one upstream connection per request), so a sync worker is never held by a slow
network. On a bigger server set GUNICORN_WORKERS to twice the cores; GUNICORN_THREADS > 1
switches to gthread workers.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "sync" if threads == 1 else "gthread"
timeout = 120  # a report export may take a while
graceful_timeout = 30
keepalive = 5  # gthread only (sync workers close each connection after the response)
# No gunicorn access log: the app logs one line per request itself (logger parindex.request:
# request id, user, status, duration; JSON with LOG_FORMAT=json), without the query string
# that gunicorn's line would carry (an invitation link's token, a ?next=…).
accesslog = None
# The proxy whose X-Forwarded-Proto gunicorn believes: nginx on this host, or the nginx host's
# address when several app servers sit behind one (deploy/nginx-parindex-cluster.conf).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")


# Metrics of several workers (METRICS=true, PROMETHEUS_MULTIPROC_DIR set: parindex/ops/metrics.py):
# the directory emptied when gunicorn starts, a dead worker's live gauges dropped.
def on_starting(server):
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if path:
        os.makedirs(path, exist_ok=True)
        for name in os.listdir(path):
            if name.endswith(".db"):
                os.unlink(os.path.join(path, name))


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
