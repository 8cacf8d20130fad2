"""The production recipe's reverse proxy (deploy/nginx.conf) in front of the app: documents
leave only through the app's permission check and are sent by nginx (X-Accel-Redirect);
uploaded documents and signed sheets have no public address; image renditions are served.

Starts its own nginx on a spare loopback port, in front of `manage.py runserver` on a
database of its own, and stops both by PID. Debian's nginx is installed by `make
browser-deps`; without it the test skips on a developer's machine and fails in CI.
"""

import json
import os
import subprocess
import urllib.error
import urllib.request

import pytest

from tests.stack import (
    MANAGE,
    PROJECT,
    manage,
    require_nginx,
    spare_port,
    start_nginx,
    stop,
    wait_for,
)

CONTENT = """
import json
from django.core.files.base import ContentFile
from django.utils import timezone
from cms.models import SiteDocument
from municipalities.models import CouncilResolution, MunicipalityPage
from tests import factories
ton = MunicipalityPage.objects.get(slug="ton", locale__language_code="ky")
public = factories.document("Токтом", "public-resolution.pdf")
CouncilResolution.objects.create(municipality=ton, number="1", title="Токтом",
    title_ru="Постановление", kind="budget", adopted_on=timezone.localdate(), document=public)
draft = factories.document("Долбоор", "draft-notes.pdf")
sheet = factories.record(ton).evidence
image = factories.image("Сүрөт")
rendition = image.get_rendition("width-10")
print(json.dumps({
    "public": [public.url, public.file.name],
    "draft": [draft.url, draft.file.name],
    "sheet": [sheet.url, sheet.file.name],
    "rendition": rendition.url,
}))
"""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _get(url):
    """Status, headers and body, redirects not followed (a login redirect is an answer)."""
    try:
        with _opener.open(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    require_nginx()
    tmp = tmp_path_factory.mktemp("proxy")
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp / 'site.sqlite3'}",
        "MEDIA_ROOT": str(tmp / "media"),
        "DOCUMENTS_SENDFILE": "nginx",
        "TRUSTED_PROXY_COUNT": "1",
        "PYTHONPATH": str(PROJECT),
    }
    manage(env, "migrate", "--no-input")
    manage(env, "load_pilot_municipalities")
    content = json.loads(manage(env, "shell", "-c", CONTENT).strip().splitlines()[-1])
    app_port, proxy_port = spare_port(), spare_port()
    app_log = tmp / "app.log"
    app = subprocess.Popen(
        [*MANAGE, "runserver", "--noreload", f"127.0.0.1:{app_port}"],
        cwd=PROJECT,
        env=env,
        stdout=open(app_log, "w"),
        stderr=subprocess.STDOUT,
    )
    nginx = None
    try:
        wait_for(f"http://127.0.0.1:{app_port}/healthz", app, app_log)
        nginx = start_nginx(tmp, proxy_port, [app_port], tmp / "static", tmp / "media")
        yield {
            "proxy": f"http://127.0.0.1:{proxy_port}",
            "app": f"http://127.0.0.1:{app_port}",
            "media": tmp / "media",
            **content,
        }
    finally:
        stop(nginx)
        stop(app)


def test_a_public_document_is_sent_by_nginx_after_the_apps_check(proxy):
    url, name = proxy["public"]
    status, headers, body = _get(proxy["proxy"] + url)
    assert status == 200
    assert body == (proxy["media"] / name).read_bytes()
    assert "X-Accel-Redirect" not in headers  # nginx consumed it and sent the file
    # asked directly, the app answers only with the header for nginx, not the file
    request = urllib.request.Request(proxy["app"] + url, method="HEAD")
    with _opener.open(request, timeout=10) as response:
        assert response.headers["X-Accel-Redirect"] == "/protected-media/" + name


@pytest.mark.parametrize("kind", ["draft", "sheet"])
def test_drafts_documents_and_signed_sheets_are_not_reachable(proxy, kind):
    url, name = proxy[kind]
    assert _get(proxy["proxy"] + url)[0] in (302, 404)  # not found, or a login first
    for address in ("/media/" + name, "/protected-media/" + name):
        assert _get(proxy["proxy"] + address)[0] == 404


def test_image_renditions_are_served(proxy):
    status, headers, _body = _get(proxy["proxy"] + proxy["rendition"])
    assert status == 200
    assert headers["Content-Type"].startswith("image/")
