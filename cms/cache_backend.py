"""Django's Redis cache, for which an unreachable Redis is a cache miss, not an error page.

A cache only makes the site faster; with Redis stopped, restarting or cut off, every request
would otherwise fail inside Django's RedisCache. Here each operation that cannot reach Redis
logs once and answers as an empty cache would (a miss, nothing stored, no key to
increment); for
`RETRY_SECONDS` after a failure the process does not even try, so requests are not each
held up by a connection timeout, then it tries again by itself. `set_many` reports every
key as not stored, which is how the page cache knows that a purge did not reach Redis
(`cms.page_cache`).
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0


class OneClientPerPool(RedisCacheClient):
    """Django's Redis client made a redis-py client for every operation, and redis-py fills
    a table of some eighty reply handlers for each: about 0.1 ms, four times for a page
    served from the cache. A redis-py client is safe to share between threads and only
    borrows connections from its pool, so one per pool is kept."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)  # kept by Django for the process's life
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        # a cache that answers slowly is worse than none: give up quickly
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, params)
        self._class = OneClientPerPool
        self._down_until = 0.0
        self._lock = threading.Lock()

    @property
    def available(self):
        return time.monotonic() >= self._down_until

    def _failed(self, operation, error):
        with self._lock:
            first = self.available
            self._down_until = time.monotonic() + RETRY_SECONDS
        if first:
            logger.warning(
                "Cache unreachable (%s: %s); serving without it, retrying in %.0f s.",
                operation,
                error,
                RETRY_SECONDS,
            )


def _absent(args, kwargs):
    raise ValueError("Cache unreachable: no such key.")  # what incr says of a missing key


def _default(args, kwargs):
    return args[1] if len(args) > 1 else kwargs.get("default")


# what each operation answers when Redis cannot be reached: what an empty cache would
_FALLBACKS = {
    "get": _default,
    "get_many": lambda args, kwargs: {},
    "has_key": lambda args, kwargs: False,
    "set": lambda args, kwargs: None,
    "add": lambda args, kwargs: False,
    "touch": lambda args, kwargs: False,
    "set_many": lambda args, kwargs: list(args[0] if args else kwargs["data"]),
    "incr": _absent,
    "delete": lambda args, kwargs: False,
    "delete_many": lambda args, kwargs: None,
    "clear": lambda args, kwargs: False,
}


def _guarded(name, fallback):
    operation = getattr(RedisCache, name)

    def guarded(self, *args, **kwargs):
        if not self.available:
            return fallback(args, kwargs)
        try:
            return operation(self, *args, **kwargs)
        except (RedisError, OSError) as error:
            self._failed(name, error)
            return fallback(args, kwargs)

    guarded.__name__ = name
    return guarded


for _name, _fallback in _FALLBACKS.items():
    setattr(ResilientRedisCache, _name, _guarded(_name, _fallback))
