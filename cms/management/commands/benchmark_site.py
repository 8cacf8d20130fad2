"""Measure every public page type as production serves it: uncached and cached, against a
static file through the same gunicorn, in one run (`make bench`; figures in BENCHMARKS.md).

Run by hand against a throwaway PostgreSQL database holding the national-scale data
(`manage.py benchmark_indicators --generate`), never a real one. It starts, on spare
loopback ports, two gunicorn servers with the recipe's configuration (two workers each):
one without the page cache, one with it on a Redis of its own, and stops them by PID.

For each address: the HTML size, the SQL queries of one uncached request (Django's test
client in this process), the median time of sequential uncached requests, and the
throughput of `--clients` concurrent clients for `--seconds`, uncached and cached, each
divided by the static file's throughput measured the same way on the same server, in
turns with it (a second of one, a second of the other). On a shared virtual machine the
static file's rate moved by half within one run, even within seconds: a ratio to a baseline
taken minutes earlier measured that drift, not the page. This is a measurement, not a test.
"""

import http.client
import multiprocessing
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from wagtail.models import Page

STATIC = "/static/css/site.css"
# listings and other answers that are not pages of their own type
LISTINGS = [
    "/ky/",
    "/ky/hearings/",
    "/ky/hearings/?page=2",
    "/ky/hearings/feed/",
    "/ky/hearings/calendar/",
    "/ky/coverage/",
    "/ky/indicators/",
    "/ky/campaigns/",
    "/ky/search/?q=%D0%B1%D1%8E%D0%B4%D0%B6%D0%B5%D1%82",  # "бюджет"
    "/api/v2/pages/?limit=20",
    "/api/v2/indicators/",
    "/sitemap.xml",
    "/sitemap-pages.xml",
    "/sitemap-pages.xml?p=10",
    "/open-data/iati-activities.xml",
]


def _port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait(port, process, log):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.2)
    raise CommandError(f"a server did not start:\n{Path(log).read_text()[-2000:]}")


def _client(port, path, seconds, results):
    """One visitor on a kept-alive connection, asking again as soon as answered."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    done = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status}")
        done += 1
    results.put(done)


def throughput(port, path, clients, seconds):
    """Answers per second of `clients` concurrent visitors (each a process of its own)."""
    results = multiprocessing.Queue()
    processes = [
        multiprocessing.Process(target=_client, args=(port, path, seconds, results))
        for _ in range(clients)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    return sum(results.get() for _ in processes) / seconds


def paired_throughput(port, path, clients, seconds, slices=5):
    """(the static file's answers/s, the address's), measured in turns of `seconds / slices`
    each: a drift of the machine's speed during the measurement touches both alike."""
    static = page = 0.0
    for _ in range(slices):
        static += throughput(port, STATIC, clients, seconds / slices)
        page += throughput(port, path, clients, seconds / slices)
    return static / slices, page / slices


