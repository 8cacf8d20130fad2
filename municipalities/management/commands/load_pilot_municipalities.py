"""Create or update the oblast and pilot municipality pages in every site language."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cms.site_tree import (
    LANGUAGE_CODES,
    SOURCE_LANGUAGE,
    TreeReport,
    ensure_child,
    ensure_home_pages,
    ensure_locales,
    ensure_sections,
    ensure_translation,
)
from municipalities.models import MunicipalityPage, OblastPage
from municipalities.pilots import (
    MUNICIPALITIES_CSV,
    OBLASTS_CSV,
    PilotDataError,
    read_municipalities,
    read_oblasts,
)


class Command(BaseCommand):
    help = (
        "Creates or updates the oblast and pilot municipality pages (ky, ru, en) from the "
        "CSV files in municipalities/data/. Safe to run again: existing pages keep their "
        "profiles and only changed names are republished."
    )

    def add_arguments(self, parser):
        parser.add_argument("--oblasts", default=str(OBLASTS_CSV))
        parser.add_argument("--municipalities", default=str(MUNICIPALITIES_CSV))

    def handle(self, *args, **options):
        try:
            oblasts = read_oblasts(_path(options["oblasts"]))
            municipalities = read_municipalities(_path(options["municipalities"]))
        except (OSError, PilotDataError) as error:
            raise CommandError(str(error)) from error
        known = {oblast.slug for oblast in oblasts}
        unknown = sorted({m.oblast_slug for m in municipalities} - known)
        if unknown:
            raise CommandError(f"Municipalities refer to unknown oblasts: {', '.join(unknown)}")

        report = TreeReport()
        with transaction.atomic():
            locales = ensure_locales()
            home = ensure_home_pages(report)
            ensure_sections(home, locales, report)  # the site-wide listings, in menu order
            oblast_pages = {}
            for oblast in oblasts:
                page = ensure_child(
                    home,
                    OblastPage,
                    oblast.slug,
                    {"title": oblast.names[SOURCE_LANGUAGE]},
                    report,
                    show_in_menus=True,
                )
                oblast_pages[oblast.slug] = page
                _translate(page, oblast.names, locales, report)
            for municipality in municipalities:
                page = ensure_child(
                    oblast_pages[municipality.oblast_slug],
                    MunicipalityPage,
                    municipality.slug,
                    {
                        "title": municipality.names[SOURCE_LANGUAGE],
                        "pilot_number": municipality.number,
                    },
                    report,
                )
                _translate(
                    page,
                    municipality.names,
                    locales,
                    report,
                    pilot_number=municipality.number,
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"Pilot municipalities: {len(oblasts)} oblasts and {len(municipalities)} "
                f"municipalities in {len(LANGUAGE_CODES)} languages. Pages: {report.summary()}."
            )
        )


def _translate(page, names, locales, report, **synchronised):
    for code in LANGUAGE_CODES:
        if code != SOURCE_LANGUAGE:
            values = {"title": names[code], **synchronised}
            ensure_translation(page, locales[code], values, report)


def _path(value):
    return Path(value)
