"""An API client generated from the OpenAPI document works: openapi-python-client (a
widely used generator) turns /api/v2/schema/ into a Python package, which then reads the
site's municipalities and indicators and files a participation record with a token, its
HTTP requests answered by the project's WSGI application (in the test's transaction)."""

import importlib
import io
import json
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone

from cms.wsgi import application
from municipalities.monitoring.models import APIToken, ParticipationRecord
from tests import factories
from tests.conftest import municipality

pytestmark = pytest.mark.django_db

SITE = "http://testserver"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")
PACKAGE = "local_services_client"


@pytest.fixture
def wsgi_transport():
    """httpx talking to the project's WSGI application, in the test's own transaction (as
    Django's test client does: connections are not closed after each request)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield httpx.WSGITransport(app=application)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def generated(client, tmp_path, monkeypatch):
    document = client.get("/api/v2/schema/").json()
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(document))
    # its formatting step runs ruff, which the test tools install beside it
    monkeypatch.setenv("PATH", f"{GENERATOR.parent}:{shutil.os.environ.get('PATH', '')}")
    result = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(path),
            "--meta",
            "none",
            "--output-path",
            str(tmp_path / PACKAGE),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout, result.stdout
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [name for name in sys.modules if name.startswith(PACKAGE)]:
        del sys.modules[name]
    return importlib.import_module(PACKAGE)


def test_a_generated_client_reads_the_site(generated, wsgi_transport):
    from local_services_client.api.monitoring import get_indicators
    from local_services_client.api.municipalities import get_municipality, list_municipalities

    client = generated.Client(base_url=SITE, httpx_args={"transport": wsgi_transport})
    listing = list_municipalities.sync(client=client, limit=100)
    slugs = {item.slug for item in listing.items}
    assert {"ak-korgon", "ton"} <= slugs and listing.meta.total_count == len(slugs)
    one = get_municipality.sync(client=client, slug="ak-korgon")
    assert one.slug == "ak-korgon"
    indicators = get_indicators.sync(client=client)
    assert indicators.summary.policies_in_force.value >= 0


def test_a_generated_client_files_a_record_with_a_token(generated, wsgi_transport):
    from local_services_client.api.submissions import submit_participation_record
    from local_services_client.models import Submission, SubmissionKind, SubmissionStatus
    from local_services_client.types import File

    organisation = factories.organisation("Генерацияланган клиент")
    organisation.municipalities.add(municipality("ak-korgon"))
    token = APIToken(name="generated", organisation=organisation)
    secret = token.issue()
    token.save()
    client = generated.AuthenticatedClient(
        base_url=SITE, token=secret, httpx_args={"transport": wsgi_transport}
    )
    held_on = timezone.localdate() - timedelta(days=1)
    sheet = File(payload=io.BytesIO(factories.pdf_file().read()), file_name="sheet.pdf")
    body = Submission(
        municipality="ak-korgon",
        kind=SubmissionKind.HEARING_BUDGET,
        held_on=held_on,
        women=11,
        men=7,
        status=SubmissionStatus.SUBMITTED,
        evidence=sheet,
    )
    created = submit_participation_record.sync(client=client, body=body)
    assert created.status == "submitted" and created.women == 11 and created.evidence
    record = ParticipationRecord.objects.get(pk=created.id)
    assert record.organisation == organisation and record.held_on == held_on
    assert record.evidence.file.read().startswith(b"%PDF")
