"""A hearing notice goes live in Kyrgyz and Russian together, or in one language by a
programme manager's recorded decision.

The Russian version is translated in wagtail-localize's own translation editor (the React
app that /admin/pages/<Russian id>/edit/ shows for a synced translation): every text
segment on the "Content" and "Promote" tabs is opened with "Translate", filled in and saved,
as a translator would; "Convert to manual editing" is not used.
"""

import json
import re
import urllib.error
import urllib.request
from datetime import date, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import (
    MANAGER_PASSWORD,
    MANAGER_USERNAME,
    NGO_EDITOR_PASSWORD,
    NGO_EDITOR_USERNAME,
    sign_in,
)
from tests.browser.test_approval_journey import open_actions

MUNICIPALITY = "/jalal-abad/ak-korgon/"  # the demo NGO serves Ak-Korgon

TITLE_KY = "Ичүүчү суунун тарифи боюнча угуу"
TITLE_RU = "Слушания по тарифу на питьевую воду"
VENUE_KY = "Айыл өкмөтүнүн чоң залы"
VENUE_RU = "Большой зал айыл окмоту"
AGENDA_KY = "Ичүүчү суунун жаңы тарифин талкуулоо"
AGENDA_RU = "Обсуждение нового тарифа на питьевую воду"
SLUG = "ichuuchu-suu-tarifi"

ALONE_TITLE = "Көчө жарыгы боюнча угуу"
ALONE_SLUG = "kocho-jaryk"
REASON = "Орусча котормо кийин кошулат, угуу жакында"


def status(url):
    """The status code an anonymous visitor gets."""
    try:
        with urllib.request.urlopen(url) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def municipality_id(live_site):
    with urllib.request.urlopen(live_site + "/api/v2/pages/?slug=ak-korgon&locale=ky") as answer:
        return json.load(answer)["items"][0]["id"]


