"""The coverage matrix: which municipality received what, with dates, counted once each."""

from datetime import datetime, time, timedelta
from typing import NamedTuple
from uuid import UUID

from django.conf import settings
from django.db.models import CharField, F, Max, Q, Value
from django.db.models.functions import Length, Substr, TruncDate
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cms import extensions, routing
from cms.collation import kyrgyz_order
from municipalities.choices import (
    HEARING_KIND_TOPICS,
    TRAINING_KINDS,
    BudgetStage,
    EventKind,
    HearingStatus,
    PlanStage,
)
from municipalities.extensions import COVERAGE_DATES
from municipalities.models import (
    BudgetPage,
    CouncilResolution,
    DevelopmentPlanPage,
    HearingPage,
    MunicipalityPage,
)
from municipalities.monitoring.indicators import full_years, outside_whole_years
from municipalities.monitoring.models import PolicyAdoption
from municipalities.monitoring.models.participation import ParticipationYearTotal, verified_records

# column key, heading, the event kinds of verified records that fill it (None: pages)
COLUMNS = [
    ("training", _("Training held"), TRAINING_KINDS),
    ("consultation_plan", _("Consultation on the plan"), (EventKind.CONSULTATION_PLAN,)),
    ("consultation_budget", _("Consultation on the budget"), (EventKind.CONSULTATION_BUDGET,)),
    ("hearing", _("Public hearing held"), tuple(HEARING_KIND_TOPICS)),
    ("campaign", _("Campaign run"), (EventKind.CAMPAIGN_EVENT,)),
    ("draft_plan", _("Draft plan published"), None),
    ("draft_budget", _("Draft budget published"), None),
    ("resolution", _("Council resolution published"), None),
    ("policy", _("Policy in force"), None),
]
COLUMN_KEYS = [key for key, *_ in COLUMNS]
KIND_COLUMN = {kind: key for key, _label, kinds in COLUMNS if kinds for kind in kinds}
# the columns that verified records fill, with their event kinds
RECORD_COLUMNS = [(key, kinds) for key, _label, kinds in COLUMNS if kinds]


class CoveredMunicipality(NamedTuple):
    """What the table shows of a municipality: plain values (500 page objects took longer
    than the rest of the table)."""

    pk: int
    title: str
    slug: str
    translation_key: UUID
    url_path: str


class CoverageRow:
    """A municipality and its cells; its address is made only when shown (a page of the
    table shows 50 of 500)."""

    def __init__(self, municipality, cells, addresses):
        self.municipality = municipality
        self.cells = cells
        self.addresses = addresses

    @cached_property
    def url(self):
        return self.addresses(self.municipality.url_path)

    def __getitem__(self, name):
        return getattr(self, name)


def _day_start(day):
    """Midnight at the start of `day` in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _labelled(rows, column):
    """Aggregate rows with their column's key, so that several columns' rows are one query."""
    return rows.annotate(column=Value(column, output_field=CharField())).order_by()


def _keep_latest(cell, column, day):
    """Put `day` in a municipality's `column` unless a later date is there already."""
    if day is not None and (column not in cell or cell[column] < day):
        cell[column] = day


def _latest_per_column(rows, field):
    """(municipality id, the latest `field` of each record column): one row per municipality
    from the database, instead of one per municipality and event kind (6,000 at national
    scale) folded in Python."""
    return list(
        rows.values("municipality_id")
        .annotate(
            **{
                f"latest_{column}": Max(field, filter=Q(kind__in=kinds))
                for column, kinds in RECORD_COLUMNS
            }
        )
        .order_by()
        .values_list("municipality_id", *(f"latest_{column}" for column, _ in RECORD_COLUMNS))
    )


