from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """The site itself: home and generic pages, search, languages, site settings."""

    name = "cms"
    verbose_name = _("Site")

    def ready(self):
        from django.db.backends.signals import connection_created

        from cms.collation import register

        # SQLite has no Kyrgyz collation of its own: cms.collation gives every connection one.
        connection_created.connect(register, dispatch_uid="cms.collation")
