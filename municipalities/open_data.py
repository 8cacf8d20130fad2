"""The municipalities' files of the open-data archive: the municipalities, hearing notices,
budgets and their lines, development plans and council resolutions. Registered in
`municipalities.wagtail_hooks`; the archive itself is `cms.open_data`."""

from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from cms.extensions import OpenDataTable
from cms.open_data import LOCALE, PAGE_ID, URL
from cms.tables import Column
from municipalities.api import figures, municipality_items, source_municipalities
from municipalities.choices import (
    BudgetCategory,
    BudgetStage,
    HearingStatus,
    HearingTopic,
    PlanStage,
    ResolutionKind,
)
from municipalities.models import (
    BudgetLine,
    BudgetPage,
    CouncilResolution,
    DevelopmentPlanPage,
    HearingPage,
    MunicipalityPage,
)

MUNICIPALITY = Column(
    "municipality", _("Municipality"), "string", _("Municipality slug (municipalities.csv)")
)


def _slug_of_parent(paths_to_slugs, path):
    return paths_to_slugs.get(path[: -Page.steplen], "")


def _municipality_slugs():
    return dict(MunicipalityPage.objects.values_list("path", "slug"))


MUNICIPALITY_COLUMNS = (
    Column(
        "slug",
        _("Identifier (slug)"),
        "string",
        _("Identifier used across the files and the API"),
    ),
    Column("pilot_number", _("Number"), "integer", _("Number in the programme's list")),
    Column("oblast", _("Oblast"), "string", _("Oblast slug")),
    Column("name_ky", _("Name in Kyrgyz"), "string", _("Name in Kyrgyz")),
    Column("name_ru", _("Name in Russian"), "string", _("Name in Russian")),
    Column("name_en", _("Name in English"), "string", _("Name in English")),
    Column("population", _("Population"), "integer", _("Population, where known")),
    Column("hearings", _("Hearings"), "integer", _("Published hearing notices")),
)


def municipality_columns():
    """The municipality's own columns, then what other parts count per municipality."""
    return MUNICIPALITY_COLUMNS + tuple(column for figure in figures() for column in figure.columns)


def _rows_municipalities():
    added = figures()
    for item in municipality_items(None, source_municipalities({})):
        yield [
            item["slug"],
            item["pilot_number"],
            item["oblast"]["slug"],
            *(item["names"].get(code, "") for code in ("ky", "ru", "en")),
            item["population"],
            item["hearings"],
            *(cell for figure in added for cell in figure.cells(item[figure.name])),
        ]


def _rows_hearings():
    slugs = _municipality_slugs()
    for page in HearingPage.objects.live().public().select_related("locale").order_by("pk"):
        yield [
            page.pk,
            page.locale.language_code,
            _slug_of_parent(slugs, page.path),
            page.title,
            page.topic,
            page.status,
            timezone.localtime(page.starts_at).isoformat(),
            page.venue,
            page.proposals_received,
            page.proposals_accepted,
            page.get_full_url(),
        ]


def _rows_budgets():
    slugs = _municipality_slugs()
    for page in BudgetPage.objects.live().public().select_related("locale").order_by("pk"):
        yield [
            page.pk,
            page.locale.language_code,
            _slug_of_parent(slugs, page.path),
            page.fiscal_year,
            page.stage,
            page.total_revenue,
            page.total_expenditure,
            page.get_full_url(),
        ]


def _rows_budget_lines():
    live = BudgetPage.objects.live().public().values("pk")
    for line in BudgetLine.objects.filter(page__in=live).order_by("page_id", "sort_order", "pk"):
        yield [
            line.page_id,
            line.name,
            line.category,
            line.planned,
            line.executed,
            line.gender_responsive,
        ]


def _rows_plans():
    slugs = _municipality_slugs()
    for page in DevelopmentPlanPage.objects.live().public().select_related("locale").order_by("pk"):
        yield [
            page.pk,
            page.locale.language_code,
            _slug_of_parent(slugs, page.path),
            page.start_year,
            page.end_year,
            page.stage,
            page.get_full_url(),
        ]


def _rows_resolutions():
    for item in CouncilResolution.objects.select_related("municipality").order_by("pk"):
        yield [
            item.pk,
            item.municipality.slug,
            item.number,
            item.adopted_on.isoformat(),
            item.title,
            item.title_ru,
            item.title_en,
            item.kind,
        ]


# the municipality of a row, by its slug in municipalities.csv
IN_A_MUNICIPALITY = ((("municipality",), "municipalities", ("slug",)),)


