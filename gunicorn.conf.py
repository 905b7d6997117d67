"""gunicorn's settings for production; ``gunicorn factcheck.wsgi`` reads this
file from the project folder.

gthread workers run the app in threads; a quiet connection waits in the
worker's poller rather than in a thread. But a client that sends its headers
a byte at a time still holds a thread while it does, so on the open
internet gunicorn sits behind nginx (deploy/nginx/), which reads whole
requests itself, with time limits, before it passes them on: slow clients
then cost nginx a few kilobytes each and gunicorn nothing. Request line,
header count and header size are bounded here too; a request that runs
longer than ``timeout`` restarts its worker.
"""

import os

# Behind nginx on the same machine: loopback only.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
wsgi_app = "factcheck.wsgi:application"
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Idle keep-alive connections are closed after this many seconds.
keepalive = 5
# The app answers long URLs itself (JSON 414 above FACTCHECK_REQUEST_LINE_MAX);
# these are the hard limits beyond which gunicorn refuses in plain text.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# Recycle workers now and then, so that no slow leak grows without end.
max_requests = 2000
max_requests_jitter = 200
control_socket_disable = True
accesslog = "-"
