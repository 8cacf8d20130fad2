"""The monitoring files of the open-data archive: verified participation records and the
indicators, the same tables as the API's (`municipalities.monitoring.api`)."""

from django.conf import settings
from django.db.models import Count, Max
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from cms.extensions import OpenDataTable
from cms.tables import Column
from municipalities.extensions import MunicipalityFigure
from municipalities.monitoring import exports
from municipalities.monitoring.api import place_scope, suppress_small_cells, verified_participation
from municipalities.monitoring.indicators import Indicators
from municipalities.monitoring.models import IndicatorSettings, ParticipationRecord, ReportingPeriod
from municipalities.monitoring.models.participation import year_totals_by_municipality


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
        ),
        OpenDataTable(
            "indicators",
            _("The three programme indicators and their breakdowns"),
            _("The indicators of this year to date, as on the indicators page and in the API."),
            90,
            exports.INDICATOR_COLUMNS,
            indicator_rows,
        ),
    ]


def state():
    """What changes the monitoring files: verification, edits, closed periods, settings."""
    IndicatorSettings.load()  # created on first use: let that not change the state later
    return [
        ParticipationRecord.objects.values("status")
        .annotate(n=Count("pk"), last=Max("pk"))
        .order_by("status"),
        ParticipationRecord.objects.aggregate(
            verified=Max("verified_at"), revision=Max("latest_revision_id")
        ),
        ReportingPeriod.objects.aggregate(closed=Max("closed_at"), n=Count("closed_at")),
        list(IndicatorSettings.objects.values()),
    ]


PARTICIPANTS = MunicipalityFigure(
    name="verified_participants",
    order=30,
    schema={
        "type": "object",
        "properties": {
            key: {"type": "integer", "minimum": 0}
            for key in ("women", "men", "not_recorded", "total")
        },
    },
    columns=(
        Column(
            "verified_women", _("Women"), "integer", _("Women in verified participation records")
        ),
        Column("verified_men", _("Men"), "integer", _("Men in verified participation records")),
        Column(
            "verified_not_recorded",
            _("Sex not recorded"),
            "integer",
            _("Participants whose sex was not recorded"),
        ),
    ),
    values=year_totals_by_municipality,
    default={"women": 0, "men": 0, "not_recorded": 0, "total": 0},
    cells=lambda counts: [counts["women"], counts["men"], counts["not_recorded"]],
)
