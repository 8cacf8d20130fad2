"""An index on Wagtail's page `url_path`: routing reads the pages along an address by it
(cms/routing.py), one row per level instead of every page that shares a slug (500
municipalities each have a "budget-2026")."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0011_page_children_index"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS cms_page_url_path ON wagtailcore_page (url_path)",
            "DROP INDEX IF EXISTS cms_page_url_path",
        ),
    ]
