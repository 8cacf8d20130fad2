"""The three programme indicators: one computation for the dashboard, exports and API.

Every figure is a database aggregate over verified participation records, policy
adoptions and published pages. Municipalities are identified by their pages'
translation_key, so a figure is the same whichever language it is shown in.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import Cast, ExtractYear, Substr
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.models import Locale

from cms import extensions, repeated_lookups
from municipalities.choices import HEARING_KIND_TOPICS, MOBILISATION_KINDS
from municipalities.extensions import MOBILISATION_REACH
from municipalities.models import MunicipalityPage, OblastPage, every_oblast
from municipalities.monitoring import disclosure
from municipalities.monitoring.models import IndicatorSettings, PolicyAdoption
from municipalities.monitoring.models.participation import (
    ParticipationYearTotal,
    records_version,
    verified_records,
)

SUMS = {
    "women": Sum("women"),
    "men": Sum("men"),
    "not_recorded": Sum("not_recorded"),
    "events": Count("*"),  # COUNT(*) lets PostgreSQL answer from the covering index alone
}


@dataclass(frozen=True)
class Scope:
    """A reporting period, optionally narrowed to one oblast or one municipality."""

    start: date
    end: date
    oblast: OblastPage | None = None
    municipality: MunicipalityPage | None = None

    @property
    def place(self):
        return self.municipality or self.oblast

    def place_path(self):
        """The path of the place's source-language page: records point at those."""
        place = self.place
        if place is None:
            return None
        if place.locale.language_code != settings.LANGUAGE_CODE:
            place = type(place).objects.get(
                translation_key=place.translation_key,
                locale__language_code=settings.LANGUAGE_CODE,
            )
        return place.path


def _in_place(queryset, scope, field="municipality__path"):
    path = scope.place_path()
    return queryset.filter(**{f"{field}__startswith": path}) if path else queryset


def _with_totals(row):
    row = dict(row)
    for key in ("women", "men", "not_recorded", "events"):
        row[key] = row.get(key) or 0
    row["total"] = row["women"] + row["men"] + row["not_recorded"]
    return row


def policies_in_force(on_date, scope=None):
    """Indicator 1: municipalities with a socially and gender-sensitive policy in force."""
    keys = set(_policy_keys(on_date, scope).values_list("key", flat=True))
    return _policies_figure(keys, on_date)


def _policy_keys(on_date, scope):
    policies = PolicyAdoption.objects.filter(in_force_from__lte=on_date).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on_date)
    )
    if scope is not None:
        policies = _in_place(policies, scope)
    return policies.order_by().values(key=F("municipality__translation_key"))


def _policies_figure(keys, on_date):
    return {"count": len(keys), "municipalities": keys, "date": on_date}


def hearing_records(scope):
    """The verified records of public hearings on the budget, tariffs and priorities."""
    records = verified_records().filter(
        kind__in=list(HEARING_KIND_TOPICS), held_on__range=(scope.start, scope.end)
    )
    return _in_place(records, scope)


def hearing_participation(scope):
    """Indicator 2: women, men and not-recorded participants in public hearings.

    On PostgreSQL all breakdowns come from one pass over the records (GROUPING SETS);
    elsewhere from one query of an aggregate per breakdown. Both give the same figures.
    """
    records = hearing_records(scope)
    if connection.vendor == "postgresql":
        return _participation_in_one_pass(records, scope)
    return _participation_in_union(records)


# the breakdowns of indicator 2 and how each row's key reads back
BREAKDOWNS = {
    "kind": ("kind", str),
    "oblast": ("oblast_path", str),
    "municipality": ("municipality_id", int),
    "year": ("year", int),
}


def _participation_in_union(records):
    """The total and every breakdown as one query: one aggregate per breakdown, joined
    with UNION ALL (databases without GROUPING SETS)."""
    oblast_path_length = OblastPage.steplen * 3
    keys = {
        "total": Value(""),
        "kind": F("kind"),
        "oblast": Substr("municipality__path", 1, oblast_path_length),
        "municipality": Cast("municipality_id", CharField()),
        "year": Cast(ExtractYear("held_on"), CharField()),
    }
    first, *rest = [
        records.order_by()
        .annotate(key=Cast(key, CharField()) if name == "total" else key)
        .values("key")
        .annotate(**SUMS, breakdown=Value(name, output_field=CharField()))
        for name, key in keys.items()
    ]
    result = {"total": _with_totals({}), "by_topic": [], "by_oblast": [], "by_year": []}
    by_municipality = []
    for row in first.union(*rest, all=True):
        name, key = row.pop("breakdown"), row.pop("key")
        if name == "total":
            result["total"] = _with_totals(row)
            continue
        field, read = BREAKDOWNS[name]
        row = {field: read(key), **row}
        if name == "municipality":
            by_municipality.append(row)
        elif name == "kind":
            result["by_topic"].append(_with_totals({**row, "topic": HEARING_KIND_TOPICS[key]}))
        else:
            result[f"by_{name}"].append(_with_totals(row))
    result["by_topic"].sort(key=lambda row: row["kind"])
    result["by_oblast"].sort(key=lambda row: row["oblast_path"])
    result["by_year"].sort(key=lambda row: row["year"])
    result["by_municipality"] = _keyed_by_municipality(by_municipality)
    return result