def _cache_status(port, path):
    """Ask twice: the second answer says whether it came from the page cache."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(2):
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
    return response.getheader("X-Page-Cache")


def median_ms(port, path, runs):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


class Command(BaseCommand):
    help = "Measures the public pages, uncached and cached, against a static file."

    def add_arguments(self, parser):
        parser.add_argument("--confirm-throwaway-database", action="store_true")
        parser.add_argument("--clients", type=int, default=4)
        parser.add_argument("--seconds", type=float, default=5)
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument("--path", action="append", default=[], help="another address")

    def handle(self, *args, **options):
        if not options["confirm_throwaway_database"]:
            raise CommandError(
                "This starts servers on the configured database: add "
                "--confirm-throwaway-database and point DATABASE_URL at a benchmark database."
            )
        redis_server = shutil.which("redis-server") or "/usr/bin/redis-server"
        if not os.path.exists(redis_server):
            raise CommandError("redis-server is needed (make browser-deps installs it).")
        paths = self.addresses() + options["path"]
        # stopped from outside (timeout, kill): still stop the servers it started
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
        tmp = Path(tempfile.mkdtemp(prefix="cms-bench-"))
        processes = []
        try:
            env = {
                **os.environ,
                "DEBUG": "0",
                "SECRET_KEY": "benchmark-only-key-" + "x" * 40,
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "SECURE_SSL_REDIRECT": "0",
                "SECURE_HSTS_SECONDS": "0",
                "STATIC_ROOT": str(tmp / "static"),
                "LOG_LEVEL": "ERROR",
                "GUNICORN_ACCESS_LOG": "",
            }
            env.pop("REDIS_URL", None)
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
                cwd=settings.BASE_DIR,
                env=env,
                check=True,
            )
            redis_port = _port()
            processes.append(
                subprocess.Popen(
                    [redis_server, "--port", str(redis_port), "--bind", "127.0.0.1"]
                    + ["--save", "", "--appendonly", "no", "--dir", str(tmp)],
                    stdout=subprocess.DEVNULL,
                )
            )
            servers = {}
            for name, extra in {
                "uncached": {"PAGE_CACHE_SECONDS": "0", "TASK_QUEUE": "inline"},
                "cached": {"REDIS_URL": f"redis://127.0.0.1:{redis_port}/0"},
            }.items():
                port = _port()
                log = tmp / f"{name}.log"
                process = subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"],
                    cwd=settings.BASE_DIR,
                    env={
                        **env,
                        **extra,
                        "GUNICORN_BIND": f"127.0.0.1:{port}",
                        "WEB_CONCURRENCY": "2",
                    },
                    stdout=open(log, "w"),
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
                processes.append(process)
                _wait(port, process, log)
                servers[name] = port
            self.measure(paths, servers, options)
        finally:
            for process in processes:
                if process.poll() is None:
                    if process.args[0] == redis_server:
                        process.terminate()
                    else:  # gunicorn: the master and its workers
                        os.killpg(process.pid, signal.SIGTERM)
                    process.wait(timeout=30)
            shutil.rmtree(tmp, ignore_errors=True)

    def addresses(self):
        """One live page of each page type, and the listings."""
        paths = []
        for content_type in ContentType.objects.filter(
            pk__in=Page.objects.live().values("content_type").distinct()
        ):
            page = (
                Page.objects.live()
                .filter(content_type=content_type, locale__language_code="ky", depth__gt=1)
                .order_by("-path")
                .first()
            )
            if page is not None and page.url:
                paths.append(page.url)
        return sorted(set(paths) - set(LISTINGS)) + LISTINGS

    def measure(self, paths, servers, options):
        clients, seconds = options["clients"], options["seconds"]
        for port in servers.values():  # every worker has loaded everything once
            throughput(port, STATIC, clients, 1)
            throughput(port, "/ky/", clients, 1)
        self.stdout.write(
            f"{clients} clients, {seconds:g} s per address and server in turns with as long "
            "of the static file, whose answers/s (uncached server / cached server) are shown\n"
        )
        self.stdout.write(
            "| address | KB | queries | median ms uncached | static/s | uncached ÷ static "
            "| cached ÷ static |\n|---|---|---|---|---|---|---|"
        )
        client = Client(HTTP_HOST="127.0.0.1")
        baselines = {name: [] for name in servers}
        for path in paths:
            with override_settings(PAGE_CACHE_SECONDS=0), CaptureQueriesContext(connection) as q:
                response = client.get(path)
            if response.status_code != 200:
                self.stdout.write(f"| `{path}` | {response.status_code} | | | | |")
                continue
            size = len(response.content) / 1024
            median = median_ms(servers["uncached"], path, options["runs"])
            static_uncached, uncached = paired_throughput(
                servers["uncached"], path, clients, seconds
            )
            if _cache_status(servers["cached"], path) != "hit":
                self.stderr.write(f"{path} is not served from the cache")
            static_cached, cached = paired_throughput(servers["cached"], path, clients, seconds)
            baselines["uncached"].append(static_uncached)
            baselines["cached"].append(static_cached)
            self.stdout.write(
                f"| `{path}` | {size:.0f} | {len(q)} | {median:.0f} "
                f"| {static_uncached:.0f} / {static_cached:.0f} "
                f"| {uncached / static_uncached:.3f} | {cached / static_cached:.3f} |"
            )
        for name, rates in baselines.items():
            if rates:
                self.stdout.write(
                    f"static file on the {name} server: {min(rates):.0f}–{max(rates):.0f} "
                    f"answers/s, median {statistics.median(rates):.0f}"
                )
