"""Parts of the production stack that tests start themselves, on spare loopback ports, and
stop by PID: a throwaway database of the suite's kind, the app under gunicorn with the
recipe's configuration (deploy/gunicorn.conf.py) and nginx with the recipe's
(deploy/nginx.conf). The machine's own services are never touched."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import dj_database_url
import pytest

PROJECT = Path(__file__).resolve().parents[1]
NGINX = "/usr/sbin/nginx"
MANAGE = [sys.executable, str(PROJECT / "manage.py")]


def spare_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ThrowawayDatabase:
    """A database of the same kind as the suite's: on the PostgreSQL server of DATABASE_URL
    (dropped afterwards), else a SQLite file."""

    def __init__(self, tmp_path, prefix="cms_test"):
        configured = os.environ.get("DATABASE_URL", "").strip()
        self.postgres = None
        if configured.startswith(("postgres://", "postgresql://")):
            self.postgres = dj_database_url.parse(configured)
            self.name = f"{prefix}_{uuid.uuid4().hex[:8]}"
            self.url = configured.rsplit("/", 1)[0] + "/" + self.name
        else:
            self.url = f"sqlite:///{tmp_path / (prefix + '.sqlite3')}"

    def _admin(self, sql):
        import psycopg2

        connection = psycopg2.connect(
            dbname="postgres",
            user=self.postgres["USER"],
            password=self.postgres["PASSWORD"] or None,
            host=self.postgres["HOST"],
            port=self.postgres["PORT"] or 5432,
        )
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(sql)
        connection.close()

    def create(self):
        if self.postgres:
            self._admin(f'CREATE DATABASE "{self.name}"')

    def drop(self):
        if self.postgres:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def manage(env, *arguments):
    """Run a management command the way an operator would; its output on failure."""
    done = subprocess.run(
        [*MANAGE, *arguments], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=600
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(arguments)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def wait_for(url, process, log, seconds=60):
    """Until `url` answers at all (any HTTP status), or fail with the process's log."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer:\n{Path(log).read_text()}") from None
            time.sleep(0.2)


def require_nginx():
    if not os.path.exists(NGINX):
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is not installed: `make browser-deps` installs it.")
        pytest.skip("nginx is not installed (make browser-deps)")


def start_nginx(directory, port, app_ports, static_root, media_root):
    """nginx with deploy/nginx.conf in front of the app servers on `app_ports`."""
    directory = Path(directory)
    (directory / "nginx").mkdir(exist_ok=True)
    config = (PROJECT / "deploy" / "nginx.conf").read_text()
    for placeholder, value in {
        "@LISTEN@": f"127.0.0.1:{port}",
        "@APP_SERVERS@": " ".join(
            f"server 127.0.0.1:{app_port} max_fails=1 fail_timeout=5s;" for app_port in app_ports
        ),
        "@STATIC_ROOT@": str(static_root),
        "@MEDIA_ROOT@": str(media_root),
        "@PID_FILE@": str(directory / "nginx" / "nginx.pid"),
        "@ERROR_LOG@": str(directory / "nginx" / "error.log"),
        "@TEMP@": str(directory / "nginx"),
        "@USER@": "root" if os.geteuid() == 0 else os.environ.get("USER", "nobody"),
    }.items():
        config = config.replace(placeholder, value)
    (directory / "nginx.conf").write_text(config)
    log = directory / "nginx" / "stderr.log"
    process = subprocess.Popen(
        [NGINX, "-c", str(directory / "nginx.conf"), "-p", str(directory / "nginx")]
        + ["-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=open(log, "w"),
    )
    wait_for(f"http://127.0.0.1:{port}/healthz", process, log)
    return process


def start_gunicorn(env, port, log, workers=2):
    """An app server as the recipe runs it: gunicorn with deploy/gunicorn.conf.py."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", str(PROJECT / "deploy/gunicorn.conf.py")],
        cwd=PROJECT,
        env={
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_ACCESS_LOG": "",
        },
        stdout=open(log, "w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: killed with its workers
    )
    wait_for(f"http://127.0.0.1:{port}/healthz", process, log)
    return process


def stop(process, timeout=20):
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)
