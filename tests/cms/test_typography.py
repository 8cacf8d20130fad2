"""Kyrgyz typography on the public site: dates, file sizes and alphabetical order."""

import csv
import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cms.models import SiteDocument
from municipalities.choices import BudgetCategory, HearingDocumentKind
from municipalities.models import HearingDocument
from tests import factories
from tests.conftest import municipality

pytestmark = pytest.mark.django_db

BISHKEK = ZoneInfo("Asia/Bishkek")
CAPITALISED_MONTHS = re.compile(
    r"\b(Январ|Феврал|Март|Апрел|Май|Июн|Июл|Август|Сентябр|Октябр|Ноябр|Декабр)"
)
# The 21 pilots in Kyrgyz alphabetical order (code point order puts Өрүктү, Көк-Мойнок
# and Кош-Дөбө in the wrong places).
KYRGYZ_ORDER = [
    "Ак-Булун", "Ак-Коргон", "Ак-Суу", "Ак-Там", "Атай", "Барпы", "Бел-Алды", "Жыргалан",
    "Кара-Ой", "Кош-Дөбө", "Көк-Мойнок", "Кызыл-Туу", "Могол", "Өрүктү", "Сары-Булун",
    "Сары-Камыш", "Талдуу-Булак", "Тепке", "Терек-Сай", "Тон", "Ырдык",
]  # fmt: skip
JALAL_ABAD = [
    "Ак-Коргон", "Ак-Суу", "Ак-Там", "Атай", "Барпы", "Бел-Алды", "Кош-Дөбө", "Кызыл-Туу",
    "Могол", "Өрүктү", "Сары-Булун", "Сары-Камыш", "Талдуу-Булак", "Терек-Сай",
]  # fmt: skip
ISSYK_KUL = ["Ак-Булун", "Жыргалан", "Кара-Ой", "Көк-Мойнок", "Тепке", "Тон", "Ырдык"]


def text_of(response):
    assert response.status_code == 200
    return response.content.decode().replace("\xa0", " ").replace("\u202f", " ")


def document_of_size(title, size):
    """A public document whose stored size is `size` bytes (what the page shows)."""
    doc = factories.document(title=title)
    SiteDocument.objects.filter(pk=doc.pk).update(file_size=size)
    doc.refresh_from_db()
    return doc


@pytest.fixture
def december_hearing(db):
    """A hearing on 21 December next year at 14:00, proposals until 14 December."""
    barpy = municipality("barpy")
    year = timezone.localdate().year + 1
    hearing = factories.hearing(
        barpy,
        slug="december",
        starts_at=datetime(year, 12, 21, 14, 0, tzinfo=BISHKEK),
        proposals_how="Айыл өкмөтүнө жазуу жүзүндө",
        proposals_deadline=date(year, 12, 14),
        discussion_documents=[
            HearingDocument(
                kind=HearingDocumentKind.DRAFT_BUDGET, document=document_of_size("Долбоор", 637)
            ),
            HearingDocument(
                kind=HearingDocumentKind.OTHER, document=document_of_size("Тиркеме", 1_258_291)
            ),
        ],
    )
    assert hearing.live
    return year


def test_hearing_page_writes_kyrgyz_dates_with_lower_case_months(client, december_hearing):
    year = december_hearing
    page = text_of(client.get("/ky/jalal-abad/barpy/december/"))
    assert f"{year}-жылдын 21-декабры, 14:00" in page
    assert f"{year}-жылдын 14-декабры." in page
    assert "ж.." not in page and " ж." not in page
    assert not CAPITALISED_MONTHS.search(page)


def test_print_view_has_one_full_stop_after_a_date(client, december_hearing):
    year = december_hearing
    page = text_of(client.get("/ky/jalal-abad/barpy/december/print/"))
    assert f"{year}-жылдын 21-декабры, 14:00" in page
    assert f"{year}-жылдын 14-декабры." in page
    assert "ж.." not in page and ".." not in page.split("<body")[1]
    assert not CAPITALISED_MONTHS.search(page)


def test_file_sizes_read_in_kyrgyz(client, december_hearing):
    page = text_of(client.get("/ky/jalal-abad/barpy/december/"))
    assert "637 байт" in page
    assert "1,2 МБ" in page
    assert "бит" not in page and "мегабайт" not in page


