"""Two people edit the same participation record: the second save, based on an outdated
version, is refused with who changed what; nothing is silently overwritten."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from municipalities.monitoring import access
from municipalities.monitoring.models import ParticipationRecord
from tests import factories
from tests.conftest import municipality

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_records")]


def open_form(client, record):
    """The edit form as a browser would post it back, with the version it was loaded at."""
    url = reverse("wagtailsnippets_municipalities_participationrecord:edit", args=[record.pk])
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    html = response.content.decode()
    for hidden in ("loaded_revision_id", "loaded_revision_created_at"):
        match = re.search(rf'name="{hidden}" value="([^"]*)"', html)
        if match:
            data[hidden] = match.group(1)
    return url, data


@pytest.fixture
def two_managers(django_user_model):
    managers, _translators = access.setup_programme_groups()
    clients = []
    for name in ("first", "second"):
        user = django_user_model.objects.create_user(name, f"{name}@example.kg", "pw")
        user.first_name = name.capitalize()
        user.save()
        user.groups.add(managers)
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def test_the_second_save_of_an_outdated_version_is_refused(two_managers):
    first, second = two_managers
    record = factories.record(municipality("ton"), status="draft", women=10, men=8)
    record.save_revision()
    url, first_data = open_form(first, record)
    _url, second_data = open_form(second, record)
    assert "loaded_revision_id" in first_data

    assert first.post(url, {**first_data, "women": 15}).status_code == 302
    refused = second.post(url, {**second_data, "men": 20})
    assert refused.status_code == 200
    html = refused.content.decode()
    with translation.override("ru"):  # the admin's language for these users
        women = str(ParticipationRecord._meta.get_field("women").verbose_name)
    assert "First" in html and women in html  # who saved, and what they changed
    record.refresh_from_db()
    assert (record.women, record.men) == (15, 8)  # the first change kept, nothing overwritten
    assert refused.context["form"]["men"].value() in (20, "20")  # the second one's input stays

    _url, fresh = open_form(second, record)
    assert second.post(url, {**fresh, "men": 20}).status_code == 302
    record.refresh_from_db()
    assert (record.women, record.men) == (15, 20)


def test_a_save_without_a_concurrent_one_goes_through(two_managers):
    first, _second = two_managers
    record = factories.record(municipality("ton"), status="draft", women=10, men=8)
    record.save_revision()
    url, data = open_form(first, record)
    assert first.post(url, {**data, "women": 11}).status_code == 302
    assert ParticipationRecord.objects.get(pk=record.pk).women == 11