def tables():
    """Called when the archive is built, once every app has registered its figures."""
    return [
        OpenDataTable(
            "municipalities",
            _("Pilot municipalities"),
            _("The 21 pilot municipalities: names, oblast and counts of what was published."),
            10,
            municipality_columns(),
            _rows_municipalities,
            primary_key=("slug",),
        ),
        OpenDataTable(
            "hearings",
            _("Public hearing notices"),
            _("Every published notice of a public hearing, in each language it was published in."),
            20,
            (
                PAGE_ID,
                LOCALE,
                MUNICIPALITY,
                Column("title", _("Title"), "string", _("Title of the notice")),
                Column(
                    "topic",
                    _("Topic"),
                    "string",
                    _("Code: budget, tariffs, priorities or other"),
                    choices=HearingTopic,
                ),
                Column(
                    "status",
                    _("Status"),
                    "string",
                    _("Code: upcoming, held, postponed or cancelled"),
                    choices=HearingStatus,
                ),
                Column("starts_at", _("Starts at"), "datetime", _("Start, Asia/Bishkek time")),
                Column("venue", _("Venue"), "string", _("Where the hearing takes place")),
                Column(
                    "proposals_received",
                    _("Proposals received"),
                    "integer",
                    _("Proposals received"),
                ),
                Column(
                    "proposals_accepted",
                    _("Proposals accepted"),
                    "integer",
                    _("Proposals accepted"),
                ),
                URL,
            ),
            _rows_hearings,
            primary_key=("id",),
            foreign_keys=IN_A_MUNICIPALITY,
        ),
        OpenDataTable(
            "budgets",
            _("Budgets"),
            _("Published budgets of the municipalities with their totals."),
            30,
            (
                PAGE_ID,
                LOCALE,
                MUNICIPALITY,
                Column("fiscal_year", _("Fiscal year"), "integer", _("Fiscal year")),
                Column(
                    "stage",
                    _("Stage"),
                    "string",
                    _("Code: draft, adopted, amended or execution_report"),
                    choices=BudgetStage,
                ),
                Column("total_revenue", _("Total revenue, KGS"), "number", _("Total revenue, KGS")),
                Column(
                    "total_expenditure",
                    _("Total expenditure, KGS"),
                    "number",
                    _("Total expenditure, KGS"),
                ),
                URL,
            ),
            _rows_budgets,
            primary_key=("id",),
            foreign_keys=IN_A_MUNICIPALITY,
        ),
        OpenDataTable(
            "budget_lines",
            _("Budget lines"),
            _("The lines of the published budgets, by spending area."),
            40,
            (
                Column(
                    "budget_id", _("Budget"), "integer", _("The budget's page id (budgets.csv)")
                ),
                Column("name", _("Budget line"), "string", _("Name of the line")),
                Column(
                    "category",
                    _("Spending area"),
                    "string",
                    _("Spending area (code)"),
                    choices=BudgetCategory,
                ),
                Column("planned", _("Planned, KGS"), "number", _("Planned, KGS")),
                Column("executed", _("Executed, KGS"), "number", _("Executed, KGS")),
                Column(
                    "gender_responsive",
                    _("Targets gender equality"),
                    "boolean",
                    _(
                        "The line serves the needs of women and girls or closes a gap between "
                        "women and men"
                    ),
                ),
            ),
            _rows_budget_lines,
            foreign_keys=((("budget_id",), "budgets", ("id",)),),
        ),
        OpenDataTable(
            "plans",
            _("Development plans (ПСЭР)"),
            _("Published socio-economic development plans (ПСЭР) of the municipalities."),
            50,
            (
                PAGE_ID,
                LOCALE,
                MUNICIPALITY,
                Column("start_year", _("First year"), "integer", _("First year of the plan")),
                Column("end_year", _("Last year"), "integer", _("Last year of the plan")),
                Column(
                    "stage",
                    _("Stage"),
                    "string",
                    _("Code: draft, adopted or amended"),
                    choices=PlanStage,
                ),
                URL,
            ),
            _rows_plans,
            primary_key=("id",),
            foreign_keys=IN_A_MUNICIPALITY,
        ),
        OpenDataTable(
            "resolutions",
            _("Council resolutions (metadata)"),
            _("Resolutions of the local councils: number, date, title and kind (not the texts)."),
            60,
            (
                Column("id", _("Resolution id"), "integer", _("Resolution id")),
                MUNICIPALITY,
                Column("number", _("Number"), "string", _("Number of the resolution")),
                Column("adopted_on", _("Adopted on"), "date", _("Day the council adopted it")),
                Column("title", _("Title"), "string", _("Title of the resolution in Kyrgyz")),
                Column("title_ru", _("Title in Russian"), "string", _("Title in Russian")),
                Column(
                    "title_en", _("Title in English"), "string", _("Title in English, if given")
                ),
                Column(
                    "kind",
                    _("Kind"),
                    "string",
                    _("Code: budget, development_plan, tariffs, social_gender_policy or other"),
                    choices=ResolutionKind,
                ),
            ),
            _rows_resolutions,
            primary_key=("id",),
            foreign_keys=IN_A_MUNICIPALITY,
        ),
    ]


def state():
    """What changes the municipalities' files besides publishing pages."""
    return [CouncilResolution.objects.aggregate(n=Count("pk"), last=Max("pk"))]
