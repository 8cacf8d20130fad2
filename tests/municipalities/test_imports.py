"""Importing participation records from a spreadsheet: all rows or none."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from municipalities.monitoring import access
from municipalities.monitoring.models import ParticipationRecord
from tests import factories
from tests.conftest import municipality

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_records")]

HEADER = "municipality,kind,date,women,men,not_recorded,organisation\n"
GOOD = "ton,hearing_budget,2026-03-15,23,19,2,\nbarpy,training_deputies,2026-04-02,4,7,0,\n"


@pytest.fixture
def editor(client, django_user_model):
    """An editor of Ton, Barpy and Atai (their municipal editors' groups)."""
    user = django_user_model.objects.create_user("imp", "imp@example.kg", "pw")
    user.groups.add(
        access.grant_municipality(municipality("ton")),
        access.grant_municipality(municipality("barpy")),
        access.grant_municipality(municipality("atai")),
    )
    client.force_login(user)
    return client


def upload(client, content, name="records.csv", language="ru"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(
        reverse("participation_import"),
        {"file": SimpleUploadedFile(name, data)},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_a_valid_file_imports_every_row_as_drafts(editor):
    response = upload(editor, HEADER + GOOD)
    assert response.status_code == 302
    records = ParticipationRecord.objects.order_by("held_on")
    assert [(r.municipality.slug, r.women, r.status) for r in records] == [
        ("ton", 23, "draft"),
        ("barpy", 4, "draft"),
    ]


def test_importing_the_same_file_twice_creates_no_duplicates(editor):
    upload(editor, HEADER + GOOD)
    upload(editor, HEADER + GOOD)
    assert ParticipationRecord.objects.count() == 2


def test_one_bad_row_imports_nothing_and_names_the_row_and_column(editor):
    bad = (
        HEADER
        + GOOD
        + "mars,hearing_budget,2026-05-01,1,2,0,\nton,hearing_budget,2026-05-02,-4,2,0,\n"
    )
    response = upload(editor, bad)
    assert response.status_code == 200
    assert ParticipationRecord.objects.count() == 0
    errors = response.context["result"].errors
    assert (4, "municipality") in [(row, column) for row, column, _message in errors]
    assert (5, "women") in [(row, column) for row, column, _message in errors]
    html = response.content.decode()
    assert "mars" in html
    assert response.context["result"].created == 0


def test_rows_for_a_municipality_the_editor_is_not_assigned_to_import_nothing(editor):
    response = upload(editor, HEADER + GOOD + "tepke,hearing_budget,2026-05-01,5,5,0,\n")
    assert ParticipationRecord.objects.count() == 0
    errors = response.context["result"].errors
    assert [(row, column) for row, column, _message in errors] == [(4, "municipality")]
    assert "tepke" in response.content.decode()


def test_rows_that_break_the_rules_are_reported(editor):
    content = HEADER + (
        "ton,hearing_budget,2099-01-01,1,1,0,\n"
        "ton,party,2026-01-01,1,1,0,\n"
        "ton,other,2026-01-01,0,0,0,\n"
    )
    errors = upload(editor, content).context["result"].errors
    assert {(row, column) for row, column, _ in errors} == {(2, "date"), (3, "kind"), (4, "women")}
    assert ParticipationRecord.objects.count() == 0


def test_xlsx_files_import_too(editor):
    factories.organisation("Жарандык демилге")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["municipality", "kind", "date", "women", "men", "not_recorded", "organisation"])
    sheet.append(["atai", "campaign_event", "2026-02-10", 30, 12, 0, "Жарандык демилге"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert upload(editor, buffer.getvalue(), name="records.xlsx").status_code == 302
    record = ParticipationRecord.objects.get()
    assert record.organisation.name == "Жарандык демилге"


def test_unreadable_files_are_refused(editor):
    response = upload(editor, b"MZ\x00\x01", name="records.xlsx")
    assert response.status_code == 200
    assert response.context["result"].errors
    assert upload(editor, "a,b\n1,2\n").context["result"].errors
    assert ParticipationRecord.objects.count() == 0


def test_the_template_downloads(editor):
    response = editor.get(reverse("participation_import_template", args=["csv"]))
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").startswith("municipality,kind,date")
    assert editor.get(reverse("participation_import_template", args=["xlsx"])).status_code == 200


def test_people_without_the_right_cannot_import(client, django_user_model):
    user = django_user_model.objects.create_user("x", "x@example.kg", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = upload(client, HEADER + GOOD)
    assert response.status_code in (302, 403)
    assert ParticipationRecord.objects.count() == 0


def test_a_date_before_the_programme_started_imports_nothing(editor):
    # a new municipal editor reads the admin in Kyrgyz
    language, message = "ky", "программа башталганга чейин"
    from django.test import override_settings

    with override_settings(PROGRAMME_START=__import__("datetime").date(2019, 5, 1)):
        response = upload(
            editor, HEADER + GOOD + "ton,hearing_budget,2019-04-30,3,4,0,\n", language=language
        )
    assert response.status_code == 200
    assert ParticipationRecord.objects.count() == 0
    assert (4, "date") in [(row, column) for row, column, _m in response.context["result"].errors]
    assert message in response.content.decode()


def test_the_programme_start_is_the_earliest_date_a_record_may_have():
    from datetime import date

    from django.core.exceptions import ValidationError
    from django.test import override_settings
    from django.utils import translation

    with override_settings(PROGRAMME_START=date(2021, 1, 1)):
        record = ParticipationRecord(
            municipality=municipality("ton"),
            kind="hearing_budget",
            held_on=date(2020, 12, 31),
            women=1,
            men=1,
            not_recorded=0,
        )
        for language, message in (("ky", "программа башталганга чейин"), ("ru", "до начала")):
            with translation.override(language), pytest.raises(ValidationError) as error:
                record.full_clean(exclude=["latest_revision", "locked_by", "evidence"])
            assert message in error.value.message_dict["held_on"][0]
        record.held_on = date(2021, 1, 1)
        record.full_clean(exclude=["latest_revision", "locked_by", "evidence"])
