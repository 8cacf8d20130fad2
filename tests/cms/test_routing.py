"""Addresses reach the same page as Wagtail's level-by-level routing, in fewer queries
(cms/routing.py), and the lookups every page repeats are read once (cms/repeated_lookups.py)
without ever showing a private section or a stale locale."""

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page, PageViewRestriction, Site

from cms import repeated_lookups
from cms.models import StandardPage
from municipalities.models import HearingPage, MunicipalityPage
from tests.conftest import municipality

pytestmark = pytest.mark.django_db

HEARING = "/ky/jalal-abad/ak-korgon/budget-hearing-2027/"


def _level_by_level(page, request, components):
    """Wagtail's own routing: each page finds its child, then hands over to it."""
    page = page.specific
    if not components or _resolves_itself(page, components):
        return page.route(request, components)
    try:
        child = page.get_children().get(slug=components[0])
    except Page.DoesNotExist:
        raise Http404 from None
    return _level_by_level(child, request, components[1:])


def _resolves_itself(page, components):
    from wagtail.contrib.routable_page.models import RoutablePageMixin

    if not isinstance(page, RoutablePageMixin) or not page.live:
        return False
    try:
        page.resolve_subpage("/" + "/".join(components) + "/")
    except Http404:
        return False
    return True


def _route(path):
    request = RequestFactory().get(path)
    home = Site.objects.get(is_default_site=True).root_page.specific
    language, *components = [part for part in path.split("/") if part]
    home = home.get_translation(Locale.objects.get(language_code=language)).specific
    return home, request, components


def _outcome(route, home, request, components):
    try:
        page, args, kwargs = route(home, request, components)
    except Http404:
        return "404"
    view = args[0].__name__ if args else None
    return (page.pk, type(page).__name__, view, tuple(args[1:]), tuple(sorted(kwargs)))


def _addresses():
    pages = Page.objects.filter(depth__gt=2).live().specific()
    for page in pages:
        url = page.url
        yield url
        yield url + "print/"
        yield url + "calendar/"
        yield url + "no-such-page/"


def test_every_published_address_reaches_the_page_wagtail_would():
    addresses = list(_addresses())
    assert len(addresses) > 400
    for address in addresses:
        home, request, components = _route(address)
        mine = _outcome(lambda h, r, c: h.route(r, c), home, request, components)
        wagtails = _outcome(_level_by_level, home, request, components)
        assert mine == wagtails, address


def test_a_page_under_a_draft_parent_is_reached_and_a_draft_page_is_not(client):
    hearing = HearingPage.objects.get(
        url_path__endswith="/ak-korgon/budget-hearing-2027/", locale__language_code="ky"
    )
    assert client.get(HEARING).status_code == 200
    parent = hearing.get_parent()
    Page.objects.filter(pk=parent.pk).update(live=False)
    # Wagtail serves a live page under a draft one; the draft one itself is not served
    assert client.get(HEARING).status_code == 200
    assert client.get("/ky/jalal-abad/ak-korgon/").status_code == 404
    Page.objects.filter(pk=hearing.pk).update(live=False)
    assert client.get(HEARING).status_code == 404


def test_a_sub_address_of_a_routable_page_wins_over_a_child_with_the_same_slug():
    ak_korgon = municipality("ak-korgon")
    shadow = ak_korgon.add_child(instance=StandardPage(title="Calendar", slug="calendar"))
    home, request, components = _route("/ky/jalal-abad/ak-korgon/calendar/")
    page, args, _kwargs = home.route(request, components)
    assert page.pk == ak_korgon.pk and args[0].__name__ == "calendar"
    # a draft municipality has no sub-addresses of its own: its child is reached
    Page.objects.filter(pk=ak_korgon.pk).update(live=False)
    home, request, components = _route("/ky/jalal-abad/ak-korgon/calendar/")
    page, _args, _kwargs = home.route(request, components)
    assert page.pk == shadow.pk
    assert _outcome(lambda h, r, c: h.route(r, c), home, request, components) == _outcome(
        _level_by_level, home, request, components
    )
    # an unknown address under the same page is a 404, as with Wagtail
    home, request, components = _route("/ky/jalal-abad/ak-korgon/nothing-here/")
    with pytest.raises(Http404):
        home.route(request, components)


