"""Downloads offered on a page speak the page's language; files for programs keep machine names
and describe themselves in Kyrgyz, Russian and English."""

import csv
import datetime
import io
import json
import re
import zipfile
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook
from wagtail.models import Locale

from campaigns.models import (
    CampaignEvent,
    CampaignIndexPage,
    CampaignPage,
    OrganisationCampaignsPage,
)
from municipalities.choices import BudgetCategory, HearingTopic
from municipalities.monitoring.models import ReportingPeriod
from tests import factories
from tests.conftest import municipality

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_records")]

CYRILLIC = re.compile(r"[а-яёөүң]", re.IGNORECASE)
# codes that must not reach a person's file: the label stands in their place
CODES = {"budget", "hearing_budget", "hearing_tariffs", "verified", "True", "False", "topic"}

# a couple of exact headers per language
WOMEN = {"ky": "Аялдар", "ru": "Женщины"}
MEN = {"ky": "Эркектер", "ru": "Мужчины"}
NOT_RECORDED = {"ky": "Жынысы белгиленген эмес", "ru": "Пол не указан"}
MUNICIPALITY = {"ky": "Айыл өкмөтү", "ru": "Айыл окмоту"}
TOPIC = {"ky": "Тема", "ru": "Тема"}
BUDGET_TOPIC = {"ky": "Бюджет", "ru": "Бюджет"}
HEARING_ON_BUDGET = {
    "ky": "Бюджет боюнча коомдук угуулар",
    "ru": "Общественные слушания по бюджету",
}
LANGUAGES = ("ky", "ru")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def records():
    ngo = factories.organisation("Демо НКО")
    factories.record(
        municipality("ton"),
        "hearing_budget",
        women=12,
        men=9,
        not_recorded=3,
        organisation=ngo,
        verified_at=timezone.now(),
    )
    factories.record(municipality("barpy"), "hearing_tariffs", women=20, men=15)


def period():
    today = timezone.localdate()
    return {"start": (today - timedelta(days=200)).isoformat(), "end": today.isoformat()}


def csv_rows(response):
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_sheets(response):
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    return [list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets]


def cells(rows):
    return {str(value) for row in rows for value in row if value is not None}


@pytest.mark.parametrize("language", LANGUAGES)
def test_indicator_exports_have_translated_headers_and_labels(client, records, language):
    rows = csv_rows(client.get(f"/{language}/indicators/export/csv/", period()))
    header = rows[0]
    assert WOMEN[language] in header and MEN[language] in header
    assert NOT_RECORDED[language] in header
    assert "women" not in header and "indicator" not in header
    topic_rows = [row for row in rows if row[1] == TOPIC[language]]
    assert BUDGET_TOPIC[language] in {row[2] for row in topic_rows}
    assert not cells(rows) & CODES

    (sheet,) = xlsx_sheets(client.get(f"/{language}/indicators/export/xlsx/", period()))
    assert list(sheet[0]) == header
    participation = sheet[2]
    assert participation[0] == 2
    assert participation[3] == 59 and isinstance(participation[3], int)
    assert participation[5] == 32 and isinstance(participation[5], int)
    assert not cells(sheet) & CODES


