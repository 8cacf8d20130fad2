"""Large admin exports leave the request: a task builds the file with exactly the rows and
columns its owner would have downloaded, keeps it privately for them and tells them; small
ones download as before (cms/exports.py, cms/admin_exports.py)."""

import csv
import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.users.models import UserProfile

from cms import admin_exports, exports, tasks
from cms.exports import AdminExport
from municipalities.monitoring import access
from municipalities.monitoring.models import ParticipationRecord
from municipalities.monitoring.wagtail_hooks import ParticipationRecordViewSet
from tests import factories
from tests.conftest import municipality

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_records")]

LISTING = "wagtailsnippets_municipalities_participationrecord:list"
WOMEN = ParticipationRecordViewSet.list_export.index("women")
FAILED = {
    "ky": "Бул экспортту даярдоо мүмкүн болбоду",
    "ru": "Этот экспорт не удалось подготовить",
}
FAILED_STATUS = {"ky": "Ишке ашкан жок", "ru": "Не удалось"}
MY_EXPORTS = {"ky": "Менин экспорттарым", "ru": "Мои экспорты"}
PREPARING = {"ky": "Экспортуңуз даярдалууда", "ru": "Ваш экспорт готовится"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def users(django_user_model):
    managers, _translators = access.setup_programme_groups()
    ngo = factories.organisation("Экспорт НКО")
    ngo.municipalities.set([municipality("barpy")])
    groups = {
        "municipal_editor": access.grant_municipality(municipality("ton")),
        "other_editor": access.grant_municipality(municipality("ton")),
        "ngo_editor": access.grant_organisation(ngo),
        "manager": managers,
    }
    made = {}
    for role, group in groups.items():
        user = django_user_model.objects.create_user(role, f"{role}@example.kg", "pw")
        user.groups.add(group)
        made[role] = user
    return made


@pytest.fixture
def records():
    """Ton: three budget hearings and one on tariffs; Barpy: two budget hearings. The women
    counts tell the rows apart."""
    made = []
    for days, women in ((10, 11), (11, 12), (12, 13)):
        made.append(factories.record(municipality("ton"), women=women, days_ago=days))
    made.append(factories.record(municipality("ton"), "hearing_tariffs", women=14, days_ago=13))
    for days, women in ((10, 21), (11, 22)):
        made.append(factories.record(municipality("barpy"), women=women, days_ago=days))
    return made


@pytest.fixture
def small_limit(settings):
    settings.EXPORT_IN_REQUEST_ROWS = 1


def as_reader(client, user, language="ru"):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    return client


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(content):
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def rows_of(content, export_format):
    return csv_rows(content) if export_format == "csv" else xlsx_rows(content)


def women(rows):
    return sorted(int(row[WOMEN]) for row in rows[1:])


def in_request(client, settings, export_format, **filters):
    """The file as the request builds it (the limit above the rows)."""
    limit = settings.EXPORT_IN_REQUEST_ROWS
    settings.EXPORT_IN_REQUEST_ROWS = 1000
    response = client.get(reverse(LISTING), {**filters, "export": export_format})
    settings.EXPORT_IN_REQUEST_ROWS = limit
    assert response.status_code == 200
    return body(response)


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_a_small_export_still_downloads_in_the_request(client, users, records, export_format):
    as_reader(client, users["municipal_editor"])
    response = client.get(reverse(LISTING), {"export": export_format})
    assert response.status_code == 200
    assert f"municipalities_participationrecord.{export_format}" in response["Content-Disposition"]
    assert women(rows_of(body(response), export_format)) == [11, 12, 13, 14]
    assert not AdminExport.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_a_large_export_is_built_by_a_task_with_the_editors_filtered_rows(
    client, settings, users, records, small_limit, export_format
):
    editor = users["municipal_editor"]
    as_reader(client, editor, "ky")
    expected = csv_rows(in_request(client, settings, "csv", kind="hearing_budget"))
    response = client.get(reverse(LISTING), {"kind": "hearing_budget", "export": export_format})
    export = AdminExport.objects.get()
    # no queue (tests, `make run`): built in the request, the browser goes to the file
    assert response.status_code == 302
    assert response["Location"] == export.download_path()
    assert response["Location"].endswith(f"/municipalities_participationrecord.{export_format}")
    assert export.owner == editor and export.status == AdminExport.Status.DONE
    assert export.model_label == "municipalities.participationrecord"
    assert export.query_string == "kind=hearing_budget" and export.rows == 3
    assert export.file.name.startswith("private/exports/")

    download = client.get(response["Location"])
    assert download.status_code == 200
    content = body(download)
    assert download["Content-Type"] == exports.CONTENT_TYPES[export_format]
    assert (
        f'filename="municipalities_participationrecord.{export_format}"'
        in download["Content-Disposition"]
    )
    assert int(download["Content-Length"]) == export.size == len(content)
    rows = rows_of(content, export_format)
    assert women(rows) == [11, 12, 13]  # Ton's budget hearings: not Barpy's, not tariffs
    if export_format == "csv":
        assert content == in_request(client, settings, "csv", kind="hearing_budget")
        assert rows == expected
    else:
        assert rows == xlsx_rows(in_request(client, settings, "xlsx", kind="hearing_budget"))
        assert rows[0] == expected[0]  # the same headings, in the editor's language


def test_a_programme_manager_exports_every_row(client, users, records, small_limit):
    as_reader(client, users["manager"])
    response = client.get(reverse(LISTING), {"export": "csv"})
    download = client.get(response["Location"])
    assert women(csv_rows(body(download))) == [11, 12, 13, 14, 21, 22]


def test_an_ngo_editor_exports_the_rows_of_its_municipalities(client, users, records, small_limit):
    as_reader(client, users["ngo_editor"])
    response = client.get(reverse(LISTING), {"export": "xlsx"})
    assert women(xlsx_rows(body(client.get(response["Location"])))) == [21, 22]


@pytest.mark.parametrize("role", ["other_editor", "manager", "ngo_editor"])
def test_nobody_but_the_owner_downloads_an_export(client, users, records, small_limit, role):
    as_reader(client, users["municipal_editor"])
    location = client.get(reverse(LISTING), {"export": "csv"})["Location"]
    client.logout()
    as_reader(client, users[role])
    assert client.get(location).status_code == 404
    assert client.get(reverse("cms_admin_exports")).context["exports"] == []
    client.logout()
    assert client.get(location)["Location"].startswith(reverse("wagtailadmin_login"))


def test_the_owner_is_emailed_the_link_in_their_language(client, users, records, small_limit):
    editor = users["municipal_editor"]
    as_reader(client, editor, "ky")
    location = client.get(reverse(LISTING), {"export": "xlsx"})["Location"]
    (message,) = mail.outbox
    assert message.to == [editor.email]
    assert location in message.body
    assert message.body.count("http") == 1
    assert "Экспортуңуз даяр" in message.subject
    assert "4 сап" in message.body


def test_a_queued_export_is_followed_on_my_exports_until_a_worker_builds_it(
    client, users, records, small_limit, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(tasks, "queued", lambda: True)
    monkeypatch.setattr(admin_exports, "build_admin_export", SimpleNamespace(enqueue=queued.append))
    editor = users["municipal_editor"]
    as_reader(client, editor, "ru")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse(LISTING), {"kind": "hearing_budget", "export": "csv"})
    export = AdminExport.objects.get()
    assert queued == [export.pk]  # once the request's transaction committed
    assert response["Location"] == reverse("cms_admin_exports")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert PREPARING["ru"] in html and 'http-equiv="refresh"' in html
    assert "В очереди" in html and not mail.outbox

    # the worker: outside any request, the owner's listing replayed
    exports.build_admin_export.call(export.pk)
    export.refresh_from_db()
    assert export.status == AdminExport.Status.DONE
    assert women(csv_rows(body(client.get(export.download_path())))) == [11, 12, 13]
    html = client.get(reverse("cms_admin_exports")).content.decode()
    assert 'http-equiv="refresh"' not in html and MY_EXPORTS["ru"] in html
    assert export.download_path() in html
    assert len(mail.outbox) == 1


def test_an_owner_who_lost_access_gets_a_failed_export(client, users, records, small_limit):
    editor = users["municipal_editor"]
    export = AdminExport.objects.create(
        owner=editor,
        model_label="municipalities.participationrecord",
        path=reverse(LISTING),
        format="csv",
        rows=4,
    )
    editor.groups.clear()
    exports.build_admin_export.call(export.pk)
    export.refresh_from_db()
    assert export.status == AdminExport.Status.FAILED and not export.file


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_a_failing_export_is_marked_failed_with_a_translated_message(
    client, users, records, small_limit, monkeypatch, media, language
):
    def broken(view, queryset, export_format, build):
        build.stream.write(b"PK half a file")
        raise RuntimeError("disk full")

    monkeypatch.setattr(admin_exports.BackgroundExportMixin, "write_export", broken)
    before = list(ParticipationRecord.objects.order_by("pk").values())
    as_reader(client, users["municipal_editor"], language)
    response = client.get(reverse(LISTING), {"export": "xlsx"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cms_admin_exports")
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert FAILED[language] in html and FAILED_STATUS[language] in html
    export = AdminExport.objects.get()
    assert export.status == AdminExport.Status.FAILED and not export.file
    assert export.download_path() not in html
    assert client.get(export.download_path()).status_code == 404
    assert list(ParticipationRecord.objects.order_by("pk").values()) == before
    assert not list(media.glob("private/**/*.*"))  # nothing half-written is kept
    assert not mail.outbox


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_my_exports_in_the_readers_language(client, users, records, small_limit, language):
    as_reader(client, users["municipal_editor"], language)
    client.get(reverse(LISTING), {"export": "csv"})
    html = client.get(reverse("cms_admin_exports")).content.decode()
    assert MY_EXPORTS[language] in html
    assert {"ky": "Даяр", "ru": "Готово"}[language] in html
    assert {"ky": "Жүктөп алуу", "ru": "Скачать"}[language] in html
    assert "Download" not in html and "Ready" not in html

    listing = client.get(reverse(LISTING)).content.decode()
    assert MY_EXPORTS[language] in listing and reverse("cms_admin_exports") in listing


def test_old_exports_are_deleted_with_their_files(users):
    def export(days_ago):
        made = AdminExport.objects.create(
            owner=users["municipal_editor"],
            model_label="municipalities.participationrecord",
            path=reverse(LISTING),
            format="csv",
            status=AdminExport.Status.DONE,
        )
        made.file.save("x.csv", ContentFile(b"a,b\n"))
        AdminExport.objects.filter(pk=made.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
        return made

    old, recent = export(8), export(6)
    out = io.StringIO()
    call_command("delete_old_exports", stdout=out)
    assert "1 old export(s) deleted" in out.getvalue()
    assert list(AdminExport.objects.all()) == [recent]
    assert not default_storage.exists(old.file.name)
    assert default_storage.exists(recent.file.name)
