"""A citizen finds the next hearing, saves it to the phone calendar and prints the notice."""

import re

import icalendar
import pytest
from axe_playwright_python.sync_playwright import Axe


def test_citizen_finds_the_upcoming_hearing_saves_it_and_prints_the_notice(live_site, browser_page):
    page = browser_page
    page.goto(live_site + "/ru/")
    page.get_by_role("link", name="Ак-Коргон").click()
    assert page.url == live_site + "/ru/jalal-abad/ak-korgon/"

    upcoming = page.locator("#hearings-heading").locator("..").locator(".hearing-card").first
    title = upcoming.get_by_role("heading").inner_text()
    upcoming.get_by_role("link").click()
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert page.locator("html").get_attribute("lang") == "ru"

    with page.expect_download() as download_info:
        page.locator("a[href$='/calendar/']").click()
    calendar = icalendar.Calendar.from_ical(open(download_info.value.path(), "rb").read())
    event = calendar.walk("VEVENT")[0]
    assert title in str(event["summary"])
    assert str(event.decoded("dtstart").tzinfo) == "Asia/Bishkek"

    page.locator("a[href$='/print/']").click()
    assert page.locator(".notice__column").count() == 2  # Kyrgyz and Russian side by side
    assert page.locator(".notice__qr svg").count() == 1
    pdf = page.pdf(format="A4", print_background=True)
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)
    assert len(pages) == 1, f"the notice printed on {len(pages)} A4 pages"


@pytest.mark.parametrize(
    "path",
    [
        "/ky/hearings/",
        "/ru/hearings/",
        "/ky/jalal-abad/ak-korgon/",
        "/ru/jalal-abad/ak-korgon/",
        "/ru/jalal-abad/ak-korgon/development-plan/",
    ],
)
def test_hearing_and_budget_pages_have_no_accessibility_violations(live_site, browser_page, path):
    browser_page.goto(live_site + path)
    results = Axe().run(browser_page)
    assert results.violations_count == 0, results.generate_report()


def test_demo_hearing_budget_and_print_pages_are_accessible(live_site, browser_page):
    browser_page.goto(live_site + "/ru/jalal-abad/ak-korgon/")
    links = browser_page.locator("main a[href*='/ak-korgon/']")
    targets = {
        href
        for href in links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
        if re.search(r"/(budget-hearing-\d+|budget-\d+)/$", href)
    }
    assert targets, "the demo municipality should link its hearing and budget"
    for href in sorted(targets) + [sorted(targets)[0] + "print/"]:
        browser_page.goto(live_site + href)
        results = Axe().run(browser_page)
        assert results.violations_count == 0, f"{href}\n" + results.generate_report()
