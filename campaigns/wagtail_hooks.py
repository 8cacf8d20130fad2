"""Admin wiring of campaign materials."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from campaigns.models import CampaignMaterial


class CampaignMaterialViewSet(SnippetViewSet):
    model = CampaignMaterial
    icon = "doc-full-inverse"
    menu_label = _("Campaign materials")
    menu_order = 270
    add_to_admin_menu = True
    list_display = ["title", "kind", "language", "credit"]
    list_filter = ["kind", "language"]
    search_fields = ["title"]


register_snippet(CampaignMaterialViewSet)
