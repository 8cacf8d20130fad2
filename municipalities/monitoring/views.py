"""Views of the indicators and coverage pages, their record lists and exports."""

import datetime

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import tables
from cms.collation import sorted_kyrgyz
from cms.pagination import ShortListPaginator
from municipalities.choices import HEARING_KIND_TOPICS, MOBILISATION_KINDS
from municipalities.monitoring import disclosure, exports
from municipalities.monitoring.coverage import coverage_matrix
from municipalities.monitoring.forms import IndicatorFilterForm, RecordFilterForm
from municipalities.monitoring.indicators import Indicators, municipality_names
from municipalities.monitoring.models import IndicatorSettings, Organisation, ReportingPeriod
from municipalities.monitoring.models.participation import verified_records
from municipalities.monitoring.models.reporting import SMALL_CELL_THRESHOLD

RECORDS_PER_PAGE = 50
COVERAGE_ROWS_PER_PAGE = 50
# the most municipalities the indicators page names one by one (nationally there are 500:
# beyond this it gives their number, and the tables by oblast and the coverage page)
MUNICIPALITIES_NAMED = 50
CHART_WIDTH = 300


def _progress(value, target):
    if not target or not isinstance(value, int):  # a hidden figure shows no progress either
        return None
    return min(round(value * 100 / target), 100)


def _split_bars(rows, suppress):
    """Bar geometry for women / men / not recorded; rows with hidden cells show no split."""
    largest = max((row["total"] for row in rows if isinstance(row["total"], int)), default=0)
    for row in rows:
        hidden = any(isinstance(row[c], str) for c in ("women", "men", "not_recorded"))
        row["hidden"] = hidden
        scale = CHART_WIDTH / largest if largest else 0
        if hidden:
            # only the total, so that the hidden split cannot be read off the bars
            shown = isinstance(row["total"], int) and row["total"] >= SMALL_CELL_THRESHOLD
            row["bars"] = {"total": row["total"] * scale} if shown and scale else None
            continue
        if not scale:
            row["bars"] = None
            continue
        women, men = row["women"] * scale, row["men"] * scale
        row["bars"] = {
            "women": women,
            "men": men,
            "men_x": women,
            "not_recorded": row["not_recorded"] * scale,
            "not_recorded_x": women + men,
        }
    return rows


def _named(names, keys):
    """The municipalities' names in Kyrgyz order, at most MUNICIPALITIES_NAMED, and how many
    more there are."""
    found = sorted_kyrgyz(names[key] for key in keys if key in names)
    return {
        "names": found[:MUNICIPALITIES_NAMED],
        "more": max(0, len(found) - MUNICIPALITIES_NAMED),
    }


def indicators(request, page):
    form = IndicatorFilterForm(request.GET or None, locale=page.locale)
    scope = form.scope()
    settings = IndicatorSettings.load(request_or_site=request)
    suppress = settings.suppress_small_cells
    figures = Indicators(scope)
    breakdowns = exports.participation_breakdowns(figures, page.locale, suppress)
    summary = exports.published_summary(figures, suppress)
    for name in exports.BREAKDOWN_TITLES:
        _split_bars(breakdowns[name], suppress)
    policy_keys = figures.policies["municipalities"]
    covered_keys = figures.coverage["municipalities"]
    names = municipality_names(policy_keys | covered_keys, page.locale)
    period_query = f"start={scope.start.isoformat()}&end={scope.end.isoformat()}"
    if scope.oblast:
        period_query += f"&oblast={scope.oblast.slug}"
    return page.render(
        request,
        context_overrides={
            "form": form,
            "scope": scope,
            "summary": summary,
            "progress": {
                "policies": _progress(
                    summary["policies_in_force"]["value"], summary["policies_in_force"]["target"]
                ),
                "participation": _progress(
                    summary["hearing_participation"]["value"],
                    summary["hearing_participation"]["target"],
                ),
                "coverage": _progress(
                    summary["mobilisation_coverage"]["value"],
                    summary["mobilisation_coverage"]["target"],
                ),
            },
            "breakdowns": breakdowns,
            "policy_municipalities": _named(names, policy_keys),
            "covered_municipalities": _named(names, covered_keys),
            "municipalities_named": MUNICIPALITIES_NAMED,
            "period_query": period_query,
            "periods": ReportingPeriod.objects.filter(closed_at__isnull=False),
            "suppress": suppress,
            "small_numbers_rule": disclosure.RULE,
        },
    )


def _filtered_records(form, scope):
    records = verified_records().filter(held_on__range=(scope.start, scope.end))
    path = scope.place_path()
    if path:
        records = records.filter(municipality__path__startswith=path)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if data.get("indicator") == "2":
        kinds = list(HEARING_KIND_TOPICS)
        if data.get("topic"):
            kinds = [k for k, topic in HEARING_KIND_TOPICS.items() if topic == data["topic"]]
        records = records.filter(kind__in=kinds)
    elif data.get("indicator") == "3":
        records = records.filter(kind__in=list(MOBILISATION_KINDS), organisation__isnull=False)
    return records.order_by("-held_on", "pk")


