"""An editor's change waits for a programme manager, is sent back, fixed and approved."""

import json
import urllib.request

from tests.browser.conftest import (
    MANAGER_PASSWORD,
    MANAGER_USERNAME,
    NGO_EDITOR_PASSWORD,
    NGO_EDITOR_USERNAME,
    sign_in,
)

COMMENT = "Башчынын толук атын жазыңыз"


def page_id(live_site):
    with urllib.request.urlopen(live_site + "/api/v2/pages/?slug=oruktu&locale=ky") as answer:
        return json.load(answer)["items"][0]["id"]


def open_actions(page):
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()


def test_submit_reject_fix_resubmit_approve(live_site, chromium):
    editor = chromium.new_context(locale="ru-RU").new_page()
    editor.set_default_timeout(15_000)
    sign_in(editor, live_site, NGO_EDITOR_USERNAME, NGO_EDITOR_PASSWORD)
    edit_url = f"{live_site}/admin/pages/{page_id(live_site)}/edit/"

    editor.goto(edit_url)
    editor.fill("#id_head_of_administration", "Асанов")
    open_actions(editor)
    with editor.expect_navigation():
        editor.locator("button[name='action-submit']").click()
    editor.goto(live_site + "/ky/jalal-abad/oruktu/")
    assert "Асанов" not in editor.content()  # waiting for the manager

    manager = chromium.new_context(locale="ru-RU").new_page()
    manager.set_default_timeout(15_000)
    sign_in(manager, live_site, MANAGER_USERNAME, MANAGER_PASSWORD)
    manager.goto(edit_url)
    open_actions(manager)
    manager.locator("button[data-workflow-action-name='reject']").click()
    modal = manager.locator(".modal-dialog").last
    modal.locator("textarea[name='comment']").fill(COMMENT)
    with manager.expect_navigation():
        modal.locator("button[type='submit']").first.click()

    editor.goto(edit_url)
    assert COMMENT in editor.content()  # the editor sees why it was sent back
    editor.fill("#id_head_of_administration", "Асанов Үсөн")
    open_actions(editor)
    editor.locator(
        "button[name='action-submit'], button[name='action-restart-workflow']"
    ).first.click()
    editor.wait_for_load_state()

    manager.goto(edit_url)
    open_actions(manager)
    manager.locator(
        "button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])"
    ).first.click()
    manager.wait_for_load_state()

    manager.goto(live_site + "/ky/jalal-abad/oruktu/")
    assert "Асанов Үсөн" in manager.content()
