"""Daily: delete admin exports (and their files) older than EXPORT_KEEP_DAYS.

Exports hold whole listings of records: they are kept only as long as their owner needs to
fetch them (cms/exports.py)."""

from django.core.management.base import BaseCommand, CommandError

from cms.exports import delete_old_exports, old_exports


class Command(BaseCommand):
    help = "Delete admin exports older than EXPORT_KEEP_DAYS, with their files."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="instead of EXPORT_KEEP_DAYS")
        parser.add_argument("--dry-run", action="store_true", help="count, do not delete")

    def handle(self, *args, days=None, dry_run=False, **options):
        if days is not None and days < 0:
            raise CommandError("--days must not be negative.")
        if dry_run:
            self.stdout.write(f"{old_exports(days).count()} old export(s) would be deleted.")
            return
        self.stdout.write(f"{delete_old_exports(days)} old export(s) deleted.")