def records(request, page):
    form = RecordFilterForm(request.GET or None, locale=page.locale)
    scope = form.scope()
    suppress = IndicatorSettings.load(request_or_site=request).suppress_small_cells
    found = _filtered_records(form, scope).select_related("municipality", "organisation")
    listing = ShortListPaginator(found, RECORDS_PER_PAGE).get_page(request.GET.get("page"))
    names = municipality_names({r.municipality.translation_key for r in listing}, page.locale)
    rows = [
        {
            "record": r,
            "municipality": names.get(r.municipality.translation_key, r.municipality.title),
            **disclosure.record_counts(r.counts, suppress),
        }
        for r in listing
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return page.render(
        request,
        template="municipalities/indicator_records.html",
        context_overrides={
            "form": form,
            "scope": scope,
            "listing": listing,
            "rows": rows,
            "filter_query": query.urlencode(),
            "suppress": suppress,
            "small_numbers_rule": disclosure.RULE,
        },
    )


def export_indicators(request, page, fmt):
    form = IndicatorFilterForm(request.GET or None, locale=page.locale)
    scope = form.scope()
    suppress = IndicatorSettings.load(request_or_site=request).suppress_small_cells
    columns, rows, payload = exports.indicator_table(Indicators(scope), page.locale, suppress)
    filename = f"indicators-{scope.start.isoformat()}-{scope.end.isoformat()}"
    return exports.respond(fmt, filename, columns, rows, payload)


def export_records(request, page, fmt):
    form = RecordFilterForm(request.GET or None, locale=page.locale)
    scope = form.scope()
    suppress = IndicatorSettings.load(request_or_site=request).suppress_small_cells
    columns, rows, payload = exports.record_table(
        _filtered_records(form, scope), page.locale, suppress
    )
    filename = f"participation-{scope.start.isoformat()}-{scope.end.isoformat()}"
    return exports.respond(fmt, filename, columns, rows, payload)


def _closed_period(pk):
    period = get_object_or_404(ReportingPeriod, pk=pk)
    if not period.is_closed:
        raise Http404(_("This reporting period is not closed yet."))
    return period


def period_report(request, page, pk):
    period = _closed_period(pk)
    response = JsonResponse(
        {
            "fingerprint": period.published_fingerprint,
            "closed_at": period.closed_at,
            "report": period.published_report(),
        },
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = f'inline; filename="report-{period.pk}.json"'
    return response


def period_report_xlsx(request, page, pk):
    """The indicator report of a closed period, laid out to be sent on as it is."""
    period = _closed_period(pk)
    figures = period.published_report()["figures"]
    summary_rows = [
        [_("Reporting period"), str(period.local_name)],
        [_("From"), datetime.date.fromisoformat(period.report["period"]["start"])],
        [_("To"), datetime.date.fromisoformat(period.report["period"]["end"])],
        [_("Closed at"), timezone.localtime(period.closed_at)],
        [_("SHA-256 fingerprint"), period.published_fingerprint],
        [],
        [_("Indicator"), _("Value"), _("Target"), _("Women"), _("Men"), _("Sex not recorded")],
        [
            _("1. Municipalities with a socially and gender-sensitive policy in force"),
            figures["policies_in_force"]["value"],
            figures["policies_in_force"]["target"],
        ],
        [
            _("2. Participants in public hearings"),
            figures["hearing_participation"]["value"],
            figures["hearing_participation"]["target"],
            figures["hearing_participation"]["women"],
            figures["hearing_participation"]["men"],
            figures["hearing_participation"]["not_recorded"],
        ],
        [
            _("3. Municipalities covered by citizen mobilisation"),
            figures["mobilisation_coverage"]["value"],
            figures["mobilisation_coverage"]["target"],
        ],
    ]
    records_rows = [[pk] for pk in period.report["participation_records"]]
    body = tables.xlsx_bytes(
        [
            (_("Report"), [_("Indicator report"), ""], summary_rows),
            (_("Records"), [_("Participation record id")], records_rows),
        ]
    )
    response = HttpResponse(body, content_type=exports.FORMATS["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="indicator-report-{period.pk}.xlsx"'
    return response


def _coverage(request, page):
    form = IndicatorFilterForm(request.GET or None, locale=page.locale)
    scope = form.scope()
    organisation = None
    organisation_id = request.GET.get("organisation")

    organisations = list(Organisation.objects.all())
    if organisation_id and organisation_id.isdigit():
        organisation = next((o for o in organisations if o.pk == int(organisation_id)), None)
    return (
        form,
        scope,
        organisations,
        organisation,
        coverage_matrix(scope, page.locale, organisation, request),
    )


def coverage(request, page):
    form, scope, organisations, organisation, matrix = _coverage(request, page)
    query = request.GET.urlencode()
    without_page = request.GET.copy()
    without_page.pop("page", None)
    return page.render(
        request,
        context_overrides={
            "form": form,
            "scope": scope,
            "organisations": organisations,
            "organisation": organisation,
            "matrix": matrix,
            # nationally 500 rows: a phone gets them by the page, the totals count them all
            "rows": Paginator(matrix["rows"], COVERAGE_ROWS_PER_PAGE).get_page(
                request.GET.get("page")
            ),
            "query": query,
            "page_query": without_page.urlencode(),
        },
    )


def coverage_csv(request, page):
    """The matrix for people: translated headings, municipality names in the page's language."""
    _form, scope, _organisations, _organisation, matrix = _coverage(request, page)
    columns = exports.coverage_columns(matrix["columns"])
    rows = [
        [row["municipality"].title, row["municipality"].slug, *row["cells"]]
        for row in matrix["rows"]
    ]
    return tables.csv_response(
        f"coverage-{scope.start.isoformat()}-{scope.end.isoformat()}.csv",
        columns,
        rows,
        footer=[[_("Total"), "", *matrix["totals"]]],
    )
