"""The production recipe with two app servers: gunicorn twice (deploy/gunicorn.conf.py)
behind nginx (deploy/nginx.conf), a database of the suite's kind (PostgreSQL in CI) and a
Redis of the test's own for the shared page cache.

A page published through one server is seen at once through the other and through the
proxy (the page, the listing, the API, the feed); with load running, Redis stopped and
started again and one app server killed cost no 5xx answer.
"""

import http.client
import json
import os
import re
import signal
import threading
import time
import urllib.error
import urllib.request

import pytest
import requests

from tests.redis_server import RedisServer, require_redis_server
from tests.stack import (
    ThrowawayDatabase,
    manage,
    require_nginx,
    spare_port,
    start_gunicorn,
    start_nginx,
    stop,
)

PASSWORD = "two-servers-admin-password"

CONTENT = """
import json
from wagtail.models import Locale
from cms.bilingual import one_language_allowed
from tests import factories
from tests.conftest import municipality
ky = factories.hearing(municipality("ak-korgon"), days=10, title="Stack hearing", slug="stack")
ru = ky.copy_for_translation(Locale.objects.get(language_code="ru"))
ru.title = "Слушания стека"
with one_language_allowed(None, "test data"):
    ru.save_revision().publish()
print(json.dumps({"id": ky.pk, "path": ky.url.rstrip("/")}))
"""

RETITLE = """
from municipalities.models import HearingPage
page = HearingPage.objects.get(pk={id})
page.title = {title!r}
page.save_revision()
"""


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    require_nginx()
    require_redis_server()
    tmp = tmp_path_factory.mktemp("two-servers")
    database = ThrowawayDatabase(tmp, prefix="cms_stack")
    database.create()
    redis = RedisServer(tmp).start()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "two-servers-test-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": database.url,
        "REDIS_URL": redis.url,
        "MEDIA_ROOT": str(tmp / "media"),
        "STATIC_ROOT": str(tmp / "static"),
        "DOCUMENTS_SENDFILE": "nginx",
        "TRUSTED_PROXY_COUNT": "1",
        "ADMIN_PASSWORD": PASSWORD,
        "LOG_LEVEL": "ERROR",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    servers, proxy = [], None
    try:
        manage(env, "migrate", "--no-input")
        manage(env, "collectstatic", "--no-input")
        manage(env, "load_pilot_municipalities")
        manage(env, "ensure_admin")
        content = json.loads(manage(env, "shell", "-c", CONTENT).strip().splitlines()[-1])
        ports = [spare_port(), spare_port()]
        for number, port in enumerate(ports):
            servers.append(start_gunicorn(env, port, tmp / f"app{number}.log"))
        proxy_port = spare_port()
        proxy = start_nginx(tmp, proxy_port, ports, tmp / "static", tmp / "media")
        yield {
            "env": env,
            "redis": redis,
            "servers": servers,
            "apps": [f"http://127.0.0.1:{port}" for port in ports],
            "proxy": f"http://127.0.0.1:{proxy_port}",
            **content,
        }
    finally:
        stop(proxy)
        for server in servers:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)  # the master and its workers
            stop(server)
        redis.stop()
        database.drop()


def get(url):
    """Status, headers and text of a GET, as a visitor without cookies sends it."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def addresses(stack):
    hearing = stack["path"]
    return [
        hearing + "/",
        "/ky/hearings/",
        "/api/v2/pages/?type=municipalities.HearingPage&fields=title&limit=100",
        f"/api/v2/pages/{stack['id']}/",
        "/ky/hearings/feed/",
    ]


def publish_through(app, page_id):
    """An administrator signs in to one app server and publishes the page's latest draft
    there (the admin's bulk Publish action)."""
    session = requests.Session()
    session.get(app + "/admin/login/", timeout=10)
    signed_in = session.post(
        app + "/admin/login/",
        data={
            "username": "admin",
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": app + "/admin/login/"},
        timeout=10,
    )
    assert signed_in.url.endswith("/admin/"), signed_in.text[:500]
    action = f"{app}/admin/bulk/wagtailcore/page/publish/?id={page_id}&next=/admin/"
    session.get(action, timeout=10)
    published = session.post(
        action,
        data={"csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": action},
        allow_redirects=False,
        timeout=30,
    )
    assert published.status_code == 302, published.text[:500]


def test_a_page_published_through_one_server_is_seen_through_the_other_at_once(stack):
    first, second = stack["apps"]
    visible = [second, stack["proxy"]]
    for base in visible:
        for address in addresses(stack):
            get(base + address)
            status, headers, body = get(base + address)
            assert status == 200, address
            assert headers["X-Page-Cache"] == "hit", address
            assert "Stack hearing" in body, address
    manage(stack["env"], "shell", "-c", RETITLE.format(id=stack["id"], title="Stack hearing moved"))
    publish_through(first, stack["id"])
    published = time.monotonic()
    for base in visible:
        for address in addresses(stack):
            while True:
                status, headers, body = get(base + address)
                if "Stack hearing moved" in body:
                    break
                assert time.monotonic() - published < 1, f"{base}{address} still stale"
                time.sleep(0.05)
            assert status == 200
    # and served from the cache again afterwards
    assert get(second + addresses(stack)[1])[1]["X-Page-Cache"] == "hit"


class Load:
    """Visitors reading public pages through the proxy, without pause, from two threads."""

    def __init__(self, stack):
        self.urls = [stack["proxy"] + address for address in addresses(stack)]
        self.statuses = []
        self.cache = []
        # answers cut short: a server killed while it was sending one (nothing can resend it)
        self.cut = []
        self.running = True
        self.threads = [threading.Thread(target=self.visit, daemon=True) for _ in range(2)]

    def visit(self):
        index = 0
        while self.running:
            try:
                status, headers, _body = get(self.urls[index % len(self.urls)])
            except (http.client.IncompleteRead, ConnectionError, urllib.error.URLError) as error:
                self.cut.append(repr(error))
                index += 1
                continue
            self.statuses.append(status)
            self.cache.append(headers.get("X-Page-Cache"))
            index += 1

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        for thread in self.threads:
            thread.join(timeout=15)

    def errors(self):
        return [status for status in self.statuses if status >= 500]


def test_redis_stopped_and_started_under_load_costs_no_server_error(stack):
    with Load(stack) as load:
        time.sleep(1)
        stack["redis"].stop()
        time.sleep(2)
        during = len(load.statuses)
        stack["redis"].start()  # same port, empty: the cache fills again
        time.sleep(7)  # the servers try Redis again after cms.cache_backend.RETRY_SECONDS
    assert load.statuses and not load.errors() and not load.cut
    assert len(load.statuses) > during  # served while Redis was away
    assert "hit" in load.cache[during:]  # and from the cache again once it was back


def test_an_app_server_killed_under_load_costs_no_server_error(stack):
    with Load(stack) as load:
        time.sleep(1)
        victim = stack["servers"][0]
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait(timeout=10)
        before = len(load.statuses)
        time.sleep(3)
    assert load.statuses and not load.errors(), sorted(set(load.statuses))
    # at most the answers the killed server was sending at that moment, one per visitor
    assert len(load.cut) <= len(load.threads), load.cut
    assert len(load.statuses) > before
    # the other server alone answers every request now
    status, _headers, body = get(stack["proxy"] + addresses(stack)[1])
    assert status == 200 and re.search("Stack hearing", body)
