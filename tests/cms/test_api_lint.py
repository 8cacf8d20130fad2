"""The OpenAPI document as API tooling judges it: Spectral's `spectral:oas` rules and
Redocly's recommended rules, run from their npm packages (package.json, installed by `make
test`), find no error and no warning but one (the document's own operation has no 4XX
answer, having no parameter to get wrong) in either language of the document; and each
operation can be told apart and understood by a client generator."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.utils import translation

from cms.api import openapi

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parents[2]
BIN = PROJECT / "node_modules" / ".bin"
RULESET = Path(__file__).with_name("spectral.yaml")
ACCEPTED = {("operation-4xx-response", "/api/v2/schema")}


def linter(name):
    path = BIN / name
    if not path.exists():
        # make test installs them (npm ci); CI must never quietly skip this check
        pytest.fail(f"{path} is missing: run `make install-test` (npm ci).")
    assert shutil.which("node"), "Node.js is needed for the API linters"
    return str(path)


def localized(language):
    """The document as the open-data page shows it to people, in their language."""
    with translation.override(language):
        return openapi.document(RequestFactory().get("/ky/open-data/api/"))


@pytest.fixture(params=["en", "ky", "ru"])
def document(request, client, tmp_path):
    if request.param == "en":  # what /api/v2/schema/ serves to programs
        answer = client.get("/api/v2/schema/")
        assert answer.status_code == 200
        body = answer.json()
    else:
        body = localized(request.param)
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(body, ensure_ascii=False))
    return path


def spectral(path):
    result = subprocess.run(
        [linter("spectral"), "lint", "--ruleset", str(RULESET), "--format", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    start = result.stdout.find("[")
    assert start >= 0, result.stdout + result.stderr
    problems, _end = json.JSONDecoder().raw_decode(result.stdout[start:])  # then a summary
    return problems


def redocly(path):
    result = subprocess.run(
        [linter("redocly"), "lint", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=path.parent,  # no configuration file: the recommended rules
    )
    start = result.stdout.find("{")
    assert start >= 0, result.stdout + result.stderr
    return json.loads(result.stdout[start:])["problems"]


def test_spectral_finds_nothing(document):
    problems = spectral(document)
    assert problems == [], [(p["code"], p["path"], p["message"]) for p in problems]


def test_redocly_finds_no_error(document):
    problems = redocly(document)
    errors = [p for p in problems if p["severity"] == "error"]
    assert errors == [], [(p["ruleId"], p["message"]) for p in errors]
    warnings = {
        (p["ruleId"], p["location"][0]["pointer"].split("/")[2].replace("~1", "/"))
        for p in problems
    }
    assert warnings <= ACCEPTED


def test_the_linters_do_find_what_is_wrong(client, tmp_path):
    """The checks can fail: an operation without its security or id is reported."""
    broken = client.get("/api/v2/schema/").json()
    operation = broken["paths"]["/api/v2/pages"]["get"]
    del operation["security"], operation["operationId"], operation["tags"]
    broken["paths"]["/api/v2/pages/"] = broken["paths"].pop("/api/v2/pages")
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    rules = {p["ruleId"] for p in redocly(path) if p["severity"] == "error"}
    assert {"security-defined", "no-path-trailing-slash"} <= rules
    codes = {p["code"] for p in spectral(path)}
    assert {"operation-operationId", "operation-tags"} <= codes


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_operation_is_named_grouped_described_and_public(client, language):
    document = client.get("/api/v2/schema/").json() if language == "en" else localized(language)
    assert document["info"]["contact"]["url"].startswith("http")
    tags = {tag["name"] for tag in document["tags"]}
    ids = []
    schemes = document["components"]["securitySchemes"]
    for path, item in document["paths"].items():
        assert not path.endswith("/"), path
        ((method, operation),) = item.items()
        ids.append(operation["operationId"])
        assert operation["tags"][0] in tags, path
        assert operation["summary"] and operation["description"], path
        if method == "get":  # public
            assert operation["security"] == [], path
        else:  # the submissions: a token
            assert operation["security"] == [{"token": []}], path
            assert schemes["token"] == {**schemes["token"], "type": "http", "scheme": "bearer"}
            assert {"201", "400", "401", "429"} <= set(operation["responses"])
        ok = operation["responses"]["200"]["content"]["application/json"]
        assert "example" in ok, path
        for status in ("400", "404"):
            if status in operation["responses"]:
                error = operation["responses"][status]["content"]["application/json"]
                expected = "Error" if method == "get" else "SubmissionError"
                assert error["schema"] == {"$ref": f"#/components/schemas/{expected}"}, path
    assert len(ids) == len(set(ids)) == len(document["paths"])
    # the descriptions speak the document's language
    pages = document["paths"]["/api/v2/pages"]["get"]["description"]
    assert any("а" <= letter <= "я" for letter in pages.lower()) == (language != "en")


@pytest.mark.parametrize("path", ["/api/v2/municipalities", "/api/v2/pages", "/api/v2/indicators"])
def test_the_documented_paths_answer_without_the_final_slash(client, path):
    without, with_slash = client.get(path), client.get(path + "/")
    assert without.status_code == with_slash.status_code == 200
    assert without.json() == with_slash.json()
