"""Tables of the figures and of verified records, written as CSV, XLSX or JSON.

The dashboard, these files and the API read the same `indicators` functions, so
their numbers agree by construction. No personal data leaves: records carry counts,
never names or the signed sheets themselves.
"""

import datetime
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms import tables
from cms.collation import sorted_kyrgyz
from cms.tables import Column
from municipalities.choices import HEARING_KIND_TOPICS, EventKind, HearingTopic
from municipalities.monitoring import disclosure
from municipalities.monitoring.indicators import (
    municipality_names,
    municipality_slugs,
    oblast_names,
    oblast_slugs,
)

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
COUNT_COLUMNS = ("women", "men", "not_recorded", "total")


def _shown(row, hidden, key):
    """A row's counts as published: those `disclosure` hides marked."""
    return {**disclosure.apply(row, hidden.get(key, ())), "events": row["events"]}


def published_total(indicators, suppress):
    """Indicator 2's total as published, without its breakdowns (the summary's figure)."""
    hidden = indicators.hidden if suppress else {}
    return _shown(indicators.participation["total"], hidden, ("total",))


def participation_breakdowns(indicators, locale, suppress):
    """Indicator 2's total and breakdowns with labels in the visitor's language, and with the
    counts `disclosure` hides marked when the rule is on."""
    result = indicators.participation
    hidden = indicators.hidden if suppress else {}
    topics = dict(HearingTopic.choices)
    keys = [row["municipality__translation_key"] for row in result["by_municipality"]]
    names = municipality_names(keys, locale)
    slugs = municipality_slugs(keys, locale)
    paths = [row["oblast_path"] for row in result["by_oblast"]]
    oblasts = oblast_names(paths, locale)
    slugs_of_oblasts = oblast_slugs(paths)

    def rows(items, label, key, dimension, field):
        return [
            {"key": key(row), "label": label(row), **_shown(row, hidden, (dimension, row[field]))}
            for row in items
        ]

    return {
        "total": published_total(indicators, suppress),
        "by_topic": rows(
            result["by_topic"],
            lambda r: str(topics[r["topic"]]),
            lambda r: r["topic"],
            "kind",
            "kind",
        ),
        "by_oblast": rows(
            result["by_oblast"],
            lambda r: oblasts.get(r["oblast_path"], ""),
            lambda r: slugs_of_oblasts.get(r["oblast_path"], ""),
            "oblast",
            "oblast_path",
        ),
        "by_municipality": sorted_kyrgyz(
            rows(
                result["by_municipality"],
                lambda r: names.get(r["municipality__translation_key"], ""),
                lambda r: slugs.get(r["municipality__translation_key"], ""),
                "municipality",
                "municipality_id",
            ),
            key=lambda row: row["label"],
        ),
        "by_year": rows(
            result["by_year"], lambda r: str(r["year"]), lambda r: r["year"], "year", "year"
        ),
    }


BREAKDOWN_TITLES = {
    "by_topic": "topic",
    "by_oblast": "oblast",
    "by_municipality": "municipality",
    "by_year": "year",
}
BREAKDOWN_LABELS = {
    "topic": gettext_lazy("Topic"),
    "oblast": gettext_lazy("Oblast"),
    "municipality": gettext_lazy("Municipality"),
    "year": gettext_lazy("Year"),
}
SUPPRESSED = gettext_lazy('A count; "x" where it is hidden to protect small numbers.')


def count_columns(suppressible):
    """Women, men, not recorded, total: counts, where suppressible "x" for a hidden one."""
    described = SUPPRESSED if suppressible else None
    missing = (disclosure.HIDDEN,) if suppressible else ()
    return [
        Column(
            "women",
            gettext_lazy("Women"),
            "integer",
            described or gettext_lazy("Women"),
            missing=missing,
        ),
        Column(
            "men", gettext_lazy("Men"), "integer", described or gettext_lazy("Men"), missing=missing
        ),
        Column(
            "not_recorded",
            gettext_lazy("Sex not recorded"),
            "integer",
            described or gettext_lazy("Participants whose sex was not recorded"),
            missing=missing,
        ),
        Column(
            "total",
            gettext_lazy("Total"),
            "integer",
            described or gettext_lazy("All participants"),
            missing=missing,
        ),
    ]


