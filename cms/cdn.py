"""Telling a CDN in front of the site to drop its copies when the page cache purges.

A CDN may keep a public answer for `CDN_CACHE_SECONDS` (the ``s-maxage`` the page cache
sends). When one is configured (`CDN_PURGE_URL` for a purging proxy such as Varnish or
nginx, or `CLOUDFLARE_ZONE_ID` with `CLOUDFLARE_API_TOKEN`), each purge of the page cache
also asks it, through Wagtail's frontend-cache backends and as a background task (retried
by the queue), to drop the addresses that show what changed:

- ``tree:<path>`` (a page published or changed): the page, its ancestors (whose listings
  and breadcrumbs name it) and the views under each (calendar, feed, print);
- ``pages``, ``records``, ``site``: each section of the site (home page children: the
  listings, indicators, coverage, campaigns, open data) and home page, in every language.

A CDN purges by address, so what is asked for by query (a search, a filtered listing, an
API list) and a municipality's own page after a record changed are not named: those
copies expire by themselves within `CDN_CACHE_SECONDS`.
"""

import logging
from urllib.error import HTTPError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import Request, urlopen

from django.conf import settings
from django.db.models import Q
from wagtail.contrib.frontend_cache.backends import HTTPBackend

logger = logging.getLogger(__name__)
# seconds a purging proxy may take to answer before the purge is given up (and logged)
PURGE_TIMEOUT = 5

# a page's views reachable without parameters, asked for besides the page (see `_paths`)
SECTION_DEPTH = 3  # the home page is at depth 2 (under the root), its sections at 3


def enabled():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def purge(tags):
    """Ask the CDN to drop the addresses showing `tags` (called after commit)."""
    if not enabled():
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
    from wagtail.models import Page

    paths = {tag.split(":", 1)[1] for tag in tags if tag.startswith("tree:")}
    condition = Q()
    if paths:
        # the page itself even if it was just unpublished; its ancestors while live
        ancestors = {path[:end] for path in paths for end in range(4, len(path), 4)}
        condition |= Q(path__in=paths) | Q(path__in=ancestors, live=True)
    if set(tags) - {tag for tag in tags if tag.startswith("tree:")}:
        condition |= Q(depth__in=(SECTION_DEPTH - 1, SECTION_DEPTH), live=True)
    if not condition:
        return
    pages = Page.objects.public().filter(condition, depth__gt=1).specific()
    urls = set()
    cache_object = _CacheObject()
    for page in pages:
        url = page.get_full_url(cache_object)
        if url:
            urls.update(url + path for path in _paths(page))
    purge_urls_from_cache(sorted(urls))


class _CacheObject:
    """Lets Wagtail keep the site roots between the pages' address lookups."""


def _paths(page):
    """The page's own address and those of its views that take no parameters."""
    from wagtail.contrib.routable_page.models import RoutablePageMixin

    paths = [""]
    if isinstance(page, RoutablePageMixin):
        for pattern in page.get_subpage_urls():
            route = str(pattern.pattern)
            if route and "<" not in route and "(" not in route:
                paths.append(route.lstrip("^").rstrip("$"))
    return paths


class PurgingProxyBackend(HTTPBackend):
    """Wagtail's HTTP backend (a PURGE request per address to Varnish or nginx), with a time
    limit: a proxy that hangs must not hold a publication or a worker."""

    def purge(self, url):
        self._send(url)

    def purge_batch(self, urls):
        # a proxy that refuses or hangs on one address will on the next: the rest of the
        # batch is given up with it (their copies expire by s-maxage), not waited for one
        # by one
        for url in urls:
            if not self._send(url):
                return

    def _send(self, url):
        """True once the proxy answered (an HTTP error status included)."""
        parts = urlsplit(url)
        request = Request(
            urlunsplit((self.cache_scheme, self.cache_netloc, parts.path, parts.query, "")),
            method="PURGE",
            headers={"Host": parts.netloc},
        )
        try:
            with urlopen(request, timeout=PURGE_TIMEOUT):  # noqa: S310 (our configured proxy)
                return True
        except HTTPError as error:  # it answered: a purge it refused for this address
            logger.error("The CDN did not purge %s: %s", url, error)
            return True
        except OSError as error:  # refused, timed out
            logger.error("The CDN did not purge %s: %s", url, error)
            return False
