"""Create the first administrator once; print its password once."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Creates the administrator account 'admin' if no superuser exists. The password is "
        "ADMIN_PASSWORD if set, otherwise a random one that is printed this once. An existing "
        "account is never changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("ADMIN_USERNAME", "admin"))
        parser.add_argument("--email", default=os.environ.get("ADMIN_EMAIL", "admin@localhost"))

    def handle(self, *args, **options):
        User = get_user_model()
        existing = User.objects.filter(is_superuser=True).order_by("pk").first()
        if existing is not None:
            self.stdout.write(
                f"Administrator account '{existing.get_username()}' already exists; "
                "its password was not changed."
            )
            return
        password = os.environ.get("ADMIN_PASSWORD", "").strip()
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        User.objects.create_superuser(options["username"], options["email"], password)
        self.stdout.write(self.style.SUCCESS(f"Created administrator '{options['username']}'."))
        if generated:
            self.stdout.write(
                self.style.WARNING(
                    f"Its password is: {password}\n"
                    "It is shown only this once: note it now, or set ADMIN_PASSWORD next time "
                    "you create an administrator."
                )
            )
        else:
            self.stdout.write("Its password is the value of ADMIN_PASSWORD.")