ONE_PASS_SQL = """
WITH per_municipality AS ({inner})
SELECT GROUPING(kind), GROUPING(year), GROUPING(municipality_id), GROUPING(oblast_path),
       kind, year, municipality_id, oblast_path,
       SUM(women)::bigint, SUM(men)::bigint, SUM(not_recorded)::bigint, SUM(events)::bigint
FROM (
    SELECT m.*, SUBSTRING(page.path, 1, %s) AS oblast_path
    FROM per_municipality m JOIN wagtailcore_page page ON page.id = m.municipality_id
) rows
GROUP BY GROUPING SETS ((), (kind), (year), (municipality_id), (oblast_path))
"""


def full_years(scope):
    """The calendar years wholly inside the scope (records cannot be dated in the future)."""
    today = timezone.localdate()
    first = (
        scope.start.year if scope.start <= date(scope.start.year, 1, 1) else scope.start.year + 1
    )
    last = scope.end.year
    if scope.end < min(date(last, 12, 31), today):
        last -= 1
    return (first, last) if first <= last else None


def edge_ranges(scope, years):
    """The parts of the scope outside its whole years, as date ranges (possibly none)."""
    first, last = years
    edges = [
        (scope.start, date(first, 1, 1) - timedelta(days=1)),
        (date(last + 1, 1, 1), scope.end),
    ]
    return [(start, end) for start, end in edges if start <= end]


def outside_whole_years(records, scope, years):
    """Records of the scope's edges only, or none, with ranges an index can use."""
    edges = edge_ranges(scope, years)
    if not edges:
        return records.none()
    condition = Q()
    for edge in edges:
        condition |= Q(held_on__range=edge)
    return records.filter(condition)


def _participation_in_one_pass(records, scope):
    """Every breakdown of indicator 2 in one query: yearly totals for whole years, records
    for the days before and after them."""
    columns = ("municipality_id", "kind", "year", "women", "men", "not_recorded", "events")
    years = full_years(scope)
    parts = []
    if not years or edge_ranges(scope, years):
        if years:
            records = outside_whole_years(records, scope, years)
        parts.append(
            records.annotate(year=ExtractYear("held_on"))
            .values("municipality_id", "kind", "year")
            .annotate(**SUMS)
            .order_by()
            .values_list(*columns)
        )
    if years:
        totals = ParticipationYearTotal.objects.filter(
            kind__in=list(HEARING_KIND_TOPICS), year__range=years
        )
        parts.append(_in_place(totals, scope).order_by().values_list(*columns))
    sql, params = [], []
    for part in parts:
        part_sql, part_params = part.query.sql_with_params()
        sql.append(f"({part_sql})")
        params.extend(part_params)
    result = {
        "total": _with_totals({}),
        "by_topic": [],
        "by_oblast": [],
        "by_municipality": [],
        "by_year": [],
    }
    with connection.cursor() as cursor:
        cursor.execute(
            ONE_PASS_SQL.format(inner=" UNION ALL ".join(sql)), [*params, OblastPage.steplen * 3]
        )
        for (
            g_kind,
            g_year,
            g_municipality,
            g_oblast,
            kind,
            year,
            municipality_id,
            oblast_path,
            *sums,
        ) in cursor.fetchall():
            counts = dict(zip(("women", "men", "not_recorded", "events"), sums, strict=True))
            if not g_kind:
                result["by_topic"].append(
                    _with_totals({"kind": kind, "topic": HEARING_KIND_TOPICS[kind], **counts})
                )
            elif not g_year:
                result["by_year"].append(_with_totals({"year": int(year), **counts}))
            elif not g_municipality:
                result["by_municipality"].append({"municipality_id": municipality_id, **counts})
            elif not g_oblast:
                result["by_oblast"].append(_with_totals({"oblast_path": oblast_path, **counts}))
            else:
                result["total"] = _with_totals(counts)
    result["by_topic"].sort(key=lambda row: row["kind"])
    result["by_year"].sort(key=lambda row: row["year"])
    result["by_oblast"].sort(key=lambda row: row["oblast_path"])
    result["by_municipality"] = _keyed_by_municipality(result["by_municipality"])
    return result


