"""The admin fills in a short Latin slug from a Kyrgyz title, as the server would make it."""

import json
import urllib.request

from playwright.sync_api import expect

from cms.slugs import latin_slug
from tests.browser.conftest import MANAGER_PASSWORD, MANAGER_USERNAME, sign_in

TITLE = "Өрүктү айыл өкмөтүнүн 2027-жылдын бюджети боюнча коомдук угуулар"


def test_the_slug_field_fills_in_the_latin_slug_of_a_kyrgyz_title(live_site, chromium):
    page = chromium.new_context(locale="ru-RU").new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_site, MANAGER_USERNAME, MANAGER_PASSWORD)
    with urllib.request.urlopen(live_site + "/api/v2/pages/?type=cms.HomePage&locale=ky") as answer:
        home_id = json.load(answer)["items"][0]["id"]

    page.goto(f"{live_site}/admin/pages/add/cms/standardpage/{home_id}/")
    page.fill("#id_title", TITLE)
    page.locator("#id_title").blur()
    expect(page.locator("#id_slug")).to_have_value("oruktu-aiyl-okmotunun-2027-jyldyn-byudjeti")
    page.fill("#id_title", "Ңамаз Үсөнов: «Жаңы Жол»")
    page.locator("#id_title").blur()
    expect(page.locator("#id_slug")).to_have_value(latin_slug("Ңамаз Үсөнов: «Жаңы Жол»"))
