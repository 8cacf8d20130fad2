"""A visitor's first journey, in a real browser, and the accessibility of what they see."""

import pytest
from axe_playwright_python.sync_playwright import Axe


def test_visitor_switches_from_kyrgyz_to_russian_and_opens_a_municipality(live_site, browser_page):
    page = browser_page
    page.goto(live_site + "/")
    assert page.url == live_site + "/ky/"
    assert page.locator("html").get_attribute("lang") == "ky"

    page.locator(".language-switcher").get_by_role("link", name="Русский").click()
    assert page.url == live_site + "/ru/"
    assert page.locator("html").get_attribute("lang") == "ru"

    page.get_by_role("link", name="Кок-Мойнок").click()
    assert page.url == live_site + "/ru/issyk-kul/kok-moinok/"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Кок-Мойнок")
    assert page.locator("html").get_attribute("lang") == "ru"


def test_skip_link_moves_keyboard_users_to_the_content(live_site, browser_page):
    page = browser_page
    page.goto(live_site + "/ky/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize(
    "path",
    [
        "/ky/",
        "/ru/",
        "/ky/jalal-abad/oruktu/",
        "/ru/jalal-abad/oruktu/",
        "/en/issyk-kul/",
        "/ky/open-data/",
        "/ru/open-data/",
        "/ky/open-data/api/",
        "/ru/open-data/api/",
    ],
)
def test_pages_have_no_accessibility_violations(live_site, browser_page, path):
    browser_page.goto(live_site + path)
    results = Axe().run(browser_page)
    assert results.violations_count == 0, results.generate_report()
