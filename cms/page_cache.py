"""What anonymous visitors are sent: HTTP validators always, and, with a shared cache
(`REDIS_URL`), the answer itself kept for every app server and purged by what it shows.

Every anonymous GET of a public page, listing, feed, calendar or API answer is stored for
`PAGE_CACHE_SECONDS` under its host, address, query and language. Each stored answer
carries *tags* naming what it shows:

- ``site``: everything (site settings, documents, images, the menu; a page that moved or
  went away may be linked from anywhere);
- ``pages``: every answer that lists, counts or searches pages;
- ``records``: every answer with figures from participation records;
- ``tree:<path>``: a page (in the page tree) and everything under it, whose breadcrumbs
  name it;
- ``search``: every answer to a full-text search, purged again when the search index has
  been updated (a task, which may run after the publication's purge).

A page answers with ``site``, its own and its ancestors' ``tree:`` tags, and what its class
declares in `cache_depends_on` (by default ``pages`` and ``records``: a page type that
forgets to declare is purged too often, never too seldom); anything else carries ``site``,
``pages`` and ``records``. `purge(*tags)` runs when the transaction that changed the data
commits: it takes the next number of a shared sequence and writes it on each tag. A stored
answer is served only while each of its tags carries a number no greater than the sequence
was when its rendering began, so an answer rendered from data older than a purge is never
served after it, on any server. Publishing a page purges its tree tags in every language
(the language switcher) and ``pages``; what a domain's records or snippets change is
declared by the domain with `purge_on_change`. An answer also expires when something shown
changes by itself (a hearing starts): the `extensions.CACHE_EXPIRY` hook.

A stored answer keeps its gzip-compressed body beside it, so that a hit is not compressed
again for every visitor.

Editors and anyone signed in (a session cookie), and a visitor with a message waiting, are
never served from the cache; an answer that sets a cookie or holds a CSRF token is never
stored. With the cache unreachable every request is a miss (`cms.cache_backend`); a purge
that could not reach it is retried before the process serves from the cache again.
"""

import hashlib
import threading
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils import timezone, translation
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date, parse_http_date_safe
from django.utils.text import compress_string

from cms import cdn, extensions

SITE, PAGES, RECORDS, SEARCH = "site", "pages", "records", "search"
# the query parameters of a full-text search (the site's search page, the API's pages)
SEARCH_PARAMETERS = ("q", "search")
EVERYTHING = (SITE, PAGES, RECORDS)
# what a page shows besides itself and its ancestors, unless its class says less
DEFAULT_PAGE_DEPENDENCIES = (PAGES, RECORDS)
# never stored: the admin, documents behind a permission check, the load balancer's probe
EXCLUDED_PREFIXES = ("/admin/", "/documents/", "/healthz", "/static/", "/media/")
# answers larger than this are not worth a cache entry (exports are files, not pages)
MAX_STORED_BYTES = 2 * 1024 * 1024
SEQUENCE_KEY = "pagecache:sequence"
# the HTTP header that says whether the answer came from the cache (benchmarks, tests)
STATUS_HEADER = "X-Page-Cache"

_pending = set()
_pending_lock = threading.Lock()
_dependencies = {}
# the tags of stored answers, by entry key (`_fresh_entry`); forgotten all at once when full
_tags_seen = {}
TAGS_SEEN_LIMIT = 10_000


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def enabled():
    return settings.PAGE_CACHE_SECONDS > 0


def _tag_key(tag):
    return "pagecache:tag:" + tag


def tree_tags(path):
    """The tags of a page at `path` in the tree and of each of its ancestors."""
    return {"tree:" + path[:end] for end in range(4, len(path) + 1, 4)}


def tag_page(request, page):
    """Say what a page's answer shows (the `before_serve_page` hook)."""
    if getattr(request, "_page_cache_started", None) is None:
        return
    request.page_cache_tags = {
        SITE,
        *tree_tags(page.path),
        *getattr(page, "cache_depends_on", DEFAULT_PAGE_DEPENDENCIES),
    }


