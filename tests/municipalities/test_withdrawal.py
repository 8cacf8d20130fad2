"""A verified record is never deleted: a programme manager withdraws it with a reason. It
keeps its figures and history, leaves the indicators, and a closed period's frozen report
does not change."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from municipalities.choices import RecordStatus
from municipalities.monitoring import access
from municipalities.monitoring.indicators import Indicators, Scope
from municipalities.monitoring.models import ParticipationRecord, ReportingPeriod
from tests import factories
from tests.conftest import municipality

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_records")]


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(django_user_model):
    managers, _translators = access.setup_programme_groups()
    manager = django_user_model.objects.create_user("pm", "pm@example.kg", "pw")
    manager.groups.add(managers)
    editor = django_user_model.objects.create_user("ed", "ed@example.kg", "pw")
    editor.groups.add(access.grant_municipality(municipality("ton")))
    administrator = django_user_model.objects.create_superuser("root", "r@example.kg", "pw")
    return {"manager": manager, "editor": editor, "administrator": administrator}


def hearing_participants():
    today = timezone.localdate()
    total = Indicators(Scope(date(today.year, 1, 1), today)).participation["total"]
    return total["women"] + total["men"]


def test_a_manager_withdraws_a_verified_record_with_a_reason(people):
    record = factories.record(municipality("ton"), women=12, men=9, days_ago=3)
    before = hearing_participants()
    client = _client(people["manager"])
    url = reverse("participation_withdraw", args=[record.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 200  # the form again, with its error
    record.refresh_from_db()
    assert record.status == RecordStatus.VERIFIED

    assert client.post(url, {"reason": "Кол тамгалар башка иш-чарага тиешелүү"}).status_code == 302
    record.refresh_from_db()
    assert record.status == RecordStatus.WITHDRAWN
    assert record.withdrawal_reason == "Кол тамгалар башка иш-чарага тиешелүү"
    assert (record.women, record.men) == (12, 9)  # the figures are kept
    assert hearing_participants() == before - 21
    entry = ModelLogEntry.objects.filter(action="participation.withdraw").latest("timestamp")
    assert entry.data["reason"] == record.withdrawal_reason


@pytest.mark.parametrize("role", ["manager", "administrator", "editor"])
def test_nobody_deletes_a_verified_or_withdrawn_record(people, role):
    verified = factories.record(municipality("ton"))
    withdrawn = factories.record(municipality("ton"), days_ago=4)
    withdrawn.withdraw(people["manager"], "Эки жолу киргизилген")
    client = _client(people[role])
    for record in (verified, withdrawn):
        url = reverse("wagtailsnippets_municipalities_participationrecord:delete", args=[record.pk])
        assert client.post(url).status_code in (302, 403)
        bulk = reverse(
            "wagtail_bulk_action", args=["municipalities", "participationrecord", "delete"]
        )
        client.post(f"{bulk}?id={record.pk}")
        assert ParticipationRecord.objects.filter(pk=record.pk).exists()


def test_an_editor_cannot_withdraw_and_a_draft_cannot_be_withdrawn(people):
    verified = factories.record(municipality("ton"))
    draft = factories.record(municipality("ton"), status="draft", days_ago=5)
    refused = _client(people["editor"]).post(
        reverse("participation_withdraw", args=[verified.pk]), {"reason": "x"}
    )
    assert refused.status_code in (302, 403)  # Wagtail sends a refused editor to the dashboard
    verified.refresh_from_db()
    assert verified.status == RecordStatus.VERIFIED
    _client(people["manager"]).post(
        reverse("participation_withdraw", args=[draft.pk]), {"reason": "x"}
    )
    draft.refresh_from_db()
    assert draft.status == RecordStatus.DRAFT


def test_a_closed_periods_report_does_not_change_when_a_record_is_withdrawn(people):
    record = factories.record(municipality("ton"), women=30, men=20, days_ago=3)
    today = timezone.localdate()
    period = ReportingPeriod.objects.create(
        name="Withdrawal test", start=date(today.year, 1, 1), end=today
    )
    period.close(people["manager"])
    frozen = (period.report, period.fingerprint)
    record.withdraw(people["manager"], "Ката")
    period.refresh_from_db()
    assert (period.report, period.fingerprint) == frozen
