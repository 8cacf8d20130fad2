"""The programme's own read-only endpoints: municipalities, participation, indicators, coverage.

Each declares its parameters as a Django form: the same declaration validates requests
(400 naming the parameter) and describes them in the OpenAPI document. Figures come from
`municipalities.indicators`, `coverage` and `exports`, like the dashboard's.
"""

from collections import defaultdict

from django import forms
from django.apps import apps
from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import Length, Substr
from django.http import JsonResponse
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.models import Locale

from cms.api.errors import bad_request, not_found
from municipalities.choices import HEARING_KIND_TOPICS, EventKind, HearingTopic
from municipalities.forms import PeriodForm

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
MAX_LIMIT = 100
DEFAULT_LIMIT = 20
MAX_OFFSET = 1_000_000_000  # beyond any real listing, and within every database's integers


class ListParameters(forms.Form):
    limit = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_LIMIT,
        help_text=format_lazy(gettext_lazy("1 to {}; 20 by default."), MAX_LIMIT),
    )
    offset = forms.IntegerField(
        required=False, min_value=0, max_value=MAX_OFFSET, help_text=gettext_lazy("From 0.")
    )


class LocaleParameter(forms.Form):
    locale = forms.ChoiceField(
        required=False,
        choices=[(code, code) for code in LANGUAGE_CODES],
        help_text=gettext_lazy("The language of names and labels; ky by default."),
    )


class Endpoint(View):
    """A GET-only JSON endpoint whose parameters are a form; anything else is a 400."""

    http_method_names = ["get", "head", "options"]
    parameters = forms.Form
    summary = ""

    def get(self, request, *args, **kwargs):
        allowed = set(self.parameters.base_fields)
        unknown = sorted(set(request.GET) - allowed)
        if unknown:
            return bad_request(unknown[0], _("This endpoint has no such parameter."))
        for name in allowed & set(request.GET):
            if len(request.GET.getlist(name)) > 1:
                return bad_request(name, _("Give this parameter once."))
        form = self.parameters(request.GET)
        if not form.is_valid():
            name, errors = next(iter(form.errors.items()))
            return bad_request(name, " ".join(str(error) for error in errors))
        language = form.cleaned_data.get("locale") or settings.LANGUAGE_CODE
        self.locale = Locale.objects.filter(language_code=language).first() or Locale.get_default()
        with translation.override(language):  # labels in the language asked for, like names
            return self.answer(request, form.cleaned_data, *args, **kwargs)

    def answer(self, request, params, *args, **kwargs):
        raise NotImplementedError


def page_of(queryset, params):
    total = queryset.count()
    offset = params.get("offset") or 0
    limit = params.get("limit") or DEFAULT_LIMIT
    return total, queryset[offset : offset + limit]


def listing(total, items):
    return JsonResponse(
        {"meta": {"total_count": total}, "items": items}, json_dumps_params={"ensure_ascii": False}
    )


def _place_scope(params, locale):
    """The indicators' Scope of a request's start, end and oblast (already validated), made
    by the dashboard's own filter form: the same defaults, the same numbers."""
    from municipalities.forms import IndicatorFilterForm

    data = {name: params[name] for name in ("start", "end", "oblast") if params.get(name)}
    return IndicatorFilterForm(data or None, locale=locale).scope()


def slug_choices(model_name):
    """Choices of the slugs of a place's source-language pages, read at each request."""

    def choices():
        model = apps.get_model("municipalities", model_name)
        pages = model.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
        return [(slug, slug) for slug in pages.values_list("slug", flat=True)]

    return choices


class OblastParameter(forms.Form):
    oblast = forms.ChoiceField(
        required=False, choices=slug_choices("OblastPage"), help_text=gettext_lazy("Oblast slug.")
    )


# Municipalities


class MunicipalityParameters(ListParameters, LocaleParameter, OblastParameter):
    pass


