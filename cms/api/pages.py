"""The pages endpoint: Wagtail's, plus the filters the programme's users ask for."""

from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.filters import BaseFilterBackend
from rest_framework.response import Response
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.models import get_page_models

from cms import extensions
from cms.api.errors import ParameterError, error_body

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]

# the filters the pages endpoint itself provides: name -> what it does
DATE_FILTERS = {
    "date_from": gettext_lazy(
        "Hearings starting, or campaigns running, on or after this date (YYYY-MM-DD)."
    ),
    "date_to": gettext_lazy(
        "Hearings starting, or campaigns running, on or before this date (YYYY-MM-DD)."
    ),
    "upcoming": gettext_lazy(
        "true: only hearings still to come (upcoming or postponed), soonest first."
    ),
}


def page_filters():
    """The query parameters the domains add (`cms.extensions.PAGE_API_FILTERS`)."""
    return extensions.collect(extensions.PAGE_API_FILTERS)


def _type_name(model):
    return f"{model._meta.app_label}.{model.__name__}"


def _models_with(method):
    return [model for model in get_page_models() if getattr(model, method, None)]


def parse_date(request, name):
    raw = request.GET.get(name)
    if raw is None:
        return None
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        raise ParameterError(name, _("Write the date as YYYY-MM-DD.")) from None
    if not (2000 <= value.year <= 2100):
        raise ParameterError(name, _("Choose a date between 2000 and 2100."))
    return value


def parse_boolean(request, name):
    raw = request.GET.get(name)
    if raw is None:
        return None
    if raw.lower() in ("true", "1", "yes"):
        return True
    if raw.lower() in ("false", "0", "no"):
        return False
    raise ParameterError(name, _("Use true or false."))


class ProgrammeFilter(BaseFilterBackend):
    """The domains' filters and the date filters, checked before anything is queried. A page
    type takes dates when it defines `api_date_range(queryset, start, end)`, and `upcoming`
    when it defines `api_upcoming(queryset, upcoming)`."""

    def filter_queryset(self, request, queryset, view):
        locale = request.GET.get("locale")
        if locale is not None and locale not in LANGUAGE_CODES:
            raise ParameterError("locale", _("Use one of: %s.") % ", ".join(LANGUAGE_CODES))
        kept = getattr(queryset, "_filtered_by_child_of", None)
        for page_filter in page_filters():
            value = request.GET.get(page_filter.name)
            if value is not None and page_filter.apply is not None:
                queryset = page_filter.apply(queryset, value, request)
        start, end = parse_date(request, "date_from"), parse_date(request, "date_to")
        upcoming = parse_boolean(request, "upcoming")
        model = queryset.model
        if start or end:
            if not getattr(model, "api_date_range", None):
                types = [_type_name(m) for m in _models_with("api_date_range")]
                raise ParameterError(
                    "date_from" if start else "date_to",
                    _("Dates filter hearings and campaigns: add type=%(a)s or type=%(b)s.")
                    % {"a": types[0], "b": " or type=".join(types[1:])},
                )
            queryset = model.api_date_range(queryset, start, end)
        if upcoming is not None:
            if not getattr(model, "api_upcoming", None):
                types = " or ".join(f"type={_type_name(m)}" for m in _models_with("api_upcoming"))
                raise ParameterError(
                    "upcoming", _("Add %(types)s to filter hearings.") % {"types": types}
                )
            queryset = model.api_upcoming(queryset, upcoming)
        if kept is not None:
            queryset._filtered_by_child_of = kept
        return queryset


class NamedParameterErrors:
    """A 400 of Wagtail's API views names the parameter at fault, as ours do."""

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if response.status_code == 400:
            return Response(error_body(exc), status=400)
        return response


class SitePagesAPIViewSet(NamedParameterErrors, PagesAPIViewSet):
    """Published, public pages only (Wagtail's rule); errors name their parameter."""

    filter_backends = [ProgrammeFilter, *PagesAPIViewSet.filter_backends]

    @property
    def known_query_parameters(self):
        own = {f.name for f in page_filters() if f.apply is not None}
        return PagesAPIViewSet.known_query_parameters.union(own, DATE_FILTERS)

    def get_queryset(self):
        queryset = super().get_queryset().select_related("locale")
        prefetch = getattr(queryset.model, "api_prefetch", None)
        if prefetch:
            queryset = queryset.prefetch_related(*prefetch)
        annotate = getattr(queryset.model, "api_annotate", None)
        return annotate(queryset) if annotate else queryset
