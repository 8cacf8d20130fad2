"""Tables of the figures and of verified records, written as CSV, XLSX or JSON.

The dashboard, these files and the API read the same `indicators` functions, so
their numbers agree by construction. No personal data leaves: records carry counts,
never names or the signed sheets themselves.
"""

import csv
import io
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from municipalities.choices import HEARING_KIND_TOPICS, HearingTopic
from municipalities.indicators import (
    municipality_names,
    oblast_names,
)
from municipalities.models import MunicipalityPage, OblastPage
from municipalities.models.reporting import SMALL_CELL_THRESHOLD

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
COUNT_COLUMNS = ("women", "men", "not_recorded", "total")


def suppressed(value, suppress):
    """A breakdown cell under 5 people, shown as "<5" when the rule is on."""
    if suppress and value and 0 < value < SMALL_CELL_THRESHOLD:
        return f"<{SMALL_CELL_THRESHOLD}"
    return value


def participation_breakdowns(indicators, locale, suppress):
    """Indicator 2's breakdowns with labels in the visitor's language."""
    result = indicators.participation
    topics = dict(HearingTopic.choices)
    keys = [row["municipality__translation_key"] for row in result["by_municipality"]]
    names = municipality_names(keys, locale)
    slugs = dict(
        MunicipalityPage.objects.filter(translation_key__in=keys)
        .values_list("translation_key", "slug")
        .distinct()
    )
    paths = [row["oblast_path"] for row in result["by_oblast"]]
    oblasts = oblast_names(paths, locale)
    oblast_slugs = dict(OblastPage.objects.filter(path__in=paths).values_list("path", "slug"))

    def rows(items, label, key):
        out = []
        for row in items:
            out.append(
                {
                    "key": key(row),
                    "label": label(row),
                    **{column: suppressed(row[column], suppress) for column in COUNT_COLUMNS},
                    "events": row["events"],
                }
            )
        return out

    return {
        "total": result["total"],
        "by_topic": rows(
            result["by_topic"], lambda r: str(topics[r["topic"]]), lambda r: r["topic"]
        ),
        "by_oblast": rows(
            result["by_oblast"],
            lambda r: oblasts.get(r["oblast_path"], ""),
            lambda r: oblast_slugs.get(r["oblast_path"], ""),
        ),
        "by_municipality": rows(
            result["by_municipality"],
            lambda r: names.get(r["municipality__translation_key"], ""),
            lambda r: slugs.get(r["municipality__translation_key"], ""),
        ),
        "by_year": rows(result["by_year"], lambda r: str(r["year"]), lambda r: r["year"]),
    }


BREAKDOWN_TITLES = {
    "by_topic": "topic",
    "by_oblast": "oblast",
    "by_municipality": "municipality",
    "by_year": "year",
}


def indicator_table(indicators, locale, suppress):
    """One flat table: the three indicators, then indicator 2's breakdowns."""
    summary = indicators.summary
    breakdowns = participation_breakdowns(indicators, locale, suppress)
    header = ["indicator", "breakdown", "label", "value", "target", *COUNT_COLUMNS, "events"]
    rows = [
        [
            "1",
            "",
            _("Municipalities with a socially and gender-sensitive policy in force"),
            summary["policies_in_force"]["value"],
            summary["policies_in_force"]["target"],
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "2",
            "",
            _("Participants in public hearings"),
            summary["hearing_participation"]["value"],
            summary["hearing_participation"]["target"],
            summary["hearing_participation"]["women"],
            summary["hearing_participation"]["men"],
            summary["hearing_participation"]["not_recorded"],
            summary["hearing_participation"]["value"],
            summary["hearing_participation"]["events"],
        ],
        [
            "3",
            "",
            _("Municipalities covered by citizen mobilisation"),
            summary["mobilisation_coverage"]["value"],
            summary["mobilisation_coverage"]["target"],
            "",
            "",
            "",
            "",
            "",
        ],
    ]
    for name, breakdown in BREAKDOWN_TITLES.items():
        for row in breakdowns[name]:
            rows.append(
                [
                    "2",
                    breakdown,
                    row["label"],
                    row["total"],
                    "",
                    *(row[column] for column in COUNT_COLUMNS),
                    row["events"],
                ]
            )
    payload = {"summary": summary, "breakdowns": {k: breakdowns[k] for k in BREAKDOWN_TITLES}}
    return header, rows, payload


RECORD_HEADER = [
    "id",
    "date",
    "municipality",
    "oblast",
    "kind",
    "topic",
    "women",
    "men",
    "not_recorded",
    "total",
    "young_people",
    "persons_with_disabilities",
    "organisation",
    "verified_on",
]


def record_table(records, locale, suppress):
    records = list(records.select_related("municipality", "organisation"))
    names = municipality_names({r.municipality.translation_key for r in records}, locale)
    oblast_paths = {r.municipality.path[: 3 * r.municipality.steplen] for r in records}
    oblasts = oblast_names(oblast_paths, locale)
    rows = []
    for r in records:
        rows.append(
            [
                r.pk,
                r.held_on.isoformat(),
                names.get(r.municipality.translation_key, r.municipality.title),
                oblasts.get(r.municipality.path[: 3 * r.municipality.steplen], ""),
                r.kind,
                HEARING_KIND_TOPICS.get(r.kind, ""),
                suppressed(r.women, suppress),
                suppressed(r.men, suppress),
                suppressed(r.not_recorded, suppress),
                r.total,
                suppressed(r.young_people, suppress),
                suppressed(r.persons_with_disabilities, suppress),
                r.organisation.name if r.organisation else "",
                r.verified_at.date().isoformat() if r.verified_at else "",
            ]
        )
    payload = [dict(zip(RECORD_HEADER, row, strict=True)) for row in rows]
    return RECORD_HEADER, rows, payload


def respond(fmt, filename, header, rows, payload):
    if fmt not in FORMATS:
        raise Http404(_("Unknown format: use csv, xlsx or json."))
    if fmt == "json":
        body = json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type=FORMATS["json"])
    elif fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        response = HttpResponse(buffer.getvalue(), content_type=FORMATS["csv"])
    else:
        response = HttpResponse(
            xlsx_bytes([(filename[:31], header, rows)]), content_type=FORMATS["xlsx"]
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def xlsx_bytes(sheets):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(list(row))
        for column in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
