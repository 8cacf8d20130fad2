"""A document is public once public content uses it; until then only editors open it."""

import pytest
from django.test import Client

from municipalities.models import HearingDocument
from municipalities.monitoring import access
from tests import factories
from tests.conftest import municipality

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_records")]


def status(client, document):
    return client.get(document.url).status_code


@pytest.fixture
def manager(django_user_model):
    managers, _translators = access.setup_programme_groups()
    user = django_user_model.objects.create_user("pm", "pm@example.kg", "pw")
    user.groups.add(managers)
    client = Client()
    client.force_login(user)
    return client


def test_a_fresh_upload_is_for_editors_only(client, manager):
    document = factories.document("Долбоор")
    assert status(client, document) == 404
    assert status(manager, document) == 200


def test_a_document_of_a_hearing_is_public_while_the_hearing_is(client, manager):
    document = factories.document("Угуунун материалы")
    hearing = factories.hearing(municipality("ton"), days=15, slug="with-documents")
    hearing.discussion_documents = [HearingDocument(document=document, kind="draft_budget")]
    factories.publish_alone(hearing)
    assert status(client, document) == 200
    hearing.unpublish()
    assert status(client, document) == 404
    assert status(manager, document) == 200


def test_a_document_of_a_council_resolution_is_public(client):
    document = factories.document("Токтом")
    factories.resolution(municipality("ton"), document=document)
    assert status(client, document) == 200


def test_a_signed_sheet_is_never_public(client):
    record = factories.record(municipality("ton"))
    response = client.get(record.evidence.url)
    assert response.status_code == 302 and "login" in response["Location"]