def _keyed_by_municipality(rows):
    """Rows grouped by municipality id, labelled with its translation_key, in tree order.

    Records always point at source-language pages, so grouping by id needs no join; the
    keys and the order come from the request's one read of the municipality pages.
    """
    rows = [_with_totals(row) for row in rows]
    pages = {
        pk: (key, path)
        for pk, key, path, _title, _slug in _municipality_pages(_locale_id(settings.LANGUAGE_CODE))
    }
    missing = {row["municipality_id"] for row in rows} - pages.keys()
    if missing:  # a record on another language's page (saved around `save()`): still counted
        pages.update(
            (pk, (key, path))
            for pk, key, path in MunicipalityPage.objects.filter(pk__in=missing).values_list(
                "pk", "translation_key", "path"
            )
        )
    for row in rows:
        row["municipality__translation_key"] = pages[row["municipality_id"]][0]
    return sorted(rows, key=lambda row: pages[row["municipality_id"]][1])


def mobilisation_coverage(scope):
    """Indicator 3: municipalities reached by citizen mobilisation, each counted once.

    A municipality counts when a verified hearing, consultation or campaign event in
    the period was held with an NGO's support, or when a published campaign covers it
    (`MOBILISATION_REACH`, registered by campaigns).
    """
    return _coverage_figure(set(_mobilisation_keys(scope).values_list("key", flat=True)))


def _mobilisation_keys(scope):
    events = verified_records().filter(
        municipality=OuterRef("pk"),
        kind__in=list(MOBILISATION_KINDS),
        organisation__isnull=False,
        held_on__range=(scope.start, scope.end),
    )
    reached = Exists(events)
    for reach in extensions.collect(MOBILISATION_REACH, scope.start, scope.end):
        reached |= Exists(reach.filter(municipality=OuterRef("pk")))
    municipalities = MunicipalityPage.objects.filter(
        locale__language_code=settings.LANGUAGE_CODE
    ).filter(reached)
    path = scope.place_path()
    if path:
        municipalities = municipalities.filter(path__startswith=path)
    return municipalities.order_by().values(key=F("translation_key"))


def _coverage_figure(keys):
    return {"count": len(keys), "municipalities": keys}


class Indicators:
    """All figures of one scope, each computed once; pages and exports share one instance."""

    def __init__(self, scope):
        self.scope = scope

    @cached_property
    def _reached(self):
        """The municipalities of indicators 1 and 3 (translation keys), in one query."""
        policies = _policy_keys(self.scope.end, self.scope).annotate(figure=Value("policies"))
        coverage = _mobilisation_keys(self.scope).annotate(figure=Value("coverage"))
        keys = {"policies": set(), "coverage": set()}
        for row in policies.union(coverage, all=True):
            keys[row["figure"]].add(row["key"])
        return keys

    @cached_property
    def policies(self):
        return _policies_figure(self._reached["policies"], self.scope.end)

    @cached_property
    def participation(self):
        return hearing_participation(self.scope)

    @cached_property
    def hidden(self):
        """{row key: counts to hide} for indicator 2's total and breakdowns, protected together
        with the records behind them (`disclosure`). Row keys: ("total",), ("kind", kind),
        ("oblast", path), ("municipality", id), ("year", year). Kept in the cache until a
        verified figure changes: at national scale the check takes seconds."""
        scope = self.scope
        key = "disclosure:{}:{}:{}:{}".format(
            scope.start, scope.end, scope.place_path() or "", records_version()
        )
        hidden = cache.get(key)
        if hidden is None:
            hidden = self._protect()
            cache.set(key, hidden, timeout=24 * 3600)
        return hidden

    def _protect(self):
        result = self.participation
        oblast_length = OblastPage.steplen * 3
        units = []
        dimensions = {"kind": {}, "oblast": {}, "municipality": {}, "year": {}}
        for (municipality_id, kind, year, path), unit in disclosure.sensitive_units(
            hearing_records(self.scope), "municipality_id", "kind", "year", "municipality__path"
        ):
            unit.parent = ("municipality", municipality_id)
            unit.siblings = (kind, year, path[:oblast_length])
            units.append(unit)
            for name, value in (
                ("kind", kind),
                ("oblast", path[:oblast_length]),
                ("municipality", municipality_id),
                ("year", year),
            ):
                dimensions[name].setdefault(value, []).append(unit.key)
        rows = [disclosure.SumRow(("total",), result["total"], [u.key for u in units], level=3)]
        for breakdown, name, field, level in (
            ("by_municipality", "municipality", "municipality_id", 0),
            ("by_year", "year", "year", 1),
            ("by_topic", "kind", "kind", 1),
            ("by_oblast", "oblast", "oblast_path", 2),
        ):
            for row in result[breakdown]:
                key = (name, row[field])
                rows.append(
                    disclosure.SumRow(key, row, dimensions[name].get(row[field], []), level)
                )
        return disclosure.protect(rows, units)

    @cached_property
    def coverage(self):
        return _coverage_figure(self._reached["coverage"])

    @cached_property
    def summary(self):
        """The three indicators with their targets: what every page, export and API shows."""

        targets = IndicatorSettings.load()
        scope = self.scope
        total = self.participation["total"]
        return {
            "scope": {
                "start": scope.start.isoformat(),
                "end": scope.end.isoformat(),
                "oblast": scope.oblast.slug if scope.oblast else None,
                "municipality": scope.municipality.slug if scope.municipality else None,
            },
            "policies_in_force": {
                "value": self.policies["count"],
                "target": targets.policies_target,
                "on": scope.end.isoformat(),
            },
            "hearing_participation": {
                "value": total["total"],
                "women": total["women"],
                "men": total["men"],
                "not_recorded": total["not_recorded"],
                "events": total["events"],
                "target": targets.participants_target,
                "women_target": targets.women_target,
            },
            "mobilisation_coverage": {
                "value": self.coverage["count"],
                "target": targets.coverage_target,
            },
        }


