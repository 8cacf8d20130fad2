"""A real server and Debian's Chromium for the browser tests.

The server is `manage.py runserver` on a database of its own (a fresh SQLite file,
or a fresh PostgreSQL database when DATABASE_URL points at PostgreSQL), migrated
and seeded with the same commands `make run` uses. Without Chromium the tests skip
on a developer's machine and fail in CI (CI=true), where they must run.
"""

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.stack import ThrowawayDatabase, spare_port

PROJECT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# People of the demo: an editor of the demo NGO (its municipalities and campaign section,
# add and edit but not publish) and a programme manager, as `grant_access` sets them up.
NGO_EDITOR_USERNAME = "ngo-editor"
NGO_EDITOR_PASSWORD = "ngo-editor-password-2026"
MANAGER_USERNAME = "programme-manager"
MANAGER_PASSWORD = "programme-manager-password-2026"
DEMO_PEOPLE = f"""
from django.contrib.auth.models import Group, User
from municipalities.monitoring import access
from municipalities.monitoring.models import Organisation
editors = access.grant_organisation(Organisation.objects.get(short_name="Демо НКО"))
editor = User.objects.create_user(
    "{NGO_EDITOR_USERNAME}", "ngo@example.kg", "{NGO_EDITOR_PASSWORD}"
)
editor.groups.add(editors)
manager = User.objects.create_user("{MANAGER_USERNAME}", "pm@example.kg", "{MANAGER_PASSWORD}")
manager.groups.add(Group.objects.get(name=access.PROGRAMME_MANAGERS))
"""


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


class LiveSite(str):
    """The base URL, and the folder where the server writes the e-mails it sends."""

    mail_dir: Path

    def mails(self):
        return [path.read_text() for path in sorted(self.mail_dir.glob("*.log"))]


@pytest.fixture(scope="session")
def live_site(tmp_path_factory):
    """Base URL of a seeded site served by a real server process."""
    tmp_path = tmp_path_factory.mktemp("site")
    database = ThrowawayDatabase(tmp_path, prefix="cms_browser")
    database.create()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.base",
        "DEBUG": "1",
        "DATABASE_URL": database.url,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
    }
    manage = [sys.executable, str(PROJECT / "manage.py")]
    for command in (
        ["migrate", "--no-input"],
        ["load_pilot_municipalities"],
        ["load_demo_content"],
        ["grant_access"],
        ["shell", "-c", DEMO_PEOPLE],
    ):
        subprocess.run(manage + command, cwd=PROJECT, env=env, check=True, capture_output=True)
    port = spare_port()
    log = open(tmp_path / "server.log", "w")
    server = subprocess.Popen(
        manage + ["runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=PROJECT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = LiveSite(f"http://127.0.0.1:{port}")
    base_url.mail_dir = tmp_path / "mail"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base_url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "The test server did not start:\n" + (tmp_path / "server.log").read_text()
                    ) from None
                time.sleep(0.3)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
        database.drop()


@pytest.fixture(scope="module")
def chromium():
    """Chromium for one test file. Playwright's event loop stays set in the thread while it
    runs, which Django's database layer takes for an async context: closed at the end of the
    file, so that a worker of the parallel suite can run database tests next."""
    if not os.path.exists(CHROMIUM):
        message = (
            f"Chromium not found at {CHROMIUM}: run 'make browser-deps' (apt-get install chromium)"
        )
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium):
    """A fresh tab for a Kyrgyz-speaking visitor."""
    context = chromium.new_context(locale="ky-KG", extra_http_headers={"Accept-Language": "ky"})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def sign_in(page, live_site, username, password):
    """Sign in through the admin's login form and wait for the dashboard."""
    page.goto(live_site + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("form button[type='submit']").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    return page


def signed_in_page(chromium, live_site, username, password, locale):
    """A new browser (its own cookies), in the language `locale`, signed in to the admin."""
    page = chromium.new_context(locale=locale).new_page()
    page.set_default_timeout(15_000)
    return sign_in(page, live_site, username, password)
