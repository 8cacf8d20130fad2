"""Site-wide views: search, health, and the error pages in the visitor's language."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from wagtail.models import Locale, Page

SEARCH_RESULTS_PER_PAGE = 20
SEARCH_QUERY_MAX_LENGTH = 200


def search(request):
    """Full-text search over the published pages of the visitor's language."""
    query = request.GET.get("q", "").strip()[:SEARCH_QUERY_MAX_LENGTH]
    results_page = None
    if query:
        pages = Page.objects.live().public().filter(locale=Locale.get_active()).specific()
        results = pages.search(query)
        paginator = Paginator(results, SEARCH_RESULTS_PER_PAGE)
        results_page = paginator.get_page(request.GET.get("page"))
    return render(request, "cms/search.html", {"query": query, "results": results_page})


@never_cache
def health(request):
    """For load balancers and uptime checks: the app answers and its database does too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
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
    if not parts or parts[0] not in codes:
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
    """A self-contained 500 page: no database, no base template that could fail again."""
    return HttpResponseServerError(loader.get_template("500.html").render({}, request=None))
