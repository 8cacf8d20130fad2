"""Admin wiring of campaign materials: municipality-scoped like the programme's records."""

from django.utils.translation import gettext_lazy as _
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from campaigns.models import CampaignMaterial
from municipalities.admin_viewsets import ScopedSnippetViewSet
from municipalities.permissions import MunicipalityScopedPolicy

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
