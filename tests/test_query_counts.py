"""The SQL queries each public page type costs, rendered anew (no page cache), pinned: a
change that adds a query per card, per municipality or per language shows up here. The
counts are those of the demo content and stay the same at national scale (BENCHMARKS.md,
`make bench`); the target of at most 12 is not reached yet by most of them."""

import pytest

from tests.public_pages import PAGE_TYPES

pytestmark = pytest.mark.django_db

# at most this many queries in Kyrgyz (the site's first language)
PINNED = {
    "/{lang}/": 13,
    "/{lang}/jalal-abad/": 14,
    "/{lang}/jalal-abad/ak-korgon/": 22,
    "/{lang}/jalal-abad/ak-korgon/budget-hearing-2027/": 13,
    "/{lang}/jalal-abad/ak-korgon/budget-hearing-2027/print/": 12,
    "/{lang}/hearings/": 16,
    "/{lang}/jalal-abad/ak-korgon/budget-2026/": 17,
    "/{lang}/jalal-abad/ak-korgon/development-plan/": 15,
    "/{lang}/campaigns/": 14,
    "/{lang}/campaigns/demo-ngo/": 12,
    "/{lang}/campaigns/demo-ngo/budget-is-your-voice/": 19,
    "/{lang}/campaigns/demo-ngo/budget-is-your-voice/report/": 14,
    "/{lang}/campaigns/materials/": 12,
    "/{lang}/indicators/": 30,
    "/{lang}/indicators/records/": 16,
    "/{lang}/coverage/": 22,
    "/{lang}/open-data/": 19,
    "/{lang}/open-data/api/": 15,
    "/{lang}/about/": 11,
    "/{lang}/search/?q=бюджет": 12,
    "/{lang}/subscribe/?municipality=ak-korgon": 5,
    "/{lang}/hearings/calendar/": 11,
    "/{lang}/hearings/feed/": 8,
    "/{lang}/jalal-abad/ak-korgon/calendar/": 9,
}
# the other languages' trees are translations of the Kyrgyz one: finding the home page and
# the page's language cost two queries more
OTHER_LANGUAGE = 2
LANGUAGE_FREE = {
    "/sitemap.xml": 6,
    "/sitemap-pages.xml": 8,
    "/api/v2/pages/?type=municipalities.HearingPage&limit=100&fields=title": 12,
    "/api/v2/indicators/": 20,
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
