"""The bulk open-data download: a ZIP of CSV files with a datapackage.json and SHA-256 sums.

In the spirit of Decidim's open-data export: published pages and verified records only, the
same tables and figures as the API (the participation and indicator tables are the API's own
functions). The archive is rebuilt whenever what it contains has changed: its name carries a
fingerprint of the content's state, so the next download after a publish builds a new one,
and `manage.py build_open_data` builds it ahead (see README).
"""

import csv
import hashlib
import io
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cms.tables import Column, in_languages, names

ARCHIVE_DIR = "open-data"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # identical content gives an identical archive


@dataclass(frozen=True)
class Resource:
    name: str
    title: object  # gettext_lazy
    description: object  # gettext_lazy
    fields: tuple = ()  # Columns; empty: the table's own builder gives them (exports)


PAGE_ID = Column("id", _("Page id"), "integer", _("Page id (API: /api/v2/pages/{id}/)"))
LOCALE = Column("locale", _("Language"), "string", _("Language of the page: ky, ru or en"))
MUNICIPALITY = Column(
    "municipality", _("Municipality"), "string", _("Municipality slug (municipalities.csv)")
)
URL = Column("url", _("Address"), "string", _("Public page"))

RESOURCES = [
    Resource(
        "municipalities",
        _("Pilot municipalities"),
        _("The 21 pilot municipalities: names, oblast and counts of what was published."),
        (
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
            Column("campaigns", _("Campaigns"), "integer", _("Published campaigns covering it")),
            Column(
                "verified_women",
                _("Women"),
                "integer",
                _("Women in verified participation records"),
            ),
            Column("verified_men", _("Men"), "integer", _("Men in verified participation records")),
            Column(
                "verified_not_recorded",
                _("Sex not recorded"),
                "integer",
                _("Participants whose sex was not recorded"),
            ),
        ),
    ),
    Resource(
        "hearings",
        _("Public hearing notices"),
        _("Every published notice of a public hearing, in each language it was published in."),
        (
            PAGE_ID,
            LOCALE,
            MUNICIPALITY,
            Column("title", _("Title"), "string", _("Title of the notice")),
            Column("topic", _("Topic"), "string", _("Code: budget, tariffs, priorities or other")),
            Column(
                "status",
                _("Status"),
                "string",
                _("Code: upcoming, held, postponed or cancelled"),
            ),
            Column("starts_at", _("Starts at"), "datetime", _("Start, Asia/Bishkek time")),
            Column("venue", _("Venue"), "string", _("Where the hearing takes place")),
            Column(
                "proposals_received", _("Proposals received"), "integer", _("Proposals received")
            ),
            Column(
                "proposals_accepted", _("Proposals accepted"), "integer", _("Proposals accepted")
            ),
            URL,
        ),
    ),
    Resource(
        "budgets",
        _("Budgets"),
        _("Published budgets of the municipalities with their totals."),
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
    ),
    Resource(
        "budget_lines",
        _("Budget lines"),
        _("The lines of the published budgets, by spending area."),
        (
            Column("budget_id", _("Budget"), "integer", _("The budget's page id (budgets.csv)")),
            Column("name", _("Budget line"), "string", _("Name of the line")),
            Column("category", _("Spending area"), "string", _("Spending area (code)")),
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
    ),
    Resource(
        "plans",
        _("Development plans (ПСЭР)"),
        _("Published socio-economic development plans (ПСЭР) of the municipalities."),
        (
            PAGE_ID,
            LOCALE,
            MUNICIPALITY,
            Column("start_year", _("First year"), "integer", _("First year of the plan")),
            Column("end_year", _("Last year"), "integer", _("Last year of the plan")),
            Column("stage", _("Stage"), "string", _("Code: draft, adopted or amended")),
            URL,
        ),
    ),
    Resource(
        "resolutions",
        _("Council resolutions (metadata)"),
        _("Resolutions of the local councils: number, date, title and kind (not the texts)."),
        (
            Column("id", _("Resolution id"), "integer", _("Resolution id")),
            MUNICIPALITY,
            Column("number", _("Number"), "string", _("Number of the resolution")),
            Column("adopted_on", _("Adopted on"), "date", _("Day the council adopted it")),
            Column("title", _("Title"), "string", _("Title of the resolution in Kyrgyz")),
            Column("title_ru", _("Title in Russian"), "string", _("Title in Russian")),
            Column("title_en", _("Title in English"), "string", _("Title in English, if given")),
            Column(
                "kind",
                _("Kind"),
                "string",
                _("Code: budget, development_plan, tariffs, social_gender_policy or other"),
            ),
        ),
    ),
    Resource(
        "campaigns",
        _("Information campaigns"),
        _("Published information campaigns of NGOs with the people they reached."),
        (
            PAGE_ID,
            LOCALE,
            Column("title", _("Title"), "string", _("Title of the campaign")),
            Column("start_date", _("From"), "date", _("First day of the campaign")),
            Column("end_date", _("To"), "date", _("Last day of the campaign")),
            Column(
                "municipalities",
                _("Municipalities"),
                "string",
                _("Municipality slugs, separated by ;"),
            ),
            Column("channels", _("Channels"), "string", _("Channel codes, separated by ;")),
            Column("audiences", _("Audiences"), "string", _("Audience codes, separated by ;")),
            Column("reach_women", _("Women"), "integer", _("Women reached (verified records)")),
            Column("reach_men", _("Men"), "integer", _("Men reached (verified records)")),
            Column(
                "reach_not_recorded",
                _("Sex not recorded"),
                "integer",
                _("Reached, sex not recorded"),
            ),
            URL,
        ),
    ),
    Resource(
        "participation",
        _("Verified participation records"),
        _("Verified participation records: counts of women and men per event, never names."),
    ),
    Resource(
        "indicators",
        _("The three programme indicators and their breakdowns"),
        _("The indicators of this year to date, as on the indicators page and in the API."),
    ),
]


def _slug_of_parent(paths_to_slugs, path):
    from wagtail.models import Page

    return paths_to_slugs.get(path[: -Page.steplen], "")


def _municipality_slugs():
    from municipalities.models import MunicipalityPage

    return dict(MunicipalityPage.objects.values_list("path", "slug"))


def _rows_municipalities():
    from cms.api.programme import _municipality_items, _source_municipalities

    items = _municipality_items(None, _source_municipalities({}))
    for item in items:
        counts = item["verified_participants"]
        yield [
            item["slug"],
            item["pilot_number"],
            item["oblast"]["slug"],
            *(item["names"].get(code, "") for code in ("ky", "ru", "en")),
            item["population"],
            item["hearings"],
            item["campaigns"],
            counts["women"],
            counts["men"],
            counts["not_recorded"],
        ]


def _rows_hearings():
    from municipalities.models import HearingPage

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
    from municipalities.models import BudgetPage

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
    from municipalities.models import BudgetLine, BudgetPage

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
    from municipalities.models import DevelopmentPlanPage

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
    from municipalities.models import CouncilResolution

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


def _rows_campaigns():
    from campaigns.models import published_campaigns

    pages = (
        published_campaigns()
        .select_related("locale")
        .prefetch_related("covered_municipalities__municipality")
        .order_by("pk")
    )
    for page in pages:
        reach = page.reach
        yield [
            page.pk,
            page.locale.language_code,
            page.title,
            page.start_date.isoformat(),
            page.end_date.isoformat(),
            ";".join(link.municipality.slug for link in page.covered_municipalities.all()),
            ";".join(page.channels or []),
            ";".join(page.audiences or []),
            reach["women"],
            reach["men"],
            reach["not_recorded"],
            page.get_full_url(),
        ]


def _default_locale():
    from wagtail.models import Locale

    return Locale.objects.get(language_code=settings.LANGUAGE_CODE)


def _participation_table():
    from cms.api.programme import verified_participation
    from municipalities import exports
    from municipalities.models import IndicatorSettings

    suppress = IndicatorSettings.load().suppress_small_cells
    columns, rows, _payload = exports.record_table(
        verified_participation({}), _default_locale(), suppress
    )
    return columns, rows


def indicator_table():
    """The indicators of the default period (this year to date): the API's default too."""
    from cms.api.programme import _place_scope
    from municipalities import exports
    from municipalities.indicators import Indicators
    from municipalities.models import IndicatorSettings

    locale = _default_locale()
    suppress = IndicatorSettings.load().suppress_small_cells
    columns, rows, _payload = exports.indicator_table(
        Indicators(_place_scope({}, locale)), locale, suppress
    )
    return columns, rows


ROWS = {
    "municipalities": _rows_municipalities,
    "hearings": _rows_hearings,
    "budgets": _rows_budgets,
    "budget_lines": _rows_budget_lines,
    "plans": _rows_plans,
    "resolutions": _rows_resolutions,
    "campaigns": _rows_campaigns,
}


def _csv_bytes(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue().encode("utf-8")


def tables():
    """(resource, columns, rows) for every file of the archive."""
    for resource in RESOURCES:
        if resource.name == "participation":
            columns, rows = _participation_table()
        elif resource.name == "indicators":
            columns, rows = indicator_table()
        else:
            columns = resource.fields
            rows = list(ROWS[resource.name]())
        yield resource, columns, rows


def resource_columns():
    """{resource name: its columns}, for the open-data page and datapackage.json."""
    from municipalities import exports

    given = {"participation": exports.RECORD_COLUMNS, "indicators": exports.INDICATOR_COLUMNS}
    return {resource.name: given.get(resource.name, resource.fields) for resource in RESOURCES}


def described(text, key="title"):
    """A Frictionless property in English (the standard's own key) and, as the documented
    extension `<key>s`, in every language of the site: {"ky": …, "ru": …, "en": …}."""
    texts = in_languages(text)
    return {key: texts["en"], f"{key}s": texts}


def _field_schema(columns):
    return [
        {
            "name": column.name,
            "type": column.type,
            **described(column.label, "title"),
            **described(column.description or column.label, "description"),
        }
        for column in columns
    ]


def build_archive():
    """The ZIP's bytes: the CSV files, datapackage.json and SHA256SUMS (described in Kyrgyz,
    Russian and English, the labels inside the tables in Kyrgyz, the source language)."""
    with translation.override(settings.LANGUAGE_CODE):
        built = list(tables())
    with translation.override("en"):
        return _archive(built)


PACKAGE_TITLE = _("Local services: transparency of pilot municipalities")
PACKAGE_DESCRIPTION = _(
    "Published pages and verified participation records of the pilot municipalities. "
    "Column names and codes are stable machine names. Every title and description is given "
    "in English and, in the objects titles and descriptions, in Kyrgyz (ky), Russian (ru) "
    "and English (en)."
)


def _archive(built):
    files, resources = {}, []
    for resource, columns, rows in built:
        path = f"{resource.name}.csv"
        body = _csv_bytes(names(columns), rows)
        files[path] = body
        resources.append(
            {
                "name": resource.name.replace("_", "-"),
                **described(resource.title, "title"),
                **described(resource.description, "description"),
                "path": path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(body),
                "hash": "sha256:" + hashlib.sha256(body).hexdigest(),
                "schema": {"fields": _field_schema(columns)},
            }
        )
    package = {
        "profile": "tabular-data-package",
        "name": "local-services-kyrgyzstan",
        **described(PACKAGE_TITLE, "title"),
        **described(PACKAGE_DESCRIPTION, "description"),
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "state": content_state(),
        "resources": resources,
    }
    files["datapackage.json"] = json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8")
    sums = "".join(f"{hashlib.sha256(body).hexdigest()}  {path}\n" for path, body in files.items())
    files["SHA256SUMS"] = sums.encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, body in files.items():
            archive.writestr(zipfile.ZipInfo(path, date_time=FIXED_TIME), body)
    return buffer.getvalue()


def content_state():
    """A fingerprint of everything the archive holds: changes when anything is published,
    unpublished, verified or edited."""
    from wagtail.models import Page

    from campaigns.models import CampaignMunicipality
    from municipalities.models import CouncilResolution, IndicatorSettings, ParticipationRecord
    from municipalities.models.reporting import ReportingPeriod

    IndicatorSettings.load()  # created on first use: let that not change the state later
    parts = [
        Page.objects.filter(live=True).aggregate(n=Count("pk"), last=Max("last_published_at")),
        Page.objects.aggregate(changed=Max("latest_revision_created_at")),
        ParticipationRecord.objects.values("status")
        .annotate(n=Count("pk"), last=Max("pk"))
        .order_by("status"),
        ParticipationRecord.objects.aggregate(
            verified=Max("verified_at"), revision=Max("latest_revision_id")
        ),
        CouncilResolution.objects.aggregate(n=Count("pk"), last=Max("pk")),
        CampaignMunicipality.objects.aggregate(n=Count("pk")),
        ReportingPeriod.objects.aggregate(closed=Max("closed_at"), n=Count("closed_at")),
        list(IndicatorSettings.objects.values()),
        str(timezone.localdate()),  # the default period ends today
    ]
    text = json.dumps([list(p) if not isinstance(p, dict) else p for p in parts], default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def archive_path():
    """The current archive on disk, built if the content changed since the last one."""
    directory = Path(settings.MEDIA_ROOT) / ARCHIVE_DIR
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"open-data-{content_state()}.zip"
    if not target.exists():
        body = build_archive()
        handle, temporary = tempfile.mkstemp(dir=directory, suffix=".part")
        with os.fdopen(handle, "wb") as stream:
            stream.write(body)
        os.replace(temporary, target)
        for old in directory.glob("open-data-*.zip"):
            if old != target:
                old.unlink(missing_ok=True)
    return target
