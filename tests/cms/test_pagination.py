"""Counted lists by the page: the same pages, numbers and links as Django's paginator, without
a count query when the first page holds the whole list."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from cms.pagination import ShortListPaginator
from tests import factories
from tests.conftest import municipality

NUMBERS = [None, "", "1", 1, "2", "3", "0", "-1", "999", "abc", "1.0", "2.5", "１"]


def seen(page):
    """What a visitor sees of a page of a list: its items, number and links."""
    return (
        list(page),
        page.number,
        page.paginator.count,
        page.paginator.num_pages,
        page.has_next(),
        page.has_previous(),
        page.start_index(),
        page.end_index(),
    )


@pytest.mark.parametrize("length", [0, 1, 19, 20, 21, 45])
@pytest.mark.parametrize("number", NUMBERS)
def test_pages_are_those_of_djangos_paginator(length, number):
    items = list(range(length))
    assert seen(ShortListPaginator(items, 20).get_page(number)) == seen(
        Paginator(items, 20).get_page(number)
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("per_page", "counts"), [(20, False), (3, True), (2, True)])
def test_a_first_page_with_room_to_spare_is_not_counted(per_page, counts):
    locales = Locale.objects.order_by("language_code")  # three languages
    with CaptureQueriesContext(connection) as queries:
        page = ShortListPaginator(locales, per_page).get_page("1")
        assert page.paginator.num_pages == Paginator(list(locales), per_page).num_pages
    counted = [query for query in queries if "COUNT(" in query["sql"]]
    assert bool(counted) is counts
    assert [locale.language_code for locale in page] == ["en", "ky", "ru"][:per_page]


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "shown"), [("ky", "2 натыйжа"), ("ru", "2 результата")])
def test_a_search_with_few_results_says_how_many_without_counting_them(client, language, shown):
    for index, slug in enumerate(["ton", "barpy"]):
        place = municipality(slug, language)
        factories.hearing(place, title=f"Зымырык {index}", slug=f"short-{index}", days=index + 1)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/{language}/search/", {"q": "Зымырык"})
    assert response.context["results"].paginator.count == 2
    assert shown in response.content.decode()
    assert not [query for query in queries if "COUNT(" in query["sql"]]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ky", "ru"])
def test_the_hearings_to_come_of_one_municipality_are_not_counted(client, language):
    place = municipality("barpy", language)
    factories.hearing(place, title="Soon", slug="soon", days=3)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/{language}/hearings/", {"municipality": "barpy"})
    upcoming = response.context["upcoming"]
    assert [hearing.title for hearing in upcoming] == ["Soon"]
    assert upcoming.paginator.num_pages == 1 and not upcoming.has_other_pages()
    assert not [query for query in queries if "COUNT(" in query["sql"]]
