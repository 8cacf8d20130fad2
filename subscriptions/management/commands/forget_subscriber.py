"""A person's request for deletion: every subscription of an address, confirmed or not."""

from django.core.management.base import BaseCommand

from subscriptions.models import Subscription, normalise_address


class Command(BaseCommand):
    help = "Delete every hearing-notice subscription of an e-mail address (request for deletion)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="the address to forget")

    def handle(self, *args, email, **options):
        deleted, _by_model = Subscription.objects.filter(email=normalise_address(email)).delete()
        if deleted:
            self.stdout.write(f"Deleted {deleted} subscription(s) of that address.")
        else:
            self.stdout.write("No subscription of that address was found; nothing to delete.")
