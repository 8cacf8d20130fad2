"""The pages endpoint: Wagtail's, plus the filters the programme's users ask for."""

from datetime import date, datetime, time

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.filters import BaseFilterBackend
from rest_framework.response import Response
from wagtail.api.v2.views import PagesAPIViewSet

from cms.api.errors import ParameterError, error_body

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]

# our filters: name -> what it does, for the OpenAPI document and the API page
PAGE_FILTERS = {
    "municipality": gettext_lazy("Pages of one municipality (its slug), in every language."),
    "oblast": gettext_lazy("Pages of one oblast (its slug), in every language."),
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


def _subtree(queryset, model, slug, parameter):
    from wagtail.models import Page

    paths = list(model.objects.filter(slug=slug).values_list("path", flat=True))
    if not paths:
        raise ParameterError(
            parameter,
            _("No %(what)s has the slug “%(slug)s”.")
            % {
                "what": model._meta.verbose_name,
                "slug": slug,
            },
        )
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return queryset.filter(pk__in=Page.objects.filter(condition).values("pk"))


class ProgrammeFilter(BaseFilterBackend):
    """Place, period and upcoming filters, checked before anything is queried."""

    def filter_queryset(self, request, queryset, view):
        from campaigns.models import CampaignPage
        from municipalities.models import HearingPage, MunicipalityPage, OblastPage

        locale = request.GET.get("locale")
        if locale is not None and locale not in LANGUAGE_CODES:
            raise ParameterError("locale", _("Use one of: %s.") % ", ".join(LANGUAGE_CODES))
        kept = getattr(queryset, "_filtered_by_child_of", None)
        if request.GET.get("municipality") is not None:
            slug = request.GET["municipality"]
            queryset = _subtree(queryset, MunicipalityPage, slug, "municipality")
        if request.GET.get("oblast") is not None:
            queryset = _subtree(queryset, OblastPage, request.GET["oblast"], "oblast")
        start, end = parse_date(request, "date_from"), parse_date(request, "date_to")
        upcoming = parse_boolean(request, "upcoming")
        model = queryset.model
        if start or end:
            if issubclass(model, HearingPage):
                zone = timezone.get_current_timezone()
                if start:
                    queryset = queryset.filter(
                        starts_at__gte=datetime.combine(start, time.min, tzinfo=zone)
                    )
                if end:
                    queryset = queryset.filter(
                        starts_at__lte=datetime.combine(end, time.max, tzinfo=zone)
                    )
            elif issubclass(model, CampaignPage):
                if start:
                    queryset = queryset.filter(end_date__gte=start)
                if end:
                    queryset = queryset.filter(start_date__lte=end)
            else:
                raise ParameterError(
                    "date_from" if start else "date_to",
                    _("Dates filter hearings and campaigns: add type=%(a)s or type=%(b)s.")
                    % {"a": "municipalities.HearingPage", "b": "campaigns.CampaignPage"},
                )
        if upcoming is not None:
            if not issubclass(model, HearingPage):
                raise ParameterError(
                    "upcoming", _("Add type=municipalities.HearingPage to filter hearings.")
                )
            from municipalities.models.hearings import past_hearings, upcoming_hearings

            queryset = upcoming_hearings(queryset) if upcoming else past_hearings(queryset)
        if kept is not None:
            queryset._filtered_by_child_of = kept
        return queryset


class SitePagesAPIViewSet(PagesAPIViewSet):
    """Published, public pages only (Wagtail's rule); errors name their parameter."""

    filter_backends = [ProgrammeFilter, *PagesAPIViewSet.filter_backends]
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(PAGE_FILTERS)

    def get_queryset(self):
        queryset = super().get_queryset().select_related("locale")
        prefetch = getattr(queryset.model, "api_prefetch", None)
        if prefetch:
            queryset = queryset.prefetch_related(*prefetch)
        annotate = getattr(queryset.model, "api_annotate", None)
        return annotate(queryset) if annotate else queryset

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if response.status_code == 400:
            return Response(error_body(exc), status=400)
        return response