def test_routing_a_page_four_levels_down_costs_two_queries():
    home, request, components = _route(HEARING)
    home.route(request, components)  # the process reads the locales once
    home, request, components = _route(HEARING)
    with CaptureQueriesContext(connection) as queries:
        page, _args, _kwargs = home.route(request, components)
    assert isinstance(page, HearingPage)
    assert len(queries) == 2


def test_a_section_made_private_during_a_request_is_left_out_at_once(rf):
    ak_korgon = municipality("ak-korgon")
    middleware = repeated_lookups.RequestMemoMiddleware(lambda request: seen.append(_public()))
    seen = []

    def _public():
        before = set(MunicipalityPage.objects.live().public().values_list("pk", flat=True))
        PageViewRestriction.objects.create(
            page=ak_korgon, restriction_type=PageViewRestriction.LOGIN
        )
        after = set(MunicipalityPage.objects.live().public().values_list("pk", flat=True))
        return before, after

    middleware(rf.get("/"))
    before, after = seen[0]
    assert ak_korgon.pk in before and ak_korgon.pk not in after


def test_a_restriction_made_by_another_server_is_seen_by_the_next_request(client):
    ak_korgon = municipality("ak-korgon", "ru")
    listed = client.get("/ru/jalal-abad/").content.decode()
    assert ak_korgon.url in listed
    # written straight to the database: no signal reaches this process
    PageViewRestriction.objects.bulk_create(
        [PageViewRestriction(page=ak_korgon, restriction_type=PageViewRestriction.LOGIN)]
    )
    assert ak_korgon.url not in client.get("/ru/jalal-abad/").content.decode()


def test_the_view_restrictions_are_read_once_per_request(client):
    client.get("/ky/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/ky/jalal-abad/").status_code == 200
    reads = [q for q in queries if 'FROM "wagtailcore_pageviewrestriction" INNER JOIN' in q["sql"]]
    assert len(reads) == 1


def test_a_locale_is_read_once_per_process_and_a_new_one_is_found():
    Locale.objects.get_for_language("ky")
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert Locale.objects.get_for_language("ky").language_code == "ky"
    assert len(queries) == 0
    assert Locale.objects.get_for_language("ky").pk == Locale.objects.get(language_code="ky").pk
    # a locale saved or deleted in this process is read again
    Locale.objects.get(language_code="ky").save()
    with CaptureQueriesContext(connection) as queries:
        Locale.objects.get_for_language("ky")
    assert len(queries) == 1


