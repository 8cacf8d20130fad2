"""An unreachable Redis is an empty cache that keeps nothing, never an error page
(cms/cache_backend.py): each operation's answer, the pause before trying again, and a
citizen's subscription request (rate-limited in the cache) while Redis is down."""

import time

import pytest

from cms import cache_backend
from cms.cache_backend import ResilientRedisCache
from tests.redis_server import RedisServer, require_redis_server
from tests.stack import spare_port


def unreachable():
    """A Redis cache on a loopback port where nothing listens."""
    return ResilientRedisCache(f"redis://127.0.0.1:{spare_port()}/0", {})


def test_every_operation_answers_as_an_empty_cache_and_the_outage_is_logged_once(caplog):
    cache = unreachable()
    assert cache.get("key", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set("key", 1) is None
    assert cache.add("key", 1) is False
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]  # neither was stored
    with pytest.raises(ValueError):
        cache.incr("key")  # as for a key that is not there
    assert cache.delete("key") is False
    assert cache.has_key("key") is False
    assert caplog.text.count("Cache unreachable") == 1


def test_after_a_failure_it_waits_before_trying_again(monkeypatch):
    monkeypatch.setattr(cache_backend, "RETRY_SECONDS", 0.2)
    cache = unreachable()
    cache.get("key")
    assert not cache.available  # the next requests do not wait for a connection timeout
    started = time.monotonic()
    for _ in range(100):
        cache.get("key")
    assert time.monotonic() - started < 0.5
    time.sleep(0.25)
    assert cache.available  # and it tries again by itself


def test_operations_share_one_redis_client_which_outlives_a_restart(tmp_path, monkeypatch):
    """Django made a redis-py client for every operation (four for a page served from the
    cache); one is made per connection pool, and it reconnects by itself."""
    require_redis_server()
    monkeypatch.setattr(cache_backend, "RETRY_SECONDS", 0.1)
    server = RedisServer(tmp_path).start()
    try:
        cache = ResilientRedisCache(server.url, {})
        made = []
        make = cache._cache._client
        cache._cache._client = lambda **options: made.append(options) or make(**options)
        for number in range(20):
            cache.set(f"key{number}", number)
            assert cache.get(f"key{number}") == number
        assert cache.add("key1", "other") is False
        assert cache.get_many(["key1", "key2", "absent"]) == {"key1": 1, "key2": 2}
        assert len(made) == 1
        server.stop()
        assert cache.get("key1", "default") == "default"  # down: a miss, not an error
        server.start()  # the same port, nothing kept
        time.sleep(0.15)
        assert cache.get("key1") is None
        cache.set("after", "restart")
        assert cache.get("after") == "restart"
        assert len(made) == 1
    finally:
        server.stop()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ky", "ru"])
def test_a_subscription_request_while_redis_is_down_is_answered(client, settings, language):
    settings.CACHES = {
        "default": {
            "BACKEND": "cms.cache_backend.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{spare_port()}/0",
        }
    }
    response = client.post(
        f"/{language}/subscribe/",
        {"email": "citizen@example.kg", "municipality": "barpy", "language": language},
    )
    assert response.status_code == 200