def _municipality_items(request, municipalities):
    """One item per municipality, with a fixed number of queries for the whole page."""
    from campaigns.models import CampaignMunicipality
    from municipalities.models import HearingPage, MunicipalityPage, OblastPage
    from municipalities.models.participation import ParticipationYearTotal

    municipalities = list(municipalities)
    keys = [m.translation_key for m in municipalities]
    versions = defaultdict(dict)
    paths = {}
    for page in (
        MunicipalityPage.objects.live()
        .public()
        .filter(translation_key__in=keys)
        .select_related("locale")
    ):
        versions[page.translation_key][page.locale.language_code] = page
        paths[page.path] = page.translation_key
    oblast_paths = {m.path[: 3 * m.steplen] for m in municipalities}
    oblasts = {page.path: page for page in OblastPage.objects.filter(path__in=oblast_paths)}
    oblast_names = defaultdict(dict)
    for page in OblastPage.objects.filter(
        translation_key__in=[o.translation_key for o in oblasts.values()]
    ).select_related("locale"):
        oblast_names[page.translation_key][page.locale.language_code] = page.title

    hearings = defaultdict(set)
    parent = Substr("path", 1, Length("path") - HearingPage.steplen)
    for parent_path, key in (
        HearingPage.objects.live()
        .public()
        .annotate(parent=parent)
        .filter(parent__in=list(paths))
        .values_list("parent", "translation_key")
    ):
        hearings[paths[parent_path]].add(key)
    campaigns = defaultdict(set)
    for municipality_key, campaign_key in CampaignMunicipality.objects.filter(
        page__live=True, municipality__translation_key__in=keys
    ).values_list("municipality__translation_key", "page__translation_key"):
        campaigns[municipality_key].add(campaign_key)
    participants = {  # the yearly totals of verified records, kept in step with them
        row["municipality__translation_key"]: row
        for row in ParticipationYearTotal.objects.filter(municipality__translation_key__in=keys)
        .values("municipality__translation_key")
        .annotate(women=Sum("women"), men=Sum("men"), not_recorded=Sum("not_recorded"))
        .order_by()
    }

    items = []
    for municipality in municipalities:
        key = municipality.translation_key
        oblast = oblasts.get(municipality.path[: 3 * municipality.steplen])
        counts = participants.get(key, {})
        women, men, unknown = (counts.get(n) or 0 for n in ("women", "men", "not_recorded"))
        items.append(
            {
                "slug": municipality.slug,
                "pilot_number": municipality.pilot_number,
                "names": {code: page.title for code, page in versions[key].items()},
                "urls": {code: page.get_full_url(request) for code, page in versions[key].items()},
                "page_ids": {code: page.pk for code, page in versions[key].items()},
                "oblast": {
                    "slug": oblast.slug if oblast else None,
                    "names": oblast_names.get(oblast.translation_key, {}) if oblast else {},
                },
                "population": municipality.population,
                "hearings": len(hearings[key]),
                "campaigns": len(campaigns[key]),
                "verified_participants": {
                    "women": women,
                    "men": men,
                    "not_recorded": unknown,
                    "total": women + men + unknown,
                },
            }
        )
    return items


def _source_municipalities(params):
    from municipalities.models import MunicipalityPage, OblastPage

    pages = (
        MunicipalityPage.objects.live()
        .public()
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .order_by("pilot_number", "path")
    )
    if params.get("oblast"):
        oblast = OblastPage.objects.get(
            slug=params["oblast"], locale__language_code=settings.LANGUAGE_CODE
        )
        pages = pages.filter(path__startswith=oblast.path)
    return pages


class MunicipalitiesEndpoint(Endpoint):
    """The pilot municipalities with their oblast, names in every language and counts."""

    parameters = MunicipalityParameters

    def answer(self, request, params, slug=None):
        pages = _source_municipalities(params)
        if slug is not None:
            page = pages.filter(slug=slug).first()
            if page is None:
                return not_found(_("No municipality has the slug “%(slug)s”.") % {"slug": slug})
            return JsonResponse(
                _municipality_items(request, [page])[0], json_dumps_params={"ensure_ascii": False}
            )
        total, chosen = page_of(pages, params)
        return listing(total, _municipality_items(request, chosen))


class MunicipalityDetailParameters(LocaleParameter):
    pass


