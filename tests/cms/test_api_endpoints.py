"""The headless API as a partner's app or a journalist uses it: endpoints, filters, errors,
caching, and the same figures as the dashboard."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from municipalities.monitoring.indicators import Scope, indicator_summary
from tests import factories
from tests.conftest import municipality, oblast

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_records")]


def get(client, url, **params):
    return client.get(url, params)


def ids(response):
    return [item["id"] for item in response.json()["items"]]


# Pages


def test_the_locale_filter_returns_the_russian_version(client):
    ton_ky, ton_ru = municipality("ton"), municipality("ton", "ru")
    response = get(client, "/api/v2/pages/", translation_of=ton_ky.pk, locale="ru")
    assert ids(response) == [ton_ru.pk]
    assert response.json()["items"][0]["title"] == ton_ru.title


def test_pages_filter_by_municipality_oblast_period_and_upcoming(client):
    soon = factories.hearing(municipality("ton"), days=5, slug="soon", topic="budget")
    later = factories.hearing(municipality("barpy"), days=40, slug="later", topic="tariffs")
    past = factories.hearing(municipality("ton"), days=20, slug="past")
    past.starts_at = timezone.now() - timedelta(days=20)
    past.status = "held"
    factories.publish_alone(past)
    hearings = {"type": "municipalities.HearingPage"}

    assert ids(get(client, "/api/v2/pages/", municipality="ton", **hearings)) == [
        soon.pk,
        past.pk,
    ]
    by_oblast = ids(get(client, "/api/v2/pages/", oblast=oblast("jalal-abad").slug, **hearings))
    assert later.pk in by_oblast and soon.pk not in by_oblast  # Barpy is in Jalal-Abad
    upcoming = ids(get(client, "/api/v2/pages/", upcoming="true", limit=100, **hearings))
    assert upcoming.index(soon.pk) < upcoming.index(later.pk)  # soonest first
    assert past.pk not in upcoming
    assert ids(get(client, "/api/v2/pages/", upcoming="false", municipality="ton", **hearings)) == [
        past.pk
    ]
    until = (timezone.localdate() + timedelta(days=10)).isoformat()
    in_ten_days = get(
        client,
        "/api/v2/pages/",
        date_from=date.today().isoformat(),
        date_to=until,
        municipality="ton",
        **hearings,
    )
    assert ids(in_ten_days) == [soon.pk]
    assert ids(get(client, "/api/v2/pages/", topic="tariffs", **hearings)) == [later.pk]
    under_issyk_kul = ids(
        get(client, "/api/v2/pages/", descendant_of=oblast("issyk-kul").pk, limit=100, **hearings)
    )
    assert soon.pk in under_issyk_kul and later.pk not in under_issyk_kul


def test_rich_text_is_display_html_with_working_links(client):
    target = municipality("ton")
    page = factories.hearing(
        municipality("ton"),
        days=15,
        slug="linked",
        agenda=f'<p>See <a linktype="page" id="{target.pk}">Ton</a></p>',
    )
    item = get(client, f"/api/v2/pages/{page.pk}/").json()
    assert 'href="/ky/issyk-kul/ton/"' in item["agenda"]
    assert "linktype" not in item["agenda"]


def test_drafts_never_appear_whatever_the_parameters(client):
    draft = factories.hearing(municipality("ton"), days=9, slug="draft-only")
    draft.unpublish()
    for params in (
        {},
        {"municipality": "ton"},
        {"type": "municipalities.HearingPage", "upcoming": "true"},
        {"search": draft.title},
    ):
        assert draft.pk not in ids(get(client, "/api/v2/pages/", **params))
    assert get(client, f"/api/v2/pages/{draft.pk}/").status_code == 404


# The programme's endpoints


def test_municipalities_carry_names_in_every_language_and_counts(client):
    factories.hearing(municipality("ton"), days=9, slug="counted")
    draft = factories.hearing(municipality("ton"), days=9, slug="not-counted")
    draft.unpublish()
    factories.record(municipality("ton"), women=11, men=7, not_recorded=1)
    factories.record(municipality("ton"), women=50, men=50, status="submitted")
    item = get(client, "/api/v2/municipalities/ton/").json()
    assert item["names"] == {
        "ky": municipality("ton").title,
        "ru": municipality("ton", "ru").title,
        "en": municipality("ton", "en").title,
    }
    assert item["oblast"]["slug"] == "issyk-kul"
    assert set(item["oblast"]["names"]) == {"ky", "ru", "en"}
    assert item["hearings"] == 1
    # 1 not recorded is hidden, and with it the 7 men that would give it back
    assert item["verified_participants"] == {
        "women": 11,
        "men": "x",
        "not_recorded": "x",
        "total": 19,
    }
    from campaigns.models import CampaignPage

    assert get(client, "/api/v2/municipalities/tepke/").json()["campaigns"] == 0  # unpublished
    campaign = CampaignPage.objects.get(slug="budget-is-your-voice", locale__language_code="ky")
    factories.publish_alone(campaign)  # the demo campaign covers Tepke
    assert get(client, "/api/v2/municipalities/tepke/").json()["campaigns"] == 1
    listing = get(client, "/api/v2/municipalities/", oblast="issyk-kul", limit=100).json()
    assert listing["meta"]["total_count"] == len(listing["items"]) > 0
    assert {m["oblast"]["slug"] for m in listing["items"]} == {"issyk-kul"}


def test_participation_lists_verified_records_only_and_filters(client):
    verified = factories.record(municipality("ton"), "hearing_budget", women=9, men=8)
    factories.record(municipality("ton"), "hearing_budget", women=30, men=30, status="submitted")
    training = factories.record(municipality("barpy"), "training_deputies", days_ago=200)
    everything = get(client, "/api/v2/participation/", limit=100).json()
    assert {item["id"] for item in everything["items"]} == {verified.pk, training.pk}
    assert "verified_by" not in everything["items"][0] and "notes" not in everything["items"][0]
    assert ids(get(client, "/api/v2/participation/", municipality="ton")) == [verified.pk]
    assert ids(get(client, "/api/v2/participation/", oblast="jalal-abad")) == [training.pk]
    assert ids(get(client, "/api/v2/participation/", topic="budget")) == [verified.pk]
    assert ids(get(client, "/api/v2/participation/", kind="training_deputies")) == [training.pk]
    start = (timezone.localdate() - timedelta(days=30)).isoformat()
    assert ids(get(client, "/api/v2/participation/", start=start)) == [verified.pk]


def test_unverified_records_are_not_found(client):
    hidden = factories.record(municipality("ton"), status="submitted")
    response = get(client, f"/api/v2/participation/{hidden.pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_indicators_are_the_dashboards_numbers(client):
    factories.record(municipality("ton"), "hearing_budget", women=12, men=10, days_ago=5)
    factories.record(municipality("barpy"), "hearing_tariffs", women=3, men=4, days_ago=6)
    factories.policy(municipality("ton"), in_force_from=date(2026, 1, 5))
    start, end = date(2026, 1, 1), timezone.localdate()
    response = get(client, "/api/v2/indicators/", start=start.isoformat(), end=end.isoformat())
    summary = response.json()["summary"]
    figures = indicator_summary(Scope(start, end))
    # Barpy's 3 women and 4 men are hidden, and so is the split of every sum holding them
    hidden = dict.fromkeys(("women", "men", "not_recorded"), "x")
    expected = {**figures["hearing_participation"], **hidden}
    assert summary == {**figures, "hearing_participation": expected}
    assert figures["hearing_participation"]["women"] == 15
    by_oblast = get(
        client, "/api/v2/indicators/", start=start.isoformat(), oblast="issyk-kul"
    ).json()["summary"]
    assert by_oblast["hearing_participation"]["women"] == 12


def test_labels_follow_the_locale_asked_for(client):
    factories.record(municipality("ton"), "hearing_budget", women=5, men=5, days_ago=3)
    for language, label in (("ru", "Бюджет"), ("en", "Budget")):
        response = client.get(
            "/api/v2/indicators/", {"locale": language}, HTTP_ACCEPT_LANGUAGE="ky"
        )
        topics = response.json()["breakdowns"]["by_topic"]
        assert topics[0]["label"] == label
        oblasts = response.json()["breakdowns"]["by_oblast"]
        assert oblasts[0]["label"] == oblast("issyk-kul", language).title


def test_indicators_list_closed_periods_with_their_fingerprints(client, django_user_model):
    from municipalities.monitoring.models import ReportingPeriod

    manager = django_user_model.objects.create_superuser("pm-api", "p@example.kg", "pw")
    period = ReportingPeriod.objects.create(
        name="2026 Q1", start=date(2026, 1, 1), end=date(2026, 3, 31)
    )
    period.close(manager)
    periods = get(client, "/api/v2/indicators/").json()["reporting_periods"]
    assert periods == [
        {
            "name": "2026 Q1",
            "start": "2026-01-01",
            "end": "2026-03-31",
            "closed_at": period.closed_at.isoformat(),
            "fingerprint": period.published_fingerprint,
        }
    ]
    assert len(period.published_fingerprint) == 64


def test_coverage_is_the_matrix_as_json(client):
    factories.record(municipality("ton"), "training_deputies", days_ago=3)
    matrix = get(client, "/api/v2/coverage/").json()
    ton = next(row for row in matrix["rows"] if row["municipality"] == "ton")
    assert ton["cells"]["training"] == (timezone.localdate() - timedelta(days=3)).isoformat()
    assert matrix["totals"]["training"] == 1
    assert [column["key"] for column in matrix["columns"]][0] == "training"


# Behaviour


@pytest.mark.parametrize(
    "url, parameter",
    [
        ("/api/v2/participation/?start=2026-02-30", "start"),
        ("/api/v2/participation/?limit=101", "limit"),
        ("/api/v2/participation/?offset=-1", "offset"),
        ("/api/v2/participation/?kind=party", "kind"),
        ("/api/v2/participation/?colour=red", "colour"),
        ("/api/v2/indicators/?start=2026-05-01&end=2026-01-01", "end"),
        ("/api/v2/coverage/?organisation=999999", "organisation"),
        ("/api/v2/municipalities/?oblast=mars", "oblast"),
        ("/api/v2/pages/?limit=500", "limit"),
        ("/api/v2/pages/?municipality=mars", "municipality"),
        ("/api/v2/pages/?date_from=yesterday&type=municipalities.HearingPage", "date_from"),
        ("/api/v2/pages/?upcoming=true", "upcoming"),
        ("/api/v2/pages/?locale=de", "locale"),
        ("/api/v2/pages/?order=nothing", "order"),
        ("/api/v2/pages/?offset=9453402088031076352", "offset"),
        ("/api/v2/documents/?offset=9453402088031076352", "offset"),
        ("/api/v2/municipalities/?offset=9453402088031076352", "offset"),
        ("/api/v2/pages/?child_of=99999999999999999999", "child_of"),
    ],
)
def test_an_invalid_parameter_gets_a_400_naming_it(client, url, parameter):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["parameter"] == parameter
    assert body["message"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/pages/999999/",
        "/api/v2/municipalities/mars/",
        "/api/v2/participation/999999/",
        "/api/v2/no-such-thing/",
    ],
)
def test_unknown_ids_get_a_json_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "message" in response.json()


def test_responses_are_cacheable_and_conditional(client):
    response = client.get("/api/v2/municipalities/")
    assert response.status_code == 200
    assert "max-age=" in response["Cache-Control"] and "public" in response["Cache-Control"]
    etag = response["ETag"]
    again = client.get("/api/v2/municipalities/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert client.get("/api/v2/pages/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_any_origin_may_read(client):
    response = client.get("/api/v2/indicators/", HTTP_ORIGIN="https://data.gov.kg")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v2/pages/",
        HTTP_ORIGIN="https://data.gov.kg",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in client.get("/ky/", HTTP_ORIGIN="https://x.example")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/municipalities/?limit={}",
        "/api/v2/participation/?limit={}",
        "/api/v2/pages/?type=municipalities.HearingPage&fields=*&order=-id&limit={}",
        "/api/v2/pages/?type=municipalities.BudgetPage&fields=*&order=-id&limit={}",
        "/api/v2/pages/?type=municipalities.DevelopmentPlanPage&fields=*&order=-id&limit={}",
        "/api/v2/pages/?type=municipalities.MunicipalityPage&fields=*&limit={}",
        "/api/v2/pages/?order=-id&limit={}",
    ],
)
def test_queries_do_not_grow_with_limit(client, url):
    """Newest first, so that both pages of results hold items of the same shape."""
    for slug in ("ton", "barpy", "tepke", "atai", "kara-oi", "ak-korgon"):
        factories.hearing(municipality(slug), days=9, slug=f"q-{slug}")
        factories.budget(municipality(slug), 2026, lines=[("Мектеп", "education", "10", True)])
        factories.record(municipality(slug), women=4, men=4)
        factories.plan(municipality(slug), slug=f"plan-{slug}")
    client.get(url.format(1))  # the site's root paths are cached after the first request
    counts = []
    for limit in (2, 6):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url.format(limit))
        assert response.status_code == 200
        assert len(response.json()["items"]) == limit
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_campaigns_in_the_api_carry_their_reach_at_a_constant_cost(client):
    """Reach is summed in the listing's own query: the same figures as the campaign page."""
    from campaigns.models import (
        CampaignEvent,
        CampaignIndexPage,
        CampaignPage,
        OrganisationCampaignsPage,
    )
    from tests.campaigns.test_campaigns import campaign

    index = CampaignIndexPage.objects.get(locale__language_code="ky")
    section = factories.publish(
        index,
        OrganisationCampaignsPage(
            title="API NGO", slug="api-ngo", organisation=factories.organisation("API NGO")
        ),
    )
    for number in range(6):
        page = campaign(section, slug=f"reach-{number}", title=f"Кампания {number}")
        verified = factories.record(
            municipality("ton"), "campaign_event", women=number + 10, men=12
        )
        submitted = factories.record(
            municipality("ton"),
            "campaign_event",
            women=50,
            men=50,
            status="submitted",
            days_ago=11,
        )
        page.events = [
            CampaignEvent(
                held_on=r.held_on,
                municipality=municipality("ton"),
                title="Жыйын",
                event_format="village_meeting",
                record=r,
            )
            for r in (verified, submitted)
        ]
        factories.publish_alone(page)
    url = "/api/v2/pages/?type=campaigns.CampaignPage&fields=*&order=-id&limit={}"
    client.get(url.format(1))
    counts = []
    for limit in (2, 6):
        with CaptureQueriesContext(connection) as queries:
            items = client.get(url.format(limit)).json()["items"]
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    for item in items:
        page = CampaignPage.objects.get(pk=item["id"])
        assert item["reach"] == page.reach  # the campaign on its own, as its page shows it
    assert {item["reach"]["women"] for item in items} == {10, 11, 12, 13, 14, 15}
