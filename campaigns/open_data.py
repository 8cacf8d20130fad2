"""The campaigns' file of the open-data archive and their count per municipality (in the
municipalities' file and API). Registered in `campaigns.wagtail_hooks`."""

from collections import Counter

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from campaigns.models import CampaignMunicipality, published_campaigns
from cms.extensions import OpenDataTable
from cms.open_data import LOCALE, PAGE_ID, URL
from cms.tables import Column
from municipalities.extensions import MunicipalityFigure


def _rows_campaigns():
    pages = (
        published_campaigns()
        .select_related("locale")
        .prefetch_related("covered_municipalities__municipality")
        .order_by("pk")
    )
    for page in pages:
        reach = page.reach
        yield [
            page.pk,
            page.locale.language_code,
            page.title,
            page.start_date.isoformat(),
            page.end_date.isoformat(),
            ";".join(link.municipality.slug for link in page.covered_municipalities.all()),
            ";".join(page.channels or []),
            ";".join(page.audiences or []),
            reach["women"],
            reach["men"],
            reach["not_recorded"],
            page.get_full_url(),
        ]


def tables():
    return [
        OpenDataTable(
            "campaigns",
            _("Information campaigns"),
            _("Published information campaigns of NGOs with the people they reached."),
            70,
            (
                PAGE_ID,
                LOCALE,
                Column("title", _("Title"), "string", _("Title of the campaign")),
                Column("start_date", _("From"), "date", _("First day of the campaign")),
                Column("end_date", _("To"), "date", _("Last day of the campaign")),
                Column(
                    "municipalities",
                    _("Municipalities"),
                    "string",
                    _("Municipality slugs, separated by ;"),
                ),
                Column("channels", _("Channels"), "string", _("Channel codes, separated by ;")),
                Column("audiences", _("Audiences"), "string", _("Audience codes, separated by ;")),
                Column("reach_women", _("Women"), "integer", _("Women reached (verified records)")),
                Column("reach_men", _("Men"), "integer", _("Men reached (verified records)")),
                Column(
                    "reach_not_recorded",
                    _("Sex not recorded"),
                    "integer",
                    _("Reached, sex not recorded"),
                ),
                URL,
            ),
            _rows_campaigns,
            primary_key=("id",),
        )
    ]


def state():
    return [CampaignMunicipality.objects.aggregate(n=Count("pk"))]


def campaigns_per_municipality(keys):
    """{municipality translation key: published campaigns covering it (any language)}."""
    campaigns = {}
    for municipality_key, campaign_key in CampaignMunicipality.objects.filter(
        page__live=True, municipality__translation_key__in=keys
    ).values_list("municipality__translation_key", "page__translation_key"):
        campaigns.setdefault(municipality_key, set()).add(campaign_key)
    return Counter({key: len(found) for key, found in campaigns.items()})


CAMPAIGNS = MunicipalityFigure(
    name="campaigns",
    order=20,
    schema={"type": "integer", "minimum": 0},
    columns=(Column("campaigns", _("Campaigns"), "integer", _("Published campaigns covering it")),),
    values=campaigns_per_municipality,
    default=0,
    cells=lambda count: [count],
)
