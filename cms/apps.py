from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """The site itself: home and generic pages, search, languages, site settings."""

    name = "cms"
    verbose_name = _("Site")

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import pre_save

        # deferred: ready() runs once the models are loaded, which these modules read
        from cms import admin_language, admin_name_display, page_cache, repeated_lookups, slugs

        # deferred: ready() runs once the models are loaded, which these modules read
        from cms.collation import register

        # admin labels Wagtail would compute once, in whatever language is active then
        admin_language.install()
        # stored names (workflows, tasks, groups, collections) shown in the reader's language
        admin_name_display.install()

        # SQLite has no Kyrgyz collation of its own: cms.collation gives every connection one.
        connection_created.connect(register, dispatch_uid="cms.collation")
        # New pages get short Latin slugs; the admin's slug field fills in the same.
        slugs.install_admin_widget()
        pre_save.connect(slugs.give_new_pages_latin_slugs, dispatch_uid="cms.latin_slugs")
        # anonymous answers kept in the shared cache are purged by what changes them
        page_cache.connect()
        # the locale and the view restrictions, read once rather than by every page query
        repeated_lookups.install()
