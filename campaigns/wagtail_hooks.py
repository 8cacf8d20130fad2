"""Admin wiring of campaign materials: municipality-scoped like the programme's records."""

from django.db.models import F, Max
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from campaigns import demo, open_data
from campaigns.models import (
    CampaignIndexPage,
    CampaignMaterial,
    OrganisationCampaignsPage,
    campaign_coverage,
    campaign_events_in,
    campaigns_covering,
)
from cms import extensions
from municipalities import extensions as municipality_extensions
from municipalities.scoping import MunicipalityScopedPolicy, ScopedSnippetViewSet

register_permission_policy(
    CampaignMaterial,
    MunicipalityScopedPolicy(CampaignMaterial, municipality_field="municipalities", many=True),
)


class CampaignMaterialViewSet(ScopedSnippetViewSet):
    model = CampaignMaterial
    icon = "doc-full-inverse"
    menu_label = _("Campaign materials")
    menu_order = 270
    add_to_admin_menu = True
    list_display = ["title", "title_ru", "kind", "language", "credit"]
    list_filter = ["kind", "language"]
    list_export = ["title", "title_ru", "title_en", "kind", "language", "link", "credit", "licence"]
    search_fields = ["title"]


register_snippet(CampaignMaterialViewSet)


# What campaigns add to the site (cms.extensions) and to the municipalities
# (municipalities.extensions)


@hooks.register(extensions.OPEN_DATA_TABLES)
def open_data_tables():
    return open_data.tables()


@hooks.register(extensions.OPEN_DATA_STATE)
def open_data_state():
    return open_data.state()


@hooks.register(extensions.PUBLIC_FILE_SOURCES)
def public_file_sources():
    return [CampaignMaterial]


@hooks.register(municipality_extensions.MUNICIPALITY_FIGURES)
def campaigns_per_municipality():
    return [open_data.CAMPAIGNS]


@hooks.register(extensions.DEMO_CONTENT, order=20)  # after the municipalities' demo
def campaign_demo(locales, report):
    demo.load_campaign_demo(locales, report)


@hooks.register(municipality_extensions.MUNICIPALITY_PAGE_SECTIONS)
def campaigns_on_municipality_page(page, request):
    section = municipality_extensions.PageSection(
        "campaigns/municipality_section.html",
        {
            "campaigns": campaigns_covering(page, page.locale),
            "events": campaign_events_in(page),
        },
    )
    return [section]


@hooks.register(municipality_extensions.COVERAGE_DATES)
def campaigns_in_coverage(scope):
    """The "campaign run" column: the latest start of a published campaign covering it."""
    rows = (
        campaign_coverage(scope.start, scope.end)
        .values(key=F("municipality__translation_key"))
        .annotate(latest=Max("page__start_date"))
        .order_by()
    )
    return [("campaign", rows)]


@hooks.register(municipality_extensions.MOBILISATION_REACH)
def campaigns_reach(start, end):
    return [campaign_coverage(start, end)]


@hooks.register(municipality_extensions.ORGANISATION_PAGES)
def organisation_campaign_section(organisation):
    return OrganisationCampaignsPage.objects.filter(organisation=organisation)


@hooks.register(extensions.SITE_SECTIONS)
def campaigns_section():
    section = extensions.SiteSection(
        CampaignIndexPage, "campaigns", _("Information campaigns"), order=40
    )
    return [section]
