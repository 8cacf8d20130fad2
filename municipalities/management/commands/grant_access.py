"""Grant (or revoke) an organisation's or a municipality's editors their rights."""

from django.core.management.base import BaseCommand, CommandError

from municipalities.models import MunicipalityPage
from municipalities.monitoring import access
from municipalities.monitoring.models import Organisation


class Command(BaseCommand):
    help = (
        "Creates the programme's groups, then brings an organisation's (or a municipality's) "
        "editors' group in line with its assignment: page rights on the municipalities' "
        "subtrees and its campaign section, and their document and image collections. "
        "Safe to repeat."
    )

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group()
        target.add_argument("--organisation", help="the organisation's name")
        target.add_argument("--municipality", help="the municipality's slug")
        parser.add_argument("--revoke", action="store_true", help="remove the rights instead")

    def handle(self, *args, **options):
        access.setup_programme_groups()
        if options["organisation"]:
            organisation = Organisation.objects.filter(name=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"No organisation is called {options['organisation']!r}.")
            if options["revoke"]:
                access.revoke_organisation(organisation)
                self.stdout.write(f"Revoked the rights of {organisation.name}'s editors.")
                return
            group = access.grant_organisation(organisation)
            self.stdout.write(
                f"{group.name}: {organisation.municipalities.count()} municipalities and the "
                "organisation's campaign section."
            )
        elif options["municipality"]:
            municipality = MunicipalityPage.objects.filter(
                slug=options["municipality"], locale__language_code="ky"
            ).first()
            if municipality is None:
                raise CommandError(f"No municipality has the slug {options['municipality']!r}.")
            if options["revoke"]:
                access.revoke_municipality(municipality)
                self.stdout.write(f"Revoked the rights of {municipality.title}'s editors.")
                return
            group = access.grant_municipality(municipality)
            self.stdout.write(f"{group.name}: the municipality's pages and collection.")
        else:
            self.stdout.write("Programme managers and translators groups are ready.")