@pytest.fixture
def person(chromium):
    """Opens a tab in a browser context of its own (a separate person), closed afterwards."""
    contexts = []

    def open_tab(**options):
        context = chromium.new_context(locale="ru-RU", **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_tab
    for context in contexts:
        context.close()


def admin(person, live_site, username, password):
    """A Russian-speaking person logged in to the admin."""
    page = person()
    return sign_in(page, live_site, username, password)


def add_kyrgyz_hearing(page, live_site, title, slug, venue, agenda):
    """The editor fills the required fields of the add form and saves a draft; returns the
    new page's id."""
    page.goto(
        f"{live_site}/admin/pages/add/municipalities/hearingpage/{municipality_id(live_site)}/"
    )
    page.fill("#id_title", title)
    page.select_option("#id_topic", "tariffs")
    page.fill("#id_starts_at", f"{date.today() + timedelta(days=30):%Y-%m-%d} 10:00")
    page.keyboard.press("Escape")  # close the date picker
    page.fill("#id_venue", venue)
    page.locator("[data-contentpath='agenda'] [role='textbox']").click()
    page.keyboard.type(agenda)
    # Draftail writes its hidden input a moment after typing
    expect(page.locator("#id_agenda")).to_have_value(re.compile(agenda.split()[-1]))
    page.get_by_role("tab", name="Илгерилетүү").click()  # Promote, in Kyrgyz
    page.fill("#id_slug", slug)
    with page.expect_navigation(url=re.compile(r"/admin/pages/\d+/edit/")):
        page.locator("footer button[type='submit']").first.click()  # "Save draft"
    return int(re.search(r"/admin/pages/(\d+)/edit/", page.url).group(1))


def submit_for_moderation(page, live_site, page_id):
    page.goto(f"{live_site}/admin/pages/{page_id}/edit/")
    open_actions(page)
    expect(page.locator("button[name='action-publish']")).to_have_count(0)  # editors can't
    with page.expect_navigation():
        page.locator("button[name='action-submit']").click()
    # the NGO's editor, a new member of its editors' group, works in Kyrgyz
    expect(page.locator(".messages")).to_contain_text("бекитүүгө жөнөтүлдү")


def test_one_approval_puts_the_kyrgyz_notice_and_its_russian_translation_live(live_site, person):
    editor = admin(person, live_site, NGO_EDITOR_USERNAME, NGO_EDITOR_PASSWORD)
    ky_id = add_kyrgyz_hearing(editor, live_site, TITLE_KY, SLUG, VENUE_KY, AGENDA_KY)

    editor.locator("#w-slim-header-buttons [data-w-dropdown-target='toggle']").click()
    editor.get_by_role("link", name="Бул баракты которуу").click()
    editor.get_by_label("Русский").check()
    with editor.expect_navigation(url=re.compile(r"/admin/pages/\d+/edit/")):
        editor.locator("main form [type='submit']").click()
    ru_id = int(re.search(r"/admin/pages/(\d+)/edit/", editor.url).group(1))
    assert ru_id != ky_id

    russian = {TITLE_KY: TITLE_RU, VENUE_KY: VENUE_RU, AGENDA_KY: AGENDA_RU, SLUG: SLUG}
    translated = []
    # wagtail-localize's translation editor, in Kyrgyz
    for tab in ("Мазмун", "Илгерилетүү"):
        editor.get_by_role("tab", name=tab).click()
        while editor.locator("li.incomplete:visible").count():
            segment = editor.locator("li.incomplete:visible").first
            source = segment.locator("p").first.inner_text().strip()
            segment.get_by_role("button", name="Которуу").click()
            segment.locator("textarea").fill(russian[source])
            segment.get_by_role("button", name="Сактоо").click()
            expect(editor.locator("li.incomplete:visible", has_text=source)).to_have_count(0)
            translated.append(source)
    assert sorted(translated) == sorted(russian)

    submit_for_moderation(editor, live_site, ky_id)
    ky_url = f"{live_site}/ky{MUNICIPALITY}{SLUG}/"
    ru_url = f"{live_site}/ru{MUNICIPALITY}{SLUG}/"
    assert status(ky_url) == 404  # waits for the manager

    manager = admin(person, live_site, MANAGER_USERNAME, MANAGER_PASSWORD)
    manager.goto(f"{live_site}/admin/pages/{ky_id}/edit/")
    open_actions(manager)
    with manager.expect_navigation():
        manager.locator(
            "button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])"
        ).click()

    assert status(ky_url) == 200
    assert status(ru_url) == 200
    visitor = person()
    visitor.goto(ru_url)
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE_RU)
    expect(visitor.locator("main")).to_contain_text(VENUE_RU)
    expect(visitor.locator("main")).to_contain_text(AGENDA_RU)
    visitor.goto(ky_url)
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE_KY)

    # a citizen on a phone reads the Russian notice without barriers or sideways scrolling
    phone = person(viewport={"width": 360, "height": 740}, is_mobile=True)
    phone.goto(ru_url)
    results = Axe().run(phone)
    assert results.violations_count == 0, results.generate_report()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_kyrgyz_only_notice_waits_until_a_manager_decides_to_publish_it_alone(live_site, person):
    editor = admin(person, live_site, NGO_EDITOR_USERNAME, NGO_EDITOR_PASSWORD)
    ky_id = add_kyrgyz_hearing(
        editor, live_site, ALONE_TITLE, ALONE_SLUG, "Мектептин залы", "Көчө жарыгын талкуулоо"
    )
    submit_for_moderation(editor, live_site, ky_id)
    ky_url = f"{live_site}/ky{MUNICIPALITY}{ALONE_SLUG}/"

    manager = admin(person, live_site, MANAGER_USERNAME, MANAGER_PASSWORD)
    edit_url = f"{live_site}/admin/pages/{ky_id}/edit/"
    manager.goto(edit_url)
    open_actions(manager)
    with manager.expect_navigation():
        manager.locator(
            "button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])"
        ).click()
    expect(manager.locator(".messages")).to_contain_text("ещё нет")  # the refusal, in Russian
    assert status(ky_url) == 404

    manager.goto(edit_url)
    open_actions(manager)
    manager.locator(
        "button[data-workflow-action-name='approve'][data-workflow-action-modal-url]"
    ).click()
    modal = manager.locator(".modal-dialog").last
    modal.locator("input[name='publish_without_other_language']").check()
    modal.locator("[name='one_language_reason']").fill(REASON)
    with manager.expect_navigation():
        modal.locator("button[type='submit']").first.click()

    assert status(ky_url) == 200
    manager.goto(f"{live_site}/admin/pages/{ky_id}/history/")
    expect(manager.locator("main")).to_contain_text(REASON)


@pytest.mark.parametrize(
    "path",
    [
        "/ky/search/?q=угуу",
        "/ru/search/?q=слушаниях",
        "/ky/jalal-abad/ak-korgon/",
        "/ru/jalal-abad/ak-korgon/",
    ],
)
def test_search_and_municipality_pages_read_well_on_a_phone(live_site, person, path):
    """Search results with their place and date, and the municipality page with its
    resolutions and campaign events in the reader's language, at 360 px."""
    phone = person(viewport={"width": 360, "height": 740}, is_mobile=True)
    phone.goto(live_site + path)
    results = Axe().run(phone)
    assert results.violations_count == 0, results.generate_report()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    if "search" in path:
        assert phone.locator(".search-results li").count() > 0
