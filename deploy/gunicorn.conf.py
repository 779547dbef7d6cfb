"""Gunicorn settings for the school (`gunicorn -c deploy/gunicorn.conf.py`).

Every value can be changed through the environment, so that one file serves
`make serve`, the container image and the scale-out test.
"""

import multiprocessing
import os

wsgi_app = "school.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")

# Sync workers: the school's pages are database-bound, and a sync worker holds
# one request at a time, so a slow query never starves its neighbours. Twice
# the cores plus one is gunicorn's own rule of thumb.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))

# Above PostgreSQL's statement_timeout (20 s) and lock_timeout (10 s), so that
# a slow query is cancelled by the database (and answered with the "busy"
# page) before gunicorn kills the worker mid-request.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Behind nginx, which keeps its own keep-alive connections to the upstream.
keepalive = 5
# Recycle workers now and then, so that a slow leak never takes a server down;
# the jitter keeps them from restarting all at once.
max_requests = 2000
max_requests_jitter = 200

# Over-long request lines are refused by nginx first (large_client_header_buffers
# in deploy/nginx/school.conf, with the school's Chinese 414 page). Gunicorn's
# own limit (its largest) sits above nginx's, so that nothing nginx lets
# through meets gunicorn's bare English 414 page.
limit_request_line = 8190

# Only the proxy on this host may say the request came over https.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# One JSON line per request on stdout (school/ops/logging.py keeps codes and
# phone numbers out of it); gunicorn's own messages on stderr.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logger_class = "school.ops.logging.GunicornLogger"

# No gunicornc control socket: it sits at one path per user, and a second
# server on the same machine (the scale-out test, a benchmark) would take it.
control_socket_disable = True
