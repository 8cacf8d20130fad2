"""Site search covers the published pages of the visitor's language only, finds the word forms
of Kyrgyz and Russian words (on SQLite and PostgreSQL alike), names each result's municipality
and date, and answers any input politely."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from cms.models import StandardPage
from cms.search_stemming import kyrgyz_stem, stems
from tests import factories
from tests.conftest import municipality

pytestmark = pytest.mark.django_db

# An invented place name: only the pages of these tests contain it.
MARK = "Зымырык"


def titles(response):
    return [page.title for page in response.context["results"]]


def home(language):
    return municipality("ton", language).get_parent().get_parent()


def standard_page(language, title, intro="", slug=None):
    page = StandardPage(title=title, slug=slug or f"search-{abs(hash(title))}", intro=intro)
    return factories.publish(home(language), page)


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


# Word forms -----------------------------------------------------------------------------------

KYRGYZ_PAGES = {
    "plural": (f"{MARK}: коомдук угуулар", ""),
    "root": (f"{MARK}: угуу өткөрүү тартиби", ""),
    "genitive": (f"{MARK}: отчет", "Айылдык бюджетинин аткарылышы"),
    "budget": (f"{MARK}: бюджет 2026", ""),
    "council": (f"{MARK}: кеңештин иши", "Айыл кеңешинин токтому"),
    "unrelated": (f"{MARK}: жол куруу", "Суу түтүгүн оңдоо"),
}
RUSSIAN_PAGES = {
    "hearings": (f"{MARK}: публичные слушания", ""),
    "report": (f"{MARK}: отчёт", "Что говорили на слушаниях"),
    "budget": (f"{MARK}: бюджет", ""),
    "management": (f"{MARK}: управление", "Как мы управляем Бюджетом"),
    "unrelated": (f"{MARK}: ремонт дороги", "Водопровод и мост"),
}


@pytest.fixture
def word_form_pages(db):
    made = {}
    for language, pages in (("ky", KYRGYZ_PAGES), ("ru", RUSSIAN_PAGES)):
        for key, (title, intro) in pages.items():
            made[language, key] = standard_page(language, title, intro, slug=f"wf-{key}")
    return made


def found(client, language, query):
    response = client.get(f"/{language}/search/", {"q": f"{query} {MARK}"})
    assert response.status_code == 200
    return {page.title for page in response.context["results"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("угуу", {"plural", "root"}),
        ("угуулар", {"plural", "root"}),
        ("УГУУЛАРДЫН", {"plural", "root"}),
        ("бюджет", {"genitive", "budget"}),
        ("бюджетинин", {"genitive", "budget"}),
        ("бюджети", {"genitive", "budget"}),
        ("кеңеш", {"council"}),
        ("айылдык", {"genitive"}),
    ],
)
def test_kyrgyz_word_forms_find_each_other(client, word_form_pages, query, expected):
    assert found(client, "ky", query) == {KYRGYZ_PAGES[key][0] for key in expected}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("слушания", {"hearings", "report"}),
        ("слушаниях", {"hearings", "report"}),
        ("Бюджетом", {"budget", "management"}),
        ("бюджет", {"budget", "management"}),
        ("БЮДЖЕТА", {"budget", "management"}),
    ],
)
def test_russian_word_forms_find_each_other(client, word_form_pages, query, expected):
    assert found(client, "ru", query) == {RUSSIAN_PAGES[key][0] for key in expected}


def test_word_forms_stay_in_the_visitors_language(client, word_form_pages):
    assert found(client, "ky", "слушаниях") == set()
    assert found(client, "ru", "угуулар") == set()


def test_a_word_in_no_form_finds_nothing(client, word_form_pages):
    assert found(client, "ky", "мектеп") == set()
    assert found(client, "ru", "школа") == set()


def test_hearing_notices_are_found_by_a_root_in_their_body(client):
    hearing = factories.hearing(
        municipality("ton", "ky"),
        title=f"{MARK} айылы",
        agenda="<p>Жергиликтүү бюджеттин долбоору боюнча коомдук угуулар</p>",
    )
    assert found(client, "ky", "угуу") == {hearing.title}
    assert found(client, "ky", "бюджет") == {hearing.title}


# What a result says ---------------------------------------------------------------------------


def test_results_name_their_municipality_and_the_hearings_date_and_time(client):
    starts = timezone.make_aware(datetime(2031, 3, 14, 15, 30))
    place = {language: municipality("ton", language) for language in ("ky", "ru")}
    for language in place:
        factories.hearing(
            place[language], title=f"{MARK} {language}", slug="dated", starts_at=starts
        )
    for language in place:
        response = client.get(f"/{language}/search/", {"q": MARK})
        html = response.content.decode()
        with translation.override(language):
            when = formats.date_format(timezone.localtime(starts), "DATETIME_FORMAT")
        assert f'<span class="search-result-place">{place[language].title}</span>' in html
        assert when in html
    ky = client.get("/ky/search/", {"q": MARK}).content.decode()
    ru = client.get("/ru/search/", {"q": MARK}).content.decode()
    assert "2031-жылдын 14-марты, 15:30" in ky
    assert "14 марта 2031" in ru and "15:30" in ru


def test_other_pages_show_when_they_were_last_published(client):
    page = standard_page("ru", f"{MARK}: справка")
    published = timezone.now() - timedelta(days=400)
    StandardPage.objects.filter(pk=page.pk).update(last_published_at=published)
    html = client.get("/ru/search/", {"q": MARK}).content.decode()
    with translation.override("ru"):
        assert formats.date_format(timezone.localtime(published), "DATE_FORMAT") in html


def test_a_municipality_is_named_by_its_oblast(client):
    ton = municipality("ton", "ru")
    response = client.get("/ru/search/", {"q": ton.title})
    assert ton.title in titles(response)
    oblast = ton.get_parent().title
    assert f'<span class="search-result-place">{oblast}</span>' in response.content.decode()


def test_a_results_page_costs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for index, slug in enumerate(["ton", "barpy", "oruktu"] * 8):
        place = municipality(slug, "ky")
        factories.hearing(place, title=f"{MARK} {index}", slug=f"count-{index}", days=index + 1)
    client.get("/ky/search/", {"q": MARK})  # warm the caches of content types and sites
    with django_assert_max_num_queries(14):
        response = client.get("/ky/search/", {"q": MARK})
    assert response.context["results"].paginator.count == 24
    assert len(response.context["items"]) == 20


# Hostile input --------------------------------------------------------------------------------

HOSTILE = [
    "",
    "   ",
    "!!!",
    "...?",
    '" * OR AND NEAR(',
    "NEAR(угуу бюджет, 2)",
    '"угуу',
    "угуу*",
    "-угуу",
    "угуу OR",
    "AND",
    "title:угуу",
    "{title body}: угуу",
    "^угуу",
    "угуу\x00бюджет",
    "\x00",
    "'; DROP TABLE wagtailsearch_indexentry; --",
    "%s %(x)s \\",
    "а" * 300,
    "угуу " * 60,
    "😀 угуу",
]


@pytest.mark.parametrize("query", HOSTILE)
@pytest.mark.parametrize("language", ["ky", "ru"])
def test_hostile_queries_never_break_the_page(client, language, query):
    response = client.get(f"/{language}/search/", {"q": query, "page": "999"})
    assert response.status_code == 200


def test_a_query_without_words_asks_for_a_word_in_the_visitors_language(client):
    ky = client.get("/ky/search/", {"q": '" * ( )'})
    assert ky.context["results"] is None
    with translation.override("ky"):
        hint = translation.gettext("Type at least one word (letters or digits) to search for.")
    assert hint != "Type at least one word (letters or digits) to search for."
    assert hint in ky.content.decode()


def test_syntax_characters_are_searched_as_the_words_around_them(client, word_form_pages):
    assert found(client, "ky", '"угуу* ( ) : -') == {
        KYRGYZ_PAGES[key][0] for key in ("plural", "root")
    }


def test_a_nul_byte_is_not_echoed_back(client):
    response = client.get("/ky/search/", {"q": "угуу\x00"})
    assert "\x00" not in response.content.decode()
    assert response.context["query"] == "угуу"


def test_council_resolutions_are_searched_in_the_admin_by_word_forms(admin_client):
    factories.resolution(
        municipality("ton", "ky"),
        number="77",
        title=f"{MARK}: айыл кеңешинин бюджети",
        title_ru=f"{MARK}: бюджет айыльного кенеша",
    )
    url = reverse("wagtailsnippets_municipalities_councilresolution:list")
    for query in ("кеңеш", "бюджет", '" NEAR( *'):
        response = admin_client.get(url, {"q": query})
        assert response.status_code == 200
    assert MARK in admin_client.get(url, {"q": "кеңеш"}).content.decode()


# The Kyrgyz stemmer ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("угуулар", "угуу"),
        ("угуу", "угуу"),
        ("угуулардын", "угуу"),
        ("угуусу", "угуу"),
        ("бюджетинин", "бюджет"),
        ("бюджети", "бюджет"),
        ("бюджетте", "бюджет"),
        ("кеңешинин", "кеңеш"),
        ("кеңештеринде", "кеңеш"),
        ("Айылдык", "айылдык"),
        ("айылдыктардын", "айылдык"),
        ("программасы", "программа"),
        ("китеби", "китеп"),
    ],
)
def test_kyrgyz_stemmer(word, stem):
    assert kyrgyz_stem(word) == stem


def test_the_russian_stemmer_meets_its_word_forms():
    assert stems("Бюджетом", "ru") & stems("бюджет", "ru")
    assert stems("слушаниях", "ru") & stems("слушания", "ru")
    assert not stems("айыл", "ky") & stems("ай", "ky")


# At national scale -----------------------------------------------------------------------------


def test_a_word_in_the_title_and_another_in_the_body_are_found_together(client, word_form_pages):
    # the title holds MARK, the body "кеңешинин": both must match, in different fields
    assert found(client, "ky", "токтому") == {f"{MARK}: кеңештин иши"}
    assert found(client, "ru", "управляем") == {f"{MARK}: управление"}


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_a_common_word_ranks_only_the_newest_matches_and_says_so(
    client, word_form_pages, monkeypatch, language
):
    from cms import views

    query = f"{MARK}"
    everything = client.get(f"/{language}/search/", {"q": query})
    matches = everything.context["results"].paginator.count
    assert matches >= 5
    assert not everything.context["newest_only"]
    monkeypatch.setattr(views, "SEARCH_RANKED_AT_MOST", 3)
    response = client.get(f"/{language}/search/", {"q": query})
    results = response.context["results"]
    assert results.paginator.count == 3
    newest = sorted(
        (page for (lang, _key), page in word_form_pages.items() if lang == language),
        key=lambda page: page.pk,
    )[-3:]
    assert {page.pk for page in results} == {page.pk for page in newest}
    message = {
        "ky": "3 же андан көп натыйжа",
        "ru": "3 результата или больше",
    }[language]
    assert message in response.content.decode()