@pytest.mark.parametrize("language", LANGUAGES)
def test_record_exports_have_translated_headers_codes_and_typed_cells(client, records, language):
    params = {**period(), "indicator": "2", "topic": "budget"}
    rows = csv_rows(client.get(f"/{language}/indicators/records/export/csv/", params))
    header = rows[0]
    assert header[:3] == [
        {"ky": "Жазуу", "ru": "Запись"}[language],
        {"ky": "Күнү", "ru": "Дата"}[language],
        MUNICIPALITY[language],
    ]
    assert WOMEN[language] in header
    row = dict(zip(header, rows[1], strict=True))
    assert row[MUNICIPALITY[language]] == municipality("ton", language).title
    assert (
        row[{"ky": "Иш-чаранын түрү", "ru": "Вид мероприятия"}[language]]
        == (HEARING_ON_BUDGET[language])
    )
    assert row[TOPIC[language]] == BUDGET_TOPIC[language]
    assert row[WOMEN[language]] == "12"
    assert not cells(rows) & CODES

    (sheet,) = xlsx_sheets(client.get(f"/{language}/indicators/records/export/xlsx/", params))
    assert list(sheet[0]) == header
    record = dict(zip(header, sheet[1], strict=True))
    held = record[header[1]]
    assert isinstance(held, datetime.date)
    assert held.date() == timezone.localdate() - timedelta(days=10)
    assert isinstance(record[header[-1]], datetime.date)  # verified on
    assert record[WOMEN[language]] == 12 and isinstance(record[header[9]], int)

    # JSON is for programs: machine keys and codes
    payload = json.loads(client.get(f"/{language}/indicators/records/export/json/", params).content)
    assert payload[0]["kind"] == "hearing_budget" and payload[0]["topic"] == "budget"
    assert payload[0]["women"] == 12


