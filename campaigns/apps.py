from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    """NGO information campaigns, their materials and events (grows with the campaigns issue)."""

    name = "campaigns"
    verbose_name = _("Information campaigns")
