"""Wagtail's publish_scheduled, with the bilingual rule: a page whose other language is
missing when its time comes is not published, and its history says why (no crash, so the
other pages due at the same time still go live)."""

from wagtail.management.commands.publish_scheduled import Command as WagtailCommand

from cms.bilingual import skipping_refused


class Command(WagtailCommand):
    def handle(self, *args, **options):
        with skipping_refused():
            return super().handle(*args, **options)
