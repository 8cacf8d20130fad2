"""The municipalities in the API: /api/v2/municipalities/ and the pages endpoint's place
filters. Registered in `municipalities.wagtail_hooks`; what other domains count per
municipality (campaigns, verified participants) comes through `MUNICIPALITY_FIGURES`."""

from collections import defaultdict

from django import forms
from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from cms import extensions
from cms.api.endpoints import (
    Endpoint,
    ListParameters,
    LocaleParameter,
    answer,
    choice_schema,
    listing,
    listing_schema,
    page_of,
    ref,
)
from cms.api.errors import ParameterError, not_found
from municipalities.choices import HearingStatus, HearingTopic
from municipalities.extensions import MUNICIPALITY_FIGURES
from municipalities.models import HearingPage, MunicipalityPage, OblastPage


def slug_choices(model):
    """Choices of the slugs of a place's source-language pages, read at each request."""

    def choices():
        pages = model.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
        return [(slug, slug) for slug in pages.values_list("slug", flat=True)]

    return choices


class OblastParameter(forms.Form):
    oblast = forms.ChoiceField(
        required=False, choices=slug_choices(OblastPage), help_text=gettext_lazy("Oblast slug.")
    )


def figures():
    """What other parts count per municipality, in their order."""
    return extensions.ordered(MUNICIPALITY_FIGURES)


def municipality_items(request, municipalities):
    """One item per municipality, with a fixed number of queries for the whole page."""
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
    added = [(figure, figure.values(keys)) for figure in figures()]

    items = []
    for municipality in municipalities:
        key = municipality.translation_key
        oblast = oblasts.get(municipality.path[: 3 * municipality.steplen])
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
                **{figure.name: values.get(key, figure.default) for figure, values in added},
            }
        )
    return items


def source_municipalities(params):
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


def municipality_schema():
    names = {"type": "object", "additionalProperties": {"type": "string"}}
    added = figures()
    return {
        "type": "object",
        "required": ["slug", "names", "oblast", "hearings", *(f.name for f in added)],
        "properties": {
            "slug": {"type": "string"},
            "pilot_number": {"type": ["integer", "null"]},
            "names": names,
            "urls": names,
            "page_ids": {"type": "object", "additionalProperties": {"type": "integer"}},
            "oblast": {
                "type": "object",
                "properties": {"slug": {"type": ["string", "null"]}, "names": names},
            },
            "population": {"type": ["integer", "null"]},
            "hearings": {"type": "integer", "minimum": 0},
            **{figure.name: figure.schema for figure in added},
        },
    }


class MunicipalityParameters(ListParameters, LocaleParameter, OblastParameter):
    pass


class MunicipalitiesEndpoint(Endpoint):
    """The pilot municipalities with their oblast, names in every language and counts."""

    parameters = MunicipalityParameters
    route = "municipalities/"
    url_name = "api_municipalities"
    operation_id = "listMunicipalities"
    summary = gettext_lazy(
        "The pilot municipalities: oblast, names in every language, counts of hearings, "
        "campaigns and verified participants."
    )
    description = gettext_lazy(
        "Each municipality with its oblast, its names in Kyrgyz, Russian and English, the "
        "address of its page and its figures; filter by oblast."
    )
    tag = "municipalities"
    tags = {"municipalities": gettext_lazy("The pilot municipalities and their figures.")}
    response = listing_schema(ref("Municipality"))
    order = 10

    @classmethod
    def component_schemas(cls):
        return {"Municipality": municipality_schema()}

    def answer(self, request, params, slug=None):
        pages = source_municipalities(params)
        if slug is not None:
            page = pages.filter(slug=slug).first()
            if page is None:
                return not_found(_("No municipality has the slug “%(slug)s”.") % {"slug": slug})
            return answer(municipality_items(request, [page])[0])
        total, chosen = page_of(pages, params)
        return listing(total, municipality_items(request, chosen))


class MunicipalityDetailEndpoint(MunicipalitiesEndpoint):
    parameters = LocaleParameter
    route = "municipalities/<str:slug>/"
    url_name = "api_municipality"
    operation_id = "getMunicipality"
    summary = gettext_lazy("One municipality.")
    description = gettext_lazy("One municipality by its slug, as in the list.")
    response = ref("Municipality")
    path_parameter = {
        "name": "slug",
        "in": "path",
        "required": True,
        "description": gettext_lazy("Municipality slug."),
        "schema": {"type": "string"},
    }
    order = 11


# the pages endpoint's place filters


def _subtree(queryset, model, slug, parameter):
    paths = list(model.objects.filter(slug=slug).values_list("path", flat=True))
    if not paths:
        raise ParameterError(
            parameter,
            _("No %(what)s has the slug “%(slug)s”.")
            % {"what": model._meta.verbose_name, "slug": slug},
        )
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return queryset.filter(pk__in=Page.objects.filter(condition).values("pk"))


def page_filters():
    return [
        extensions.PageFilter(
            "municipality",
            {"type": "string"},
            gettext_lazy("Pages of one municipality (its slug), in every language."),
            lambda queryset, value, request: _subtree(
                queryset, MunicipalityPage, value, "municipality"
            ),
        ),
        extensions.PageFilter(
            "oblast",
            {"type": "string"},
            gettext_lazy("Pages of one oblast (its slug), in every language."),
            lambda queryset, value, request: _subtree(queryset, OblastPage, value, "oblast"),
        ),
        extensions.PageFilter(
            "topic",
            choice_schema(HearingTopic.choices),
            gettext_lazy("With type=municipalities.HearingPage: the hearing's topic."),
        ),
        extensions.PageFilter(
            "status",
            choice_schema(HearingStatus.choices),
            gettext_lazy("With type=municipalities.HearingPage: the hearing's status."),
        ),
    ]


ENDPOINTS = [MunicipalitiesEndpoint, MunicipalityDetailEndpoint]
