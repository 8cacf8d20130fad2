"""The headless API serves the same hearings and budgets as the pages."""

import pytest

from tests import factories
from tests.conftest import municipality

pytestmark = pytest.mark.django_db


def test_hearings_and_budgets_are_in_the_pages_api(client):
    kara_oi = municipality("kara-oi")
    hearing = factories.hearing(kara_oi, days=9, slug="api", title="API угуулар", topic="budget")
    factories.budget(kara_oi, 2026, lines=[("Мектеп", "education", "1000", True)])
    response = client.get(
        "/api/v2/pages/",
        {
            "type": "municipalities.HearingPage",
            "fields": "topic,status,starts_at,venue,fiscal_year,discussion_documents",
            "child_of": kara_oi.pk,
        },
    )
    assert response.status_code == 200
    item = response.json()["items"][0]
    assert item["title"] == "API угуулар"
    assert item["topic"] == "budget"
    assert item["status"] == "upcoming"
    assert item["fiscal_year"] == hearing.fiscal_year
    assert item["starts_at"].endswith("+06:00")

    budgets = client.get(
        "/api/v2/pages/",
        {
            "type": "municipalities.BudgetPage",
            "fields": "fiscal_year,lines",
            "child_of": kara_oi.pk,
        },
    ).json()["items"]
    assert budgets[0]["lines"][0]["name"] == "Мектеп"
    assert budgets[0]["lines"][0]["gender_responsive"] is True


def test_drafts_are_not_in_the_api(client):
    kara_oi = municipality("kara-oi")
    hearing = factories.hearing(kara_oi, days=9, slug="secret")
    hearing.unpublish()
    response = client.get("/api/v2/pages/", {"type": "municipalities.HearingPage"})
    assert hearing.pk not in [item["id"] for item in response.json()["items"]]
