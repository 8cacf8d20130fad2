"""`manage.py backup [--directory DIR]`: one archive of the database and the uploaded files.

Suited to a daily timer, e.g. `0 2 * * * cd /srv/cms && .venv/bin/python manage.py backup
--directory /var/backups/cms` (keep the copies off the machine, too).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Writes one archive of the database and the uploaded files (see README, Backups)."

    def add_arguments(self, parser):
        parser.add_argument("--directory", default=str(settings.BASE_DIR / "backups"))

    def handle(self, *args, **options):
        try:
            target = create_backup(options["directory"])
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        except Exception as error:  # noqa: BLE001 - pg_dump's failure, with its message
            raise CommandError(getattr(error, "stderr", b"").decode() or str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written: {target}"))
