"""The three programme indicators: one computation for the dashboard, exports and API.

Every figure is a database aggregate over verified participation records, policy
adoptions and published pages. Municipalities are identified by their pages'
translation_key, so a figure is the same whichever language it is shown in.
"""

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear, Substr

from municipalities.choices import HEARING_KIND_TOPICS, MOBILISATION_KINDS
from municipalities.models import MunicipalityPage, OblastPage, PolicyAdoption
from municipalities.models.participation import verified_records

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
    policies = PolicyAdoption.objects.filter(in_force_from__lte=on_date).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on_date)
    )
    if scope is not None:
        policies = _in_place(policies, scope)
    keys = set(policies.values_list("municipality__translation_key", flat=True).distinct())
    return {"count": len(keys), "municipalities": keys, "date": on_date}


def hearing_records(scope):
    """The verified records of public hearings on the budget, tariffs and priorities."""
    records = verified_records().filter(
        kind__in=list(HEARING_KIND_TOPICS), held_on__range=(scope.start, scope.end)
    )
    return _in_place(records, scope)


def hearing_participation(scope):
    """Indicator 2: women, men and not-recorded participants in public hearings."""
    records = hearing_records(scope)
    oblast_path_length = OblastPage.steplen * 3
    by_oblast = list(
        records.annotate(oblast_path=Substr("municipality__path", 1, oblast_path_length))
        .values("oblast_path")
        .annotate(**SUMS)
        .order_by("oblast_path")
    )
    return {
        "total": _with_totals(records.aggregate(**SUMS)),
        "by_topic": [
            _with_totals({**row, "topic": HEARING_KIND_TOPICS[row["kind"]]})
            for row in records.values("kind").annotate(**SUMS).order_by("kind")
        ],
        "by_oblast": [_with_totals(row) for row in by_oblast],
        "by_municipality": _keyed_by_municipality(
            records.values("municipality_id").annotate(**SUMS).order_by("municipality__path")
        ),
        "by_year": [
            _with_totals(row)
            for row in records.annotate(year=ExtractYear("held_on"))
            .values("year")
            .annotate(**SUMS)
            .order_by("year")
        ],
    }


def _keyed_by_municipality(rows):
    """Rows grouped by municipality id, labelled with its translation_key (one small query).

    Records always point at source-language pages, so grouping by id needs no join.
    """
    rows = [_with_totals(row) for row in rows]
    keys = dict(
        MunicipalityPage.objects.filter(
            pk__in=[row["municipality_id"] for row in rows]
        ).values_list("pk", "translation_key")
    )
    for row in rows:
        row["municipality__translation_key"] = keys[row["municipality_id"]]
    return rows


def mobilisation_coverage(scope):
    """Indicator 3: municipalities reached by citizen mobilisation, each counted once.

    A municipality counts when a verified hearing, consultation or campaign event in
    the period was held with an NGO's support, or when a published campaign covers it.
    """
    events = verified_records().filter(
        kind__in=list(MOBILISATION_KINDS),
        organisation__isnull=False,
        held_on__range=(scope.start, scope.end),
    )
    ids = _in_place(events, scope).values("municipality_id").order_by()
    for campaign_ids in _campaign_coverage(scope):
        ids = ids.union(campaign_ids.order_by())
    found = set(
        MunicipalityPage.objects.filter(pk__in=ids).values_list("translation_key", flat=True)
    )
    return {"count": len(found), "municipalities": found}


def _campaign_coverage(scope):
    """Querysets of municipality ids covered by published campaigns (the campaigns app)."""
    from campaigns.models import covered_municipality_ids

    ids = covered_municipality_ids(scope.start, scope.end)
    path = scope.place_path()
    if path:
        ids = ids.filter(municipality__path__startswith=path)
    return [ids]


class Indicators:
    """All figures of one scope, each computed once; pages and exports share one instance."""

    def __init__(self, scope):
        self.scope = scope

    @cached_property
    def policies(self):
        return policies_in_force(self.scope.end, self.scope)

    @cached_property
    def participation(self):
        return hearing_participation(self.scope)

    @cached_property
    def coverage(self):
        return mobilisation_coverage(self.scope)

    @cached_property
    def summary(self):
        """The three indicators with their targets: what every page, export and API shows."""
        from municipalities.models import IndicatorSettings

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


def municipality_names(keys, locale):
    """Titles of municipalities in the visitor's language, by translation_key (one query)."""
    return dict(
        MunicipalityPage.objects.filter(translation_key__in=list(keys), locale=locale).values_list(
            "translation_key", "title"
        )
    )


def oblast_names(paths, locale):
    """Titles of oblasts in the visitor's language, by their source pages' paths."""
    sources = OblastPage.objects.filter(path__in=list(paths)).values_list("path", "translation_key")
    by_key = dict(OblastPage.objects.filter(locale=locale).values_list("translation_key", "title"))
    return {path: by_key.get(key, "") for path, key in sources}


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