def _latest_pages(scope):
    """`parent` (a municipality's path), `column`, `latest` (a date in the site's time zone,
    from the database: not 500 times converted one by one): the latest published page of
    each page column below each municipality, in one query."""
    parent_path = Substr("path", 1, Length("path") - HearingPage.steplen)
    # the scope's days as times, so that the indexes on these times serve (a date cast of
    # each time reads every page)
    begins, ends = _day_start(scope.start), _day_start(scope.end + timedelta(days=1))
    page_columns = [
        (
            "hearing",
            HearingPage.objects.filter(
                status=HearingStatus.HELD, starts_at__gte=begins, starts_at__lt=ends
            ),
            "starts_at",
        ),
        (
            "draft_plan",
            DevelopmentPlanPage.objects.filter(stage=PlanStage.DRAFT),
            "first_published_at",
        ),
        (
            "draft_budget",
            BudgetPage.objects.filter(stage=BudgetStage.DRAFT),
            "first_published_at",
        ),
    ]
    first, *rest = [
        _labelled(
            pages.live()
            .public()
            .filter(**{f"{field}__lt": ends})
            .annotate(parent=parent_path)
            .values("parent")
            .annotate(latest=Max(TruncDate(field))),
            column,
        )
        for column, pages, field in page_columns
    ]
    return first.union(*rest, all=True)


def _latest_dates(scope):
    """`key` (a municipality's translation key), `column`, `latest` (a date): council
    resolutions, policies in force and the extensions' columns, in one query."""
    columns = [
        (
            "resolution",
            CouncilResolution.objects.filter(adopted_on__range=(scope.start, scope.end))
            .values(key=F("municipality__translation_key"))
            .annotate(latest=Max("adopted_on")),
        ),
        (
            "policy",
            PolicyAdoption.objects.filter(in_force_from__lte=scope.end)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=scope.end))
            .values(key=F("municipality__translation_key"))
            .annotate(latest=Max("in_force_from")),
        ),
        *extensions.collect(COVERAGE_DATES, scope),
    ]
    first, *rest = [_labelled(rows, column) for column, rows in columns]
    return first.union(*rest, all=True)


def coverage_matrix(scope, locale, organisation=None, request=None):
    """Rows of municipalities (in `locale`) with, per column, the latest date in the scope.

    A fixed number of queries whatever the number of municipalities or records.
    """
    municipalities = (
        MunicipalityPage.objects.live().filter(locale=locale).order_by(kyrgyz_order("title"))
    )
    path = scope.place_path()
    source_municipalities = MunicipalityPage.objects.filter(
        locale__language_code=settings.LANGUAGE_CODE
    )
    if path:
        keys = source_municipalities.filter(path__startswith=path).values("translation_key")
        municipalities = municipalities.filter(translation_key__in=keys)
    dates = {}

    def put(key, column, day):
        _keep_latest(dates.setdefault(key, {}), column, day)

    records = verified_records().filter(held_on__range=(scope.start, scope.end))
    if organisation is not None:
        records = records.filter(organisation=organisation)
    years = full_years(scope) if organisation is None else None
    rows = []
    if years:
        # whole years from the yearly totals, only the edges from the records themselves
        records = outside_whole_years(records, scope, years)
        rows += _latest_per_column(
            ParticipationYearTotal.objects.filter(year__range=years), "last_held_on"
        )
    rows += _latest_per_column(records, "held_on")
    if organisation is None:
        # every municipality page's key, by id (records) and by path (pages below them)
        pages = MunicipalityPage.objects.values_list("pk", "path", "translation_key")
    else:
        pages = MunicipalityPage.objects.filter(pk__in={row[0] for row in rows}).values_list(
            "pk", "path", "translation_key"
        )
    keys, parents = {}, {}
    for pk, page_path, key in pages:
        keys[pk], parents[page_path] = key, key
    for municipality_id, *latest in rows:
        cell = dates.setdefault(keys[municipality_id], {})
        for (column, _kinds), day in zip(RECORD_COLUMNS, latest, strict=True):
            _keep_latest(cell, column, day)

    if organisation is None:
        for row in _latest_pages(scope):
            key = parents.get(row["parent"])
            if key:
                put(key, row["column"], row["latest"])
        for row in _latest_dates(scope):
            put(row["key"], row["column"], row["latest"])

    addresses = routing.AddressBook(request)
    rows = []
    totals = dict.fromkeys(COLUMN_KEYS, 0)
    for municipality in map(
        CoveredMunicipality._make, municipalities.values_list(*CoveredMunicipality._fields)
    ):
        # a municipality's dates looked up once, not once per column (500 × 9)
        cell = dates.get(municipality.translation_key, {})
        for column in cell.keys() & totals.keys():
            totals[column] += 1
        rows.append(CoverageRow(municipality, [cell.get(key) for key in COLUMN_KEYS], addresses))
    return {"columns": COLUMNS, "rows": rows, "totals": [totals[key] for key in COLUMN_KEYS]}