class MunicipalityDetailEndpoint(MunicipalitiesEndpoint):
    parameters = MunicipalityDetailParameters


# Participation


class ParticipationParameters(ListParameters, LocaleParameter, PeriodForm, OblastParameter):
    municipality = forms.ChoiceField(
        required=False,
        choices=slug_choices("MunicipalityPage"),
        help_text=gettext_lazy("Municipality slug."),
    )
    kind = forms.ChoiceField(
        required=False, choices=EventKind.choices, help_text=gettext_lazy("Kind of event.")
    )
    topic = forms.ChoiceField(
        required=False, choices=HearingTopic.choices, help_text=gettext_lazy("Hearing topic.")
    )


def verified_participation(params):
    """Verified records only, filtered; the one queryset of the API and the open data."""
    from municipalities.models import MunicipalityPage, OblastPage
    from municipalities.models.participation import verified_records

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


def _suppress(request):
    from municipalities.models import IndicatorSettings

    return IndicatorSettings.load(request_or_site=request).suppress_small_cells


class ParticipationEndpoint(Endpoint):
    """Verified participation records: counts by sex and role, never names."""

    parameters = ParticipationParameters

    def answer(self, request, params, pk=None):
        from municipalities import exports

        records = verified_participation(params)
        if pk is not None:
            records = records.filter(pk=pk)
            if not records.exists():
                return not_found(_("No verified participation record has this id."))
            _header, _rows, payload = exports.record_table(records, self.locale, _suppress(request))
            return JsonResponse(payload[0], json_dumps_params={"ensure_ascii": False})
        total, chosen = page_of(records, params)
        _header, _rows, payload = exports.record_table(chosen, self.locale, _suppress(request))
        return listing(total, payload)


class ParticipationDetailEndpoint(ParticipationEndpoint):
    parameters = LocaleParameter


# Indicators and coverage


class IndicatorParameters(LocaleParameter, PeriodForm, OblastParameter):
    pass


def indicators_payload(request, params, locale):
    """The three indicators, their breakdowns and the closed reporting periods."""
    from municipalities import exports
    from municipalities.indicators import Indicators
    from municipalities.models import ReportingPeriod

    scope = _place_scope(params, locale)
    _header, _rows, payload = exports.indicator_table(Indicators(scope), locale, _suppress(request))
    payload["reporting_periods"] = [
        {
            "name": str(period.local_name),
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "closed_at": period.closed_at.isoformat(),
            "fingerprint": period.fingerprint,
        }
        for period in ReportingPeriod.objects.filter(closed_at__isnull=False).order_by(
            "start", "pk"
        )
    ]
    return payload


class IndicatorsEndpoint(Endpoint):
    """The three programme indicators for a period, as on the dashboard."""

    parameters = IndicatorParameters

    def answer(self, request, params):
        return JsonResponse(
            indicators_payload(request, params, self.locale),
            json_dumps_params={"ensure_ascii": False},
        )


class CoverageParameters(IndicatorParameters):
    organisation = forms.IntegerField(
        required=False,
        min_value=1,
        help_text=gettext_lazy("Only the support of this organisation (its id)."),
    )

    def clean_organisation(self):
        from municipalities.models import Organisation

        value = self.cleaned_data.get("organisation")
        if value and not Organisation.objects.filter(pk=value).exists():
            raise forms.ValidationError(gettext_lazy("No organisation has this id."))
        return value


class CoverageEndpoint(Endpoint):
    """Which municipality received which support, with the latest date of each."""

    parameters = CoverageParameters

    def answer(self, request, params):
        from municipalities.coverage import coverage_matrix
        from municipalities.models import Organisation

        scope = _place_scope(params, self.locale)
        organisation = (
            Organisation.objects.get(pk=params["organisation"])
            if params.get("organisation")
            else None
        )
        matrix = coverage_matrix(scope, self.locale, organisation, request)
        columns = [key for key, *_rest in matrix["columns"]]
        return JsonResponse(
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
            },
            json_dumps_params={"ensure_ascii": False},
        )
