"""Drafts, unpublished translations and unverified records never reach anonymous users."""

import json
import re

import pytest
from wagtail.models import Collection, CollectionViewRestriction

from tests import factories
from tests.conftest import municipality

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_records")]

SECRET = "Жашыруун долбоор"


@pytest.fixture
def hidden_things():
    """A draft hearing, an unpublished translation, a submitted record: none is public."""
    draft = factories.hearing(municipality("yrdyk"), days=12, slug="secret", title=SECRET)
    draft.unpublish()
    public = factories.hearing(municipality("yrdyk"), days=13, slug="public", title="Ачык угуулар")
    from wagtail.models import Locale

    translation = public.copy_for_translation(Locale.objects.get(language_code="ru"))
    translation.title = SECRET + " (ru)"
    translation.save_revision()  # saved, never published
    record = factories.record(
        municipality("yrdyk"), "hearing_budget", women=777, men=555, status="submitted"
    )
    from wagtail.models import PageViewRestriction

    private = factories.hearing(
        municipality("yrdyk"), days=14, slug="private", title=SECRET + " (private)"
    )
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    return draft, translation, record


PUBLIC_URLS = [
    "/ky/",
    "/ky/hearings/",
    "/ru/hearings/",
    "/ky/issyk-kul/yrdyk/",
    "/ru/issyk-kul/yrdyk/",
    "/ky/hearings/feed/",
    "/ru/hearings/feed/",
    "/ky/hearings/calendar/",
    "/ky/issyk-kul/yrdyk/calendar/",
    "/ky/indicators/",
    "/ky/indicators/records/",
    "/ky/indicators/export/csv/",
    "/ky/indicators/export/json/",
    "/ky/indicators/records/export/csv/",
    "/ky/indicators/records/export/json/",
    "/ky/coverage/",
    "/ky/coverage/csv/",
    "/ky/search/?q=Жашыруун",
    "/ru/search/?q=Жашыруун",
    "/api/v2/pages/?type=municipalities.HearingPage&fields=*&limit=20",
    "/api/v2/pages/?search=Жашыруун",
    "/api/v2/pages/?locale=ru&limit=100",
    "/api/v2/pages/?municipality=yrdyk&limit=100",
    "/api/v2/pages/?type=municipalities.HearingPage&upcoming=true&limit=100",
    "/api/v2/participation/?limit=100",
    "/api/v2/participation/?municipality=yrdyk",
    "/api/v2/municipalities/yrdyk/",
    "/api/v2/indicators/",
    "/api/v2/coverage/",
]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_nothing_unpublished_or_unverified_is_shown(client, hidden_things, url):
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.content.decode("utf-8", errors="replace")
    if response["Content-Type"].startswith("application/json"):
        body = json.dumps(response.json(), ensure_ascii=False)
    assert SECRET not in body
    if not url.startswith("/api/v2/pages/"):  # no records there; its timestamps hold digits
        assert not re.search(r"(?<![\w-])(777|555)(?![\w-])", body)


def test_the_municipality_counts_only_what_is_public(client, hidden_things):
    item = client.get("/api/v2/municipalities/yrdyk/").json()
    assert item["hearings"] == 1  # the public one: not the draft, not the private one
    assert item["verified_participants"]["total"] == 0


