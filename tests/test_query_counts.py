"""The SQL queries each public page type costs, rendered anew (no page cache), pinned: a
change that adds a query per card, per municipality or per language shows up here. The
counts are those of the demo content and stay the same at national scale (BENCHMARKS.md,
`make bench`); every one is within the target of 12."""

import pytest

from tests.public_pages import PAGE_TYPES

pytestmark = pytest.mark.django_db

# at most this many queries in Kyrgyz (the site's first language)
PINNED = {
    "/{lang}/": 7,
    "/{lang}/jalal-abad/": 6,
    "/{lang}/jalal-abad/ak-korgon/": 12,
    "/{lang}/jalal-abad/ak-korgon/budget-hearing-2027/": 6,
    "/{lang}/jalal-abad/ak-korgon/budget-hearing-2027/print/": 7,
    "/{lang}/hearings/": 10,
    "/{lang}/jalal-abad/ak-korgon/budget-2026/": 11,
    "/{lang}/jalal-abad/ak-korgon/development-plan/": 9,
    "/{lang}/campaigns/": 9,
    "/{lang}/campaigns/demo-ngo/": 6,
    "/{lang}/campaigns/demo-ngo/budget-is-your-voice/": 12,
    "/{lang}/campaigns/demo-ngo/budget-is-your-voice/report/": 11,
    "/{lang}/campaigns/materials/": 7,
    "/{lang}/indicators/": 12,
    "/{lang}/indicators/records/": 11,
    "/{lang}/coverage/": 12,
    "/{lang}/open-data/": 11,
    "/{lang}/open-data/api/": 10,
    "/{lang}/about/": 5,
    "/{lang}/search/?q=бюджет": 11,
    "/{lang}/subscribe/?municipality=ak-korgon": 4,
    "/{lang}/hearings/calendar/": 6,
    "/{lang}/hearings/feed/": 5,
    "/{lang}/jalal-abad/ak-korgon/calendar/": 6,
}
# the other languages' trees are translations of the Kyrgyz one: outside the page tree (the
# search and subscription views) finding their home page costs one query more
OTHER_LANGUAGE = {"/{lang}/search/?q=бюджет": 1, "/{lang}/subscribe/?municipality=ak-korgon": 1}
LANGUAGE_FREE = {
    "/sitemap.xml": 4,
    "/sitemap-pages.xml": 6,
    "/api/v2/pages/?type=municipalities.HearingPage&limit=100&fields=title": 11,
    "/api/v2/indicators/": 8,
}


def test_every_public_page_type_is_pinned():
    assert set(PAGE_TYPES) <= set(PINNED)


@pytest.mark.parametrize("language", ["ky", "ru"])
@pytest.mark.parametrize("address", sorted(PINNED))
def test_a_page_costs_no_more_queries_than_pinned(
    client, address, language, django_assert_max_num_queries
):
    url = address.format(lang=language)
    assert client.get(url).status_code == 200  # what every process reads once (the sites)
    limit = PINNED[address] + (OTHER_LANGUAGE.get(address, 0) if language != "ky" else 0)
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("address", sorted(LANGUAGE_FREE))
def test_feeds_and_the_api_cost_no_more_queries_than_pinned(
    client, address, django_assert_max_num_queries
):
    assert client.get(address).status_code == 200
    with django_assert_max_num_queries(LANGUAGE_FREE[address]):
        assert client.get(address).status_code == 200
