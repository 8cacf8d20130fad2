"""Daily: delete the drafts that autosave alone created from add forms nobody finished.

Only pages never published, never saved on purpose (Save, Publish, Submit) and untouched for
ABANDONED_DRAFT_DAYS days, by their author alone, without subpages or translations (see
cms/autosave.py). A person's deliberate draft is never deleted.
"""

from django.core.management.base import BaseCommand, CommandError

from cms.autosave import abandoned_drafts


class Command(BaseCommand):
    help = "Delete drafts that only autosave created and nobody touched for ABANDONED_DRAFT_DAYS."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="instead of ABANDONED_DRAFT_DAYS")
        parser.add_argument("--dry-run", action="store_true", help="list, do not delete")

    def handle(self, *args, days=None, dry_run=False, **options):
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        pages = abandoned_drafts(days)
        for page in pages:
            self.stdout.write(
                f"{'would delete' if dry_run else 'deleting'} {page.pk} {page.title!r}"
            )
            if not dry_run:
                page.delete()
        self.stdout.write(f"{len(pages)} abandoned draft(s).")
