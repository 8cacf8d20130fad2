"""Field data through the API (municipalities/monitoring/submissions.py), as an NGO's phone
form, KoBoToolbox and a careless or hostile client send it: a valid record is filed as the
token's organisation's draft; anything wrong gets a clear, translated JSON error and changes
nothing; a retry never files twice; only a verified record counts."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from cms.models import SiteDocument
from municipalities.monitoring import access
from municipalities.monitoring.models import APIToken, ParticipationRecord
from municipalities.monitoring.models.tokens import digest
from tests import factories
from tests.conftest import municipality

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_records")]

URL = "/api/v2/submissions/participation"


@pytest.fixture
def organisation():
    item = factories.organisation("Талаа тобу")
    item.municipalities.add(municipality("ak-korgon"), municipality("oruktu"))
    return item


@pytest.fixture
def secret(organisation):
    token = APIToken(name="Field team", organisation=organisation)
    value = token.issue()
    token.save()
    return value


def post(client, secret, body, *, key=None, language="ky", **extra):
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    if secret is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    if extra.pop("multipart", False):
        return client.post(URL, body, **headers)
    return client.post(URL, json.dumps(body), content_type="application/json", **headers)


def valid(**changes):
    day = (timezone.localdate() - timedelta(days=2)).isoformat()
    return {
        "municipality": "ak-korgon",
        "kind": "hearing_budget",
        "held_on": day,
        "women": 21,
        "men": 17,
        **changes,
    }


def state():
    return (ParticipationRecord.objects.count(), SiteDocument.objects.count())


def test_a_valid_record_is_filed_as_the_organisations_draft(client, secret, organisation):
    response = post(client, secret, valid(), key="phone-1")
    assert response.status_code == 201, response.content
    body = response.json()
    record = ParticipationRecord.objects.get(pk=body["id"])
    assert body["status"] == record.status == "draft"
    assert record.organisation == organisation and record.women == 21
    assert body["municipality"] == "ak-korgon"
    assert record.revisions.exists()  # its history starts like an admin's draft


def test_a_record_may_arrive_submitted_with_its_signed_sheet(client, secret):
    before_public = client.get("/api/v2/participation/").json()["meta"]["total_count"]
    body = {**valid(status="submitted"), "evidence": factories.pdf_file("sheet.pdf")}
    response = post(client, secret, body, multipart=True)
    assert response.status_code == 201, response.content
    record = ParticipationRecord.objects.get(pk=response.json()["id"])
    assert record.status == "submitted" and record.submitted_at
    assert record.evidence is not None
    # the sheet is private: a visitor with its address is sent to log in
    assert Client().get(record.evidence.url).status_code == 302
    # nothing counts until a programme manager verifies it
    assert client.get("/api/v2/participation/").json()["meta"]["total_count"] == before_public
    manager = factories_manager()
    record.verify(manager)
    assert client.get("/api/v2/participation/").json()["meta"]["total_count"] == before_public + 1


def factories_manager():
    from django.contrib.auth import get_user_model

    managers, _translators = access.setup_programme_groups()
    user = get_user_model().objects.create_user("pm-submissions", "pm@example.kg", "pw")
    user.groups.add(managers)
    return user


@pytest.mark.parametrize("language", ["ky", "ru"])
@pytest.mark.parametrize(
    ("body", "field"),
    [
        (valid(municipality="tepke"), "municipality"),  # exists, not this organisation's
        (valid(municipality="nowhere"), "municipality"),
        (valid(women=-3), "women"),
        (valid(held_on=(timezone.localdate() + timedelta(days=3)).isoformat()), "held_on"),
        (valid(held_on="31.02.2026"), "held_on"),
        (valid(kind="party"), "kind"),
        (valid(women=0, men=0), "women"),
        (valid(status="verified"), "status"),
    ],
)
def test_a_wrong_record_gets_a_clear_error_and_changes_nothing(
    client, secret, body, field, language
):
    before = state()
    response = post(client, secret, body, language=language)
    assert response.status_code == 400, response.content
    answer = response.json()
    assert field in answer["errors"], answer
    message = json.dumps(answer["errors"][field], ensure_ascii=False)
    # in the client's language: Cyrillic, not Django's English
    assert any("а" <= letter <= "я" for letter in message.lower()), message
    assert state() == before


def pdf_named(name, content):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.mark.parametrize(
    "upload",
    [
        pdf_named("sheet.png", factories.png_bytes()),
        pdf_named("sheet.pdf", factories.png_bytes()),  # a picture renamed
        pdf_named("sheet.pdf", b"MZ\x90\x00" + b"\x00" * 100),  # a program renamed
    ],
)
def test_a_sheet_that_is_not_a_pdf_is_refused(client, secret, upload):
    before = state()
    response = post(client, secret, {**valid(), "evidence": upload}, multipart=True)
    assert response.status_code == 400
    assert "evidence" in response.json()["errors"]
    assert state() == before


def test_an_oversized_sheet_is_refused(client, secret, settings):
    settings.MAX_UPLOAD_SIZE_MB = 1
    big = factories.pdf_file("big.pdf").read() + b"%" * (1024 * 1024 + 10)
    before = state()
    response = post(
        client, secret, {**valid(), "evidence": pdf_named("big.pdf", big)}, multipart=True
    )
    assert response.status_code == 400
    assert "evidence" in response.json()["errors"]
    assert state() == before


@pytest.mark.parametrize(
    "header", [None, "Bearer lsk_not-a-token", "Basic dXNlcjpwdw==", "Bearer "]
)
def test_without_a_valid_token_nothing_is_filed(client, secret, header):
    before = state()
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.post(URL, json.dumps(valid()), content_type="application/json", **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["message"]
    assert state() == before


def test_a_revoked_token_stops_at_once(client, secret):
    assert post(client, secret, valid()).status_code == 201
    token = APIToken.objects.get()
    token.active = False
    token.save()
    assert token.revoked_at is not None
    before = state()
    assert post(client, secret, valid()).status_code == 401
    assert state() == before


def test_the_secret_is_stored_only_as_its_hash(secret):
    token = APIToken.objects.get()
    assert token.secret_hash == digest(secret) != secret
    assert secret.startswith(token.hint) and len(token.hint) < len(secret) // 3


def test_the_same_idempotency_key_files_one_record(client, secret):
    first = post(client, secret, valid(), key="form-42")
    again = post(client, secret, valid(women=99), key="form-42")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert ParticipationRecord.objects.count() == 1
    assert post(client, secret, valid(), key="form-43").status_code == 201


def test_a_kobotoolbox_submission_is_read_by_its_question_names(client, secret):
    submission = {
        "_uuid": "7c1e-kobo",
        "_submission_time": "2026-11-30T08:00:00",
        "meta/instanceID": "uuid:7c1e-kobo",
        "group_event/municipality": "oruktu",
        "group_event/kind": "hearing_tariffs",
        "group_event/held_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "group_counts/women": "12",
        "group_counts/men": "9",
        "group_counts/not_recorded": "1",
    }
    first = post(client, secret, submission)
    assert first.status_code == 201, first.content
    record = ParticipationRecord.objects.get(pk=first.json()["id"])
    assert (record.municipality.slug, record.women, record.men) == ("oruktu", 12, 9)
    # the form server retries: its own submission id keeps it to one record
    assert post(client, secret, submission).status_code == 200
    assert ParticipationRecord.objects.count() == 1


def test_a_token_is_rate_limited(client, secret, settings):
    settings.API_SUBMISSIONS_PER_MINUTE = 2
    statuses = [post(client, secret, valid(), key=f"k{n}").status_code for n in range(3)]
    assert statuses == [201, 201, 429]
    assert ParticipationRecord.objects.count() == 2


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b"\xff\xfe"])
def test_a_body_that_is_not_a_json_object_is_refused(client, secret, body):
    response = client.post(
        URL, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert response.status_code == 400
    assert response.json()["message"]


def test_reading_the_submission_address_is_not_allowed(client):
    assert client.get(URL).status_code == 405


def test_a_manager_creates_a_token_that_is_shown_once(organisation):
    manager = factories_manager()
    browser = Client()
    browser.force_login(manager)
    response = browser.post(
        "/admin/snippets/municipalities/apitoken/add/",
        {"name": "Phone forms", "organisation": organisation.pk, "active": "on"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    token = APIToken.objects.get(name="Phone forms")
    secret = page.split('class="token-secret"')[0].rsplit('value="', 1)[1].split('"')[0]
    assert token.secret_hash == digest(secret) and token.created_by == manager
    # never shown again
    assert (
        secret
        not in browser.get(
            f"/admin/snippets/municipalities/apitoken/edit/{token.pk}/"
        ).content.decode()
    )
    assert APIToken.authenticate(secret) == token


def test_an_ngo_editor_cannot_see_or_create_tokens(organisation, django_user_model):
    editor = django_user_model.objects.create_user("ngo-editor", "e@example.kg", "pw")
    access.setup_programme_groups()
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    browser = Client()
    browser.force_login(editor)
    for address in (
        "/admin/snippets/municipalities/apitoken/",
        "/admin/snippets/municipalities/apitoken/add/",
    ):
        assert browser.get(address).status_code in (302, 403)
    assert not APIToken.objects.exists()


# draft hearing notices

HEARINGS = "/api/v2/submissions/hearings"


def notice(**changes):
    starts = (timezone.localtime() + timedelta(days=12)).replace(microsecond=0)
    return {
        "municipality": "ak-korgon",
        "language": "ru",
        "title": "Слушания по тарифам на воду",
        "topic": "tariffs",
        "starts_at": starts.isoformat(),
        "venue": "Зал айыл окмоту",
        "agenda": "Проект тарифов\nВопросы жителей",
        **changes,
    }


def post_notice(client, secret, body, key=None, language="ru"):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}", "HTTP_ACCEPT_LANGUAGE": language}
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(HEARINGS, json.dumps(body), content_type="application/json", **headers)


def test_a_hearing_notice_arrives_as_a_draft_that_the_api_never_publishes(client, secret):
    from municipalities.models import HearingPage

    response = post_notice(client, secret, notice(), key="notice-1")
    assert response.status_code == 201, response.content
    body = response.json()
    page = HearingPage.objects.get(pk=body["id"])
    assert body["live"] is False and not page.live and page.has_unpublished_changes
    assert page.locale.language_code == "ru" and page.get_parent().slug == "ak-korgon"
    assert "<p>Проект тарифов</p>" in page.agenda
    assert page.revisions.exists() and body["edit_url"].startswith("/admin/pages/")
    # invisible to the public: neither its address nor the API shows it
    assert Client().get(page.url or f"/ru/jalal-abad/ak-korgon/{page.slug}/").status_code == 404
    listed = client.get("/api/v2/pages/", {"type": "municipalities.HearingPage", "limit": 100})
    assert page.pk not in {item["id"] for item in listed.json()["items"]}
    # a retry creates nothing new; a live flag in the body is no field of the API
    again = post_notice(client, secret, {**notice(), "live": True}, key="notice-1")
    assert again.status_code == 200 and again.json()["id"] == page.pk
    assert HearingPage.objects.filter(title=page.title).count() == 1


@pytest.mark.parametrize("language", ["ky", "ru"])
@pytest.mark.parametrize(
    ("body", "field"),
    [
        (notice(municipality="tepke"), "municipality"),
        (notice(topic="budget"), "fiscal_year"),  # which year's budget: the model's rule
        (notice(starts_at="tomorrow"), "starts_at"),
        (notice(venue=""), "venue"),
        (notice(title="x" * 300), "title"),
    ],
)
def test_a_wrong_notice_gets_a_clear_error_and_creates_nothing(
    client, secret, body, field, language
):
    from wagtail.models import Page

    before = Page.objects.count()
    response = post_notice(client, secret, body, language=language)
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert field in errors, errors
    assert any("а" <= c <= "я" for c in json.dumps(errors[field], ensure_ascii=False).lower())
    assert Page.objects.count() == before
