from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cms import page_cache


class MunicipalitiesConfig(AppConfig):
    """Oblasts and the pilot municipalities, the page subtrees everything else hangs on, and
    the programme's monitoring of them (`municipalities.monitoring`, same app label)."""

    name = "municipalities"
    verbose_name = _("Municipalities")

    def import_models(self):
        super().import_models()
        # the monitoring's models belong to this app but live in its own subpackage, which
        # builds on the municipality's models: Django loads them here, after those
        import_module("municipalities.monitoring.models")

    def ready(self):
        # the monitoring's admin screens and contributions to the site, registered with
        # Wagtail's hooks like the rest of the app's (municipalities.wagtail_hooks)
        import_module("municipalities.monitoring.wagtail_hooks")

        # deferred: models are not loaded while apps.py is imported
        from municipalities.models import CouncilResolution

        # deferred: models are not loaded while apps.py is imported
        from municipalities.monitoring.models import (
            Organisation,
            ParticipationRecord,
            ParticipationYearTotal,
            PolicyAdoption,
            ReportingPeriod,
        )

        # what the public pages, the API and the open data show of these (cms.page_cache)
        page_cache.purge_on_change(CouncilResolution, page_cache.PAGES)
        page_cache.purge_on_change(Organisation, page_cache.PAGES, page_cache.RECORDS)
        figures = (ParticipationRecord, ParticipationYearTotal, PolicyAdoption, ReportingPeriod)
        for model in figures:
            page_cache.purge_on_change(model, page_cache.RECORDS)
