"""The bulk open-data download: what a journalist or the open-data portal gets."""

import csv
import hashlib
import io
import json
import zipfile

import pytest

from tests import factories
from tests.conftest import municipality

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_records")]

FILES = {
    "municipalities.csv",
    "hearings.csv",
    "budgets.csv",
    "budget_lines.csv",
    "plans.csv",
    "resolutions.csv",
    "campaigns.csv",
    "participation.csv",
    "indicators.csv",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def download(client):
    response = client.get("/ky/open-data/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def table(archive, name):
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))))


def test_the_page_offers_the_archive_and_describes_its_files(client):
    for language in ("ky", "ru"):
        response = client.get(f"/{language}/open-data/")
        assert response.status_code == 200
        html = response.content.decode()
        assert f"/{language}/open-data/download/" in html
        assert "participation.csv" in html
        assert "SHA-256" in html
    assert 'href="/ky/open-data/"' in client.get("/ky/").content.decode()  # the footer


def test_the_archive_holds_every_table_described_and_checksummed(client):
    archive = download(client)
    assert set(archive.namelist()) == FILES | {
        "datapackage.json",
        "SHA256SUMS",
        "iati-activities.xml",
    }
    package = json.loads(archive.read("datapackage.json"))
    for resource in package["resources"]:
        body = archive.read(resource["path"])
        assert resource["hash"] == "sha256:" + hashlib.sha256(body).hexdigest()
        header = next(csv.reader(io.StringIO(body.decode("utf-8"))))
        assert [field["name"] for field in resource["schema"]["fields"]] == header
    sums = dict(
        reversed(line.split("  ")) for line in archive.read("SHA256SUMS").decode().splitlines()
    )
    for name, digest in sums.items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest
    assert len(table(archive, "municipalities.csv")) == 21


def test_the_indicators_file_equals_the_api(client):
    factories.record(municipality("ton"), "hearing_budget", women=12, men=10, days_ago=5)
    factories.policy(municipality("ton"), in_force_from=__import__("datetime").date(2026, 1, 5))
    api = client.get("/api/v2/indicators/").json()["summary"]
    rows = {
        row["indicator"]: row
        for row in table(download(client), "indicators.csv")
        if not row["breakdown"]
    }
    assert int(rows["1"]["value"]) == api["policies_in_force"]["value"]
    assert int(rows["2"]["value"]) == api["hearing_participation"]["value"]
    assert int(rows["2"]["women"]) == api["hearing_participation"]["women"] == 12
    assert int(rows["2"]["men"]) == api["hearing_participation"]["men"]
    assert int(rows["3"]["value"]) == api["mobilisation_coverage"]["value"]
    assert int(rows["1"]["target"]) == api["policies_in_force"]["target"]


def test_only_verified_records_and_published_pages_are_in_it(client):
    verified = factories.record(municipality("ton"), women=9, men=9)
    unverified = factories.record(municipality("ton"), women=40, men=40, status="submitted")
    shown = factories.hearing(municipality("ton"), days=12, slug="shown")
    draft = factories.hearing(municipality("ton"), days=13, slug="draft")
    draft.unpublish()
    archive = download(client)
    ids = {int(row["id"]) for row in table(archive, "participation.csv")}
    assert verified.pk in ids and unverified.pk not in ids
    api_ids = {
        item["id"] for item in client.get("/api/v2/participation/", {"limit": 100}).json()["items"]
    }
    assert ids == api_ids
    hearings = {int(row["id"]): row for row in table(archive, "hearings.csv")}
    assert shown.pk in hearings and draft.pk not in hearings
    assert hearings[shown.pk]["municipality"] == "ton"
    assert hearings[shown.pk]["url"] == shown.full_url


def test_publishing_rebuilds_the_archive(client):
    before = {row["id"] for row in table(download(client), "hearings.csv")}
    page = factories.hearing(municipality("barpy"), days=30, slug="new-notice")
    after = {row["id"] for row in table(download(client), "hearings.csv")}
    assert after - before == {str(page.pk)}


def test_the_api_page_describes_every_endpoint(client):
    html = client.get("/ru/open-data/api/").content.decode()
    for endpoint in (
        "/api/v2/pages/",
        "/api/v2/participation/",
        "/api/v2/indicators/",
        "/api/v2/coverage/",
        "/api/v2/municipalities/",
        "/api/v2/schema/",
    ):
        assert endpoint.rstrip("/") in html  # as the OpenAPI document names it
    assert "upcoming" in html


def test_the_command_builds_the_archive_the_page_serves(client, settings):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("build_open_data", stdout=out)
    built = list((settings.MEDIA_ROOT / "open-data").glob("open-data-*.zip"))
    assert len(built) == 1 and str(built[0]) in out.getvalue()
    served = b"".join(client.get("/ky/open-data/download/").streaming_content)
    assert served == built[0].read_bytes()


def test_resolutions_carry_their_title_in_each_language(client):
    factories.resolution(
        municipality("atai"),
        "OD-1",
        title="Бюджетти бекитүү жөнүндө",
        title_ru="Об утверждении бюджета",
        title_en="On adopting the budget",
    )
    rows = {row["number"]: row for row in table(download(client), "resolutions.csv")}
    assert rows["OD-1"]["title"] == "Бюджетти бекитүү жөнүндө"
    assert rows["OD-1"]["title_ru"] == "Об утверждении бюджета"
    assert rows["OD-1"]["title_en"] == "On adopting the budget"


def test_the_archive_follows_every_change_of_a_verified_record(client):
    """Its fingerprint reads the records' version (index lookups and the yearly totals),
    not a count of every record: each change a verifier or an editor makes still shows."""

    def participants():
        return {
            int(row["id"]): (row["women"], row["men"])
            for row in table(download(client), "participation.csv")
        }

    record = factories.record(municipality("ton"), women=9, men=7, status="submitted")
    assert record.pk not in participants()
    record.status = "verified"
    record.save()
    assert participants()[record.pk] == ("9", "7")
    record.women = 11
    record.save()
    record.save_revision()
    assert participants()[record.pk] == ("11", "7")
    record.status = "withdrawn"
    record.save()
    assert record.pk not in participants()
    other = factories.record(municipality("barpy"), women=5, men=5)
    assert other.pk in participants()
    other.delete()
    assert other.pk not in participants()