def test_russian_dates_keep_the_russian_form_without_a_double_stop(client, december_hearing):
    year = december_hearing
    factories_ru = municipality("barpy", "ru")
    hearing = factories.hearing(
        factories_ru,
        slug="december-ru",
        starts_at=datetime(year, 12, 21, 14, 0, tzinfo=BISHKEK),
        proposals_how="Письменно в айыл окмоту",
        proposals_deadline=date(year, 12, 14),
    )
    page = text_of(client.get(hearing.url))
    assert f"21 декабря {year} г. 14:00" in page
    assert f"До 14 декабря {year} г." in page
    assert "г.." not in page
    english = text_of(client.get("/en/jalal-abad/barpy/"))
    assert "ж." not in english


def test_numbers_have_a_decimal_comma_and_spaced_thousands(client):
    barpy = municipality("barpy")
    lines = [
        ("Бала бакча", BudgetCategory.EDUCATION, "1000", True),
        ("Айыл өкмөтү", BudgetCategory.ADMINISTRATION, "7000", False),
    ]
    budget = factories.budget(
        barpy, 2031, lines=lines, total_revenue=1234567, total_expenditure=7654321
    )
    page = text_of(client.get("/ky/jalal-abad/barpy/"))
    assert "1 234 567" in page and "7 654 321" in page
    assert "1,234,567" not in page
    assert "12,5%" in text_of(client.get(budget.url))  # the gender-responsive share


def names_in(html, start_marker):
    part = html.split(start_marker, 1)[1].split("</ul>", 1)[0]
    return re.findall(r"<a [^>]*>([^<]+)</a>", part)


def test_home_and_oblast_pages_list_municipalities_in_kyrgyz_order(client):
    home = text_of(client.get("/ky/"))
    sections = [part for part in home.split("<section")[1:] if "oblast-card" in part]
    lists = [names_in(part, '<ul class="municipality-list">') for part in sections]
    assert JALAL_ABAD in lists and ISSYK_KUL in lists
    oblast = text_of(client.get("/ky/jalal-abad/"))
    assert names_in(oblast, '<ul class="municipality-list">') == JALAL_ABAD
    assert names_in(text_of(client.get("/ky/issyk-kul/")), 'class="municipality-list"') == (
        ISSYK_KUL
    )


def test_filter_select_boxes_list_municipalities_in_kyrgyz_order(client):
    """Grouped by oblast (nationally 500 of them), in Kyrgyz order within each oblast."""
    for url in ("/ky/hearings/", "/ky/campaigns/", "/ky/indicators/records/"):
        html = text_of(client.get(url))
        select = html.split('name="municipality"', 1)[1].split("</select>", 1)[0]
        groups = re.findall(r"<optgroup[^>]*>(.*?)</optgroup>", select, re.S)
        assert len(groups) == 2, url
        found = []
        for group in groups:
            names = re.findall(r'<option value="[^"]+"[^>]*>([^<]*)<', group)
            assert names == [name for name in KYRGYZ_ORDER if name in names], url
            found += names
        assert sorted(found) == sorted(KYRGYZ_ORDER), url


def test_coverage_page_and_csv_list_municipalities_in_kyrgyz_order(client):
    page = text_of(client.get("/ky/coverage/"))
    rows = re.findall(r'<tr><th scope="row"><a href="[^"]*">([^<]+)</a></th>', page)
    assert rows == KYRGYZ_ORDER
    response = client.get("/ky/coverage/csv/")
    assert response.status_code == 200
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = [row[0] for row in table[1:] if row and row[0] in KYRGYZ_ORDER]
    assert names == KYRGYZ_ORDER


def test_russian_pages_sort_russian_names_alphabetically(client):
    page = text_of(client.get("/ru/jalal-abad/"))
    names = names_in(page, '<ul class="municipality-list">')
    assert names.index("Могол") < names.index("Орукту") < names.index("Сары-Булун")
    assert names[:3] == ["Ак-Коргон", "Ак-Суу", "Ак-Там"]


def test_indicator_export_lists_municipalities_in_kyrgyz_order(client, without_demo_records):
    for slug in ("yrdyk", "oruktu", "mogol", "sary-bulun"):
        factories.record(municipality(slug), days_ago=5)
    today = timezone.localdate()
    params = {"start": (today - timedelta(days=300)).isoformat(), "end": today.isoformat()}
    response = client.get("/ky/indicators/export/csv/", params)
    assert response.status_code == 200
    table = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    names = [cell for row in table for cell in row if cell in KYRGYZ_ORDER]
    assert names == ["Могол", "Өрүктү", "Сары-Булун", "Ырдык"]
