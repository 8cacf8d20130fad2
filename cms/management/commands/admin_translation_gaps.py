"""After a Wagtail or wagtail-localize upgrade: which admin messages have no Kyrgyz yet."""

from django.core.management.base import BaseCommand, CommandError

from cms import admin_catalogue


class Command(BaseCommand):
    help = (
        "List the messages of the installed Wagtail, wagtail-localize and Django admin that "
        "are new or changed and have no Kyrgyz translation in locale/admin/ky (or no Russian "
        "in Wagtail's catalogue nor locale/admin/ru); with --add, "
        "append them untranslated (the Russian as a hint) for a translator."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--add", action="store_true", help="append the missing messages to the catalogue"
        )

    def handle(self, *args, add=False, **options):
        total = 0
        for domain in admin_catalogue.DOMAINS:
            gaps = admin_catalogue.missing(domain)
            total += len(gaps)
            for message in gaps:
                context = f" [{message.msgctxt}]" if message.msgctxt else ""
                hint = f"  (ru: {message.russian})" if message.russian else ""
                self.stdout.write(f"{domain} {message.module}: {message.msgid!r}{context}{hint}")
            for entry in admin_catalogue.stale(domain):
                self.stdout.write(f"{domain}: no longer used: {entry.msgid!r}")
            russian = admin_catalogue.missing_russian(domain)
            total += len(russian)
            for message in russian:
                self.stdout.write(f"{domain} {message.module}: no Russian: {message.msgid!r}")
            if add and gaps:
                admin_catalogue.add_untranslated(domain, gaps)
            if add and russian:
                admin_catalogue.add_untranslated(domain, russian, language="ru")
        if total:
            raise CommandError(
                f"{total} admin messages lack a Kyrgyz (or Russian) translation"
                + ("; appended to locale/admin for a translator." if add else ".")
            )
        self.stdout.write(self.style.SUCCESS("Every admin message has a Kyrgyz translation."))
