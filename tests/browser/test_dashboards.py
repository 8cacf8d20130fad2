"""The indicators and coverage pages in a real browser: readable and accessible."""

import pytest
from axe_playwright_python.sync_playwright import Axe


@pytest.mark.parametrize(
    "path",
    [
        "/ky/indicators/",
        "/ru/indicators/",
        "/ky/coverage/",
        "/ru/coverage/",
        "/ru/indicators/records/?indicator=2",
    ],
)
def test_dashboards_have_no_accessibility_violations(live_site, browser_page, path):
    browser_page.goto(live_site + path)
    results = Axe().run(browser_page)
    assert results.violations_count == 0, results.generate_report()


def test_a_manager_follows_a_figure_to_the_records_behind_it(live_site, browser_page):
    page = browser_page
    page.goto(live_site + "/ru/indicators/")
    women = page.locator("#indicator-2").locator("..").locator(".split strong").first.inner_text()
    assert int(women) > 0
    page.locator("#indicator-2").locator("..").get_by_role("link").first.click()
    assert "/ru/indicators/records/" in page.url
    assert page.locator("table.figures tbody tr").count() >= 1
