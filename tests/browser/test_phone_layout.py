"""Every public page type on a cheap phone: 320 and 360 px wide, 740 px tall, in Kyrgyz and
Russian. Nothing is wider than the screen, the title and key facts are on the first screen,
the menu opens without JavaScript, and axe finds nothing to fix."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.public_pages import HEARING, HOME, MUNICIPALITY, PAGE_TYPES

FIRST_SCREEN = 740

# what must be on the first screen besides the title, by page
KEY_FACTS = {
    HEARING: ".facts dd:nth-of-type(2)",  # when and where
    MUNICIPALITY: "#next-hearing-heading",
    HOME: "#next-hearings-heading",
}


@pytest.fixture(scope="module")
def phone(chromium):
    def open_page(width, javascript=True):
        context = chromium.new_context(
            viewport={"width": width, "height": FIRST_SCREEN},
            java_script_enabled=javascript,
            is_mobile=True,
            has_touch=True,
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        return context, page

    return open_page


def _overflowing(page):
    """Elements sticking out of the screen and not inside a scrolling region."""
    return page.evaluate(
        """() => {
        const width = document.documentElement.clientWidth, found = [];
        for (const element of document.querySelectorAll('body *')) {
            if (element.getBoundingClientRect().right <= width + 1) continue;
            let parent = element.parentElement, scrolls = false;
            while (parent) {
                if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(parent).overflowX)) {
                    scrolls = true; break;
                }
                parent = parent.parentElement;
            }
            if (!scrolls) found.push(element.tagName + '.' + element.className);
        }
        return found.slice(0, 5);
    }"""
    )


def _bottom(page, selector):
    return page.locator(selector).first.evaluate(
        "element => element.getBoundingClientRect().bottom + window.scrollY"
    )


@pytest.mark.parametrize("width", [320, 360])
@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_every_page_type_fits_a_phone_with_its_title_on_the_first_screen(
    live_site, phone, width, lang
):
    context, page = phone(width)
    problems = []
    try:
        for path in PAGE_TYPES:
            address = path.format(lang=lang)
            response = page.goto(live_site + address)
            assert response.status == 200, address
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                problems.append((address, "wider", scroll_width, _overflowing(page)))
            if _bottom(page, "h1") > FIRST_SCREEN:
                problems.append((address, "title below the first screen"))
            facts = KEY_FACTS.get(path)
            if facts and _bottom(page, facts) > FIRST_SCREEN:
                problems.append((address, "key facts below the first screen", facts))
            # chart labels are read on the phone itself: as tall as the page's text
            smallest = page.evaluate(
                """() => Math.min(Infinity, ...[...document.querySelectorAll(
                    '.chart text, .bar-list__label')].map(label =>
                    label.getBoundingClientRect().height ? parseFloat(
                        getComputedStyle(label).fontSize) * (label.ownerSVGElement ?
                        label.ownerSVGElement.getBoundingClientRect().width /
                        label.ownerSVGElement.viewBox.baseVal.width : 1) : Infinity))"""
            )
            if smallest < 12:
                problems.append((address, "chart labels too small to read", smallest))
    finally:
        context.close()
    assert not problems, problems


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_the_menu_opens_and_leads_on_without_javascript(live_site, phone, lang):
    context, page = phone(360, javascript=False)
    try:
        page.goto(live_site + f"/{lang}/")
        navigation = page.locator("nav.main-menu")
        assert not navigation.is_visible()  # closed: the page starts right under the header
        assert page.locator(".menu-toggle summary").inner_text() == "Меню"
        page.locator(".menu-toggle summary").click()
        assert navigation.is_visible()
        links = navigation.get_by_role("link")
        assert links.count() >= 5
        target = links.nth(2)
        href = target.get_attribute("href")
        target.click()
        assert page.url == live_site + href
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_every_page_type_on_a_phone_has_no_accessibility_violations(live_site, phone, lang):
    context, page = phone(360)
    reports = []
    try:
        for path in PAGE_TYPES:
            page.goto(live_site + path.format(lang=lang))
            results = Axe().run(page)
            if results.violations_count:
                reports.append(path.format(lang=lang) + "\n" + results.generate_report())
        page.goto(live_site + f"/{lang}/")
        page.locator(".menu-toggle summary").click()
        results = Axe().run(page)
        if results.violations_count:
            reports.append(results.generate_report())
    finally:
        context.close()
    assert not reports, "\n".join(reports)


def test_a_wide_table_keeps_its_first_column_in_place(live_site, phone):
    context, page = phone(320)
    try:
        page.goto(live_site + "/ru/jalal-abad/ak-korgon/budget-2026/")
        region = page.locator(".table-scroll").last
        assert region.get_attribute("role") == "region" and region.get_attribute("aria-label")
        first = region.locator("tbody tr:first-child > :first-child")
        before = first.bounding_box()["x"]
        assert region.evaluate("element => element.scrollWidth > element.clientWidth")
        region.evaluate("element => { element.scrollLeft = 200; }")
        assert abs(first.bounding_box()["x"] - before) < 1
        second = region.locator("tbody tr:first-child > :nth-child(2)")
        assert second.bounding_box()["x"] < before + 200  # the rest moved under it
    finally:
        context.close()
