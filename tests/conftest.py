"""Shared fixtures: the seeded page tree is built once per test session.

Every test runs in a transaction that is rolled back, so tests may change the tree
freely. Tests must not use `transaction=True` (it would flush the seeded tree).
"""

from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import Locale

from municipalities.models import MunicipalityPage, OblastPage

LANGUAGES = ["ky", "ru", "en"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_pilot_municipalities", stdout=StringIO())
        call_command("load_demo_content", stdout=StringIO())


def municipality(slug, language="ky"):
    """The live municipality page with this slug in one language; raises if missing."""
    return MunicipalityPage.objects.live().get(slug=slug, locale__language_code=language)


def oblast(slug, language="ky"):
    return OblastPage.objects.live().get(slug=slug, locale__language_code=language)


def locale(language):
    return Locale.objects.get(language_code=language)


@pytest.fixture(autouse=True)
def _fresh_locale_memo():
    """Locales and sites a rolled-back test created are not remembered by the next one."""
    from cms import repeated_lookups

    repeated_lookups.forget_locales()
    repeated_lookups.forget_sites()
    yield
    repeated_lookups.forget_locales()
    repeated_lookups.forget_sites()


@pytest.fixture
def anonymous_client(client):
    return client


@pytest.fixture
def without_demo_records(db):
    """Start from no records, policies or published campaigns: the demo's would blur sums."""
    from campaigns.models import CampaignPage
    from municipalities.monitoring.models import ParticipationRecord, PolicyAdoption

    PolicyAdoption.objects.all().delete()
    ParticipationRecord.objects.all().delete()
    CampaignPage.objects.all().unpublish()
