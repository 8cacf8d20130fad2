"""Budgets: figures, the citizens' summary, the CSV of lines, year-to-year comparison."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from municipalities.choices import BudgetCategory, BudgetStage
from municipalities.models import BudgetLine, BudgetPage
from tests import factories
from tests.conftest import municipality

pytestmark = pytest.mark.django_db

LINES = [
    ("Мектептер", BudgetCategory.EDUCATION, "500000", False),
    ("Балдар бакчасы", BudgetCategory.EDUCATION, "300000", True),
    ("Суу түтүгү", BudgetCategory.UTILITIES, "150000", True),
    ("Аппарат", BudgetCategory.ADMINISTRATION, "50000", False),
]


@pytest.fixture
def mogol():
    return municipality("mogol")


def test_budget_page_shows_totals_summary_and_lines(client, mogol):
    factories.budget(
        mogol,
        2026,
        lines=LINES,
        total_revenue=Decimal("1000000"),
        total_expenditure=Decimal("1000000"),
    )
    response = client.get("/ky/jalal-abad/mogol/budget-2026-adopted/")
    assert response.status_code == 200
    summary = response.context["summary"]
    assert [area["planned"] for area in summary["areas"]] == [
        Decimal("800000"),
        Decimal("150000"),
        Decimal("50000"),
    ]
    assert summary["areas"][0]["share"] == Decimal("80.0")
    assert summary["gender_responsive"] == Decimal("450000")
    assert summary["gender_responsive_share"] == Decimal("45.0")
    html = response.content.decode()
    assert "<svg" in html and "<table" in html
    assert "Балдар бакчасы" in html
    assert "80.0%" in html or "80,0%" in html


def test_budget_renders_in_russian(client, mogol):
    budget = factories.budget(mogol, 2026, lines=LINES)
    from wagtail.models import Locale

    ru = budget.copy_for_translation(Locale.objects.get(language_code="ru"))
    ru.title = "Бюджет на 2026 год"
    ru.save_revision().publish()
    response = client.get("/ru/jalal-abad/mogol/budget-2026-adopted/")
    assert response.status_code == 200
    assert "Бюджет на 2026 год" in response.content.decode()
    assert '<html lang="ru"' in response.content.decode()


def test_budget_lines_download_as_csv_with_kyrgyz_letters(client, mogol):
    factories.budget(mogol, 2026, lines=LINES)
    response = client.get("/ky/jalal-abad/mogol/budget-2026-adopted/csv/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "budget-mogol-2026.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    # headers and yes/no in the page's language (Kyrgyz)
    assert [row["Бюджеттин беренеси"] for row in rows] == [line[0] for line in LINES]
    assert rows[1]["Гендердик теңчиликке багытталган"] == "ооба"
    assert Decimal(rows[0]["Пландалган, сом"]) == Decimal("500000")


def test_municipality_page_compares_budgets_year_to_year(client, mogol):
    factories.budget(mogol, 2025, lines=LINES[:2], total_revenue=Decimal("900000"))
    factories.budget(mogol, 2026, lines=LINES, total_revenue=Decimal("1000000"))
    response = client.get("/ky/jalal-abad/mogol/")
    budgets = response.context["budgets"]
    assert [b.fiscal_year for b in budgets] == [2026, 2025]
    assert budgets[0].gender_responsive_share == Decimal("45.0")
    assert budgets[1].gender_responsive_share == Decimal("37.5")
    html = response.content.decode()
    assert "1\xa0000\xa0000" in html  # Kyrgyz groups thousands with non-breaking spaces


def test_transparency_checklist_shows_what_is_present_and_missing(client, mogol):
    factories.budget(mogol, 2027, stage=BudgetStage.DRAFT)
    factories.hearing(mogol, days=-5, slug="budget-hearing", topic="budget", fiscal_year=2027)
    factories.budget(mogol, 2027, stage=BudgetStage.ADOPTED, lines=LINES)
    response = client.get("/ky/jalal-abad/mogol/")
    year = next(y for y in response.context["budget_checklist"] if y["year"] == 2027)
    present = {item["key"]: item["present"] for item in year["items"]}
    assert present == {
        "draft_before_hearing": False,  # the draft was published after the hearing date
        "hearing_held": True,
        "adopted": True,
        "citizens_summary": True,
        "execution_report": False,
    }
    assert not year["complete"]
    assert 'class="missing"' in response.content.decode()


def test_draft_published_before_the_hearing_is_ticked(client, mogol):
    factories.budget(mogol, 2028, stage=BudgetStage.DRAFT)
    factories.hearing(mogol, days=3, slug="soon-budget", topic="budget", fiscal_year=2028)
    response = client.get("/ky/jalal-abad/mogol/")
    year = next(y for y in response.context["budget_checklist"] if y["year"] == 2028)
    present = {item["key"]: item["present"] for item in year["items"]}
    assert present["draft_before_hearing"] is True
    assert present["hearing_held"] is False


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"fiscal_year": 1999}, "fiscal_year"),
        ({"fiscal_year": 2101}, "fiscal_year"),
        ({"total_revenue": Decimal("-1")}, "total_revenue"),
    ],
)
def test_impossible_budgets_are_refused(fields, field):
    values = {"title": "b", "slug": "b", "fiscal_year": 2026, "stage": BudgetStage.ADOPTED}
    values.update(fields)
    with pytest.raises(ValidationError) as error:
        BudgetPage(**values).full_clean(exclude=["path", "depth"])
    assert field in error.value.message_dict


def test_a_negative_budget_line_is_refused():
    line = BudgetLine(name="x", category=BudgetCategory.OTHER, planned=Decimal("-5"))
    with pytest.raises(ValidationError) as error:
        line.full_clean(exclude=["page"])
    assert "planned" in error.value.message_dict


def test_admin_refuses_a_negative_line_and_saves_nothing(client, django_user_model, mogol):
    client.force_login(django_user_model.objects.create_superuser("b", "b@example.kg", "pw"))
    url = reverse("wagtailadmin_pages:add", args=["municipalities", "budgetpage", mogol.pk])
    data = nested_form_data(
        {
            "title": "Бюджет",
            "slug": "bad-budget",
            "fiscal_year": "2026",
            "stage": "adopted",
            "resolution": "",
            "total_revenue": "",
            "total_expenditure": "",
            "summary": rich_text(""),
            "lines": inline_formset(
                [{"name": "Жол", "category": "roads", "planned": "-100", "executed": ""}]
            ),
            "documents": inline_formset([]),
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert not BudgetPage.objects.filter(slug="bad-budget").exists()
    assert not BudgetLine.objects.filter(name="Жол").exists()


def test_budget_page_queries_do_not_grow_with_lines_or_documents(
    client, mogol, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from municipalities.models import BudgetDocument

    budget = factories.budget(mogol, 2026, lines=LINES[:1])
    url = "/ky/jalal-abad/mogol/budget-2026-adopted/"
    client.get(url)
    with CaptureQueriesContext(connection) as baseline:
        client.get(url)
    budget.lines = [
        BudgetLine(name=f"L{n}", category=BudgetCategory.OTHER, planned=Decimal(n))
        for n in range(30)
    ]
    budget.documents = [BudgetDocument(document=factories.document(f"D{n}")) for n in range(5)]
    factories.publish_alone(budget)
    with django_assert_max_num_queries(len(baseline)):
        assert client.get(url).status_code == 200
