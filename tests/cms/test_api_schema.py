"""The OpenAPI document is valid and the API keeps to it, whatever a client sends."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis import checks

from cms.wsgi import application

pytestmark = pytest.mark.django_db


def test_the_document_is_valid_openapi_and_describes_every_endpoint(client):
    document = client.get("/api/v2/schema/").json()
    validate(document)
    assert {
        "/api/v2/pages",
        "/api/v2/municipalities",
        "/api/v2/participation",
        "/api/v2/indicators",
        "/api/v2/coverage",
    } <= set(document["paths"])
    participation = document["paths"]["/api/v2/participation"]["get"]
    names = {parameter["name"] for parameter in participation["parameters"]}
    assert {"municipality", "oblast", "kind", "topic", "start", "end", "limit", "offset"} <= names


# No server errors and no schema violations. Not "positive data acceptance": a request can
# match the document's types and still be refused with a 400 that explains why (a page id
# that does not exist as child_of, a date filter without a type).
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def wsgi_app(db):
    """The project's WSGI application, called in the test's own database transaction (as
    Django's test client does: the connection is not closed at the end of each request)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def test_token():
    """A token of an organisation serving two municipalities: the write endpoints are
    exercised past the token check (generated bodies are mostly refused with a 400)."""
    from municipalities.monitoring.models import APIToken
    from tests import factories
    from tests.conftest import municipality

    organisation = factories.organisation("Schemathesis NGO")
    organisation.municipalities.add(municipality("ak-korgon"), municipality("ton"))
    token = APIToken(name="schemathesis", organisation=organisation)
    secret = token.issue()
    token.save()
    return secret


@pytest.fixture
def unlimited_submissions(settings):
    settings.API_SUBMISSIONS_PER_MINUTE = 100_000


@pytest.mark.usefixtures("unlimited_submissions")
def test_no_server_errors_and_no_schema_violations(wsgi_app, test_token):
    """Schemathesis sends generated requests to every operation of the document, the write
    endpoints with a test token; every answer must be a documented status with a body
    that matches its schema."""
    api = schemathesis.openapi.from_wsgi("/api/v2/schema/", wsgi_app)
    failures = []
    for result in api.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=int(os.environ.get("SCHEMATHESIS_EXAMPLES", "20")),
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case):
            # the WSGI client does not decompress: ask for the answer as it is (HTTP clients
            # get it gzipped, tests/cms/test_page_cache.py checks that)
            headers = {"Accept-Encoding": "identity"}
            if case.method == "POST":
                headers["Authorization"] = f"Bearer {test_token}"
            case.call_and_validate(checks=CHECKS, headers=headers)

        try:
            check()
        except (AssertionError, BaseExceptionGroup) as error:  # all operations, then report
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)
