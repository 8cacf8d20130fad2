"""What a visitor sees on the home, oblast and municipality pages in each language."""

import re

import pytest
from django.test import override_settings
from django.utils import translation

from cms.templatetags.site_tags import NOT_TRANSLATED_NOTE
from tests.conftest import LANGUAGES, municipality, oblast

pytestmark = pytest.mark.django_db


def translated(language, message):
    """The message as the visitor reads it; fails if it was left untranslated."""
    with translation.override(language):
        text = str(translation.gettext(message))
    if language != "en":
        assert text != message, f"{message!r} has no {language} translation"
    return text


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def switcher(response):
    """The language-switcher links as {language: href}."""
    html = response.content.decode()
    nav = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    return {
        lang: href for href, lang in re.findall(r'<a href="([^"]+)" lang="(\w+)" hreflang', nav)
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_lists_both_oblasts_and_all_municipalities(client, language):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    assert html_lang(response) == language
    html = response.content.decode()
    assert oblast("jalal-abad", language).title in html
    assert oblast("issyk-kul", language).title in html
    assert html.count(f'href="/{language}/jalal-abad/') >= 14
    assert municipality("oruktu", language).url in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_oblast_page_lists_its_municipalities(client, language):
    response = client.get(f"/{language}/issyk-kul/")
    assert response.status_code == 200
    assert html_lang(response) == language
    html = response.content.decode()
    assert municipality("jyrgalan", language).title in html
    assert municipality("ak-korgon", language).title not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_municipality_page_answers_in_every_language_with_a_switcher(client, language):
    response = client.get(f"/{language}/jalal-abad/oruktu/")
    assert response.status_code == 200
    assert html_lang(response) == language
    assert f"<h1>{municipality('oruktu', language).title}" in response.content.decode()
    others = {code: f"/{code}/jalal-abad/oruktu/" for code in LANGUAGES if code != language}
    assert switcher(response) == others


def test_municipality_profile_shows_what_editors_filled_in(client):
    page = municipality("tepke", "ru")
    page.population = 5400
    page.head_of_administration = "Асанов Үсөн"
    page.phone = "+996 3946 2 11 11"
    page.save_revision().publish()
    html = client.get("/ru/issyk-kul/tepke/").content.decode()
    assert "5400" in html
    assert "Асанов Үсөн" in html
    assert 'href="tel:+996394621111"' in html
    empty = client.get("/ru/issyk-kul/ton/").content.decode()
    assert translated("ru", "The profile of this municipality has not been filled in yet.") in empty


def test_an_untranslated_page_says_so_and_links_the_language_that_exists(client):
    municipality("barpy", "en").unpublish()
    response = client.get("/en/jalal-abad/barpy/")
    assert response.status_code == 404
    html = response.content.decode()
    assert (
        translated(
            "en", "This page has not been translated into this language yet. It can be read in:"
        )
        in html
    )
    assert 'href="/ky/jalal-abad/barpy/"' in html
    assert 'href="/ru/jalal-abad/barpy/"' in html
    nowhere = client.get("/en/jalal-abad/no-such-village/").content.decode()
    assert "/ky/jalal-abad/no-such-village/" not in nowhere


def test_switcher_says_plainly_when_a_translation_does_not_exist(client):
    municipality("mogol", "en").unpublish()
    response = client.get("/ky/jalal-abad/mogol/")
    html = response.content.decode()
    assert switcher(response)["en"] == "/en/"
    assert translated("ky", NOT_TRANSLATED_NOTE) in html
    assert 'hreflang="en" href=' not in html.split("</head>")[0]
    assert client.get("/en/jalal-abad/mogol/").status_code == 404


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("ru", "/ru/"),
        ("ru-RU,ru;q=0.9,en;q=0.8", "/ru/"),
        ("en-GB", "/en/"),
        ("ky", "/ky/"),
        ("fr-FR", "/ky/"),
        ("", "/ky/"),
    ],
)
def test_root_redirects_to_the_preferred_language(client, accept_language, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_demo_content_is_labelled_on_every_page(client):
    html = client.get("/ru/").content.decode()
    assert translated("ru", "Demo site.") in html
    about = client.get("/ru/about/")
    assert about.status_code == 200


@pytest.mark.parametrize("language", LANGUAGES)
def test_not_found_page_speaks_the_visitors_language(client, language):
    response = client.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    assert html_lang(response) == language
    assert translated(language, "Page not found") in response.content.decode()


@override_settings(DEBUG=False, ROOT_URLCONF="tests.cms.broken_urls")
def test_server_error_page_speaks_the_visitors_language(client):
    client.raise_request_exception = False
    response = client.get("/ru/broken/")
    assert response.status_code == 500
    assert html_lang(response) == "ru"
    assert translated("ru", "Something went wrong") in response.content.decode()


@pytest.mark.parametrize(
    ("path", "bound"),
    [
        ("/ky/", 21),
        ("/ru/jalal-abad/", 24),
        ("/en/jalal-abad/oruktu/", 39),
        ("/ru/jalal-abad/ak-korgon/", 39),
    ],
)
def test_public_pages_make_a_bounded_number_of_queries(
    client, path, bound, django_assert_max_num_queries
):
    client.get(path)  # warm Wagtail's per-site caches
    # Wagtail routing takes ~8 and the frame (settings, menu, translations) ~9, the head's
    # alternates and feed links ~3 to 6; the home page adds its next hearings, a
    # municipality page a fixed set for its hearings, budgets, plans and resolutions.
    with django_assert_max_num_queries(bound):
        assert client.get(path).status_code == 200
