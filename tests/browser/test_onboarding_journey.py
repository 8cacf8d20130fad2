"""Onboarding without the administrator, in the browser: a programme manager opens an account
for a new NGO colleague in the organisation's editors' group; the colleague chooses a password
from the e-mailed link, signs in and can edit exactly the organisation's municipalities; the
manager takes them out again, and cannot reach the screens that make superusers or managers."""

import json
import re
import urllib.request
from urllib.parse import urlsplit

from tests.browser.conftest import MANAGER_PASSWORD, MANAGER_USERNAME, signed_in_page

NEWCOMER = "aizada"
PASSWORD = "Жаңы-сырсөз-2026-Ысык-Көл"


def municipality_page_id(live_site, slug):
    url = f"{live_site}/api/v2/pages/?type=municipalities.MunicipalityPage&slug={slug}&locale=ky"
    with urllib.request.urlopen(url) as answer:
        return json.load(answer)["items"][0]["id"]


def can_edit(page, live_site, page_id):
    response = page.goto(f"{live_site}/admin/pages/{page_id}/edit/")
    return response.status == 200 and "/edit/" in page.url and page.locator("#id_title").count()


def test_a_manager_onboards_and_offboards_an_ngo_colleague(live_site, chromium):
    manager = signed_in_page(chromium, live_site, MANAGER_USERNAME, MANAGER_PASSWORD, "ky-KG")
    manager.goto(live_site + "/admin/sharing/")
    row = manager.locator("tr", has_text="Жарандык демилге").first
    with manager.expect_navigation():
        row.locator("a[href*='/members/']").click()
    members_url = manager.url

    mails_before = len(live_site.mails())
    manager.fill("#id_new-username", NEWCOMER)
    manager.fill("#id_new-first_name", "Айзада")
    manager.fill("#id_new-last_name", "Бейшеева")
    manager.fill("#id_new-email", "aizada@example.kg")
    with manager.expect_navigation():
        manager.locator("button[name='action'][value='create']").click()
    assert "Айзада Бейшеева" in manager.locator("table.listing").inner_text()
    # the manager never sees a password: the colleague gets a link by e-mail
    mails = live_site.mails()
    assert len(mails) == mails_before + 1
    link = re.search(r"https?://\S+/admin/password_reset/\S+", mails[-1]).group(0)

    colleague = chromium.new_context(locale="ru-RU").new_page()
    colleague.set_default_timeout(15_000)
    colleague.goto(live_site + urlsplit(link).path)
    colleague.fill("input[name='new_password1']", PASSWORD)
    colleague.fill("input[name='new_password2']", PASSWORD)
    with colleague.expect_navigation():
        colleague.locator("form button[type='submit']").click()
    colleague = signed_in_page(chromium, live_site, NEWCOMER, PASSWORD, "ru-RU")

    served, elsewhere = (
        municipality_page_id(live_site, "oruktu"),
        municipality_page_id(live_site, "barpy"),
    )
    assert can_edit(colleague, live_site, served)
    assert not can_edit(colleague, live_site, elsewhere)

    manager.goto(members_url)
    person = manager.locator("table.listing tr", has_text=NEWCOMER)
    with manager.expect_navigation():
        person.locator("button[name='action'][value='remove']").click()
    assert NEWCOMER not in manager.locator("main").inner_text().split("Add someone")[0]
    assert not can_edit(colleague, live_site, served)

    # the screens that make superusers and managers are not the manager's
    for path in ("/admin/users/new/", "/admin/groups/new/"):
        response = manager.goto(live_site + path)
        # Wagtail refuses by sending the user back to the dashboard
        assert response.status == 403 or manager.url == live_site + "/admin/", path
