"""The SQL queries each public page type costs, rendered anew (no page cache), pinned: a
change that adds a query per card, per municipality or per language shows up here. The
counts are those of the demo content and stay the same at national scale (BENCHMARKS.md,
`make bench`); the target of at most 12 is not reached yet by most of them."""

import pytest

from tests.public_pages import PAGE_TYPES

pytestmark = pytest.mark.django_db

# at most this many queries in Kyrgyz (the site's first language)
PINNED = {
    "/{lang}/": 11,
    "/{lang}/jalal-abad/": 12,
    "/{lang}/jalal-abad/ak-korgon/": 18,
    "/{lang}/jalal-abad/ak-korgon/budget-hearing-2027/": 11,
    "/{lang}/jalal-abad/ak-korgon/budget-hearing-2027/print/": 11,
    "/{lang}/hearings/": 14,
    "/{lang}/jalal-abad/ak-korgon/budget-2026/": 15,
    "/{lang}/jalal-abad/ak-korgon/development-plan/": 13,
    "/{lang}/campaigns/": 12,
    "/{lang}/campaigns/demo-ngo/": 10,
    "/{lang}/campaigns/demo-ngo/budget-is-your-voice/": 17,
    "/{lang}/campaigns/demo-ngo/budget-is-your-voice/report/": 13,
    "/{lang}/campaigns/materials/": 10,
    "/{lang}/indicators/": 23,
    "/{lang}/indicators/records/": 14,
    "/{lang}/coverage/": 20,
    "/{lang}/open-data/": 17,
    "/{lang}/open-data/api/": 13,
    "/{lang}/about/": 9,
    "/{lang}/search/?q=бюджет": 12,
    "/{lang}/subscribe/?municipality=ak-korgon": 5,
    "/{lang}/hearings/calendar/": 9,
    "/{lang}/hearings/feed/": 6,
    "/{lang}/jalal-abad/ak-korgon/calendar/": 7,
}
# the other languages' trees are translations of the Kyrgyz one: finding the home page and
# the page's language cost two queries more
OTHER_LANGUAGE = 2
LANGUAGE_FREE = {
    "/sitemap.xml": 6,
    "/sitemap-pages.xml": 8,
    "/api/v2/pages/?type=municipalities.HearingPage&limit=100&fields=title": 12,
    "/api/v2/indicators/": 16,
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
    limit = PINNED[address] + (OTHER_LANGUAGE if language != "ky" else 0)
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("address", sorted(LANGUAGE_FREE))
def test_feeds_and_the_api_cost_no_more_queries_than_pinned(
    client, address, django_assert_max_num_queries
):
    assert client.get(address).status_code == 200
    with django_assert_max_num_queries(LANGUAGE_FREE[address]):
        assert client.get(address).status_code == 200
