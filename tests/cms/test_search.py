"""Site search covers the published pages of the visitor's language only."""

import pytest
from django.db import connection

from cms.models import StandardPage
from tests.conftest import municipality

pytestmark = pytest.mark.django_db


def titles(response):
    return [page.title for page in response.context["results"]]


def test_kyrgyz_names_are_found_as_written(client):
    response = client.get("/ky/search/", {"q": "Өрүктү"})
    assert response.status_code == 200
    assert "Өрүктү" in titles(response)


def test_results_are_in_the_visitors_language_only(client):
    response = client.get("/ru/search/", {"q": "Орукту"})
    assert titles(response) == ["Орукту"]
    assert [p.locale.language_code for p in response.context["results"]] == ["ru"]
    assert client.get("/ky/search/", {"q": "Орукту"}).context["results"].paginator.count == 0


def test_unpublished_pages_are_not_found(client):
    municipality("barpy", "ru").unpublish()
    assert client.get("/ru/search/", {"q": "Барпы"}).context["results"].paginator.count == 0


def test_empty_and_nonsense_queries_answer_politely(client):
    empty = client.get("/en/search/")
    assert empty.status_code == 200
    assert empty.context["results"] is None
    nothing = client.get("/en/search/", {"q": "zzzqqq", "page": "abc"})
    assert nothing.status_code == 200
    assert "Nothing was found" in nothing.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search only")
def test_russian_word_forms_match_on_postgresql(client):
    home = municipality("ton", "ru").get_parent().get_parent()
    page = StandardPage(title="Слушания", slug="hearings-note", intro="Обсуждение проекта бюджетов")
    home.add_child(instance=page)
    page.save_revision().publish()
    response = client.get("/ru/search/", {"q": "бюджет"})
    assert "Слушания" in titles(response)
