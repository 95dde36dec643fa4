"""Gunicorn settings for one Skolhubb web node (a process group behind nginx / a Service).

Every value comes from the environment so the same file serves systemd, Kubernetes and
`make prod-like`. Sync workers: Skolhubb's views are short and database-bound, and one
worker per core plus one is what the load test on a 2-core machine settled on
(docs/scaling.md). Threads let a worker overlap a slow client or a database wait.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
worker_class = "gthread" if threads > 1 else "sync"
# A request that takes longer than this is killed (a stuck worker must not hold a slot).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5  # nginx keeps connections to the upstream open (see the nginx site)
# Recycle workers now and then: bounded memory growth, no downtime.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# Django is imported once in the master, workers fork from it (fast start, shared pages).
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = os.environ.get("GUNICORN_ERRORLOG", "-")
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# Django logs to stderr: keep it in the error log when daemonised.
capture_output = True
# The request id and the time taken, for the load test report and slow-request hunting.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
proc_name = os.environ.get("GUNICORN_NAME", "skolhubb-web")
# nginx in front is the only client; it sets X-Forwarded-For/Proto (SKOLHUBB_PROXY_COUNT=1).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_fork(server, worker):
    # The psycopg pool must not be shared across forks: close what the master opened.
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()
