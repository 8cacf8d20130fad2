"""An NGO editor publishes a campaign for review; citizens read campaigns in both languages."""

import json
import re
import urllib.request

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import NGO_EDITOR_PASSWORD, NGO_EDITOR_USERNAME, sign_in


def choose_municipality(page, index, name, url):
    """Pick a municipality in Wagtail's page chooser by searching for its name."""
    page.locator(
        f"#id_covered_municipalities-{index}-municipality-chooser button.chooser__choose-button"
    ).click()
    modal = page.locator(".modal-dialog").last
    modal.locator("input[name='q']").fill(name)
    modal.locator(f"a.choose-page[data-url='{url}']").click()
    modal.wait_for(state="detached")


def test_an_ngo_editor_creates_a_campaign_and_submits_it(live_site, browser_page):
    page = browser_page
    page.set_default_timeout(15_000)
    sign_in(page, live_site, NGO_EDITOR_USERNAME, NGO_EDITOR_PASSWORD)

    with urllib.request.urlopen(live_site + "/api/v2/pages/?slug=demo-ngo&locale=ky") as answer:
        section_id = json.load(answer)["items"][0]["id"]
    page.goto(f"{live_site}/admin/pages/add/campaigns/campaignpage/{section_id}/")
    page.fill("#id_title", "Аялдар угууларда")
    page.fill("#id_goal", "Аялдарды бюджет боюнча угууларга чакыруу")
    page.fill("#id_start_date", "2026-12-01")
    page.fill("#id_end_date", "2027-02-28")

    # Both are among the demo NGO's assigned municipalities.
    choose_municipality(page, 0, "Өрүктү", "/ky/jalal-abad/oruktu/")
    page.locator("#id_covered_municipalities-ADD").click()
    choose_municipality(page, 1, "Тепке", "/ky/issyk-kul/tepke/")

    page.locator("input[name='audiences'][value='women']").check()
    page.locator("input[name='channels'][value='printed']").check()
    page.locator("#id_material_links-ADD").click()
    page.locator("#id_material_links-0-material-chooser button.chooser__choose-button").click()
    modal = page.locator(".modal-dialog").last
    modal.locator("a[data-chooser-modal-choice]", has_text="плакат").first.click()
    modal.wait_for(state="detached")

    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.locator("button[name='action-submit']").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/"))
    assert page.locator(".messages .success").count() >= 1, page.content()[:3000]

    page.goto(live_site + "/ky/campaigns/demo-ngo/")
    assert "Аялдар угууларда" not in page.content()  # waiting for review, not public


@pytest.mark.parametrize(
    "path",
    [
        "/ky/campaigns/",
        "/ru/campaigns/",
        "/ky/campaigns/materials/",
        "/ru/campaigns/demo-ngo/budget-is-your-voice/",
        "/ky/campaigns/demo-ngo/budget-is-your-voice/",
    ],
)
def test_campaign_pages_have_no_accessibility_violations(live_site, browser_page, path):
    browser_page.goto(live_site + path)
    results = Axe().run(browser_page)
    assert results.violations_count == 0, results.generate_report()