def test_a_private_page_still_asks_for_a_login_or_password(client):
    hearing_parent = municipality("ak-korgon")
    assert client.get(HEARING).status_code == 200
    PageViewRestriction.objects.create(
        page=hearing_parent, restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get(HEARING)
    assert response.status_code == 302 and "/login/" in response["Location"]
    PageViewRestriction.objects.all().delete()
    PageViewRestriction.objects.create(
        page=hearing_parent, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    response = client.get(HEARING)
    assert response.status_code == 200 and 'name="password"' in response.content.decode()


def _site_name(rf):
    return Site.find_for_request(rf.get("/")).site_name


def test_the_site_is_looked_up_once_and_a_saved_change_is_seen_at_once(rf):
    Site.find_for_request(rf.get("/"))
    with CaptureQueriesContext(connection) as queries:
        site = Site.find_for_request(rf.get("/"))
    assert not [q for q in queries if "wagtailcore_site" in q["sql"]]
    site.site_name = "Renamed in this process"
    site.save()
    assert _site_name(rf) == "Renamed in this process"


def test_a_site_changed_by_another_server_is_seen_within_its_lifetime(rf, monkeypatch):
    original = _site_name(rf)
    # written straight to the database, as another server's process would: no signal here
    Site.objects.update(site_name="Renamed elsewhere")
    assert _site_name(rf) == original
    monkeypatch.setattr(repeated_lookups, "SITE_SECONDS", 0)
    repeated_lookups.forget_sites()
    _site_name(rf)
    assert _site_name(rf) == "Renamed elsewhere"


def test_each_request_gets_its_own_copy_of_the_home_page(client):
    from cms.models import HomePage

    assert client.get("/ky/").status_code == 200
    home = HomePage.objects.get(locale__language_code="ky")
    # another server publishes a new introduction: no signal reaches this process
    HomePage.objects.filter(pk=home.pk).update(intro="<p>Жаңы киришүү сөзү</p>")
    assert "Жаңы киришүү сөзү" in client.get("/ky/").content.decode()


def _menu_and_trail(client, address):
    """The main menu's entries and the breadcrumbs a visitor sees on a page."""
    from bs4 import BeautifulSoup

    html = BeautifulSoup(client.get(address).content, "html.parser")
    menu = [(a.get_text(strip=True), a["href"]) for a in html.select("nav.main-menu a")]
    trail = [(a.get_text(strip=True), a["href"]) for a in html.select("nav.breadcrumbs a")]
    return menu, trail


def _from_wagtail(address):
    """The same two lists, read the way Wagtail reads them (no routing memo)."""
    home, _request, components = _route(address)
    page = Page.objects.get(url_path=home.url_path + "/".join(components) + "/")
    menu = [(item.title, item.url) for item in home.get_children().live().public().in_menu()]
    trail = [(ancestor.title, ancestor.url) for ancestor in page.get_ancestors()[2:]]
    return menu, trail


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_the_menu_and_breadcrumbs_read_while_routing_are_wagtails(client, language):
    address = HEARING.replace("/ky/", f"/{language}/")
    hearings = Page.objects.get(
        depth=3, slug="hearings", locale__language_code=language
    )  # a menu section, then made private, then hidden from menus
    expected_menu, expected_trail = _from_wagtail(address)
    menu, trail = _menu_and_trail(client, address)
    assert menu[1:-1] == expected_menu and (hearings.title, hearings.url) in menu
    assert trail[1:] == expected_trail and len(trail) == 3  # home, oblast, municipality

    restriction = PageViewRestriction.objects.create(
        page=hearings, restriction_type=PageViewRestriction.LOGIN
    )
    menu, _trail = _menu_and_trail(client, address)
    assert (hearings.title, hearings.url) not in menu
    restriction.delete()
    Page.objects.filter(pk=hearings.pk).update(show_in_menus=False)
    menu, _trail = _menu_and_trail(client, address)
    assert (hearings.title, hearings.url) not in menu
    assert menu[1:-1] == _from_wagtail(address)[0]


def test_a_routed_page_reads_no_query_for_its_menu_or_breadcrumbs(client):
    client.get(HEARING)
    with CaptureQueriesContext(connection) as queries:
        client.get(HEARING)
    conditions = [query["sql"].partition(" WHERE ")[2] for query in queries.captured_queries]
    # the routing query is the only one that asks for menu pages; no query of ancestors
    assert sum('"show_in_menus"' in where for where in conditions) == 1
    assert not any('"wagtailcore_page"."path" IN (' in where for where in conditions)


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_an_oblast_page_links_its_live_public_municipalities_from_plain_rows(client, language):
    from municipalities.models import OblastPage

    oblast = OblastPage.objects.get(slug="jalal-abad", locale__language_code=language)
    municipalities = list(MunicipalityPage.objects.child_of(oblast).live())
    private, draft = municipalities[0], municipalities[1]
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    Page.objects.filter(pk=draft.pk).update(live=False)
    html = client.get(oblast.url).content.decode()
    listed = html[html.index('<ul class="municipality-list">') :]
    listed = listed[: listed.index("</ul>")]
    for shown in municipalities[2:]:
        assert f'<a href="{shown.url}">{shown.title}</a>' in listed
    assert private.title not in listed and draft.title not in listed
    description = html[html.index('<meta name="description"') :].split(">", 1)[0]
    assert municipalities[2].title in description and private.title not in description


def _switcher(client, address):
    """The language switcher's links and the head's alternates, as a visitor gets them."""
    from bs4 import BeautifulSoup

    html = BeautifulSoup(client.get(address).content, "html.parser")
    links = {
        a["hreflang"]: a["href"]
        for a in html.select("nav.language-switcher a")
        if "language-switcher__missing" not in a.get("class", [])
    }
    alternates = {
        link["hreflang"]: link["href"] for link in html.select('link[rel="alternate"][hreflang]')
    }
    return links, alternates


@pytest.mark.parametrize("language", ["ky", "ru"])
@pytest.mark.parametrize("address", ["/{lang}/", "/ky/jalal-abad/", "/ky/hearings/", HEARING])
def test_the_language_versions_read_while_routing_are_wagtails(client, language, address):
    """The switcher and the alternates name the live, public versions Wagtail's own query
    finds, with no query of their own; a version made private or unpublished drops out."""
    address = address.replace("/ky/", "/{lang}/").format(lang=language)
    home, _request, components = _route(address)
    page = Page.objects.get(url_path=home.url_path + "".join(f"{c}/" for c in components))
    private, *unpublished = page.get_translations().order_by("locale__language_code")

    def expected():
        versions = page.get_translations(inclusive=True).live().public()
        return {version.locale.language_code for version in versions}

    links, alternates = _switcher(client, address)
    assert set(links) | {language} == expected() >= {"ky", "ru"}
    assert set(alternates) == expected() | {"x-default"}
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    Page.objects.filter(pk__in=[version.pk for version in unpublished]).update(live=False)
    links, alternates = _switcher(client, address)
    assert set(links) | {language} == expected() == {language}
    assert set(alternates) <= {language, "x-default"}
    with CaptureQueriesContext(connection) as queries:
        client.get(address)
    pages = [q["sql"] for q in queries if 'FROM "wagtailcore_page" WHERE' in q["sql"]]
    # Wagtail's query of a page's translations (finding the visitor's home page, by its
    # locale, is another matter)
    translations = [sql for sql in pages if '"wagtailcore_page"."translation_key" = ' in sql]
    assert not [sql for sql in translations if '"wagtailcore_page"."locale_id" = ' not in sql]


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_home_page_of_another_language_is_read_fresh_in_one_query(client, language):
    from cms.models import HomePage

    home = HomePage.objects.get(locale__language_code=language)
    assert client.get(f"/{language}/").status_code == 200
    # another server publishes a new introduction: no signal reaches this process
    HomePage.objects.filter(pk=home.pk).update(intro="<p>Fresh introduction</p>")
    with CaptureQueriesContext(connection) as queries:
        html = client.get(f"/{language}/").content.decode()
    assert "Fresh introduction" in html
    homes = [q for q in queries if 'FROM "cms_homepage"' in q["sql"]]
    assert len(homes) == 1


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
@pytest.mark.parametrize("published", [True, False])
def test_the_home_page_found_is_the_one_wagtail_finds(rf, language, published):
    """Wagtail's `localized`: the visitor's language version if it is live, else the
    site's own home page."""
    from django.utils import translation

    from cms.models import HomePage

    if not published:
        HomePage.objects.filter(locale__language_code=language).exclude(
            pk=Site.objects.get(is_default_site=True).root_page_id
        ).update(live=False)
    for address in (f"/{language}/", f"/{language}/jalal-abad/", f"/{language}/nothing/"):
        with translation.override(language):
            mine = Page.route_for_request(rf.get(address), address[len(language) + 1 :])
            wagtails = repeated_lookups._wagtail_route_for_request(
                rf.get(address), address[len(language) + 1 :]
            )
        outcome = [
            (result[0].pk, type(result[0])) if result else None for result in (mine, wagtails)
        ]
        assert outcome[0] == outcome[1], address
        assert (outcome[0] is None) == address.endswith("/nothing/")


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_addresses_made_from_the_home_page_are_quoted_as_wagtails(client, language):
    """A page kept its Cyrillic slug (from before slugs were made Latin): the menu and the
    breadcrumbs link it at the address Wagtail's `get_url` gives, and the link works."""
    from bs4 import BeautifulSoup

    home = Page.objects.get(depth=2, locale__language_code=language)
    section = home.add_child(instance=StandardPage(title="Бюджет", slug="x", show_in_menus=True))
    child = section.add_child(instance=StandardPage(title="Кеңири", slug="y"))
    Page.objects.filter(pk=section.pk).update(
        slug="бюджет", url_path=section.url_path.replace("/x/", "/бюджет/")
    )
    Page.objects.filter(pk=child.pk).update(url_path=child.url_path.replace("/x/", "/бюджет/"))
    section.refresh_from_db()
    child.refresh_from_db()
    expected = section.get_url()
    assert "%D0%B1" in expected  # Wagtail's own address, percent-encoded
    response = client.get(child.get_url())
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    assert expected in [a["href"] for a in html.select("nav.main-menu a")]
    assert expected in [a["href"] for a in html.select("nav.breadcrumbs a")]
    assert client.get(expected).status_code == 200