def purge_on_change(model, *tags, updates_only=False):
    """Purge `tags` whenever an instance of `model` is saved or deleted (a domain's records
    and snippets); `updates_only`: not when one is created (a new upload is shown nowhere
    until a page that links it is published)."""
    _dependencies[model] = (tags, updates_only)


def purge(*tags):
    """Make every stored answer carrying one of `tags` a miss, once the current transaction
    commits (before that, a request could still read the old data and store it anew)."""
    if tags and (enabled() or cdn.enabled()):
        transaction.on_commit(lambda: _purge_now(set(tags)))


def _purge_now(tags):
    cdn.purge(tags)
    if not enabled():
        return
    with _pending_lock:
        tags = tags | _pending
        _pending.clear()
    if not tags:
        return
    cache = _cache()
    _sequence(cache)
    try:
        number = cache.incr(SEQUENCE_KEY)
    except ValueError:  # the sequence vanished in between (evicted, or Redis restarted)
        number = None
    failed = tags
    if number:
        failed = cache.set_many({_tag_key(tag): number for tag in tags}, timeout=None)
    if failed:
        with _pending_lock:
            _pending.update(tags)


def purge_waiting():
    """True while a purge waits for the cache to come back (it could not be reached)."""
    return bool(_pending)


def _flush_pending():
    """True once no purge is waiting for the cache to come back."""
    if _pending:
        _purge_now(set())
    return not _pending


def memoize(name, compute, tags=EVERYTHING):
    """A value derived from public data (the open-data archive's fingerprint), computed once
    for every server and kept until a purge of `tags`, like a stored answer; computed each
    time without the shared cache."""
    cache = _cache() if enabled() and _flush_pending() else None
    if cache is None:
        return compute()
    key = "pagecache:value:" + name
    entry = _fresh_entry(cache, key)
    if entry is not None:
        return entry["value"]
    started = _sequence(cache)
    value = compute()
    if started is not None:
        for tag in tags:
            cache.add(_tag_key(tag), started, timeout=None)
        entry = {"tags": sorted(tags), "started": started, "value": value}
        cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
    return value


def _sequence(cache):
    """The shared sequence's current number. If it was lost (Redis restarted or evicted it),
    it starts again from the clock in milliseconds: higher than any number it gave before,
    unless a thousand purges a second were made since it last started."""
    number = cache.get(SEQUENCE_KEY)
    if number is None:
        cache.add(SEQUENCE_KEY, int(time.time() * 1000), timeout=None)
        number = cache.get(SEQUENCE_KEY)
    return number


def _entry_key(request):
    parts = [request.get_host(), request.get_full_path(), translation.get_language() or ""]
    if request.path.startswith("/api/"):
        parts.append(request.META.get("HTTP_ACCEPT", ""))
    return "pagecache:entry:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _is_public(request):
    return not request.path.startswith(EXCLUDED_PREFIXES)


def _is_anonymous(request):
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _fresh(cache, entry):
    keys = [_tag_key(tag) for tag in entry["tags"]]
    numbers = cache.get_many(keys)
    return len(numbers) == len(keys) and all(n <= entry["started"] for n in numbers.values())


def _fresh_entry(cache, key):
    """The entry stored under `key`, if none of its tags was purged since it was rendered.

    The tags of an address's answer seldom change, so the process remembers them: the next
    hit reads the answer and its tags' numbers in one round trip to Redis, not two (a hit
    took 0.46-0.49 ms in one process instead of 0.52-0.62). The numbers are checked against
    the tags the answer itself carries; when those are not the remembered ones, they are
    read as on a first visit.
    """
    tags = _tags_seen.get(key)
    if tags is None:
        entry = cache.get(key)
        fresh = entry is not None and _fresh(cache, entry)
    else:
        tag_keys = [_tag_key(tag) for tag in tags]
        found = cache.get_many([key, *tag_keys])
        entry = found.get(key)
        if entry is not None and entry["tags"] == tags:
            fresh = all(k in found and found[k] <= entry["started"] for k in tag_keys)
        else:
            fresh = entry is not None and _fresh(cache, entry)
    if entry is None:
        return None
    if len(_tags_seen) >= TAGS_SEEN_LIMIT:
        _tags_seen.clear()
    _tags_seen[key] = entry["tags"]
    return entry if fresh else None


