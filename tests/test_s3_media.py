"""Uploaded files on S3-compatible object storage (S3_BUCKET, cms/settings/base.py), against
an object store of the test's own (moto's S3 server in its own process on a spare port):
files land in the bucket, not on the server's disk; documents still leave only through the
permission check; a rendition is made once and served from the bucket by a signed address.
"""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
import uuid

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from municipalities.models import HearingDocument
from tests import factories
from tests.conftest import municipality
from tests.stack import spare_port, stop, wait_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_records")]

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test-key", "AWS_SECRET_ACCESS_KEY": "test-secret"}


@pytest.fixture(scope="module")
def object_store(tmp_path_factory):
    port = spare_port()
    log = tmp_path_factory.mktemp("s3") / "moto.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url, process, log, seconds=30)
    except RuntimeError:
        stop(process)
        raise
    yield url
    stop(process)


@pytest.fixture
def bucket(object_store, settings, monkeypatch):
    """The production storage settings pointed at a fresh bucket of the test's store."""
    import boto3

    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    name = "cms-" + uuid.uuid4().hex[:12]
    client = boto3.client("s3", endpoint_url=object_store, region_name="us-east-1")
    client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": _storage_settings(object_store, name),
    }
    assert default_storage.__class__.__name__ == "S3Storage"
    return client, name


def _storage_settings(endpoint, bucket_name):
    """What cms/settings/base.py builds from S3_BUCKET and S3_ENDPOINT_URL."""
    command = (
        "from django.conf import settings; import json;"
        "print(json.dumps(settings.STORAGES['default']))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", command],
        capture_output=True,
        text=True,
        check=True,
        env={
            **_environment(),
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "S3_BUCKET": bucket_name,
            "S3_ENDPOINT_URL": endpoint,
            "S3_REGION": "us-east-1",
        },
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _environment():
    return {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}


def keys(bucket):
    client, name = bucket
    return [item["Key"] for item in client.list_objects_v2(Bucket=name).get("Contents", [])]


def test_an_uploaded_document_is_stored_in_the_bucket_and_served_after_the_check(
    bucket, client, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path  # nothing may land on this server's disk
    document = factories.document("Бюджеттин долбоору", filename="budget-draft.pdf")
    assert [key for key in keys(bucket) if key.startswith("documents/")] == [document.file.name]
    assert not any(tmp_path.iterdir())
    # not public until a published page uses it: the bucket's own address is refused too
    assert client.get(document.url).status_code == 404
    unsigned = f"{settings.STORAGES['default']['OPTIONS']['endpoint_url']}/{bucket[1]}/"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(unsigned + document.file.name, timeout=5)
    assert refused.value.code == 403
    hearing = factories.hearing(municipality("ton"), days=15, slug="s3-documents")
    hearing.discussion_documents = [HearingDocument(document=document, kind="draft_budget")]
    factories.publish_alone(hearing)
    response = Client().get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_signed_sheet_in_the_bucket_stays_behind_the_login(bucket, client):
    record = factories.record(municipality("ton"))
    assert record.evidence.file.name in keys(bucket)
    response = client.get(record.evidence.url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_rendition_is_made_once_and_served_from_the_bucket(bucket):
    image = factories.image("Сход")
    first = image.get_rendition("fill-40x40")
    again = type(image).objects.get(pk=image.pk).get_rendition("fill-40x40")
    assert again.pk == first.pk
    renditions = [key for key in keys(bucket) if key.startswith("images/")]
    assert renditions == [first.file.name]
    assert image.renditions.count() == 1
    # the page links a signed address of the store, which answers with the picture
    assert "Signature=" in first.url or "X-Amz-Signature=" in first.url
    with urllib.request.urlopen(first.url, timeout=5) as answer:
        assert answer.read().startswith(b"\x89PNG")
