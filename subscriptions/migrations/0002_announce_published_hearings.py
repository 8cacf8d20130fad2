"""Hearings live before subscriptions existed count as announced: republishing one of them
later is not news of a new hearing."""

from django.conf import settings
from django.db import migrations


def record_live_hearings(apps, schema_editor):
    HearingPage = apps.get_model("municipalities", "HearingPage")
    AnnouncedHearing = apps.get_model("subscriptions", "AnnouncedHearing")
    known = set(AnnouncedHearing.objects.values_list("translation_key", flat=True))
    pages = HearingPage.objects.filter(live=True).select_related("locale").order_by("pk")
    facts = {}
    for page in pages:
        language = page.locale.language_code
        if page.translation_key in known:
            continue
        if page.translation_key in facts and language != settings.LANGUAGE_CODE:
            continue  # the source language's version describes the hearing
        facts[page.translation_key] = AnnouncedHearing(
            translation_key=page.translation_key,
            starts_at=page.starts_at,
            status=page.status,
            venue=page.venue,
            address=page.address,
            language=language,
        )
    AnnouncedHearing.objects.bulk_create(facts.values())


class Migration(migrations.Migration):
    dependencies = [
        ("subscriptions", "0001_initial"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(record_live_hearings, migrations.RunPython.noop)]
