"""A CDN in front of the site (cms/cdn.py) is told to drop what a publication or a record
changes: PURGE requests reach a purging proxy of the test's own on a loopback port, and a
proxy that refuses or hangs never stops an editor's publication."""

import logging
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cms import cdn
from tests import factories
from tests.conftest import municipality
from tests.public_pages import HEARING

pytestmark = pytest.mark.django_db


class PurgingProxy(ThreadingHTTPServer):
    """Answers PURGE requests as Varnish does, and remembers the addresses asked for."""

    daemon_threads = True

    def __init__(self):
        self.purged = []

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(handler):  # noqa: N802 (the HTTP method's name)
                self.purged.append(handler.path)
                handler.send_response(200)
                handler.end_headers()

            def log_message(handler, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)


@pytest.fixture
def proxy(settings):
    server = PurgingProxy()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "cms.cdn.PurgingProxyBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
        }
    }
    yield server
    server.shutdown()
    server.server_close()


def test_publishing_a_hearing_purges_it_its_views_and_the_pages_that_list_it(
    proxy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        factories.hearing(municipality("ak-korgon"), days=3, slug="cdn-hearing")
    purged = set(proxy.purged)
    notice = "/ky/jalal-abad/ak-korgon/cdn-hearing/"
    assert {notice, notice + "calendar/", notice + "print/"} <= purged
    # its ancestors name it in listings and breadcrumbs
    assert {"/ky/jalal-abad/ak-korgon/", "/ky/jalal-abad/", "/ky/"} <= purged
    # the sections that list pages, with their feeds and calendars, in every language
    for language in ("ky", "ru"):
        assert {
            f"/{language}/hearings/",
            f"/{language}/hearings/feed/",
            f"/{language}/hearings/calendar/",
            f"/{language}/campaigns/",
        } <= purged
    # a page that shows nothing of it is left alone
    assert HEARING.format(lang="ky") not in purged


def test_unpublishing_a_page_purges_its_own_address(proxy, django_capture_on_commit_callbacks):
    page = municipality("ak-korgon").get_children().live().get(slug="budget-2026")
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert "/ky/jalal-abad/ak-korgon/budget-2026/" in proxy.purged
    assert "/ru/indicators/" in proxy.purged


def test_a_new_record_purges_the_figures_but_not_the_notices(
    proxy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        factories.record(municipality("ak-korgon"), women=12, men=9, days_ago=2)
    assert {"/ky/indicators/", "/ru/indicators/", "/ky/coverage/", "/ru/coverage/"} <= set(
        proxy.purged
    )
    assert HEARING.format(lang="ky") not in proxy.purged


def test_without_a_cdn_nothing_is_sent(settings, django_capture_on_commit_callbacks):
    settings.WAGTAILFRONTENDCACHE = {}
    assert not cdn.enabled()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        factories.record(municipality("ak-korgon"), women=1, men=1, days_ago=2)
    assert callbacks == []  # no page cache, no CDN: no purge is even scheduled


@pytest.fixture
def silent_proxy(settings, monkeypatch):
    """A proxy that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    monkeypatch.setattr(cdn, "PURGE_TIMEOUT", 0.3)
    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "cms.cdn.PurgingProxyBackend",
            "LOCATION": f"http://127.0.0.1:{listener.getsockname()[1]}",
        }
    }
    yield
    listener.close()


def test_a_proxy_that_hangs_or_refuses_does_not_stop_a_publication(
    silent_proxy, settings, caplog, django_capture_on_commit_callbacks
):
    with caplog.at_level(logging.ERROR, logger="cms.cdn"):
        with django_capture_on_commit_callbacks(execute=True):
            factories.hearing(municipality("ak-korgon"), days=5, slug="hanging-proxy")
    assert "did not purge" in caplog.text
    # each batch is given up at its first unanswered address, not waited for one by one:
    # only the first address of the (sorted) batches is ever tried
    assert len(set(re.findall(r"did not purge (\S+):", caplog.text))) == 1
    # a closed port
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    settings.WAGTAILFRONTENDCACHE["proxy"]["LOCATION"] = f"http://127.0.0.1:{port}"
    with django_capture_on_commit_callbacks(execute=True):
        factories.hearing(municipality("ak-korgon"), days=6, slug="closed-proxy")
    page = municipality("ak-korgon").get_children().get(slug="closed-proxy")
    assert page.live
