"""While the database is unreachable, people get a translated 503 page, API clients a JSON
503, load balancers a 503 from /healthz; all with Retry-After (an unreachable cache is only
reported). When it is
back, the next request is served as usual, without a restart."""

import pytest
from django.db import OperationalError, connections
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def _refused(*args, **kwargs):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")


@pytest.fixture
def database_down(monkeypatch):
    monkeypatch.setattr(connections["default"], "cursor", _refused)


def _client():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    ("url", "text"),
    [("/ky/", "Сайт азыр жеткиликсиз"), ("/ru/", "Сайт временно недоступен")],
)
def test_people_get_a_translated_503_page_and_the_site_recovers(url, text):
    client = _client()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(connections["default"], "cursor", _refused)
        response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("text/html")
    assert text in response.content.decode()
    assert client.get(url).status_code == 200  # back without a restart


def test_api_clients_get_a_json_503(database_down):
    response = _client().get("/api/v2/municipalities/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "30"
    assert response.json()["message"]


@override_settings(SECURE_SSL_REDIRECT=True)
def test_healthz_answers_plain_http_and_says_when_the_database_is_down(monkeypatch):
    client = _client()
    healthy = client.get("/healthz")
    assert (healthy.status_code, healthy.content) == (200, b"ok")
    assert "no-cache" in healthy["Cache-Control"] or "max-age=0" in healthy["Cache-Control"]
    monkeypatch.setattr(connections["default"], "cursor", _refused)
    down = client.get("/healthz")
    assert down.status_code == 503
    assert down["Retry-After"] == "30"
    assert b"database unreachable" in down.content


def test_healthz_says_when_the_cache_is_down_but_keeps_the_server_in(monkeypatch):
    from django.core.cache import cache

    def refused(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(cache, "set", refused)
    response = _client().get("/healthz")
    # pages are served without the cache: a load balancer must not take every server out
    assert response.status_code == 200
    assert b"cache unreachable" in response.content
