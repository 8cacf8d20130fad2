"""Site-wide views: search, health, and the error pages in the visitor's language."""

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
    return render(request, "404.html", status=404)


def server_error(request):
    """A self-contained 500 page: no database, no base template that could fail again."""
    return HttpResponseServerError(loader.get_template("500.html").render({}, request=None))
