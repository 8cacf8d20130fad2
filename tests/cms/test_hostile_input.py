"""What an attacker or a careless client sends gets a clear 4xx, never a server error.

Run on PostgreSQL too (CI): it refuses NUL bytes inside queries, where SQLite lets them pass.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from cms.models import SiteDocument
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("endpoint", ["documents", "images"])
def test_documents_and_images_can_be_searched(client, endpoint):
    response = client.get(f"/api/v2/{endpoint}/?search=бюджет")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["meta"]["total_count"] == len(body["items"])


def test_a_public_document_is_found_by_search_and_a_drafts_is_not(client):
    from tests.conftest import municipality

    public = factories.document("Бюджеттик отчет")
    factories.resolution(municipality("ton"), document=public)
    hidden = factories.document("Бюджеттик долбоор")
    found = client.get("/api/v2/documents/?search=Бюджеттик").json()["items"]
    assert [item["id"] for item in found] == [public.pk]
    assert hidden.pk not in [item["id"] for item in found]


@pytest.mark.parametrize(
    ("url", "status", "content_type"),
    [
        ("/ky/nothing%00here/", 404, "text/html"),
        ("/ru/%00/", 404, "text/html"),
        ("/api/v2/municipalities/a%00b/", 404, "application/json"),
        ("/api/v2/pages/?type=municipalities.HearingPage%00", 400, "application/json"),
        ("/ky/search/?q=угуу%00лар", 200, "text/html"),
    ],
)
def test_nul_bytes_never_reach_the_database(client, url, status, content_type):
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"].startswith(content_type)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "url", ["/api/v2/municipalities/", "/api/v2/pages/", "/api/v2/documents/", "/api/v2/nope/"]
)
def test_writing_to_the_api_is_a_json_405_naming_what_is_allowed(method, url):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)  # as a real client: no CSRF token
    response = getattr(client, method)(url)
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response.json()["message"]


@override_settings(MAX_UPLOAD_SIZE_MB=1)
@pytest.mark.parametrize("language", ["ky", "ru"])
def test_an_oversized_document_gets_the_size_message_in_every_upload_form(
    client, django_user_model, language
):
    from wagtail.users.models import UserProfile

    user = django_user_model.objects.create_superuser("big", "big@example.kg", "pw")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    big = factories.pdf_file().read() + b"0" * (1024 * 1024)
    before = SiteDocument.objects.count()
    largest = {"ky": "Файлдын көлөмү", "ru": "Размер файла"}[language]

    multiple = client.post(
        reverse("wagtaildocs:add_multiple"),
        {"files[]": SimpleUploadedFile("big.pdf", big)},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert multiple.status_code == 200
    assert multiple.json()["success"] is False
    assert largest in multiple.json()["error_message"]

    chooser = client.post(
        reverse("wagtaildocs_chooser:create"),
        {
            "document-chooser-upload-title": "Big",
            "document-chooser-upload-file": (SimpleUploadedFile("big.pdf", big)),
        },
    )
    assert chooser.status_code == 200
    assert SiteDocument.objects.count() == before
    assert largest in chooser.json()["htmlFragment"]


def test_the_api_description_offers_search_on_documents_and_images(client):
    paths = client.get("/api/v2/schema/").json()["paths"]
    for path in ("/api/v2/documents", "/api/v2/images"):
        names = [parameter["name"] for parameter in paths[path]["get"]["parameters"]]
        assert "search" in names


@pytest.mark.parametrize("endpoint", ["documents", "images", "pages"])
@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("limit=many", "limit"),
        ("offset=-1", "offset"),
        ("order=bogus", "order"),
        ("colour=red", "colour"),
    ],
)
def test_every_400_names_its_parameter(client, endpoint, query, parameter):
    response = client.get(f"/api/v2/{endpoint}/?{query}")
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter


PLANTED_MARKUP = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def test_the_atom_feed_carries_editors_text_as_text(client):
    from xml.etree import ElementTree

    from tests.conftest import municipality

    factories.hearing(municipality("ton"), days=12, slug="planted", venue=PLANTED_MARKUP)
    feed = ElementTree.fromstring(client.get("/ky/hearings/feed/").content)
    summaries = [
        element.text
        for element in feed.iter("{http://www.w3.org/2005/Atom}summary")
        if element.text and "alert" in element.text
    ]
    assert summaries
    for summary in summaries:  # what a feed reader renders as HTML: no element in it
        assert "<img" not in summary and "<script" not in summary
        assert "&lt;img" in summary


def test_stored_rich_text_is_sanitised_on_every_page(client):
    from tests.conftest import municipality

    hearing = factories.hearing(
        municipality("ton"),
        days=14,
        slug="planted-agenda",
        agenda=f"<p>Күн тартиби</p>{PLANTED_MARKUP}<p><a href='javascript:alert(3)'>x</a></p>",
    )
    for url in (hearing.url, hearing.url + "print/"):
        html = client.get(url).content.decode()
        assert "Күн тартиби" in html
        assert "onerror" not in html and "alert(2)" not in html and "javascript:" not in html


def test_rich_text_in_page_bodies_is_sanitised(client):
    from wagtail.rich_text import RichText

    from cms.models import HomePage, StandardPage

    home = HomePage.objects.get(locale__language_code="ky")
    page = factories.publish(
        home,
        StandardPage(
            title="Программа жөнүндө",
            slug="planted-body",
            body=[("paragraph", RichText(f"<p>Максат</p>{PLANTED_MARKUP}"))],
        ),
    )
    html = client.get(page.url).content.decode()
    assert "Максат" in html
    assert "onerror" not in html and "alert(2)" not in html
