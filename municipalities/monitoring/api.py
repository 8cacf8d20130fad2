"""The monitoring figures in the API: /api/v2/participation/, /indicators/ and /coverage/.

Each endpoint reads its figures from the same function as the dashboard page and the
open-data file (`verified_participation`, `Indicators`, `coverage_matrix`), and its table
from the same definition (`exports`). Registered in `municipalities.wagtail_hooks`.
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.api.endpoints import (
    BY_ID,
    Endpoint,
    ListParameters,
    LocaleParameter,
    answer,
    listing,
    listing_schema,
    page_of,
    ref,
)
from cms.api.errors import not_found
from municipalities.api import OblastParameter, slug_choices
from municipalities.choices import HEARING_KIND_TOPICS, EventKind, HearingTopic
from municipalities.models import MunicipalityPage, OblastPage
from municipalities.monitoring import exports
from municipalities.monitoring.coverage import coverage_matrix
from municipalities.monitoring.forms import IndicatorFilterForm, PeriodForm
from municipalities.monitoring.indicators import Indicators
from municipalities.monitoring.models import IndicatorSettings, Organisation, ReportingPeriod
from municipalities.monitoring.models.participation import verified_records

STRING = {"type": "string"}
INTEGER = {"type": "integer"}
DATE = {"type": "string", "format": "date"}


def place_scope(params, locale):
    """The indicators' Scope of a request's start, end and oblast (already validated), made
    by the dashboard's own filter form: the same defaults, the same numbers."""
    data = {name: params[name] for name in ("start", "end", "oblast") if params.get(name)}
    return IndicatorFilterForm(data or None, locale=locale).scope()


def suppress_small_cells(request=None):
    return IndicatorSettings.load(request_or_site=request).suppress_small_cells


def verified_participation(params):
    """Verified records only, filtered; the one queryset of the API and the open data."""
    records = verified_records().order_by("held_on", "pk")
    if params.get("start"):
        records = records.filter(held_on__gte=params["start"])
    if params.get("end"):
        records = records.filter(held_on__lte=params["end"])
    if params.get("oblast"):
        oblast = OblastPage.objects.get(
            slug=params["oblast"], locale__language_code=settings.LANGUAGE_CODE
        )
        records = records.filter(municipality__path__startswith=oblast.path)
    if params.get("municipality"):
        municipality = MunicipalityPage.objects.get(
            slug=params["municipality"], locale__language_code=settings.LANGUAGE_CODE
        )
        records = records.filter(municipality__translation_key=municipality.translation_key)
    if params.get("kind"):
        records = records.filter(kind=params["kind"])
    if params.get("topic"):
        kinds = [kind for kind, topic in HEARING_KIND_TOPICS.items() if topic == params["topic"]]
        records = records.filter(kind__in=kinds)
    return records


# Participation

COUNTS = {
    "type": ["integer", "string", "null"],
    "description": 'A count of people; "x" where it is hidden to protect small numbers.',
}


def record_schema():
    return {
        "type": "object",
        "required": list(exports.RECORD_HEADER),
        "properties": {
            **{name: {"type": ["string", "null"]} for name in exports.RECORD_HEADER},
            "id": INTEGER,
            "date": DATE,
            **dict.fromkeys(
                ("women", "men", "not_recorded", "young_people", "persons_with_disabilities"),
                COUNTS,
            ),
            "total": COUNTS,
        },
    }


class ParticipationParameters(ListParameters, LocaleParameter, PeriodForm, OblastParameter):
    municipality = forms.ChoiceField(
        required=False,
        choices=slug_choices(MunicipalityPage),
        help_text=gettext_lazy("Municipality slug."),
    )
    kind = forms.ChoiceField(
        required=False, choices=EventKind.choices, help_text=gettext_lazy("Kind of event.")
    )
    topic = forms.ChoiceField(
        required=False, choices=HearingTopic.choices, help_text=gettext_lazy("Hearing topic.")
    )


class ParticipationEndpoint(Endpoint):
    """Verified participation records: counts by sex and role, never names."""

    parameters = ParticipationParameters
    route = "participation/"
    url_name = "api_participation"
    operation_id = "listParticipationRecords"
    summary = gettext_lazy("Verified participation records: counts by sex, never names.")
    description = gettext_lazy(
        "Each verified record of a hearing, training, consultation or campaign event: how "
        'many women and men took part. Counts that would give away a small number read "x".'
    )
    tag = "monitoring"
    tags = {
        "monitoring": gettext_lazy(
            "Verified participation, the three programme indicators and the support each "
            "municipality received."
        )
    }
    response = listing_schema(ref("ParticipationRecord"))
    order = 20

    @classmethod
    def component_schemas(cls):
        return {"ParticipationRecord": record_schema()}

    def answer(self, request, params, pk=None):
        records = verified_participation(params)
        suppress = suppress_small_cells(request)
        if pk is not None:
            records = records.filter(pk=pk)
            if not records.exists():
                return not_found(_("No verified participation record has this id."))
            _header, _rows, payload = exports.record_table(records, self.locale, suppress)
            return answer(payload[0])
        total, chosen = page_of(records, params)
        _header, _rows, payload = exports.record_table(chosen, self.locale, suppress)
        return listing(total, payload)


class ParticipationDetailEndpoint(ParticipationEndpoint):
    parameters = LocaleParameter
    route = "participation/<int:pk>/"
    url_name = "api_participation_record"
    operation_id = "getParticipationRecord"
    summary = gettext_lazy("One verified participation record.")
    description = gettext_lazy("One verified record by its id, as in the list.")
    response = ref("ParticipationRecord")
    path_parameter = BY_ID
    order = 21


