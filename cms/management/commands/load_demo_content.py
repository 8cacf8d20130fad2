"""Demo content for a local run: the demo notice and an "About the programme" page."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site
from wagtail.rich_text import RichText

from cms import extensions
from cms.models import SiteSettings, StandardPage
from cms.site_tree import (
    LANGUAGE_CODES,
    SOURCE_LANGUAGE,
    TreeReport,
    ensure_child,
    ensure_home_pages,
    ensure_locales,
    ensure_translation,
    in_language,
)

ABOUT_TITLE = _("About the programme")
ABOUT_INTRO = _(
    "The programme “Improving Local Level Services” helps 21 pilot rural municipalities of "
    "Jalal-Abad and Issyk-Kul oblasts make their services, development plans and budgets "
    "socially and gender-sensitive, hold public hearings, and run information campaigns that "
    "bring women and men into local decisions."
)
ABOUT_BODY = _(
    "On this site the municipalities and the NGOs that support them publish hearing notices, "
    "draft and adopted budgets, development plans and council resolutions, in Kyrgyz and "
    "Russian. This page and the notice at the top of every page are demonstration content "
    "created by the project's seed command."
)


class Command(BaseCommand):
    help = "Switches on the demo notice and creates the demo pages (ky, ru, en). Safe to repeat."

    @transaction.atomic
    def handle(self, *args, **options):
        report = TreeReport()
        locales = ensure_locales()
        home = ensure_home_pages(report)
        about = ensure_child(
            home,
            StandardPage,
            "about",
            {},
            report,
            initial=_about_content(SOURCE_LANGUAGE),
            show_in_menus=True,
        )
        for code in LANGUAGE_CODES:
            if code != SOURCE_LANGUAGE:
                ensure_translation(
                    about,
                    locales[code],
                    {},
                    report,
                    initial=_about_content(code),
                )

        # each domain's demonstration content, in hook order (campaigns use municipalities')
        extensions.run(extensions.DEMO_CONTENT, locales, report)

        site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
        if not site_settings.demo_mode:
            site_settings.demo_mode = True
            site_settings.save()
        self.stdout.write(
            self.style.SUCCESS(f"Demo content: notice on; pages: {report.summary()}.")
        )


def _about_content(code):
    return {
        "title": in_language(code, ABOUT_TITLE),
        "intro": in_language(code, ABOUT_INTRO),
        "body": [("paragraph", RichText(f"<p>{escape(in_language(code, ABOUT_BODY))}</p>"))],
    }
