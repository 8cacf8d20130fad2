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

ARCHIVE_DIR = "open-data"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # identical content gives an identical archive


@dataclass(frozen=True)
class Resource:
    name: str
    title: str
    fields: tuple  # (name, Table Schema type, description)


RESOURCES = [
    Resource(
        "municipalities",
        "Pilot municipalities",
        (
            ("slug", "string", "Identifier used across the files and the API"),
            ("pilot_number", "integer", "Number in the programme's list"),
            ("oblast", "string", "Oblast slug"),
            ("name_ky", "string", "Name in Kyrgyz"),
            ("name_ru", "string", "Name in Russian"),
            ("name_en", "string", "Name in English"),
            ("population", "integer", "Population, where known"),
            ("hearings", "integer", "Published hearing notices"),
            ("campaigns", "integer", "Published campaigns covering it"),
            ("verified_women", "integer", "Women in verified participation records"),
            ("verified_men", "integer", "Men in verified participation records"),
            ("verified_not_recorded", "integer", "Participants whose sex was not recorded"),
        ),
    ),
    Resource(
        "hearings",
        "Public hearing notices",
        (
            ("id", "integer", "Page id (API: /api/v2/pages/{id}/)"),
            ("locale", "string", "Language of the notice"),
            ("municipality", "string", "Municipality slug"),
            ("title", "string", "Title"),
            ("topic", "string", "budget, tariffs, priorities or other"),
            ("status", "string", "upcoming, held, postponed or cancelled"),
            ("starts_at", "datetime", "Start, Asia/Bishkek"),
            ("venue", "string", "Venue"),
            ("proposals_received", "integer", "Proposals received"),
            ("proposals_accepted", "integer", "Proposals accepted"),
            ("url", "string", "Public page"),
        ),
    ),
    Resource(
        "budgets",
        "Budgets",
        (
            ("id", "integer", "Page id"),
            ("locale", "string", "Language"),
            ("municipality", "string", "Municipality slug"),
            ("fiscal_year", "integer", "Fiscal year"),
            ("stage", "string", "draft, adopted, amended or execution report"),
            ("total_revenue", "number", "Total revenue, KGS"),
            ("total_expenditure", "number", "Total expenditure, KGS"),
            ("url", "string", "Public page"),
        ),
    ),
    Resource(
        "budget_lines",
        "Budget lines",
        (
            ("budget_id", "integer", "The budget's page id (budgets.csv)"),
            ("name", "string", "Line"),
            ("category", "string", "Category"),
            ("planned", "number", "Planned, KGS"),
            ("executed", "number", "Executed, KGS"),
            ("gender_responsive", "boolean", "Targets gender equality"),
        ),
    ),
    Resource(
        "plans",
        "Development plans (ПСЭР)",
        (
            ("id", "integer", "Page id"),
            ("locale", "string", "Language"),
            ("municipality", "string", "Municipality slug"),
            ("start_year", "integer", "First year"),
            ("end_year", "integer", "Last year"),
            ("stage", "string", "Stage"),
            ("url", "string", "Public page"),
        ),
    ),
    Resource(
        "resolutions",
        "Council resolutions (metadata)",
        (
            ("id", "integer", "Resolution id"),
            ("municipality", "string", "Municipality slug"),
            ("number", "string", "Number"),
            ("adopted_on", "date", "Adopted on"),
            ("title", "string", "Title"),
            ("kind", "string", "Kind"),
        ),
    ),
    Resource(
        "campaigns",
        "Information campaigns",
        (
            ("id", "integer", "Page id"),
            ("locale", "string", "Language"),
            ("title", "string", "Title"),
            ("start_date", "date", "Start"),
            ("end_date", "date", "End"),
            ("municipalities", "string", "Municipality slugs, separated by ;"),
            ("channels", "string", "Channels, separated by ;"),
            ("audiences", "string", "Audiences, separated by ;"),
            ("reach_women", "integer", "Women reached (verified records)"),
            ("reach_men", "integer", "Men reached (verified records)"),
            ("reach_not_recorded", "integer", "Reached, sex not recorded"),
            ("url", "string", "Public page"),
        ),
    ),
    Resource("participation", _("Verified participation records"), ()),
    Resource("indicators", _("The three programme indicators and their breakdowns"), ()),
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
    header, rows, _payload = exports.record_table(
        verified_participation({}), _default_locale(), suppress
    )
    return header, rows


def indicator_table():
    """The indicators of the default period (this year to date): the API's default too."""
    from cms.api.programme import _place_scope
    from municipalities import exports
    from municipalities.indicators import Indicators
    from municipalities.models import IndicatorSettings

    locale = _default_locale()
    suppress = IndicatorSettings.load().suppress_small_cells
    header, rows, _payload = exports.indicator_table(
        Indicators(_place_scope({}, locale)), locale, suppress
    )
    return header, rows


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
    """(resource, header, rows) for every file of the archive."""
    for resource in RESOURCES:
        if resource.name == "participation":
            header, rows = _participation_table()
        elif resource.name == "indicators":
            header, rows = indicator_table()
        else:
            header = [name for name, _type, _description in resource.fields]
            rows = list(ROWS[resource.name]())
        yield resource, header, rows


def _field_schema(resource, header):
    described = {name: (kind, text) for name, kind, text in resource.fields}
    return [
        {
            "name": name,
            "type": described.get(name, ("string", ""))[0],
            "description": described.get(name, ("", ""))[1],
        }
        for name in header
    ]


def build_archive():
    """The ZIP's bytes: the CSV files, datapackage.json and SHA256SUMS (described in English,
    the labels inside the tables in Kyrgyz, the source language)."""
    with translation.override(settings.LANGUAGE_CODE):
        built = list(tables())
    with translation.override("en"):
        return _archive(built)


def _archive(built):
    files, resources = {}, []
    for resource, header, rows in built:
        path = f"{resource.name}.csv"
        body = _csv_bytes(header, rows)
        files[path] = body
        resources.append(
            {
                "name": resource.name.replace("_", "-"),
                "title": str(resource.title),
                "path": path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(body),
                "hash": "sha256:" + hashlib.sha256(body).hexdigest(),
                "schema": {"fields": _field_schema(resource, header)},
            }
        )
    package = {
        "profile": "tabular-data-package",
        "name": "local-services-kyrgyzstan",
        "title": "Local services: transparency of pilot municipalities",
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
