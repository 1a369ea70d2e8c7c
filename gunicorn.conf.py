"""gunicorn settings for parkportal, read by `gunicorn parkportal.wsgi:application` from the
repository root (gunicorn's default config file). Every value can be overridden from the
environment (GUNICORN_*) or the command line; docs/deployment.md explains each choice.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers behind nginx: nginx buffers request and response bodies, so a slow client never
# holds a worker; a CPU-bound Django app gets nothing from threads here. 2 × cores + 1.
workers = _int("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1)
worker_class = "sync"
# A request may parse an uploaded 20 MB spreadsheet for its preview; anything slower is a bug.
timeout = _int("GUNICORN_TIMEOUT", 120)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)  # HUP / TERM: finish what runs
keepalive = 5
# Recycle workers now and then, so a slow leak never grows into an out-of-memory kill.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = 200
# Request limits in front of Django's own (nginx limits the body size).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# Heartbeat files in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# X-Forwarded-* are trusted from the local nginx only.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Logs to stdout/stderr (journald under systemd), with each request's time in microseconds.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(D)sus "%(a)s"'
proc_name = "parkportal"