INDICATOR_COLUMNS = [
    Column("indicator", gettext_lazy("Indicator"), "integer", gettext_lazy("Indicator 1, 2 or 3")),
    Column(
        "breakdown",
        gettext_lazy("Breakdown"),
        description=gettext_lazy(
            "Empty for the indicator itself; else what indicator 2 is broken down by: "
            "topic, oblast, municipality or year"
        ),
        choices=BREAKDOWN_LABELS,
    ),
    Column(
        "label",
        gettext_lazy("Name"),
        description=gettext_lazy("The indicator, or the topic, oblast, municipality or year"),
    ),
    # a breakdown's value is its total, which may be hidden ("x")
    Column(
        "value",
        gettext_lazy("Value"),
        "integer",
        gettext_lazy("Value in the period"),
        missing=(disclosure.HIDDEN,),
    ),
    Column("target", gettext_lazy("Target"), "integer", gettext_lazy("Target, where set")),
    *count_columns(suppressible=True),
    Column(
        "events", gettext_lazy("Events"), "integer", gettext_lazy("Events with verified records")
    ),
]


def published_summary(indicators, suppress):
    """The summary with indicator 2's figures as published (hidden counts marked)."""
    summary, total = indicators.summary, published_total(indicators, suppress)
    return {
        **summary,
        "hearing_participation": {
            **summary["hearing_participation"],
            "value": total["total"],
            **{name: total[name] for name in disclosure.SPLIT},
        },
    }


# the three programme indicators by number, as every table, page and file names them
INDICATOR_NAMES = {
    1: gettext_lazy("Municipalities with a socially and gender-sensitive policy in force"),
    2: gettext_lazy("Participants in public hearings"),
    3: gettext_lazy("Municipalities covered by citizen mobilisation"),
}


def indicator_table(indicators, locale, suppress):
    """One flat table: the three indicators, then indicator 2's breakdowns.

    Returns (columns, rows, payload): rows hold machine values (codes, numbers, None for an
    empty cell); `respond` labels them for people, the open-data archive writes them as they are.
    """
    breakdowns = participation_breakdowns(indicators, locale, suppress)
    summary = published_summary(indicators, suppress)
    participation = summary["hearing_participation"]
    rows = [
        [
            1,
            None,
            str(INDICATOR_NAMES[1]),
            summary["policies_in_force"]["value"],
            summary["policies_in_force"]["target"],
            None,
            None,
            None,
            None,
            None,
        ],
        [
            2,
            None,
            str(INDICATOR_NAMES[2]),
            participation["value"],
            participation["target"],
            participation["women"],
            participation["men"],
            participation["not_recorded"],
            participation["value"],
            participation["events"],
        ],
        [
            3,
            None,
            str(INDICATOR_NAMES[3]),
            summary["mobilisation_coverage"]["value"],
            summary["mobilisation_coverage"]["target"],
            None,
            None,
            None,
            None,
            None,
        ],
    ]
    for name, breakdown in BREAKDOWN_TITLES.items():
        for row in breakdowns[name]:
            rows.append(
                [
                    2,
                    breakdown,
                    row["label"],
                    row["total"],
                    None,
                    *(row[column] for column in COUNT_COLUMNS),
                    row["events"],
                ]
            )
    payload = {"summary": summary, "breakdowns": {k: breakdowns[k] for k in BREAKDOWN_TITLES}}
    return INDICATOR_COLUMNS, rows, payload


def _count(name, label, description):
    return Column(name, label, "integer", description, missing=(disclosure.HIDDEN,))


