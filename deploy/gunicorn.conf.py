"""gunicorn's configuration for an app server of the production recipe (docs/deployment.md).

    gunicorn --config deploy/gunicorn.conf.py

Every value can be changed by an environment variable, so that the same file serves a
2-core virtual machine and a larger one. `kill -HUP <master pid>` (systemctl reload
cms-web) starts new workers with new code and lets the old ones finish their requests.
"""

import multiprocessing
import os

wsgi_app = "cms.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# synchronous workers, two per core and one more: the pages wait on the database, not the CPU
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# a request that takes longer is killed (and logged); the proxy answers 502 for it
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# on reload or stop, how long running requests may take to finish
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# a worker is replaced after this many requests (with jitter): memory does not creep. A new
# worker costs about 2 s of CPU to load Django, Wagtail and the apps, and its first requests
# fill its caches: at 2,000, under `make bench` the two servers booted 145 workers in 8
# minutes (workers serving cached pages were replaced every few seconds), some 30 % of the
# CPU of a 2-core machine
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10
# nginx in front sets X-Forwarded-Proto and X-Forwarded-For; trust them only from it
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# each worker loads the app itself, so that a reload (HUP) picks up new code
preload_app = False
