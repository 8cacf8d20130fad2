"""Site-wide views: search, health, and the error pages in the visitor's language."""

import datetime
import sys

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from wagtail.models import Locale, Page

from cms.pagination import ShortListPaginator
from cms.search_backend import ranking_at_most
from cms.search_stemming import words

SEARCH_RESULTS_PER_PAGE = 20
# only the newest this many matches are ranked and listed (a common word matches thousands of
# pages nationally; ranking them all took 0.6 s): more words narrow the search
SEARCH_RANKED_AT_MOST = 1000
RETRY_AFTER_SECONDS = 30
SEARCH_QUERY_MAX_LENGTH = 200
# control characters (NUL included) never reach the search backend or the page
_CONTROL_CHARACTERS = dict.fromkeys([*range(32), 127], " ")


def search(request):
    """Full-text search over the published pages of the visitor's language.

    Word forms are found (cms/search_backend.py); each result names its municipality (the
    nearest ancestor page with `search_result_is_place`) and its date (the page's
    `search_result_date`, a hearing's date and time, else when it was last published).
    """
    raw = request.GET.get("q", "")
    query = " ".join(raw.translate(_CONTROL_CHARACTERS).split())[:SEARCH_QUERY_MAX_LENGTH]
    results_page = None
    items = []
    if query and words(query):
        pages = Page.objects.live().public().filter(locale=Locale.get_active()).specific()
        with ranking_at_most(SEARCH_RANKED_AT_MOST):
            paginator = ShortListPaginator(pages.search(query), SEARCH_RESULTS_PER_PAGE)
            results_page = paginator.get_page(request.GET.get("page"))
            results_page.object_list = list(results_page.object_list)
        items = _described(results_page.object_list)
    return render(
        request,
        "cms/search.html",
        {
            "query": query,
            "results": results_page,
            "items": items,
            "newest_only": results_page is not None
            and results_page.paginator.count >= SEARCH_RANKED_AT_MOST,
        },
    )


def _described(pages):
    """Each result with the title of its place and its date, in one query for all places."""
    steplen = Page.steplen
    paths = {page.path[: steplen * depth] for page in pages for depth in range(2, page.depth)}
    places = {
        ancestor.path: ancestor.title
        for ancestor in Page.objects.filter(path__in=paths).only("path", "title", "content_type")
        if getattr(ancestor.specific_class, "search_result_is_place", False)
    }
    items = []
    for page in pages:
        ancestors = (page.path[: steplen * depth] for depth in range(page.depth - 1, 1, -1))
        place = next((places[path] for path in ancestors if path in places), None)
        when = getattr(page, "search_result_date", None)
        with_time = isinstance(when, datetime.datetime)
        if when is None:
            when = page.last_published_at
        items.append({"page": page, "place": place, "when": when, "with_time": with_time})
    return items


@never_cache
def health(request):
    """For load balancers and uptime checks: 200 while the app and its database answer, 503
    while the database does not (never redirected to HTTPS: SECURE_REDIRECT_EXEMPT). An
    unreachable cache is reported but is no reason to take a server out: pages are then
    served without it (cms.cache_backend)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        response = HttpResponse("database unreachable", content_type="text/plain", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    try:
        cache.set("healthz", "ok", 10)
        cache_works = cache.get("healthz") == "ok"
    except Exception:  # noqa: BLE001 - any cache backend's failure means "unreachable"
        cache_works = False
    if not cache_works:
        return HttpResponse("ok\ncache unreachable: serving without it", content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def page_not_found(request, exception=None):
    """A friendly 404 which, when the page exists in another language, says so and links it."""
    return render(
        request,
        "404.html",
        {"other_languages": _versions_elsewhere(request), "not_found": True},
        status=404,
    )


def _versions_elsewhere(request):
    """Live pages at the same address under the other language prefixes."""
    parts = request.path_info.strip("/").split("/", 1)
    codes = dict(settings.LANGUAGES)
    if not parts or parts[0] not in codes or "\x00" in request.path_info:
        return []
    rest = parts[1] + "/" if len(parts) > 1 and parts[1] else ""
    homes = {
        home.locale.language_code: home.url_path
        for home in Page.objects.filter(depth=2).select_related("locale")
        if home.locale.language_code in codes and home.locale.language_code != parts[0]
    }
    wanted = {url_path + rest: code for code, url_path in homes.items()}
    found = Page.objects.live().public().filter(url_path__in=list(wanted)).select_related("locale")
    return [
        {"code": page.locale.language_code, "name": codes[page.locale.language_code], "page": page}
        for page in sorted(found, key=lambda p: list(codes).index(p.locale.language_code))
    ]


def server_error(request):
    """A self-contained 500 page: no database, no base template that could fail again.

    While the database is unreachable the answer is a 503 with Retry-After instead (a JSON
    one for the API), and the site recovers by itself when the database is back: Django
    opens a new connection for the next request."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        return unavailable(request)
    return HttpResponseServerError(loader.get_template("500.html").render({}, request=None))


def unavailable(request):
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"message": gettext("The service is unavailable for a moment; try again soon.")},
            status=503,
        )
    else:
        language = getattr(request, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE
        with translation.override(language):
            body = loader.get_template("503.html").render({}, request=None)
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
