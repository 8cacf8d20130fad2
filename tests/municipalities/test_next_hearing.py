"""A villager finds the next hearing first: on the home page, across every municipality,
and on their municipality's page, with how to take part."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from municipalities.models import HearingPage
from tests import factories
from tests.conftest import municipality

pytestmark = pytest.mark.django_db


def _hearings(language):
    """Hearings in one language's tree: two to come, one past, one cancelled."""
    HearingPage.objects.all().delete()  # the demo's would blur the order
    later = factories.hearing(
        municipality("ton", language), days=30, slug="later", title="Тон: бюджет", venue="Тон, зал"
    )
    sooner = factories.hearing(
        municipality("barpy", language),
        days=3,
        slug="sooner",
        title="Барпы: тарифтер",
        topic="tariffs",
        venue="Барпы айылдык клубу",
    )
    factories.hearing(municipality("tepke", language), days=-5, slug="past", title="Тепке")
    factories.hearing(
        municipality("tepke", language),
        days=10,
        slug="cancelled",
        title="Тепке: жокко",
        status="cancelled",
        cancellation_reason="Жер титирөө",
    )
    return later, sooner


@pytest.fixture
def hearings():
    return _hearings("ky")


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_the_home_page_leads_with_the_next_hearings_nearest_first(client, language):
    _hearings(language)
    response = client.get(f"/{language}/")
    html = response.content.decode()
    lead = html.index('id="next-hearings-heading"')
    assert lead < html.index('class="oblasts"')  # before the list of municipalities
    shown = response.context["lead_sections"][0].context["hearings"]
    assert [hearing.slug for hearing in shown] == ["sooner", "later"]  # no past, no cancelled
    first = html[lead : html.index("later/")]  # the sooner one comes first, with its facts
    assert municipality("barpy", language).title in first
    assert "Барпы айылдык клубу" in first and "<time" in first


def test_the_village_picker_opens_the_village_in_the_visitors_language(client):
    response = client.get("/ru/hearings/village/", {"municipality": "ton"})
    assert response.status_code == 302
    assert response["Location"] == municipality("ton", "ru").url
    response = client.get("/ky/hearings/village/", {"municipality": "ton"})
    assert response["Location"] == municipality("ton", "ky").url


@pytest.mark.parametrize(
    "value", ["", "no-such-village", "ton\x00", "<script>", "x" * 5000, "../admin"]
)
def test_the_village_picker_sends_anything_else_back_to_the_listing(client, value):
    response = client.get("/ky/hearings/village/", {"municipality": value})
    assert response.status_code == 302
    assert response["Location"] == "/ky/hearings/"


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_the_picker_lists_every_village_by_oblast_and_needs_no_script(client, language):
    html = client.get(f"/{language}/").content.decode()
    form = html[html.index('class="village-picker"') : html.index("</form>")]
    assert 'method="get"' in html[html.index("<form", html.index("next-hearings")) :][:200]
    assert form.count("<optgroup") == 2 and "<script" not in form
    assert form.count("<option") == 21
    barpy = municipality("barpy", language)
    assert f'<option value="barpy">{barpy.title}</option>' in form
    assert 'id="village-picker"' in form and 'for="village-picker"' in form


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_a_municipality_page_leads_with_its_next_hearing_and_how_to_take_part(client, language):
    later, _sooner = _hearings(language)
    page = municipality("ton", language)
    later.proposals_how = "Сунуштарды айыл өкмөтүнө жазыңыз"
    factories.publish_alone(later)
    html = client.get(page.url).content.decode()
    box = html[html.index('class="next-hearing"') : html.index('id="hearings-heading"')]
    assert "Тон, зал" in box and "Сунуштарды айыл өкмөтүнө жазыңыз" in box
    assert "<time" in box
    assert html.index('class="next-hearing"') < html.index('id="budgets-heading"')


def test_a_municipality_without_a_coming_hearing_says_so_first(client, hearings):
    html = client.get(municipality("oruktu", "ru").url).content.decode()
    box = html[html.index('class="next-hearing"') : html.index('id="hearings-heading"')]
    assert "<time" not in box


def test_the_home_page_costs_the_same_with_more_hearings(client, hearings):
    client.get("/ky/")
    with CaptureQueriesContext(connection) as before:
        client.get("/ky/")
    for days in range(40, 46):
        factories.hearing(municipality("ton"), days=days, slug=f"more-{days}")
    with CaptureQueriesContext(connection) as after:
        client.get("/ky/")
    assert len(after) == len(before)
