"""Information campaigns: where they appear, what they reached, their materials and reports."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.blocks import StructBlockValidationError
from wagtail.models import Locale

from campaigns.blocks import CampaignImageBlock
from campaigns.models import (
    CampaignEvent,
    CampaignIndexPage,
    CampaignMaterial,
    CampaignMaterialLink,
    CampaignMunicipality,
    CampaignPage,
    OrganisationCampaignsPage,
)
from municipalities.monitoring.indicators import Scope, mobilisation_coverage
from tests import factories
from tests.conftest import municipality

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_records")]


@pytest.fixture
def section():
    index = CampaignIndexPage.objects.get(locale__language_code="ky")
    return factories.publish(
        index,
        OrganisationCampaignsPage(
            title="Test NGO", slug="test-ngo", organisation=factories.organisation("Test NGO")
        ),
    )


def campaign(section, slugs=("ton", "barpy", "atai"), days=(-10, 20), **fields):
    today = timezone.localdate()
    page = CampaignPage(
        title=fields.pop("title", "Үнүңдү бер"),
        slug=fields.pop("slug", "speak-up"),
        goal="Аялдарды угууларга тартуу",
        start_date=today + timedelta(days=days[0]),
        end_date=today + timedelta(days=days[1]),
        audiences=fields.pop("audiences", ["women", "youth"]),
        channels=fields.pop("channels", ["meetings", "radio_tv"]),
        **fields,
    )
    page.covered_municipalities = [
        CampaignMunicipality(municipality=municipality(s)) for s in slugs
    ]
    return factories.publish(section, page)


def test_a_campaign_appears_on_each_covered_municipality_page(client, section):
    campaign(section)
    for oblast, slug in (("issyk-kul", "ton"), ("jalal-abad", "barpy"), ("jalal-abad", "atai")):
        html = client.get(f"/ky/{oblast}/{slug}/").content.decode()
        assert "Үнүңдү бер" in html, slug
    assert "Үнүңдү бер" not in client.get("/ky/jalal-abad/mogol/").content.decode()


def test_a_published_campaign_counts_once_per_municipality_in_indicator_3(section):
    ngo = section.organisation
    campaign(section)
    factories.record(municipality("ton"), "campaign_event", organisation=ngo)
    today = timezone.localdate()
    result = mobilisation_coverage(Scope(today - timedelta(days=365), today))
    keys = {municipality(s).translation_key for s in ("ton", "barpy", "atai")}
    assert result["municipalities"] == keys
    assert result["count"] == 3


def test_an_unpublished_or_past_campaign_does_not_count(section):
    page = campaign(section, days=(-400, -380))
    today = timezone.localdate()
    assert mobilisation_coverage(Scope(today - timedelta(days=30), today))["count"] == 0
    page.end_date = today
    factories.publish_alone(page)
    page.unpublish()
    assert mobilisation_coverage(Scope(today - timedelta(days=30), today))["count"] == 0


def test_reach_sums_verified_records_and_ignores_the_rest(client, section):
    page = campaign(section)
    verified = factories.record(
        municipality("ton"), "campaign_event", women=30, men=12, not_recorded=1
    )
    submitted = factories.record(
        municipality("barpy"), "campaign_event", women=90, men=90, status="submitted"
    )
    page.events = [
        CampaignEvent(
            held_on=verified.held_on,
            municipality=municipality("ton"),
            title="Жыйын",
            event_format="village_meeting",
            record=verified,
        ),
        CampaignEvent(
            held_on=submitted.held_on,
            municipality=municipality("barpy"),
            title="Радио",
            event_format="radio",
            record=submitted,
        ),
    ]
    factories.publish_alone(page)
    # its one record hides 1 not recorded and the 12 men that would give it back: summed
    # over that record alone, the reach hides its split
    assert page.reach == {"women": "x", "men": "x", "not_recorded": "x", "total": 43}
    response = client.get(page.url)
    assert response.context["reach"]["total"] == 43
    html = response.content.decode()
    assert "Жыйын" in html and "Радио" in html

    workbook = load_workbook(io.BytesIO(client.get(page.url + "report/xlsx/").content))
    report = {
        row[0]: row[1]
        for row in workbook.worksheets[0].iter_rows(min_row=2, values_only=True)
        if row[0]
    }
    values = list(report.values())
    assert values.count("x") == 3 and 43 in values
    events = list(workbook.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert [row[4:6] for row in events if row[4] != ""][:1] == [(30, "x")]
    printable = client.get(page.url + "report/")
    assert printable.status_code == 200
    assert ">43<" in printable.content.decode()


def test_the_russian_page_shows_russian_names(client, section):
    page = campaign(section)
    ru = page.copy_for_translation(Locale.objects.get(language_code="ru"), copy_parents=True)
    ru.title = "Твой голос"
    ru.save_revision().publish()
    html = client.get(ru.url).content.decode()
    assert "Твой голос" in html
    assert "Джергалан" not in html and "Тон" in html


def test_listing_filters_by_oblast_municipality_status_and_channel(client, section):
    running = campaign(section, slugs=("ton",), slug="running", title="Running one")
    planned = campaign(
        section,
        slugs=("barpy",),
        days=(10, 40),
        slug="planned",
        title="Planned one",
        channels=["messengers"],
    )
    finished = campaign(
        section, slugs=("atai",), days=(-90, -60), slug="finished", title="Finished one"
    )

    def titles(**params):
        return {c.title for c in client.get("/ky/campaigns/", params).context["campaigns"]}

    ours = {running.title, planned.title, finished.title}
    assert ours <= titles()
    assert titles(oblast="issyk-kul") & ours == {running.title}
    assert titles(municipality="barpy") & ours == {planned.title}
    assert titles(status="planned") & ours == {planned.title}
    assert titles(status="finished") & ours == {finished.title}
    assert titles(channel="messengers") & ours == {planned.title}
    assert client.get("/ky/campaigns/", {"status": "someday"}).status_code == 200


def test_materials_library_filters_and_shows_size_and_format(client, section):
    page = campaign(section)
    poster = CampaignMaterial.objects.create(
        title="Плакат",
        kind="poster",
        language="ky",
        file=factories.document("Плакат", "плакат.pdf"),
    )
    spot = CampaignMaterial.objects.create(
        title="Радио клип", kind="radio_spot", language="ru", link="https://example.kg/spot"
    )
    CampaignMaterial.objects.create(
        title="Unused", kind="poster", language="ky", link="https://example.kg/x"
    )
    page.material_links = [
        CampaignMaterialLink(material=poster),
        CampaignMaterialLink(material=spot),
    ]
    factories.publish_alone(page)

    def titles(**params):
        return {
            m.title for m in client.get("/ky/campaigns/materials/", params).context["materials"]
        }

    assert {"Плакат", "Радио клип"} <= titles()
    assert "Unused" not in titles()
    assert titles(kind="poster") & {"Плакат", "Радио клип"} == {"Плакат"}
    assert titles(language="ru") & {"Плакат", "Радио клип"} == {"Радио клип"}
    assert titles(campaign=page.slug) == {"Плакат", "Радио клип"}
    html = client.get("/ky/campaigns/materials/").content.decode()
    assert "(PDF, " in html


def test_a_campaign_cannot_end_before_it_starts():
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        CampaignPage(
            title="x", slug="x", goal="g", start_date=today, end_date=today - timedelta(days=1)
        ).full_clean(exclude=["path", "depth"])
    assert "end_date" in error.value.message_dict


def test_an_image_needs_its_alt_text():
    block = CampaignImageBlock()
    image = factories.image()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"image": image.pk, "alt_text": " ", "caption": ""}))
    assert block.clean(block.to_python({"image": image.pk, "alt_text": "Жыйын", "caption": ""}))


def test_a_material_needs_a_file_or_a_link_and_alt_text_for_its_preview():
    with pytest.raises(ValidationError) as error:
        CampaignMaterial(title="x", kind="poster", language="ky").full_clean()
    assert "file" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        CampaignMaterial(
            title="x",
            kind="poster",
            language="ky",
            link="https://example.kg",
            preview=factories.image(),
        ).full_clean()
    assert "preview_alt" in error.value.message_dict


def test_campaigns_are_in_the_api(client, section):
    page = campaign(section)
    response = client.get(
        "/api/v2/pages/",
        {
            "type": "campaigns.CampaignPage",
            "fields": "start_date,channels,audiences,covered_municipalities,reach,status",
        },
    )
    item = next(i for i in response.json()["items"] if i["id"] == page.pk)
    assert item["channels"] == ["meetings", "radio_tv"]
    assert item["status"] == "running"
    assert len(item["covered_municipalities"]) == 3
    assert item["reach"]["total"] == 0


def test_campaign_materials_are_in_the_api_with_format_and_size(client, section):
    page = campaign(section)
    poster = CampaignMaterial.objects.create(
        title="Плакат", kind="poster", language="ky", file=factories.document("Плакат", "p.pdf")
    )
    page.material_links = [CampaignMaterialLink(material=poster)]
    factories.publish_alone(page)
    item = client.get(f"/api/v2/pages/{page.pk}/").json()
    material = item["material_links"][0]["material"]
    assert material["title"] == "Плакат"
    assert material["kind"] == "poster"
    assert material["file"]["format"] == "PDF"
    assert material["file"]["size"] > 0


def test_municipality_pages_keep_a_fixed_number_of_queries_with_campaigns(
    client, section, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    campaign(section, slug="one")
    client.get("/ky/issyk-kul/ton/")
    with CaptureQueriesContext(connection) as baseline:
        client.get("/ky/issyk-kul/ton/")
    for n in range(4):
        campaign(section, slug=f"more-{n}")
    with django_assert_max_num_queries(len(baseline)):
        client.get("/ky/issyk-kul/ton/")


def campaign_form(section, municipalities):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    return nested_form_data(
        {
            "title": "Жаңы кампания",
            "slug": "new-campaign",
            "goal": "Максат",
            "start_date": "2026-12-01",
            "end_date": "2027-01-31",
            "covered_municipalities": inline_formset(
                [{"municipality": m.pk} for m in municipalities]
            ),
            "audiences": ["women"],
            "channels": ["meetings"],
            "body": streamfield([]),
            "material_links": inline_formset([]),
            "events": inline_formset([]),
            "final_report": "",
            "comments": inline_formset([]),
        }
    )


def test_a_campaign_outside_the_organisations_municipalities_is_refused(
    client, django_user_model, section
):
    from django.urls import reverse

    section.organisation.municipalities.set([municipality("ton")])
    client.force_login(django_user_model.objects.create_superuser("s", "s@example.kg", "pw"))
    url = reverse("wagtailadmin_pages:add", args=["campaigns", "campaignpage", section.pk])
    refused = client.post(url, campaign_form(section, [municipality("ton"), municipality("barpy")]))
    assert refused.status_code == 200
    assert not CampaignPage.objects.filter(slug="new-campaign").exists()
    assert "Test NGO" in refused.content.decode()
    accepted = client.post(url, campaign_form(section, [municipality("ton")]))
    assert accepted.status_code == 302
    assert CampaignPage.objects.filter(slug="new-campaign").exists()


def test_end_before_start_is_refused_in_the_admin(client, django_user_model, section):
    from django.urls import reverse

    client.force_login(django_user_model.objects.create_superuser("s2", "s2@example.kg", "pw"))
    url = reverse("wagtailadmin_pages:add", args=["campaigns", "campaignpage", section.pk])
    data = campaign_form(section, [municipality("ton")])
    data["end_date"] = "2026-11-01"
    assert client.post(url, data).status_code == 200
    assert not CampaignPage.objects.filter(slug="new-campaign").exists()


def row_page(matrix, row):
    """The page of the table that shows `row`."""
    from municipalities.monitoring.views import COVERAGE_ROWS_PER_PAGE

    return matrix["rows"].index(row) // COVERAGE_ROWS_PER_PAGE + 1


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_every_coverage_column_shows_its_latest_date(client, section, language):
    """The page columns (held hearing, draft plan, draft budget) and the date columns
    (resolution, policy, campaign) are read as two queries: each still lands in its cell."""
    from municipalities.choices import BudgetStage, PlanStage

    today = timezone.localdate()
    tepke = municipality("tepke")
    factories.hearing(tepke, days=-5, slug="held-hearing")
    factories.hearing(tepke, days=-40, slug="older-hearing")
    factories.plan(tepke, stage=PlanStage.DRAFT, slug="draft-plan")
    factories.budget(tepke, today.year + 3, stage=BudgetStage.DRAFT)
    factories.resolution(tepke, adopted_on=today - timedelta(days=12))
    factories.resolution(tepke, number="2", adopted_on=today - timedelta(days=50))
    factories.policy(tepke, in_force_from=today - timedelta(days=20))
    campaign(section, slugs=("tepke",), days=(-8, 20))
    params = {"start": (today - timedelta(days=100)).isoformat(), "end": today.isoformat()}
    matrix = client.get(f"/{language}/coverage/", params).context["matrix"]
    columns = [key for key, *_ in matrix["columns"]]
    row = next(row for row in matrix["rows"] if row["municipality"].slug == "tepke")
    here = municipality("tepke", language)
    assert row["url"] == here.url and row["municipality"].title == here.title
    assert (
        f'<a href="{here.url}">{here.title}</a>'
        in client.get(
            f"/{language}/coverage/", {**params, "page": row_page(matrix, row)}
        ).content.decode()
    )
    cells = dict(zip(columns, row["cells"], strict=True))
    held = timezone.localtime(timezone.now() - timedelta(days=5)).date()
    assert cells["hearing"] == held
    assert cells["draft_plan"] == today and cells["draft_budget"] == today
    assert cells["resolution"] == today - timedelta(days=12)
    assert cells["policy"] == today - timedelta(days=20)
    assert cells["campaign"] == today - timedelta(days=8)
    assert cells["training"] is None
    other = next(row for row in matrix["rows"] if row["municipality"].slug == "mogol")
    assert dict(zip(columns, other["cells"], strict=True))["campaign"] is None
