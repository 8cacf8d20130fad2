"""The IATI activity file as a donor's system reads it: valid against the IATI 2.03 activity
schema, the three indicators as results with a period per reporting period, indicator 2 by
sex, and the same figures as /api/v2/indicators/ for the same days."""

import io
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from lxml import etree

from municipalities.monitoring.models import IndicatorSettings, ReportingPeriod
from tests import factories
from tests.conftest import municipality

pytestmark = pytest.mark.django_db

SCHEMA = Path(__file__).resolve().parents[1] / "iati-2.03" / "iati-activities-schema.xsd"
ADDRESS = "/open-data/iati-activities.xml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def activity_file(client):
    response = client.get(ADDRESS)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def results(tree):
    return tree.findall("iati-activity/result")


def by_period(indicator):
    """{(start, end): {"target": [...], "actual": {dimension or None: value}}}."""
    found = {}
    for period in indicator.findall("period"):
        key = (
            period.find("period-start").get("iso-date"),
            period.find("period-end").get("iso-date"),
        )
        actual = {}
        for element in period.findall("actual"):
            dimension = element.find("dimension")
            actual[dimension.get("value") if dimension is not None else None] = int(
                element.get("value")
            )
        targets = {}
        for element in period.findall("target"):
            dimension = element.find("dimension")
            targets[dimension.get("value") if dimension is not None else None] = int(
                element.get("value")
            )
        found[key] = {"actual": actual, "target": targets}
    return found


@pytest.fixture
def periods(django_user_model):
    """A closed first half of the year and an open second half, with records in each."""
    manager = django_user_model.objects.create_superuser("pm", "pm@example.kg", "pw")
    today = timezone.localdate()
    middle = today - timedelta(days=20)
    first = ReportingPeriod.objects.create(
        name="Биринчи", name_ru="Первый", start=date(today.year - 1, 1, 1), end=middle
    )
    second = ReportingPeriod.objects.create(
        name="Экинчи", name_ru="Второй", start=middle + timedelta(days=1), end=today
    )
    factories.record(municipality("ton"), "hearing_budget", women=31, men=27, days_ago=5)
    factories.record(municipality("barpy"), "hearing_tariffs", women=14, men=12, days_ago=3)
    first.close(manager)
    return first, second


def test_the_file_is_valid_iati_2_03(client, schema, periods):
    tree = activity_file(client)
    assert tree.get("version") == "2.03"
    assert schema.validate(tree), schema.error_log
    activity = tree.find("iati-activity")
    reporting = activity.find("reporting-org").get("ref")
    assert activity.findtext("iati-identifier").startswith(reporting + "-")
    # the partner NGOs implement it; the municipalities are its locations, in Kyrgyzstan
    assert activity.findall("participating-org[@role='4']")
    assert activity.find("recipient-country").get("code") == "KG"
    slugs = {location.get("ref") for location in activity.findall("location")}
    assert {"ton", "barpy", "ak-korgon"} <= slugs
    # the title in English, Kyrgyz and Russian
    title = {n.get(XML_LANG): n.text for n in activity.findall("title/narrative")}
    assert set(title) == {None, "ky", "ru"} and len(set(title.values())) == 3


def test_the_schema_check_can_fail(client, schema):
    tree = activity_file(client)
    activity = tree.find("iati-activity")
    activity.remove(activity.find("iati-identifier"))
    assert not schema.validate(tree)


def test_three_results_with_a_period_each_and_indicator_2_by_sex(client, periods):
    settings = IndicatorSettings.load()
    settings.suppress_small_cells = False
    settings.participants_target = 500
    settings.women_target = 250
    settings.save()
    tree = activity_file(client)
    assert len(results(tree)) == 3
    first, second = periods
    for result in results(tree):
        indicator = result.find("indicator")
        assert indicator.find("baseline").get("value") == "0"
        found = by_period(indicator)
        assert set(found) == {
            (first.start.isoformat(), first.end.isoformat()),
            (second.start.isoformat(), second.end.isoformat()),
        }
    participation = by_period(results(tree)[1].find("indicator"))
    for figures in participation.values():
        actual = figures["actual"]
        assert set(actual) == {None, "female", "male", "not recorded"}
        assert actual["female"] + actual["male"] + actual["not recorded"] == actual[None]
        assert figures["target"] == {None: 500, "female": 250}


@pytest.mark.parametrize("suppress", [False, True])
def test_the_figures_are_those_of_the_api_for_the_same_periods(client, periods, suppress):
    settings = IndicatorSettings.load()
    settings.suppress_small_cells = suppress
    settings.save()
    tree = activity_file(client)
    keys = ["policies_in_force", "hearing_participation", "mobilisation_coverage"]
    for key, result in zip(keys, results(tree), strict=True):
        for (start, end), figures in by_period(result.find("indicator")).items():
            api = client.get("/api/v2/indicators/", {"start": start, "end": end}).json()
            figure = api["summary"][key]
            assert figures["actual"].get(None) == figure["value"], (key, start)
            if key == "hearing_participation":
                for field, sex in (("women", "female"), ("men", "male")):
                    # a count the API hides ("x") is not in the file at all
                    expected = figure[field] if isinstance(figure[field], int) else None
                    assert figures["actual"].get(sex) == expected, (sex, start)


def test_a_closed_period_keeps_its_frozen_figures(client, periods):
    first, _second = periods
    before = by_period(results(activity_file(client))[1].find("indicator"))
    key = (first.start.isoformat(), first.end.isoformat())
    # a record verified later, inside the closed period, does not change its report
    factories.record(municipality("tepke"), "hearing_budget", women=40, men=40, days_ago=30)
    after = by_period(results(activity_file(client))[1].find("indicator"))
    assert after[key] == before[key]


def test_the_archive_carries_the_same_file(client, periods):
    archive = b"".join(client.get("/ky/open-data/download/").streaming_content)
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        assert opened.read("iati-activities.xml") == client.get(ADDRESS).content
        sums = opened.read("SHA256SUMS").decode()
    assert "iati-activities.xml" in sums
    page = client.get("/ru/open-data/").content.decode()
    assert ADDRESS in page