@pytest.mark.parametrize("language", LANGUAGES)
def test_coverage_csv_in_the_page_language(client, records, language):
    rows = csv_rows(client.get(f"/{language}/coverage/csv/", period()))
    assert rows[0][:3] == [
        MUNICIPALITY[language],
        "Идентификатор (slug)",
        {"ky": "Тренинг өткөрүлдү", "ru": "Проведён тренинг"}[language],
    ]
    assert {"ky": "Коомдук угуулар өткөрүлдү", "ru": "Проведены общественные слушания"}[
        language
    ] in rows[0]
    names = {row[0] for row in rows[1:-1]}
    assert municipality("ton", language).title in names
    assert "hearing" not in rows[0] and "municipality" not in rows[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_budget_lines_csv_in_the_page_language(client, language):
    mogol = municipality("mogol")
    budget = factories.budget(
        mogol,
        2026,
        lines=[
            ("Мектептер", BudgetCategory.EDUCATION, "500000", False),
            ("Аялдар кеңеши", BudgetCategory.SOCIAL, "40000", True),
        ],
    )
    if language != "ky":
        translated = budget.copy_for_translation(Locale.objects.get(language_code=language))
        translated.save_revision().publish()
        budget = translated
    rows = csv_rows(client.get(budget.url + "csv/"))
    expected = {
        "ky": [
            "Бюджеттин беренеси",
            "Чыгашалардын тармагы",
            "Пландалган, сом",
            "Аткарылган, сом",
            "Гендердик теңчиликке багытталган",
        ],
        "ru": [
            "Статья бюджета",
            "Направление расходов",
            "Запланировано, сом",
            "Исполнено, сом",
            "Направлено на гендерное равенство",
        ],
    }[language]
    assert rows[0] == expected
    assert (
        rows[1][1]
        == {"ky": "Билим берүү жана бала бакчалар", "ru": "Образование и детские сады"}[language]
    )
    assert [row[4] for row in rows[1:]] == [
        {"ky": "жок", "ru": "нет"}[language],
        {"ky": "ооба", "ru": "да"}[language],
    ]
    assert Decimal(rows[1][2]) == Decimal("500000")
    assert not cells(rows) & {"education", "social", "yes", "no", "True", "False"}


@pytest.fixture
def campaign_page():
    index = CampaignIndexPage.objects.get(locale__language_code="ky")
    section = factories.publish(
        index,
        OrganisationCampaignsPage(
            title="Test NGO", slug="test-ngo", organisation=factories.organisation("Test NGO")
        ),
    )
    today = timezone.localdate()
    record = factories.record(municipality("ton"), "campaign_event", women=30, men=12)
    page = CampaignPage(
        title="Үнүңдү бер",
        slug="speak-up",
        goal="Аялдарды угууларга тартуу",
        start_date=today - timedelta(days=10),
        end_date=today + timedelta(days=20),
        audiences=["women"],
        channels=["meetings"],
    )
    page.events = [
        CampaignEvent(
            held_on=record.held_on,
            municipality=municipality("ton"),
            title="Жыйын",
            event_format="village_meeting",
            record=record,
        )
    ]
    return factories.publish(section, page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_campaign_report_xlsx_in_the_page_language(client, campaign_page, language):
    page = campaign_page
    if language != "ky":
        page = page.copy_for_translation(
            Locale.objects.get(language_code=language), copy_parents=True
        )
        page.save_revision().publish()
    summary, events, _materials = xlsx_sheets(client.get(page.url + "report/xlsx/"))
    labels = dict(row[:2] for row in summary[1:] if row[0])
    start = labels[{"ky": "Мезгилдин башы", "ru": "Начало периода"}[language]]
    assert isinstance(start, datetime.datetime)
    assert start.date() == campaign_page.start_date
    assert labels[WOMEN[language]] == 30
    assert events[0][:2] == ({"ky": "Күнү", "ru": "Дата"}[language], MUNICIPALITY[language])
    held_on, place = events[1][:2]
    assert isinstance(held_on, datetime.datetime)
    assert place == municipality("ton", language).title
    assert events[1][4] == 30 and isinstance(events[1][4], int)


@pytest.mark.parametrize("language", LANGUAGES)
def test_closed_period_report_xlsx_in_the_page_language(
    client, records, django_user_model, language
):
    manager = django_user_model.objects.create_superuser("m", "m@example.kg", "pw")
    today = timezone.localdate()
    report = ReportingPeriod.objects.create(name="2026", start=date(today.year, 1, 1), end=today)
    report.close(manager)
    summary, ids = xlsx_sheets(client.get(f"/{language}/indicators/reports/{report.pk}/xlsx/"))
    labels = {row[0]: row[1:] for row in summary[1:] if row[0]}
    start = labels[{"ky": "Мезгилдин башы", "ru": "Начало периода"}[language]][0]
    assert isinstance(start, datetime.datetime) and start.date() == date(today.year, 1, 1)
    closed = labels[{"ky": "Жабылган убактысы", "ru": "Дата закрытия"}[language]][0]
    assert isinstance(closed, datetime.datetime)
    header = labels[{"ky": "Индикатор", "ru": "Индикатор"}[language]]
    assert WOMEN[language] in header and MEN[language] in header
    participation = next(row for key, row in labels.items() if key.startswith("2."))
    assert participation[0] == 59 and isinstance(participation[0], int)
    assert all(isinstance(row[0], int) for row in ids[1:])


def archive(client):
    response = client.get("/ky/open-data/download/")
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def valid(kind, value):
    if value == "":
        return True
    checks = {
        "integer": lambda v: re.fullmatch(r"-?\d+", v),
        "number": lambda v: Decimal(v) is not None,
        "date": date.fromisoformat,
        "datetime": datetime.datetime.fromisoformat,
        "boolean": lambda v: v in {"True", "False", "true", "false"},
    }
    try:
        return bool(checks.get(kind, lambda v: True)(value))
    except ValueError:
        return False


def test_datapackage_describes_every_file_and_column_in_three_languages(client, records):
    factories.record(municipality("atai"), "hearing_priorities", women=1, men=1)  # total "<5"
    files = archive(client)
    package = json.loads(files.read("datapackage.json"))
    assert package["profile"] == "tabular-data-package"
    assert len(package["resources"]) == 9

    def check(item):
        for key in ("title", "description"):
            texts = item[f"{key}s"]
            assert set(texts) == {"ky", "ru", "en"}
            assert item[key] == texts["en"] and texts["en"]
            for language in LANGUAGES:
                assert CYRILLIC.search(texts[language]), (item.get("name"), key, language)

    check(package)
    for resource in package["resources"]:
        check(resource)
        header = next(csv.reader(io.StringIO(files.read(resource["path"]).decode("utf-8"))))
        fields = resource["schema"]["fields"]
        assert [field["name"] for field in fields] == header  # stable machine names
        for field in fields:
            assert re.fullmatch(r"[a-z_0-9]+", field["name"])
            assert field["type"] in {"string", "integer", "number", "date", "datetime", "boolean"}
            check(field)
        # every cell is valid for its declared type, or one of the schema's marks of a
        # value withheld (a small count reads "x")
        missing = resource["schema"].get("missingValues", [""])
        body = io.StringIO(files.read(resource["path"]).decode("utf-8"))
        for row in csv.DictReader(body):
            for field in fields:
                value = row[field["name"]]
                assert value in missing or valid(field["type"], value), (resource["name"], field)
    participation = next(r for r in package["resources"] if r["name"] == "participation")
    women = next(f for f in participation["schema"]["fields"] if f["name"] == "women")
    assert women["titles"]["ru"] == "Женщины" and women["titles"]["ky"] == "Аялдар"
    rows = list(csv.DictReader(io.StringIO(files.read("participation.csv").decode("utf-8"))))
    assert {row["kind"] for row in rows} >= {"hearing_budget", "hearing_tariffs"}  # codes


def listed_files(html):
    block = html.split('class="open-data-files"', 1)[1].split("</ul>", 1)[0]
    return {
        name: re.sub(r"<[^>]+>", "", text).strip()
        for name, text in re.findall(r"<code>([a-z_]+)\.csv</code>:(.*?)</li>", block, re.S)
    }


def test_the_open_data_page_describes_all_nine_files_in_its_language(client):
    english = listed_files(client.get("/en/open-data/").content.decode())
    assert len(english) == 9
    for language in LANGUAGES:
        described = listed_files(client.get(f"/{language}/open-data/").content.decode())
        assert described.keys() == english.keys()
        for name, text in described.items():
            assert CYRILLIC.search(text), (language, name)
            assert text != english[name]
            for sentence in filter(None, english[name].split(". ")):
                assert sentence.strip(". ") not in text, (language, name)
    ru = listed_files(client.get("/ru/open-data/").content.decode())
    assert ru["participation"].startswith("Подтверждённые записи об участии")


def parameter_descriptions(html):
    return re.findall(
        r'<tr><th scope="row"><code>([a-z_]+)</code></th><td>[^<]*</td><td>(.*?)</td></tr>', html
    )


def test_the_api_page_describes_parameters_in_the_page_language(client):
    html = client.get("/ru/open-data/api/").content.decode()
    described = parameter_descriptions(html)
    assert len(described) > 30
    for name, text in described:
        assert CYRILLIC.search(re.sub(r'<span class="enum">.*?</span>', "", text)), name
    assert "Элементов на странице, не более 100 (по умолчанию 20)." in html
    assert "Подтверждённые записи об участии: численность по полу, никогда не имена." in html
    assert "Items per page" not in html and "Full-text search" not in html
    ky = client.get("/ky/open-data/api/").content.decode()
    assert "Толук тексттик издөө." in ky


def test_the_api_page_says_what_each_code_means_in_the_page_language(client):
    with translation.override("ru"):
        budget = str(HearingTopic.BUDGET.label)
    assert f"budget ({budget})" in client.get("/ru/open-data/api/").content.decode()
    with translation.override("ky"):
        budget = str(HearingTopic.BUDGET.label)
    assert f"budget ({budget})" in client.get("/ky/open-data/api/").content.decode()
    schema = client.get("/api/v2/schema/").json()  # the machine document keeps its codes
    topic = next(
        p for p in schema["paths"]["/api/v2/pages"]["get"]["parameters"] if p["name"] == "topic"
    )
    assert "budget" in topic["schema"]["enum"]


def test_the_machine_schema_stays_english(client):
    response = client.get("/api/v2/schema/", HTTP_ACCEPT_LANGUAGE="ru")
    body = response.json()
    limit = next(
        p
        for p in body["paths"]["/api/v2/participation"]["get"]["parameters"]
        if p["name"] == "limit"
    )
    assert limit["description"] == "1 to 100; 20 by default."
    assert body["paths"]["/api/v2/pages"]["get"]["summary"] == (
        "Published public pages of every type."
    )