def seconds_until_next_change(limit):
    """At most `limit`, and no later than the next moment something shown changes by itself:
    what the domains say (`extensions.CACHE_EXPIRY`), and midnight, when "today" (a
    campaign's status, this year's figures) moves on."""
    now = timezone.now()
    seconds = limit
    midnight = datetime.combine(timezone.localdate(now) + timedelta(days=1), datetime.min.time())
    moments = [timezone.make_aware(midnight)]
    for moment in moments + extensions.collect(extensions.CACHE_EXPIRY, now):
        if moment is not None:
            seconds = min(seconds, max(1, int((moment - now).total_seconds())))
    return seconds


def _storable(request, response):
    cache_control = response.get("Cache-Control", "")
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in cache_control
        and "no-store" not in cache_control
        and "no-cache" not in cache_control
        and len(response.content) <= MAX_STORED_BYTES
    )


def _add_validators(request, response, seconds=None):
    """ETag and Last-Modified; a Cache-Control that lets a browser keep a page only if it
    asks again (a 304 costs little; API clients may keep an answer API_CACHE_SECONDS), and
    a CDN for `seconds` (only when the page cache purges: without it nothing would tell a
    CDN that a page changed)."""
    if not response.has_header("ETag"):
        set_response_etag(response)
    if not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date()
    patch_cache_control(response, public=True)
    if seconds is not None:
        patch_cache_control(response, s_maxage=max(0, min(settings.CDN_CACHE_SECONDS, seconds)))
    if "max-age" not in response.get("Cache-Control", ""):
        api = request.path.startswith("/api/")
        patch_cache_control(response, max_age=settings.API_CACHE_SECONDS if api else 0)


def _conditional(request, response):
    if request.method in ("GET", "HEAD") and response.status_code == 200:
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
            response=response,
        )
    return response


def _gzipped(response):
    """The answer as GZipMiddleware compresses it, made once when the answer is stored
    rather than on every hit (0.5 ms of a cached listing's 3 in-process); None where the
    middleware leaves an answer as it is. A stored answer is the same for every anonymous
    visitor and holds no secret, so one compression serves them all."""
    if len(response.content) < 200 or response.has_header("Content-Encoding"):
        return None
    compressed = compress_string(response.content, max_random_bytes=GZipMiddleware.max_random_bytes)
    return compressed if len(compressed) < len(response.content) else None


def _with_gzipped_body(request, response, compressed):
    """What GZipMiddleware makes of a stored answer for a client that accepts gzip, from
    the bytes compressed when it was stored (the middleware leaves an encoded answer be)."""
    if compressed is None or not re_accepts_gzip.search(
        request.META.get("HTTP_ACCEPT_ENCODING", "")
    ):
        return response
    patch_vary_headers(response, ("Accept-Encoding",))
    response.content = compressed
    response.headers["Content-Length"] = str(len(compressed))
    etag = response.get("ETag")
    if etag and etag.startswith('"'):
        response.headers["ETag"] = "W/" + etag
    response.headers["Content-Encoding"] = "gzip"
    return response


