"""Views behind the routable pages: hearings listing, calendars, print notice, budget CSV."""

import segno
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cms import extensions, repeated_lookups, tables
from cms.pagination import ShortListPaginator, UncountedPaginator
from cms.slugs import short_url
from cms.tables import Column
from municipalities.calendars import calendar_response
from municipalities.choices import BudgetCategory
from municipalities.extensions import HEARING_LISTING_SECTIONS
from municipalities.forms import HearingFilterForm
from municipalities.models import MunicipalityPage
from municipalities.models.hearings import (
    as_cards,
    calendar_hearings,
    past_hearings,
    upcoming_hearings,
    visible_hearings,
)

PAST_HEARINGS_PER_PAGE = 20
# nationally hundreds of hearings may be announced at once: a phone gets them by the page
UPCOMING_HEARINGS_PER_PAGE = 20
PRINT_LANGUAGES = ("ky", "ru")


def hearing_listing(request, index_page):
    form = HearingFilterForm(request.GET or None, locale=index_page.locale)
    hearings = visible_hearings(index_page.locale)
    if form.is_bound and form.is_valid():
        hearings = form.filter(hearings)
    cards = as_cards(hearings)
    upcoming = ShortListPaginator(upcoming_hearings(cards), UPCOMING_HEARINGS_PER_PAGE).get_page(
        request.GET.get("upcoming")
    )
    # nationally 19,000 and more: "previous" and "next" without counting them
    past = UncountedPaginator(past_hearings(cards), PAST_HEARINGS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return index_page.render(
        request,
        context_overrides={
            "filter_form": form,
            "upcoming": upcoming,
            "past": past,
            # each list's page links keep the filters and the other list's page
            "upcoming_query": _without(request.GET, "upcoming"),
            "past_query": _without(request.GET, "page"),
            "feed_query": feed_query(form),
            # what other domains add to the listing (subscribing by e-mail…)
            "sections": sorted(
                extensions.collect(HEARING_LISTING_SECTIONS, index_page, request),
                key=lambda section: section.order,
            ),
        },
    )


def _without(query, name):
    query = query.copy()
    query.pop(name, None)
    return query.urlencode()


def feed_query(form):
    """The query string that gives the feeds the listing's valid filters, and nothing else."""
    if not form.is_bound or not form.is_valid():
        return ""
    return urlencode({name: value for name, value in form.cleaned_data.items() if value})


def filter_errors(form):
    """A feed asked for with filters it does not understand: a 400 naming them."""
    errors = "; ".join(f"{field}: {' '.join(e)}" for field, e in form.errors.items())
    return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")


def choose_village(request, index_page):
    """The home page's village picker, which works without JavaScript: to the chosen
    municipality's page in the listing's language; anything else back to the listing."""
    slug = request.GET.get("municipality", "")
    municipality = (
        MunicipalityPage.objects.live().public().filter(locale=index_page.locale, slug=slug).first()
        if slug and len(slug) <= 255 and "\x00" not in slug
        else None
    )
    return redirect(municipality.url if municipality else index_page.url)


def hearing_calendar_feed(request, index_page):
    """Hearings to come and recent ones, optionally of one oblast, municipality or topic, to
    subscribe to."""
    hearings = visible_hearings(index_page.locale)
    if request.GET:  # the filters' 500 municipalities are read only when filters are given
        form = HearingFilterForm(request.GET, locale=index_page.locale)
        if not form.is_valid():
            return filter_errors(form)
        hearings = form.filter(hearings)
    events, complete = calendar_hearings(hearings)
    return calendar_response(
        events,
        request,
        filename="hearings.ics",
        name=_("Public hearings"),
        attachment=False,
        description=None if complete else calendar_cut_short(len(events)),
    )


def calendar_cut_short(count, within_oblast=False):
    """The calendar's description when it holds the soonest hearings only."""
    if within_oblast:
        text = ngettext(
            "The next %(count)s hearing only. Subscribe to the calendar of your municipality "
            "for all of its hearings.",
            "The next %(count)s hearings only. Subscribe to the calendar of your municipality "
            "for all of its hearings.",
            count,
        )
    else:
        text = ngettext(
            "The next %(count)s hearing only. Subscribe to the calendar of your municipality "
            "or oblast for all of its hearings.",
            "The next %(count)s hearings only. Subscribe to the calendar of your municipality "
            "or oblast for all of its hearings.",
            count,
        )
    return text % {"count": count}


def upcoming_calendar(request, place_page):
    """The hearings to come and recent ones of one oblast or municipality, to subscribe to."""
    events, complete = calendar_hearings(visible_hearings(place_page.locale, within=place_page))
    return calendar_response(
        events,
        request,
        filename=f"hearings-{place_page.slug}.ics",
        name=_("Public hearings: %(place)s") % {"place": place_page.title},
        attachment=False,
        description=None if complete else calendar_cut_short(len(events), within_oblast=True),
    )


def hearing_print(request, hearing):
    """One A4 page for the village notice board: Kyrgyz and Russian side by side."""
    versions = {}
    for page in (
        type(hearing)
        .objects.filter(translation_key=hearing.translation_key)
        .live()
        .prefetch_related("discussion_documents__document")
    ):
        page.locale = repeated_lookups.locale_of(page.locale_id)
        versions[page.locale.language_code] = page
    columns = [versions[code] for code in PRINT_LANGUAGES if code in versions]
    if hearing.locale.language_code not in PRINT_LANGUAGES or not columns:
        columns = [hearing]
    url = short_url(hearing, request)
    qr_code = segno.make(url, error="m").svg_inline(scale=4, border=2)
    return TemplateResponse(
        request,
        "municipalities/hearing_print.html",
        {"page": hearing, "columns": columns, "qr_code": mark_safe(qr_code), "url": url},
    )


BUDGET_LINE_COLUMNS = [
    Column("name", gettext_lazy("Budget line")),
    Column("category", gettext_lazy("Spending area"), choices=BudgetCategory),
    Column("planned_kgs", gettext_lazy("Planned, KGS"), "number"),
    Column("executed_kgs", gettext_lazy("Executed, KGS"), "number"),
    Column("gender_responsive", gettext_lazy("Targets gender equality"), "boolean"),
]


def budget_lines_csv(request, budget):
    """The budget's lines as CSV in the page's language (UTF-8 with a byte-order mark, so
    spreadsheets read Cyrillic): translated headings and spending areas, yes/no."""
    rows = [
        [line.name, line.category, line.planned, line.executed, line.gender_responsive]
        for line in budget.lines.all()
    ]
    return tables.csv_response(
        f"budget-{budget.get_parent().slug}-{budget.fiscal_year}.csv", BUDGET_LINE_COLUMNS, rows
    )
