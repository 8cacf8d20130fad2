"""`manage.py restore ARCHIVE --yes`: replace the database and the uploaded files with a
backup's. The archive is checked whole first: a damaged one changes nothing. Afterwards every
answer the page cache (and a CDN) kept is purged: they show the content just replaced."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms import page_cache
from cms.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restores a backup written by `manage.py backup` (replaces everything)."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--yes", action="store_true", help="Confirm: the current content is replaced."
        )

    def handle(self, *args, **options):
        if not options["yes"]:
            raise CommandError("This replaces the database and the uploaded files: add --yes.")
        try:
            restore_backup(options["archive"])
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        except Exception as error:  # noqa: BLE001 - pg_restore's failure, with its message
            raise CommandError(getattr(error, "stderr", b"").decode() or str(error)) from error
        page_cache.purge(page_cache.SITE)  # every kept answer carries it
        if page_cache.purge_waiting():  # unreachable: what it kept expires by itself
            self.stderr.write(
                "The page cache could not be purged; its pages expire within "
                f"{settings.PAGE_CACHE_SECONDS} s."
            )
        self.stdout.write(self.style.SUCCESS(f"Restored from {options['archive']}."))
