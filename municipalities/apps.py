from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    """Oblasts and the pilot municipalities: the page subtrees that everything else hangs on."""

    name = "municipalities"
    verbose_name = _("Municipalities")
