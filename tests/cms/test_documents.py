"""Uploads are accepted by content and size, whatever their names claim."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from wagtail.models import Collection

from cms.documents import validate_document_file
from cms.models import SiteDocument
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("бюджет Өрүктү.pdf", None),
        ("photo.png", "png"),
        ("photo.jpg", "png"),
    ],
)
def test_allowed_files(name, content):
    data = factories.png_bytes() if content == "png" else factories.pdf_file().read()
    upload = SimpleUploadedFile(name, data)
    if name.endswith(".jpg"):
        with pytest.raises(ValidationError):
            validate_document_file(upload)
    else:
        validate_document_file(upload)


def test_a_spreadsheet_is_recognised_by_its_content():
    openpyxl = pytest.importorskip("openpyxl")
    import io

    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Бюджет"
    buffer = io.BytesIO()
    workbook.save(buffer)
    validate_document_file(SimpleUploadedFile("lines.xlsx", buffer.getvalue()))
    with pytest.raises(ValidationError) as error:
        validate_document_file(SimpleUploadedFile("lines.pdf", buffer.getvalue()))
    assert error.value.code == "file_content_mismatch"


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("virus.exe", b"MZ\x90\x00", "file_type_not_allowed"),
        ("notes.txt", b"plain text", "file_type_not_allowed"),
        ("fake.pdf", b"this is not a pdf at all", "file_content_mismatch"),
        ("fake.docx", b"%PDF-1.4 something", "file_content_mismatch"),
    ],
)
def test_refused_files(name, data, code):
    with pytest.raises(ValidationError) as error:
        validate_document_file(SimpleUploadedFile(name, data))
    assert error.value.code == code


@override_settings(MAX_UPLOAD_SIZE_MB=1)
def test_files_over_the_size_limit_are_refused():
    big = factories.pdf_file().read() + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError) as error:
        validate_document_file(SimpleUploadedFile("big.pdf", big))
    assert error.value.code == "document_too_large"


def test_admin_upload_of_a_disguised_file_is_refused_with_a_translated_message(
    client, django_user_model
):
    client.force_login(django_user_model.objects.create_superuser("u", "u@example.kg", "pw"))
    before = SiteDocument.objects.count()
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Бюджет",
            "file": SimpleUploadedFile("budget.pdf", b"MZ not a pdf"),
            "collection": Collection.get_first_root_node().pk,
        },
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 200
    assert SiteDocument.objects.count() == before
    assert "PDF, DOC, DOCX" in response.content.decode()


def test_admin_upload_of_a_real_pdf_keeps_kyrgyz_letters_in_its_name(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("u", "u@example.kg", "pw"))
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Бюджет Өрүктү",
            "file": factories.pdf_file("Бюджет Өрүктү 2027.pdf"),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 302
    document = SiteDocument.objects.get(title="Бюджет Өрүктү")
    assert "Өрүктү" in document.file.name
