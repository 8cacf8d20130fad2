"""Build the open-data archive ahead of the first download (for a nightly schedule)."""

from django.core.management.base import BaseCommand

from cms import open_data


class Command(BaseCommand):
    help = (
        "Builds the open-data ZIP if the published content changed since the last build. "
        "Downloads rebuild it too; run this from cron so that nobody waits."
    )

    def handle(self, *args, **options):
        path = open_data.archive_path()
        self.stdout.write(
            f"{path} ({path.stat().st_size} bytes, sha256 {open_data.file_sha256(path)})"
        )
