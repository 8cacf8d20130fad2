"""Public views of campaigns: the listing, the materials library and campaign reports."""

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.forms import CampaignFilterForm, MaterialFilterForm
from campaigns.models import CampaignMaterial, published_campaigns
from cms import tables
from cms.collation import kyrgyz_order
from cms.pagination import ShortListPaginator
from municipalities.monitoring import exports

CAMPAIGNS_PER_PAGE = 20


def campaign_listing(request, index_page):
    form = CampaignFilterForm(request.GET or None, locale=index_page.locale)
    campaigns = published_campaigns().filter(locale=index_page.locale)
    if form.is_bound and form.is_valid():
        campaigns = form.filter(campaigns, timezone.localdate())
    listing = ShortListPaginator(
        campaigns.order_by("-start_date", kyrgyz_order("title")), CAMPAIGNS_PER_PAGE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return index_page.render(
        request,
        context_overrides={"form": form, "campaigns": listing, "filter_query": query.urlencode()},
    )


def material_library(request, index_page):
    """Materials used by published campaigns, with size and format for slow connections."""
    campaigns = list(
        published_campaigns().filter(locale=index_page.locale).order_by(kyrgyz_order("title"))
    )
    form = MaterialFilterForm(request.GET or None, campaigns=campaigns)
    materials = CampaignMaterial.objects.filter(
        campaign_links__page__in=published_campaigns()
    ).distinct()
    if form.is_bound and form.is_valid():
        materials = form.filter(materials)
    materials = materials.select_related("file", "preview").order_by(kyrgyz_order("title"))
    return index_page.render(
        request,
        template="campaigns/material_library.html",
        context_overrides={"form": form, "materials": materials},
    )


def report_context(campaign):
    return campaign.get_context(None)


def campaign_report(request, campaign):
    """The report the terms of reference ask for: events, reach, places, materials."""
    return TemplateResponse(
        request, "campaigns/campaign_report.html", {"page": campaign, **report_context(campaign)}
    )


def campaign_report_xlsx(request, campaign):
    context = report_context(campaign)
    reach = context["reach"]
    summary = [
        [_("Campaign"), campaign.title],
        [_("Organisation"), str(campaign.organisation)],
        [_("From"), campaign.start_date],
        [_("To"), campaign.end_date],
        [_("Women"), reach["women"]],
        [_("Men"), reach["men"]],
        [_("Sex not recorded"), reach["not_recorded"]],
        [_("Total"), reach["total"]],
        [_("Municipalities covered"), ", ".join(item["title"] for item in context["covered"])],
    ]
    events = [
        [
            event.held_on,
            event.place.title,
            event.title,
            event.get_event_format_display(),
            event.counts["women"] if event.counts else "",
            event.counts["men"] if event.counts else "",
        ]
        for event in context["events"]
    ]
    materials = [
        [m.title, m.get_kind_display(), m.get_language_display()] for m in context["materials"]
    ]
    body = tables.xlsx_bytes(
        [
            (_("Report"), [_("Campaign report"), ""], summary),
            (
                _("Events"),
                [_("Date"), _("Municipality"), _("Event"), _("Format"), _("Women"), _("Men")],
                events,
            ),
            (_("Materials"), [_("Title"), _("Kind"), _("Language")], materials),
        ]
    )
    response = HttpResponse(body, content_type=exports.FORMATS["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.slug}.xlsx"'
    return response
