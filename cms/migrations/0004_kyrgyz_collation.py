"""The "kyrgyz" collation on PostgreSQL (ICU, ky-KG); SQLite gets it per connection."""

from django.db import migrations

COLLATION = "kyrgyz"  # cms.collation.COLLATION


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE COLLATION IF NOT EXISTS {schema_editor.quote_name(COLLATION)} "
            "(provider = icu, locale = 'ky-KG')"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP COLLATION IF EXISTS {schema_editor.quote_name(COLLATION)}")


class Migration(migrations.Migration):
    dependencies = [("cms", "0003_open_data_page")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
