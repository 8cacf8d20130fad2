"""A participation record's week, in the browser: an NGO editor files it from the work plan
and submits it from its form; the programme manager checks the figures and the signed sheet
on the verify screen, sends it back with a comment; the editor sees the comment on the form
and the dashboard, fixes and resubmits; the manager verifies, and the work plan shows it done.
The editor, a new member of the NGO's editors' group, works in Kyrgyz: each of their screens
is read for English or Russian-only words.
"""

import re
from datetime import date, timedelta

from tests.browser.conftest import (
    MANAGER_PASSWORD,
    MANAGER_USERNAME,
    NGO_EDITOR_PASSWORD,
    NGO_EDITOR_USERNAME,
    signed_in_page,
)
from tests.browser.kyrgyz import kyrgyz_screen, place_names

COMMENT = "Эркектердин саны кол тамгалар барагына дал келбейт: 10 болушу керек"
SHEET = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"  # noqa: E501
EDIT = re.compile(r"/admin/snippets/municipalities/participationrecord/edit/(\d+)/")


def take_step(page, path_end):
    """Open the form's action menu and follow one life-cycle step."""
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    with page.expect_navigation():
        page.locator(f"footer a[href*='{path_end}']").first.click()


def confirm(page):
    with page.expect_navigation():
        page.locator("main form button[type='submit']").first.click()


def upload_evidence(page, tmp_path):
    sheet = tmp_path / "kol-tamgalar.pdf"
    sheet.write_bytes(SHEET)
    page.locator("div:has(> #id_evidence) button.chooser__choose-button").first.click()
    modal = page.locator(".modal-dialog").last
    modal.locator("a[role='tab'][href='#tab-upload']").click()
    modal.locator("#id_document-chooser-upload-title").fill("Кол тамгалар барагы")
    modal.locator("#id_document-chooser-upload-file").set_input_files(str(sheet))
    modal.locator("#tab-upload form button[type='submit']").first.click()
    modal.wait_for(state="detached")
    assert page.locator("#id_evidence").input_value()


def test_file_submit_send_back_fix_resubmit_verify(live_site, chromium, tmp_path):
    shots = tmp_path / "screenshots"
    shots.mkdir()
    found = {}
    content = {NGO_EDITOR_USERNAME, MANAGER_USERNAME, "ngo@example.kg", COMMENT}
    content |= {"Кол тамгалар барагы"}
    content |= {"Демо НКО", "Кыргызча", "Русский", "English", *place_names(live_site)}
    editor = signed_in_page(chromium, live_site, NGO_EDITOR_USERNAME, NGO_EDITOR_PASSWORD, "ru-RU")
    kyrgyz_screen(editor, "dashboard", shots, content, found)
    # a consultation not yet delivered: its kind is one, so the form is filled in entirely
    cell = editor.locator(
        ", ".join(
            f"[data-work-plan-panel] td[data-column='{column}'][data-state='{state}']"
            for column in ("consultation_plan", "consultation_budget")
            for state in ("missing", "overdue")
        )
    ).first
    column = cell.get_attribute("data-column")
    village = cell.locator("xpath=..").get_attribute("data-municipality")
    with editor.expect_navigation():
        cell.locator("a").click()  # "Add": the form comes filled in for this cell

    kyrgyz_screen(editor, "add-record", shots, content, found)
    held_on = date.today() - timedelta(days=2)
    editor.fill("#id_held_on", held_on.isoformat())
    editor.keyboard.press("Escape")  # close the date picker
    editor.fill("#id_women", "14")
    editor.fill("#id_men", "9")
    editor.fill("#id_not_recorded", "0")
    upload_evidence(editor, tmp_path)
    with editor.expect_navigation():
        editor.locator("footer button[type='submit']").first.click()
    if not EDIT.search(editor.url):  # Wagtail went to the listing: open the new record
        with editor.expect_navigation():
            editor.locator("table.listing a[href*='/edit/']").first.click()
    edit_url = editor.url
    assert EDIT.search(edit_url)

    kyrgyz_screen(editor, "record-saved", shots, content, found)
    take_step(editor, "/submit/")
    kyrgyz_screen(editor, "confirm-submit", shots, content, found)
    confirm(editor)
    assert editor.url == edit_url  # back on the form, not lost in the listing

    manager = signed_in_page(chromium, live_site, MANAGER_USERNAME, MANAGER_PASSWORD, "ky-KG")
    manager.goto(edit_url)
    take_step(manager, "/verify/")
    figures = manager.locator("[data-figures]").inner_text()
    assert "14" in figures and "9" in figures and "23" in figures
    evidence = manager.locator("[data-evidence-link]")
    assert evidence.inner_text() == "Кол тамгалар барагы"
    assert manager.request.get(live_site + evidence.get_attribute("href")).ok  # the sheet opens
    with manager.expect_navigation():
        manager.locator("main a.button-secondary").click()  # Cancel
    assert manager.url == edit_url

    take_step(manager, "/send-back/")
    manager.locator("textarea[name='comment']").fill(COMMENT)
    confirm(manager)
    assert manager.url == edit_url

    editor.goto(edit_url)
    assert COMMENT in editor.locator("[data-return-comment]").inner_text()
    kyrgyz_screen(editor, "sent-back", shots, content, found)
    editor.goto(live_site + "/admin/")
    assert COMMENT in editor.locator("[data-sent-back-panel]").inner_text()
    kyrgyz_screen(editor, "dashboard-sent-back", shots, content, found)
    record_path = EDIT.search(edit_url).group(0)
    with editor.expect_navigation():
        editor.locator(f"[data-sent-back-panel] a[href*='{record_path}']").click()
    editor.fill("#id_men", "10")
    with editor.expect_navigation():
        editor.locator("footer button[type='submit']").first.click()
    editor.goto(edit_url)
    take_step(editor, "/submit/")
    confirm(editor)

    manager.goto(edit_url)
    take_step(manager, "/verify/")
    assert "10" in manager.locator("[data-figures]").inner_text()
    confirm(manager)
    assert manager.url == edit_url

    editor.goto(live_site + "/admin/")
    assert not editor.locator("[data-sent-back-panel]").count()
    done = editor.locator(
        f"[data-work-plan-panel] tr[data-municipality='{village}'] td[data-column='{column}']"
    )
    assert done.get_attribute("data-state") == "done"
    assert done.get_attribute("data-date") == held_on.isoformat()
    assert not found, found  # the editor's screens were Kyrgyz throughout