# Indicators and coverage


class IndicatorParameters(LocaleParameter, PeriodForm, OblastParameter):
    pass


def indicators_payload(request, params, locale):
    """The three indicators, their breakdowns and the closed reporting periods."""
    scope = place_scope(params, locale)
    _header, _rows, payload = exports.indicator_table(
        Indicators(scope), locale, suppress_small_cells(request)
    )
    payload["reporting_periods"] = [
        {
            "name": str(period.local_name),
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "closed_at": period.closed_at.isoformat(),
            "fingerprint": period.published_fingerprint,
        }
        for period in ReportingPeriod.objects.filter(closed_at__isnull=False).order_by(
            "start", "pk"
        )
    ]
    return payload


def indicators_schema():
    figure = {
        "type": "object",
        "additionalProperties": True,
        "properties": {"value": INTEGER, "target": {"type": ["integer", "null"]}},
    }
    return {
        "type": "object",
        "required": ["summary", "breakdowns", "reporting_periods"],
        "properties": {
            "summary": {
                "type": "object",
                "required": [
                    "scope",
                    "policies_in_force",
                    "hearing_participation",
                    "mobilisation_coverage",
                ],
                "properties": {
                    "scope": {"type": "object"},
                    "policies_in_force": figure,
                    "hearing_participation": figure,
                    "mobilisation_coverage": figure,
                },
            },
            "breakdowns": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "object"}},
            },
            "reporting_periods": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "name": STRING,
                        "start": DATE,
                        "end": DATE,
                        "closed_at": STRING,
                        "fingerprint": STRING,
                    },
                },
            },
        },
    }


class IndicatorsEndpoint(Endpoint):
    """The three programme indicators for a period, as on the dashboard."""

    parameters = IndicatorParameters
    route = "indicators/"
    url_name = "api_indicators"
    operation_id = "getIndicators"
    summary = gettext_lazy(
        "The three programme indicators, their breakdowns, targets and closed reporting "
        "periods with their SHA-256 fingerprints."
    )
    description = gettext_lazy(
        "The figures of the indicators page for a period and place: values, targets, "
        "indicator 2 by sex and its breakdowns, and the frozen reports of closed periods."
    )
    tag = "monitoring"
    response = ref("Indicators")
    order = 30

    @classmethod
    def component_schemas(cls):
        return {"Indicators": indicators_schema()}

    def answer(self, request, params):
        return answer(indicators_payload(request, params, self.locale))


class CoverageParameters(IndicatorParameters):
    organisation = forms.IntegerField(
        required=False,
        min_value=1,
        help_text=gettext_lazy("Only the support of this organisation (its id)."),
    )

    def clean_organisation(self):
        value = self.cleaned_data.get("organisation")
        if value and not Organisation.objects.filter(pk=value).exists():
            raise forms.ValidationError(gettext_lazy("No organisation has this id."))
        return value


def coverage_schema():
    return {
        "type": "object",
        "required": ["scope", "columns", "rows", "totals"],
        "properties": {
            "scope": {"type": "object"},
            "columns": {
                "type": "array",
                "items": {"type": "object", "properties": {"key": STRING, "label": STRING}},
            },
            "rows": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "municipality": STRING,
                        "name": STRING,
                        "url": {"type": ["string", "null"]},
                        "cells": {
                            "type": "object",
                            "additionalProperties": {"type": ["string", "null"], "format": "date"},
                        },
                    },
                },
            },
            "totals": {"type": "object", "additionalProperties": INTEGER},
        },
    }


class CoverageEndpoint(Endpoint):
    """Which municipality received which support, with the latest date of each."""

    parameters = CoverageParameters
    route = "coverage/"
    url_name = "api_coverage"
    operation_id = "getCoverage"
    summary = gettext_lazy(
        "Which municipality received which support, with the latest date of each."
    )
    description = gettext_lazy(
        "For each municipality, the kinds of support it received (trainings, hearings, "
        "consultations, campaigns) with how many events and the latest date of each."
    )
    tag = "monitoring"
    response = ref("Coverage")
    order = 40

    @classmethod
    def component_schemas(cls):
        return {"Coverage": coverage_schema()}

    def answer(self, request, params):
        scope = place_scope(params, self.locale)
        organisation = (
            Organisation.objects.get(pk=params["organisation"])
            if params.get("organisation")
            else None
        )
        matrix = coverage_matrix(scope, self.locale, organisation, request)
        columns = [key for key, *_rest in matrix["columns"]]
        return answer(
            {
                "scope": {
                    "start": scope.start.isoformat(),
                    "end": scope.end.isoformat(),
                    "oblast": scope.oblast.slug if scope.oblast else None,
                    "organisation": organisation.pk if organisation else None,
                },
                "columns": [
                    {"key": key, "label": str(label)} for key, label, _kinds in matrix["columns"]
                ],
                "rows": [
                    {
                        "municipality": row["municipality"].slug,
                        "name": row["municipality"].title,
                        "url": request.build_absolute_uri(row["url"]) if row["url"] else None,
                        "cells": {
                            key: day.isoformat() if day else None
                            for key, day in zip(columns, row["cells"], strict=True)
                        },
                    }
                    for row in matrix["rows"]
                ],
                "totals": dict(zip(columns, matrix["totals"], strict=True)),
            }
        )


ENDPOINTS = [
    ParticipationEndpoint,
    ParticipationDetailEndpoint,
    IndicatorsEndpoint,
    CoverageEndpoint,
]
