"""Wagtail's default "Editors" and "Moderators" groups lose every right.

Wagtail creates them with rights over the whole page tree and every collection (Moderators
may publish), offered next to the programme's groups: ticking "Editors" for an NGO person
would give them all municipalities. A group without members is deleted; one with members
keeps them, loses its rights and is renamed "(unused) …" so nobody picks it by mistake.
Safe on a fresh database and on existing ones; reversing it changes nothing.
"""

from django.db import migrations

DEFAULT_GROUPS = ("Editors", "Moderators")
UNUSED = "(unused) %s"


def remove_default_groups_rights(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupSitePermission = apps.get_model("wagtailcore", "GroupSitePermission")
    for group in Group.objects.filter(name__in=DEFAULT_GROUPS):
        GroupPagePermission.objects.filter(group=group).delete()
        GroupCollectionPermission.objects.filter(group=group).delete()
        GroupSitePermission.objects.filter(group=group).delete()
        group.permissions.clear()
        if not group.user_set.exists():
            group.delete()
            continue
        name, number = UNUSED % group.name, 1
        while Group.objects.filter(name=name).exists():
            number += 1
            name = f"{UNUSED % group.name} {number}"
        group.name = name
        group.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("municipalities", "0009_participation_withdrawal"),
        # after every Wagtail migration that gives these groups rights
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        migrations.RunPython(remove_default_groups_rights, migrations.RunPython.noop),
    ]
