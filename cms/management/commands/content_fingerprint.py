"""`manage.py content_fingerprint`: SHA-256 of every table and uploaded file, as JSON, to
show that a restore reproduced the site exactly (compare the output before and after)."""

import json

from django.core.management.base import BaseCommand

from cms.backup import content_fingerprint


class Command(BaseCommand):
    help = "Prints a checksum of every table and every uploaded file (JSON)."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(content_fingerprint(), indent=2, sort_keys=True))
