"""Accounts made before new accounts got the default admin language get it too, unless their
owner chose one (see cms.admin_language.give_new_users_the_admin_language)."""

from django.conf import settings
from django.db import migrations


def default_admin_language(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    UserProfile = apps.get_model("wagtailusers", "UserProfile")
    language = settings.ADMIN_DEFAULT_LANGUAGE
    UserProfile.objects.filter(preferred_language="").update(preferred_language=language)
    missing = User.objects.filter(wagtail_userprofile__isnull=True)
    UserProfile.objects.bulk_create(
        [UserProfile(user=user, preferred_language=language) for user in missing]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0005_approval_task_and_document_language"),
        ("wagtailusers", "0015_userprofile_keyboard_shortcuts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(default_admin_language, migrations.RunPython.noop)]
