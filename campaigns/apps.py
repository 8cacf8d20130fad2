from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cms import page_cache


class CampaignsConfig(AppConfig):
    """NGO information campaigns, their materials and events (grows with the campaigns issue)."""

    name = "campaigns"
    verbose_name = _("Information campaigns")

    def ready(self):
        # deferred: models are not loaded while apps.py is imported
        from campaigns.models import CampaignMaterial

        # the material library and the campaign pages show each material (cms.page_cache)
        page_cache.purge_on_change(CampaignMaterial, page_cache.PAGES)