RECORD_COLUMNS = [
    Column("id", gettext_lazy("Record"), "integer", gettext_lazy("Participation record id")),
    Column("date", gettext_lazy("Date"), "date", gettext_lazy("Day the event was held")),
    Column("municipality", gettext_lazy("Municipality"), description=gettext_lazy("Municipality")),
    Column("oblast", gettext_lazy("Oblast"), description=gettext_lazy("Oblast")),
    Column(
        "kind",
        gettext_lazy("Kind of event"),
        description=gettext_lazy("Kind of event (code)"),
        choices=EventKind,
    ),
    Column(
        "topic",
        gettext_lazy("Topic"),
        description=gettext_lazy("Topic of a public hearing: budget, tariffs or priorities"),
        choices=HearingTopic,
    ),
    *count_columns(suppressible=True),
    _count("young_people", gettext_lazy("Young people"), SUPPRESSED),
    _count("persons_with_disabilities", gettext_lazy("Persons with disabilities"), SUPPRESSED),
    Column(
        "organisation",
        gettext_lazy("Organisation"),
        description=gettext_lazy("The NGO that supported the event, if any"),
    ),
    Column(
        "verified_on",
        gettext_lazy("Verified on"),
        "date",
        gettext_lazy("Day a programme manager verified the record"),
    ),
]
RECORD_HEADER = tables.names(RECORD_COLUMNS)


def _json_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def record_table(records, locale, suppress):
    """(columns, rows, payload) of verified records; rows hold dates and codes as they are."""
    records = list(records.select_related("municipality", "organisation"))
    names = municipality_names({r.municipality.translation_key for r in records}, locale)
    oblast_paths = {r.municipality.path[: 3 * r.municipality.steplen] for r in records}
    oblasts = oblast_names(oblast_paths, locale)
    rows = []
    for r in records:
        rows.append(
            [
                r.pk,
                r.held_on,
                names.get(r.municipality.translation_key, r.municipality.title),
                oblasts.get(r.municipality.path[: 3 * r.municipality.steplen], ""),
                r.kind,
                HEARING_KIND_TOPICS.get(r.kind, ""),
                *disclosure.record_counts(r.counts, suppress).values(),
                disclosure.hide_small(r.young_people, suppress),
                disclosure.hide_small(r.persons_with_disabilities, suppress),
                str(r.organisation.local_name) if r.organisation else "",
                timezone.localtime(r.verified_at).date() if r.verified_at else None,
            ]
        )
    payload = [
        {name: _json_value(value) for name, value in zip(RECORD_HEADER, row, strict=True)}
        for row in rows
    ]
    return RECORD_COLUMNS, rows, payload


COVERAGE_FIXED_COLUMNS = [
    Column("municipality", gettext_lazy("Municipality")),
    Column("slug", gettext_lazy("Identifier (slug)")),
]


def coverage_columns(matrix_columns):
    """The coverage matrix's columns: the municipality, then one date per kind of support."""
    return [
        *COVERAGE_FIXED_COLUMNS,
        *(Column(key, label, "date") for key, label, _kinds in matrix_columns),
    ]


def respond(fmt, filename, columns, rows, payload):
    """The table as a file: CSV and XLSX for people (translated header, labelled codes),
    JSON for programs (machine keys and codes). Plain names among `columns` (the import
    template, which must be read back) stay as they are."""
    if fmt not in FORMATS:
        raise Http404(_("Unknown format: use csv, xlsx or json."))
    columns = [c if isinstance(c, Column) else Column(c, c) for c in columns]
    if fmt == "json":
        body = json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type=FORMATS["json"])
    elif fmt == "csv":
        response = tables.csv_response(f"{filename}.csv", columns, rows)
    else:
        sheet = (filename[:31], tables.header(columns), tables.display_rows(columns, rows))
        response = HttpResponse(tables.xlsx_bytes([sheet]), content_type=FORMATS["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