def indicator_summary(scope):
    return Indicators(scope).summary


def _locale_id(language_code):
    try:
        return Locale.objects.get_for_language(language_code or settings.LANGUAGE_CODE).pk
    except (LookupError, Locale.DoesNotExist):  # a language without pages: none to name
        return None


def _municipality_pages(locale_id):
    """`[(pk, translation_key, path, title, slug)]` of every municipality page in one
    language, read once per request: the figures' keys (source language) and their names
    (the visitor's language) come from one query of both languages."""

    def both_languages():
        wanted = {_locale_id(settings.LANGUAGE_CODE), _locale_id(get_language())}
        by_locale = {locale: [] for locale in wanted}
        for locale, *row in MunicipalityPage.objects.filter(locale_id__in=wanted).values_list(
            "locale_id", "pk", "translation_key", "path", "title", "slug"
        ):
            by_locale[locale].append(tuple(row))
        return by_locale

    by_locale = repeated_lookups.per_request("municipality_pages", both_languages)
    if locale_id in by_locale:
        return by_locale[locale_id]
    return repeated_lookups.per_request(
        ("municipality_pages", locale_id),
        lambda: list(
            MunicipalityPage.objects.filter(locale_id=locale_id).values_list(
                "pk", "translation_key", "path", "title", "slug"
            )
        ),
    )


def _municipalities(locale):
    """`{translation_key: (title, slug)}` of every municipality in one language: the page,
    its breakdowns and its lists all name municipalities."""
    locale_id = getattr(locale, "pk", locale)
    return repeated_lookups.per_request(
        ("municipalities", locale_id),
        lambda: {
            key: (title, slug) for _pk, key, _path, title, slug in _municipality_pages(locale_id)
        },
    )


def municipality_names(keys, locale):
    """Titles of municipalities in the visitor's language, by translation_key."""
    every = _municipalities(locale)
    return {key: every[key][0] for key in keys if key in every}


def municipality_slugs(keys, locale):
    every = _municipalities(locale)
    return {key: every[key][1] for key in keys if key in every}


def _oblasts():
    """(path, translation_key, locale id, title, slug) of every oblast, from the request's
    one read of them."""
    return [
        (page.path, page.translation_key, page.locale_id, page.title, page.slug)
        for page in every_oblast()
    ]


def oblast_names(paths, locale):
    """Titles of oblasts in the visitor's language, by their source pages' paths."""
    locale_id = getattr(locale, "pk", locale)
    oblasts = _oblasts()
    by_key = {key: title for _path, key, locale, title, _slug in oblasts if locale == locale_id}
    paths = set(paths)
    return {path: by_key.get(key, "") for path, key, *_rest in oblasts if path in paths}


def oblast_slugs(paths):
    paths = set(paths)
    return {path: slug for path, _key, _locale, _title, slug in _oblasts() if path in paths}


def report_record_ids(scope):
    """The ids of everything behind the figures of a scope, for a frozen report."""
    hearing_ids = hearing_records(scope).values_list("pk", flat=True)
    event_ids = (
        verified_records()
        .filter(
            kind__in=list(MOBILISATION_KINDS),
            organisation__isnull=False,
            held_on__range=(scope.start, scope.end),
        )
        .values_list("pk", flat=True)
    )
    policies = PolicyAdoption.objects.filter(in_force_from__lte=scope.end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=scope.end)
    )
    return {
        "participation_records": sorted(set(hearing_ids) | set(event_ids)),
        "policy_adoptions": sorted(policies.values_list("pk", flat=True)),
    }
