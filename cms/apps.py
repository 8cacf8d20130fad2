from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """The site itself: home and generic pages, search, languages, site settings."""

    name = "cms"
    verbose_name = _("Site")