class PageCacheMiddleware:
    """Serve and store anonymous public answers (runs after the language is chosen)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not _is_public(request):
            return self.get_response(request)
        if not _is_anonymous(request):
            response = self.get_response(request)
            # an editor's page may show the editing bar: never kept by a browser or a CDN
            patch_cache_control(response, private=True, max_age=0)
            return response
        cache = _cache() if enabled() and _flush_pending() else None
        key = _entry_key(request) if cache else None
        if cache:
            entry = _fresh_entry(cache, key)
            if entry is not None:
                response = entry["response"]
                response[STATUS_HEADER] = "hit"
                answer = _conditional(request, response)
                if answer is response:  # not a 304
                    answer = _with_gzipped_body(request, response, entry.get("gzip"))
                return answer
            request._page_cache_started = _sequence(cache)
        response = self.get_response(request)
        if not _storable(request, response):
            return response
        started = getattr(request, "_page_cache_started", None)
        if not cache or started is None:
            _add_validators(request, response)
            return _conditional(request, response)
        seconds = seconds_until_next_change(settings.PAGE_CACHE_SECONDS)
        _add_validators(request, response, seconds)
        tags = getattr(request, "page_cache_tags", None) or set(EVERYTHING)
        if any(request.GET.get(name) for name in SEARCH_PARAMETERS):
            tags = tags | {SEARCH}
        for tag in tags:
            # a tag never purged (or lost) starts at this answer's number: valid for it, and
            # for nothing rendered before
            cache.add(_tag_key(tag), started, timeout=None)
        response[STATUS_HEADER] = "miss"
        entry = {
            "tags": sorted(tags),
            "started": started,
            "response": response,
            "gzip": _gzipped(response),
        }
        cache.set(key, entry, seconds)
        return _conditional(request, response)


# fields Wagtail writes on a page when a draft is saved or a page locked: nothing public
BOOKKEEPING_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "has_unpublished_changes",
        "draft_title",
        "locked",
        "locked_at",
        "locked_by",
    }
)


def _page_published(sender, instance, **kwargs):
    tags = {PAGES} | {"tree:" + page.path for page in instance.get_translations(inclusive=True)}
    if instance.depth <= 3:  # the home page or a section of the menu
        tags.add(SITE)
    purge(*tags)


def _everything(sender, **kwargs):
    purge(SITE)


def _page_unpublished(sender, instance, **kwargs):
    # linked from anywhere; its own address named for a CDN (`cms.cdn`)
    purge(SITE, "tree:" + instance.path)


def _saved(sender, instance, created=False, update_fields=None, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        # code that changes a live page without publishing it (a command, an import)
        if instance.live and not (update_fields and set(update_fields) <= BOOKKEEPING_FIELDS):
            purge(PAGES, "tree:" + instance.path)
        return
    _model_changed(sender, created)


def _deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        purge(SITE)
        return
    _model_changed(sender, created=False)


def _task_finished(sender, task_result, **kwargs):
    """A search-index update done (in the request, or later by a worker): search results
    rendered before it may lack what was just published."""
    if task_result.task.module_path.startswith("modelsearch."):
        purge(SEARCH)


def _model_changed(model, created):
    for registered, (tags, updates_only) in _dependencies.items():
        if issubclass(model, registered) and not (created and updates_only):
            purge(*tags)
            return


def connect():
    """Purge on what changes public answers (from `CmsConfig.ready()`)."""
    from django.db.models.signals import post_delete, post_save
    from django_tasks.signals import task_finished
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import (
        CollectionViewRestriction,
        Locale,
        PageViewRestriction,
        Site,
    )
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    for model in (Site, Locale, PageViewRestriction, CollectionViewRestriction):
        purge_on_change(model, SITE)
    # settings are created with their defaults when first read (by a page, or the admin's
    # settings form before it saves them): only a change shows
    for model in (BaseSiteSetting, BaseGenericSetting):
        purge_on_change(model, SITE, updates_only=True)
    # a replaced or deleted file may be linked from any page
    purge_on_change(get_document_model(), SITE, updates_only=True)
    purge_on_change(get_image_model(), SITE, updates_only=True)

    page_published.connect(_page_published, dispatch_uid="cms.page_cache.published")
    # a page gone, moved or renamed may be linked from anywhere
    page_unpublished.connect(_page_unpublished, dispatch_uid="cms.page_cache.unpublished")
    post_page_move.connect(_everything, dispatch_uid="cms.page_cache.moved")
    page_slug_changed.connect(_everything, dispatch_uid="cms.page_cache.slug")
    post_save.connect(_saved, dispatch_uid="cms.page_cache.saved")
    task_finished.connect(_task_finished, dispatch_uid="cms.page_cache.task_finished")
    post_delete.connect(_deleted, dispatch_uid="cms.page_cache.deleted")
