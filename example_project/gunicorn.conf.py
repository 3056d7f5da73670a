"""Gunicorn settings of the example IdP: ``gunicorn -c example_project/gunicorn.conf.py``.

A token request spends most of its time on the CPU (signing, claims, Django), so one worker
process per core serves it best; a few threads per worker overlap the database round trips
and keep idle keep-alive connections from holding a worker, which the sync worker cannot.
Clients (relying parties, resource servers) reuse connections, so keep-alive saves a TCP (and,
behind a TLS-terminating proxy, a proxy-to-app) handshake per request.

Environment: ``GUNICORN_BIND`` (default ``127.0.0.1:8000``), ``GUNICORN_WORKERS`` (default:
one per core), ``GUNICORN_THREADS`` (default 4), ``GUNICORN_KEEPALIVE`` (seconds, default 5).
"""

import multiprocessing
import os

wsgi_app = "example_project.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Idle keep-alive connections wait this long for their next request (gthread keeps them).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# A worker restarted now and then (with jitter) releases memory a long run accumulated.
max_requests = 10_000
max_requests_jitter = 1_000
# Load Django once in the master: workers share its memory pages, and a demo signing key that
# does not exist yet is generated once, not by each worker (Django opens no connection then).
preload_app = True
# Longer than a token request's worst case (the database busy timeout is 20 s).
timeout = 30
graceful_timeout = 30
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