def test_the_open_data_archive_holds_nothing_hidden(client, hidden_things, settings, tmp_path):
    import io
    import zipfile

    settings.MEDIA_ROOT = tmp_path
    response = client.get("/ky/open-data/download/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    for name in archive.namelist():
        body = archive.read(name).decode("utf-8")
        assert SECRET not in body, name
        if name.endswith(".csv"):  # datapackage.json's byte counts are numbers too
            assert not re.search(r"(?<![\w-])(777|555)(?![\w-])", body), name


def test_draft_and_unpublished_translation_pages_answer_404(client, hidden_things):
    assert client.get("/ky/issyk-kul/yrdyk/secret/").status_code == 404
    assert client.get("/ru/issyk-kul/yrdyk/public/").status_code == 404


def test_documents_of_a_private_collection_need_a_login(client):
    private = Collection.get_first_root_node().add_child(name="Private")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = factories.document("Кол тамгалар", "sheet.pdf")
    document.collection = private
    document.save()
    response = client.get(document.url)
    assert response.status_code == 302
    assert "login" in response["Location"]
    public = factories.document("Ачык", "open.pdf")
    factories.resolution(municipality("ton"), document=public)  # public content uses it
    assert client.get(public.url).status_code == 200


def test_a_signed_sheet_attached_as_evidence_is_private(client, django_user_model):
    """It carries names and signatures: only programme managers may open it."""
    sheet = factories.document("Кол тамгалар", "signatures.pdf")
    assert client.get(sheet.url).status_code == 404  # a fresh upload is not public yet
    record = factories.record(municipality("ton"), evidence=sheet, status="verified")
    sheet.refresh_from_db()
    response = client.get(sheet.url)
    assert response.status_code == 302 and "login" in response["Location"]
    listed = [
        item["id"] for item in client.get("/api/v2/documents/", {"limit": 100}).json()["items"]
    ]
    assert sheet.pk not in listed
    assert client.get(f"/api/v2/documents/{sheet.pk}/").status_code == 404

    from municipalities.monitoring import access

    def editor_of(slug):
        user = django_user_model.objects.create_user(slug, f"{slug}@example.kg", "pw")
        user.groups.add(access.grant_municipality(municipality(slug)))
        return user

    ton_editor, barpy_editor = editor_of("ton"), editor_of("barpy")
    client.force_login(barpy_editor)
    assert client.get(sheet.url).status_code in (302, 403)  # another municipality's sheet
    client.force_login(ton_editor)
    assert client.get(sheet.url).status_code == 200  # their own, to check it when sent back
    access.revoke_municipality(municipality("ton"))
    assert client.get(sheet.url).status_code in (302, 403)
    from municipalities.monitoring.access import setup_programme_groups

    manager = django_user_model.objects.create_user("pm-ev", "pm@example.kg", "pw")
    manager.groups.add(setup_programme_groups()[0])
    client.force_login(manager)
    assert client.get(sheet.url).status_code == 200
    assert record.evidence_id == sheet.pk


def test_published_minutes_used_as_the_protocol_stay_public(client):
    minutes = factories.document("Протокол", "minutes.pdf")
    factories.hearing(municipality("ton"), days=-5, slug="held-with-minutes", minutes=minutes)
    factories.record(municipality("ton"), evidence=minutes, status="verified", days_ago=5)
    assert client.get(minutes.url).status_code == 200


def test_a_document_of_a_draft_stays_out_of_the_documents_api_until_published(client):
    draft_budget = factories.document("Бюджеттин долбоору (жашыруун)", "draft-budget.pdf")
    page = factories.hearing(
        municipality("yrdyk"), days=20, slug="with-draft-doc", minutes=draft_budget
    )
    page.unpublish()

    def listed():
        response = client.get("/api/v2/documents/", {"limit": 100})
        return [item["id"] for item in response.json()["items"]]

    assert draft_budget.pk not in listed()
    assert client.get(f"/api/v2/documents/{draft_budget.pk}/").status_code == 404
    factories.publish_alone(page)
    assert draft_budget.pk in listed()


def test_the_images_api_lists_only_images_public_content_uses(client):
    from campaigns.models import CampaignMaterial

    unused = factories.image("Жүктөлгөн, бирок колдонулбаган")
    shown = factories.image("Плакаттын сүрөтү")
    CampaignMaterial.objects.create(
        title="Плакат",
        kind="poster",
        language="ky",
        link="https://example.kg/p",
        preview=shown,
        preview_alt="Плакат",
    )
    listed = [item["id"] for item in client.get("/api/v2/images/", {"limit": 100}).json()["items"]]
    assert shown.pk in listed
    assert unused.pk not in listed
