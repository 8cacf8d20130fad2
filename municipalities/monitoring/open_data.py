"""The monitoring files of the open-data archive: verified participation records and the
indicators, the same tables as the API's (`municipalities.monitoring.api`)."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from cms.extensions import OpenDataTable
from cms.tables import Column
from municipalities.extensions import MunicipalityFigure
from municipalities.monitoring import disclosure, exports
from municipalities.monitoring.api import (
    COUNTS,
    place_scope,
    suppress_small_cells,
    verified_participation,
)
from municipalities.monitoring.indicators import Indicators
from municipalities.monitoring.models import IndicatorSettings, ReportingPeriod
from municipalities.monitoring.models.participation import (
    records_version,
    verified_records,
    year_totals_by_municipality,
)


def _default_locale():
    return Locale.objects.get(language_code=settings.LANGUAGE_CODE)


def _participation_rows():
    _columns, rows, _payload = exports.record_table(
        verified_participation({}), _default_locale(), suppress_small_cells()
    )
    return rows


def indicator_rows():
    """The indicators of the default period (this year to date): the API's default too."""
    locale = _default_locale()
    _columns, rows, _payload = exports.indicator_table(
        Indicators(place_scope({}, locale)), locale, suppress_small_cells()
    )
    return rows


def tables():
    return [
        OpenDataTable(
            "participation",
            _("Verified participation records"),
            _("Verified participation records: counts of women and men per event, never names."),
            80,
            exports.RECORD_COLUMNS,
            _participation_rows,
            primary_key=("id",),
        ),
        OpenDataTable(
            "indicators",
            _("The three programme indicators and their breakdowns"),
            _("The indicators of this year to date, as on the indicators page and in the API."),
            90,
            exports.INDICATOR_COLUMNS,
            indicator_rows,
            primary_key=("indicator", "breakdown", "label"),
        ),
    ]


def state():
    """What changes the monitoring files: verification, withdrawal, edits and deletion of a
    record (`records_version`: index lookups and the yearly totals, where counting the
    records by status read all million of them nationally), closed periods, settings."""
    # created on first use (let that not change the state later), read once per request
    targets = IndicatorSettings.load()
    return [
        records_version(),
        ReportingPeriod.objects.aggregate(closed=Max("closed_at"), n=Count("closed_at")),
        [
            {
                field.attname: getattr(targets, field.attname)
                for field in targets._meta.concrete_fields
            }
        ],
    ]


def published_participants(keys):
    """Verified participants of all time per municipality, as published: the table of every
    municipality is protected as one (`disclosure`), whichever of them a request lists."""
    totals = year_totals_by_municipality(None)
    if suppress_small_cells():
        key = f"disclosure:municipalities:{records_version()}"
        published = cache.get(key)
        if published is None:
            published = _protected_municipality_totals(totals)
            cache.set(key, published, timeout=24 * 3600)
        totals = published
    return {key: totals[key] for key in keys if key in totals}


def _protected_municipality_totals(totals):
    """The municipalities table protected as one (`disclosure`)."""
    units, members = [], {}
    for (key, _kind, _year), unit in disclosure.sensitive_units(
        verified_records(), "municipality__translation_key", "kind", "year"
    ):
        # no sum but the municipality's: any two municipalities' records swap
        unit.parent, unit.siblings = key, ()
        units.append(unit)
        members.setdefault(key, []).append(unit.key)
    rows = [disclosure.SumRow(key, counts, members.get(key, [])) for key, counts in totals.items()]
    hidden = disclosure.protect(rows, units)
    return {key: disclosure.apply(counts, hidden[key]) for key, counts in totals.items()}


HIDDEN = (disclosure.HIDDEN,)
PARTICIPANTS = MunicipalityFigure(
    name="verified_participants",
    order=30,
    schema={
        "type": "object",
        "properties": dict.fromkeys(("women", "men", "not_recorded", "total"), COUNTS),
    },
    columns=(
        Column("verified_women", _("Women"), "integer", exports.SUPPRESSED, missing=HIDDEN),
        Column("verified_men", _("Men"), "integer", exports.SUPPRESSED, missing=HIDDEN),
        Column(
            "verified_not_recorded",
            _("Sex not recorded"),
            "integer",
            exports.SUPPRESSED,
            missing=HIDDEN,
        ),
    ),
    values=published_participants,
    default={"women": 0, "men": 0, "not_recorded": 0, "total": 0},
    cells=lambda counts: [counts["women"], counts["men"], counts["not_recorded"]],
)
