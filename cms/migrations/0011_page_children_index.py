"""An index on Wagtail's page tree for "the children of a page" (depth, then path range):
menus, oblast and municipality lists and `child_of` queries otherwise read every page of the
site (5 ms per query at 20,000 pages)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0010_adminexport"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS cms_page_depth_path ON wagtailcore_page (depth, path)",
            "DROP INDEX IF EXISTS cms_page_depth_path",
        ),
    ]
