"""Participation records: validation, the verification life cycle and who may do what."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from municipalities.monitoring.models import ParticipationRecord
from tests import factories
from tests.conftest import municipality

pytestmark = pytest.mark.django_db


def staff(django_user_model, username, *codenames, municipality_slug="kara-oi"):
    """A user with these record permissions, editing one municipality's pages (and so its
    records), or every municipality when `municipality_slug` is None."""
    from municipalities.monitoring import access

    user = django_user_model.objects.create_user(username, f"{username}@example.kg", "pw")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="municipalities", codename__in=codenames
        ),
    )
    if municipality_slug:
        user.groups.add(access.grant_municipality(municipality(municipality_slug)))
    else:
        user.groups.add(access.setup_programme_groups()[0])
    return user


def denied(response):
    """Wagtail's admin answers a forbidden action by sending the user back to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


EDITOR_PERMS = ("add_participationrecord", "change_participationrecord", "view_participationrecord")


@pytest.fixture
def editor(django_user_model):
    return staff(django_user_model, "ngo_editor", *EDITOR_PERMS)


@pytest.fixture
def manager(django_user_model):
    return staff(
        django_user_model,
        "manager",
        *EDITOR_PERMS,
        "verify_participationrecord",
        municipality_slug=None,
    )


def draft(**fields):
    return factories.record(municipality("kara-oi"), status="draft", **fields)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"women": 0, "men": 0, "not_recorded": 0}, "women"),
        ({"men": 6000}, "men"),
        ({"days_ago": -2}, "held_on"),
        ({"young_people": 40}, "young_people"),
        ({"council_deputies": 3}, "heads_of_administration"),
    ],
)
def test_impossible_records_are_refused_with_a_message(fields, field):
    with pytest.raises(ValidationError) as error:
        draft(**fields)
    assert field in error.value.message_dict
    assert not ParticipationRecord.objects.filter(municipality__slug="kara-oi").exists()


def test_more_participants_than_the_population_is_refused():
    page = municipality("kara-oi")
    page.population = 50
    page.save_revision().publish()
    with pytest.raises(ValidationError) as error:
        draft(women=40, men=20)
    assert "50" in " ".join(error.value.message_dict["women"])  # names the population


def test_roles_are_accepted_for_trainings():
    record = draft(kind="training_deputies", women=3, men=5, council_deputies=8)
    assert record.pk


def test_a_manager_verifies_and_who_and_when_are_recorded(manager):
    record = draft()
    record.submit(manager)
    record.verify(manager)
    record.refresh_from_db()
    assert record.status == "verified"
    assert record.verified_by == manager
    assert timezone.now() - record.verified_at < timedelta(minutes=1)
    actions = list(ModelLogEntry.objects.for_instance(record).values_list("action", flat=True))
    assert {"participation.submit", "participation.verify"} <= set(actions)


def test_evidence_is_required_before_verification(manager):
    record = draft()
    record.evidence = None
    record.save()
    with pytest.raises(ValidationError):
        record.verify(manager)
    record.refresh_from_db()
    assert record.status == "draft"


def test_a_non_manager_cannot_verify(client, editor):
    record = draft()
    with pytest.raises(ValidationError):
        record.verify(editor)
    client.force_login(editor)
    response = client.post(reverse("participation_verify", args=[record.pk]))
    assert denied(response)
    record.refresh_from_db()
    assert record.status == "draft"


def test_the_editor_sees_why_a_record_was_sent_back(client, editor, manager):
    record = draft()
    client.force_login(editor)
    client.post(reverse("participation_submit", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == "submitted"
    client.force_login(manager)
    empty = client.post(reverse("participation_send_back", args=[record.pk]), {"comment": ""})
    assert empty.status_code == 200
    client.post(
        reverse("participation_send_back", args=[record.pk]),
        {"comment": "Баракчада 12 аял, 10 эмес"},
    )
    record.refresh_from_db()
    assert record.status == "returned"
    assert record.return_comment == "Баракчада 12 аял, 10 эмес"
    entry = (
        ModelLogEntry.objects.for_instance(record).filter(action="participation.send_back").get()
    )
    assert entry.data["comment"] == "Баракчада 12 аял, 10 эмес"


def test_a_verified_record_can_be_changed_only_by_a_manager(client, editor, manager):
    record = factories.record(municipality("kara-oi"), status="verified")
    edit = reverse("wagtailsnippets_municipalities_participationrecord:edit", args=[record.pk])
    client.force_login(editor)
    assert denied(client.get(edit))
    assert denied(client.post(edit, {"women": 1}))
    record.refresh_from_db()
    assert record.women == 10
    client.force_login(manager)
    assert client.get(edit).status_code == 200


def test_editors_can_edit_their_drafts_in_the_admin(client, editor):
    record = draft()
    client.force_login(editor)
    edit = reverse("wagtailsnippets_municipalities_participationrecord:edit", args=[record.pk])
    assert client.get(edit).status_code == 200
    listing = client.get(reverse("wagtailsnippets_municipalities_participationrecord:list"))
    assert listing.status_code == 200
    assert reverse("participation_submit", args=[record.pk]) in listing.content.decode()
    assert reverse("participation_verify", args=[record.pk]) not in listing.content.decode()


def test_a_likely_duplicate_is_found():
    first = draft()
    second = ParticipationRecord(
        municipality=municipality("kara-oi", "ru"),
        kind=first.kind,
        held_on=first.held_on,
        women=1,
    )
    assert list(second.likely_duplicates()) == [first]


def record_form(record, **changes):
    data = {
        "municipality": record.municipality_id,
        "kind": record.kind,
        "held_on": record.held_on.isoformat(),
        "page": "",
        "women": "3",
        "men": "2",
        "not_recorded": "0",
        "young_people": "",
        "persons_with_disabilities": "",
        "heads_of_administration": "",
        "council_deputies": "",
        "social_workers": "",
        "secretaries": "",
        "evidence": record.evidence_id,
        "organisation": "",
        "notes": "",
    }
    data.update(changes)
    return data


def test_the_admin_flags_a_likely_duplicate_before_saving(client, editor):
    first = draft()
    client.force_login(editor)
    add = reverse("wagtailsnippets_municipalities_participationrecord:add")
    response = client.post(add, record_form(first), HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert ParticipationRecord.objects.filter(municipality__slug="kara-oi").count() == 1
    assert f"{first.pk}" in response.content.decode()
    confirmed = client.post(add, record_form(first, confirm_not_duplicate="on"))
    assert confirmed.status_code == 302
    assert ParticipationRecord.objects.filter(municipality__slug="kara-oi").count() == 2


def test_managers_see_what_waits_and_who_has_no_hearing_on_the_dashboard(client, manager, editor):
    record = draft()
    record.submit(manager)
    factories.hearing(municipality("ton"), days=1, slug="this-year")
    client.force_login(manager)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("participation_verify", args=[record.pk]) in html
    panel = html.split('id="no-hearing-heading"')[1]
    assert ">Ак-Там<" in panel  # nothing at all this year
    assert ">Кара-Ой<" not in panel  # its hearing record (a draft) is on the way
    if (timezone.localdate() + timedelta(days=1)).year == timezone.localdate().year:
        assert ">Тон<" not in panel
    client.force_login(editor)
    assert (
        reverse("participation_verify", args=[record.pk])
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )
