"""An aiyl okmotu's editor who reads Kyrgyz works in Kyrgyz: signs in, opens the page
explorer, adds a hearing notice with its start chosen in the date picker, saves and submits it
for approval. Each step's screenshot is kept, and the screen's own words are Kyrgyz (no
English, no Russian-only word), whatever the browser's language."""

import json
import re
import urllib.request
from datetime import date

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.conftest import MANAGER_USERNAME, NGO_EDITOR_PASSWORD, NGO_EDITOR_USERNAME
from tests.browser.kyrgyz import kyrgyz_screen, place_names

TITLE = "Бюджет боюнча коомдук угуулар: Өрүктү"


def submit(page, shots, content, found, step):
    """Submit for approval from the action menu. Wagtail 8 may first say that a newer version
    was saved "in another window" (its own autosave of the page just loaded): go on."""
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    try:
        with page.expect_navigation(timeout=5_000):
            page.locator("button[name='action-submit']").click()
        return  # the form was sent
    except PlaywrightTimeoutError:
        pass  # Wagtail asks first
    dialog = page.locator(".modal-dialog:visible, [role='dialog']:visible").first
    dialog.wait_for()
    kyrgyz_screen(page, f"{step}-dialog", shots, content, found)
    with page.expect_navigation():
        dialog.locator("button").filter(has_text="жөнөтүү").first.click()


def test_an_editor_adds_and_submits_a_hearing_notice_in_kyrgyz(live_site, chromium, tmp_path):
    shots = tmp_path / "screenshots"
    shots.mkdir()
    # a Kyrgyz browser gets the login page in Kyrgyz; after signing in, the editor's own admin
    # language (Kyrgyz, given to a new member of an editors' group) decides
    page = chromium.new_context(
        locale="ky-KG", extra_http_headers={"Accept-Language": "ky"}
    ).new_page()
    page.set_default_timeout(15_000)
    content = {NGO_EDITOR_USERNAME, MANAGER_USERNAME, "ngo@example.kg", TITLE}
    content |= place_names(live_site)
    content |= {"Root", "Local services", "Кыргызча", "Русский", "English"}  # names
    found = {}

    page.goto(live_site + "/admin/login/")
    page.fill("#id_username", NGO_EDITOR_USERNAME)
    page.fill("#id_password", NGO_EDITOR_PASSWORD)
    kyrgyz_screen(page, "login", shots, content, found)
    page.locator("form button[type='submit']").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    kyrgyz_screen(page, "dashboard", shots, content, found)

    # the explorer of one of the NGO's municipalities, then "add a child page"
    url = f"{live_site}/api/v2/pages/?type=municipalities.MunicipalityPage&slug=oruktu&locale=ky"
    with urllib.request.urlopen(url) as answer:
        parent_id = json.load(answer)["items"][0]["id"]
    page.goto(f"{live_site}/admin/pages/{parent_id}/")
    kyrgyz_screen(page, "explorer", shots, content, found)
    page.goto(f"{live_site}/admin/pages/add/municipalities/hearingpage/{parent_id}/")
    kyrgyz_screen(page, "add-hearing", shots, content, found)

    page.fill("#id_title", TITLE)
    page.select_option("#id_topic", index=1)  # the budget: its year is asked for
    page.fill("#id_fiscal_year", str(date.today().year + 1))
    # the start, chosen in the date picker: two months ahead, the 15th
    page.locator("#id_starts_at").click()
    picker = page.locator(".xdsoft_datetimepicker:visible")
    picker.locator(".xdsoft_next").first.click()
    picker.locator(".xdsoft_next").first.click()
    kyrgyz_screen(page, "date-picker", shots, content, found)
    month_names = picker.locator(".xdsoft_month span").inner_text()
    assert month_names and not re.search(r"[A-Za-z]", month_names)
    picker.locator("td.xdsoft_date:not(.xdsoft_other_month)[data-date='15']").click()
    chosen = page.locator("#id_starts_at").input_value()
    today = date.today()
    month = (today.month + 1) % 12 + 1
    year = today.year + (1 if month < today.month else 0)
    # the day is chosen in the picker; the time list scrolls with the clock, so it is left as
    # the picker puts it
    assert chosen.startswith(f"{year}-{month:02d}-15 "), chosen
    page.keyboard.press("Escape")

    page.fill("#id_venue", "Айыл өкмөтүнүн чоң залы")
    page.fill("#id_address", "Өрүктү айылы, Ленин көчөсү, 1")
    agenda = page.locator("[data-contentpath='agenda'] .public-DraftEditor-content")
    agenda.click()
    agenda.press_sequentially("Келерки жылдын бюджетинин долбоору")
    # Draftail writes its field a moment after the typing stops
    page.wait_for_function(
        "() => document.querySelector(\"input[name='agenda']\").value.includes('Келерки')"
    )
    page.locator("footer button[type='submit']").first.click()  # save the draft
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))
    kyrgyz_screen(page, "saved-draft", shots, content, found)
    assert page.locator("#id_title").input_value() == TITLE

    submit(page, shots, content, found, "submit")
    # no draft budget is attached yet: the warning comes before the submission, in Kyrgyz
    kyrgyz_screen(page, "warning", shots, content, found)
    warning = page.locator(".messages").inner_text()
    assert warning.strip() and not re.search(r"[A-Za-z]{3,}", warning)
    page.locator("#id_publish_despite_warnings").check()
    page.fill("#id_warnings_reason", "Бюджеттин долбоору угууларга чейин кошулат")
    submit(page, shots, content, found, "resubmit")
    kyrgyz_screen(page, "submitted", shots, content, found)
    messages = page.locator(".messages").inner_text()
    assert TITLE in messages
    assert not re.search(r"[A-Za-z]{3,}", messages.replace(TITLE, ""))

    assert len(list(shots.iterdir())) >= 8
    assert not found, found
