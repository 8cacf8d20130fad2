"""What search engines and messengers read: descriptions, canonical addresses, language
alternates, Open Graph, a hearing's schema.org Event, sitemap.xml and robots.txt."""

import json
import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone, translation
from lxml import etree
from wagtail.models import Page, PageViewRestriction, Site

from campaigns.models import CampaignIndexPage, CampaignPage, OrganisationCampaignsPage
from cms.models import HomePage, OpenDataPage, StandardPage
from cms.seo import PageSitemap
from municipalities.choices import HearingStatus
from municipalities.models import (
    BudgetPage,
    DevelopmentPlanPage,
    HearingIndexPage,
    HearingPage,
    MunicipalityPage,
    OblastPage,
)
from municipalities.monitoring.models import CoveragePage, IndicatorsPage
from tests.conftest import municipality
from tests.factories import hearing

pytestmark = pytest.mark.django_db

SITEMAP_SCHEMA = Path(__file__).with_name("sitemap-0.9.xsd")
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
XHTML_LINK = "{http://www.w3.org/1999/xhtml}link"
OG_LOCALES = {"ky": "ky_KG", "ru": "ru_RU", "en": "en_GB"}

# every public page type of the demo content, with the sub-page to read when it has one
PAGE_TYPES = [
    (HomePage, ""),
    (OblastPage, ""),
    (MunicipalityPage, ""),
    (HearingPage, ""),
    (HearingIndexPage, ""),
    (BudgetPage, ""),
    (DevelopmentPlanPage, ""),
    (CampaignIndexPage, ""),
    (CampaignIndexPage, "materials/"),
    (OrganisationCampaignsPage, ""),
    (CampaignPage, ""),
    (IndicatorsPage, ""),
    (IndicatorsPage, "records/"),
    (CoveragePage, ""),
    (OpenDataPage, ""),
    (OpenDataPage, "api/"),
    (StandardPage, ""),
]


class HeadReader(HTMLParser):
    """The <head>'s meta and link tags and its JSON-LD, as a crawler reads them."""

    def __init__(self):
        super().__init__()
        self.meta = {}
        self.meta_lists = {}
        self.links = []
        self.json_ld = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, attrs.get("content"))
                self.meta_lists.setdefault(key, []).append(attrs.get("content"))
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data

    def canonical(self):
        found = [link["href"] for link in self.links if link.get("rel") == "canonical"]
        assert len(found) <= 1, found
        return found[0] if found else None

    def alternates(self):
        return {
            link["hreflang"]: link["href"]
            for link in self.links
            if link.get("rel") == "alternate" and link.get("hreflang")
        }


def read_head(response):
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    reader = HeadReader()
    reader.feed(html.split("</head>")[0])
    return reader


def is_absolute(url):
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def live_page(model, language):
    page = model.objects.live().public().filter(locale__language_code=language).first()
    assert page is not None, f"no live {model.__name__} in {language} in the demo content"
    return page


def address(page, suffix=""):
    """The page's address on the site as Wagtail builds it: the canonical one we expect."""
    return page.get_full_url() + suffix


def versions(page, suffix=""):
    return {
        version.locale.language_code: address(version, suffix)
        for version in page.get_translations(inclusive=True).live().public()
    }


@pytest.mark.parametrize("language", ["ky", "ru"])
@pytest.mark.parametrize(("model", "suffix"), PAGE_TYPES, ids=lambda v: getattr(v, "__name__", v))
def test_every_public_page_type_says_what_it_is_and_where_its_versions_are(
    client, model, suffix, language
):
    page = live_page(model, language)
    head = read_head(client.get(page.url + suffix))
    own = address(page, suffix)

    description = head.meta.get("description")
    assert description and description.strip(), "no meta description"
    assert "<" not in description and len(description) <= 161
    assert head.canonical() == own
    assert is_absolute(own)

    alternates = head.alternates()
    expected = versions(page, suffix)
    assert len(expected) >= 2, "the demo content has this page in both languages"
    assert {code: url for code, url in alternates.items() if code != "x-default"} == expected
    assert alternates["x-default"] == expected["ky"]
    assert alternates[language] == own
    assert all(is_absolute(url) for url in alternates.values())

    assert head.meta["og:title"] == (page.seo_title or page.title)
    assert head.meta["og:description"] == description
    assert head.meta["og:url"] == own
    assert head.meta["og:type"] in ("website", "article")
    assert head.meta["og:locale"] == OG_LOCALES[language]
    assert set(head.meta_lists["og:locale:alternate"]) == {
        OG_LOCALES[code] for code in expected if code != language
    }
    with translation.override(language):
        assert head.meta["og:site_name"] == translation.gettext("Local services")
    assert head.meta["twitter:card"] == "summary"


def test_the_language_switcher_of_a_sub_page_leads_to_the_same_sub_page(client):
    """Before, /ky/indicators/records/ pointed its versions at the indicators page."""
    html = client.get("/ru/indicators/records/").content.decode()
    nav = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    assert 'href="/ky/indicators/records/"' in nav
    assert 'href="/ky/indicators/"' not in nav


def test_a_language_without_a_version_gets_no_alternate(client):
    page = municipality("mogol", "en")
    page.unpublish()
    head = read_head(client.get("/ky/jalal-abad/mogol/"))
    assert set(head.alternates()) == {"ky", "ru", "x-default"}
    assert "en_GB" not in head.meta_lists["og:locale:alternate"]


def test_the_editors_search_description_comes_first(client):
    page = municipality("ton", "ru")
    page.search_description = "Айыл окмоту Тон: слушания & бюджеты"
    page.save_revision().publish()
    head = read_head(client.get(page.url))
    assert head.meta["description"] == "Айыл окмоту Тон: слушания & бюджеты"
    assert head.meta["og:description"] == "Айыл окмоту Тон: слушания & бюджеты"


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_a_shared_hearing_says_when_in_which_village_and_where(client, language):
    notice = live_page(HearingPage, language)
    head = read_head(client.get(notice.url))
    village = notice.get_parent().title
    with translation.override(language):
        from django.utils.formats import date_format

        when = date_format(timezone.localtime(notice.starts_at), "DATETIME_FORMAT")
    for text in (head.meta["description"], head.meta["og:description"]):
        assert when in text
        assert village in text
        assert notice.venue in text
    assert head.meta["og:title"] == notice.title


def test_a_campaign_shares_its_goal(client):
    campaign = live_page(CampaignPage, "ru")
    head = read_head(client.get(campaign.url))
    assert head.meta["og:description"].startswith(campaign.goal[:100].rsplit(" ", 1)[0])


def event_of(response):
    head = read_head(response)
    assert len(head.json_ld) == 1
    return json.loads(head.json_ld[0])


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_a_hearing_is_a_schema_org_event_in_its_village(client, language):
    notice = live_page(HearingPage, language)
    event = event_of(client.get(notice.url))
    municipality_page = notice.get_parent()
    oblast_page = municipality_page.get_parent()

    assert event["@context"] == "https://schema.org"
    assert event["@type"] == "Event"
    assert event["name"] == notice.title
    assert event["startDate"] == timezone.localtime(notice.starts_at).isoformat()
    assert event["startDate"].endswith("+06:00")  # Asia/Bishkek
    if notice.ends_at:
        assert event["endDate"] == timezone.localtime(notice.ends_at).isoformat()
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    place = event["location"]
    assert place["@type"] == "Place"
    assert place["name"] == notice.venue
    assert place["address"]["addressLocality"] == municipality_page.title
    assert place["address"]["addressRegion"] == oblast_page.title
    assert place["address"]["addressCountry"] == "KG"
    assert event["organizer"]["@type"] == "GovernmentOrganization"
    assert municipality_page.title in event["organizer"]["name"]
    assert event["organizer"]["url"] == address(municipality_page)
    assert event["inLanguage"] == language
    assert event["url"] == address(notice)
    assert event["description"] == read_head(client.get(notice.url)).meta["description"]


def test_no_json_ld_on_pages_that_are_not_events(client):
    for model in (MunicipalityPage, BudgetPage, IndicatorsPage):
        assert read_head(client.get(live_page(model, "ky").url)).json_ld == []


def test_a_cancelled_hearing_says_so_to_people_and_to_search_engines(client):
    notice = live_page(HearingPage, "ru")
    HearingPage.objects.filter(pk=notice.pk).update(
        status=HearingStatus.CANCELLED, cancellation_reason="Нет кворума"
    )
    response = client.get(notice.url)
    event = event_of(response)
    assert event["eventStatus"] == "https://schema.org/EventCancelled"
    with translation.override("ru"):
        cancelled = translation.gettext("The hearing is cancelled.")
    assert cancelled != "The hearing is cancelled."
    description = read_head(response).meta["description"]
    assert description.startswith(cancelled)
    assert "Нет кворума" in description


def test_a_postponed_hearing_is_rescheduled_with_its_old_date(client):
    notice = live_page(HearingPage, "ky")
    old = notice.starts_at
    new = old + timedelta(days=7)
    HearingPage.objects.filter(pk=notice.pk).update(
        status=HearingStatus.POSTPONED, postponed_from=old, starts_at=new
    )
    event = event_of(client.get(notice.url))
    assert event["eventStatus"] == "https://schema.org/EventRescheduled"
    assert event["startDate"] == timezone.localtime(new).isoformat()
    assert event["previousStartDate"] == timezone.localtime(old).isoformat()


def test_a_hearing_postponed_without_a_new_date_is_postponed(client):
    notice = live_page(HearingPage, "ky")
    HearingPage.objects.filter(pk=notice.pk).update(
        status=HearingStatus.POSTPONED, postponed_from=notice.starts_at
    )
    event = event_of(client.get(notice.url))
    assert event["eventStatus"] == "https://schema.org/EventPostponed"
    assert "previousStartDate" not in event


def test_json_ld_cannot_be_broken_out_of(client):
    """A title with markup stays data: nothing in the script element can end it."""
    hostile = 'Угуу </script><script>alert("x")</script> & <!-- «кеңеш»'
    notice = hearing(municipality("ton"), title=hostile, slug="hostile-title")
    html = client.get(notice.url).content.decode()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in script and ">" not in script and "&" not in script
    assert json.loads(script)["name"] == hostile
    assert '<script>alert("x")' not in html.split("</head>")[0]


def test_addresses_are_https_where_the_site_is(client):
    page = municipality("ton", "ru")
    over_https = read_head(client.get(page.url, secure=True))
    assert over_https.canonical().startswith("https://")
    assert all(url.startswith("https://") for url in over_https.alternates().values())

    site = Site.objects.get(is_default_site=True)
    configured = site.hostname, site.port
    site.hostname, site.port = "ayil.example.kg", 443
    site.save()
    try:
        head = read_head(client.get(page.url))
        assert head.canonical() == "https://ayil.example.kg/ru/issyk-kul/ton/"
        assert head.alternates()["x-default"] == "https://ayil.example.kg/ky/issyk-kul/ton/"
    finally:
        # saving clears Wagtail's cache of site addresses, which the rollback would not
        site.hostname, site.port = configured
        site.save()


def test_a_missing_page_recommends_no_address(client):
    response = client.get("/ky/no-such-page/")
    assert response.status_code == 404
    head = HeadReader()
    head.feed(response.content.decode().split("</head>")[0])
    assert head.canonical() is None
    assert head.meta["description"]


def test_search_results_have_absolute_alternates(client):
    head = read_head(client.get("/ru/search/?q=бюджет"))
    alternates = head.alternates()
    assert set(alternates) == {"ky", "ru", "en", "x-default"}
    assert all(is_absolute(url) for url in alternates.values())
    assert alternates["x-default"].endswith("/ky/search/")


# --- sitemap.xml ---------------------------------------------------------------------------


def sitemap_parts(client):
    """The addresses the index at /sitemap.xml names, each absolute on the site."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    index = etree.fromstring(response.content)
    assert etree.QName(index).localname == "sitemapindex"
    parts = [loc.text for loc in index.iterfind("sm:sitemap/sm:loc", SITEMAP_NS)]
    assert parts and all(is_absolute(part) for part in parts)
    return parts


def sitemap(client):
    """Every part of the sitemap, as one <urlset>."""
    merged = None
    for part in sitemap_parts(client):
        address = urlsplit(part)
        response = client.get(address.path + ("?" + address.query if address.query else ""))
        assert response.status_code == 200, part
        assert response["Content-Type"].startswith("application/xml")
        tree = etree.fromstring(response.content)
        if merged is None:
            merged = tree
        else:
            merged.extend(tree.iterfind("sm:url", SITEMAP_NS))
    return merged


def entries(tree):
    """{loc: {hreflang: href}} of every <url>."""
    found = {}
    for url in tree.iterfind("sm:url", SITEMAP_NS):
        loc = url.findtext("sm:loc", namespaces=SITEMAP_NS)
        assert loc not in found, f"{loc} listed twice"
        found[loc] = {link.get("hreflang"): link.get("href") for link in url.iter(XHTML_LINK)}
    return found


def test_the_sitemap_is_valid_against_the_sitemap_schema(client):
    schema = etree.XMLSchema(etree.parse(str(SITEMAP_SCHEMA)))
    tree = sitemap(client)
    assert schema.validate(tree), schema.error_log


def test_the_schema_refuses_what_search_engines_refuse():
    """The check can fail: relative addresses and unknown elements are caught."""
    schema = etree.XMLSchema(etree.parse(str(SITEMAP_SCHEMA)))
    good = (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml"><url><loc>https://a.kg/ky/</loc>'
        '<xhtml:link rel="alternate" hreflang="x-default" href="https://a.kg/ky/"/></url></urlset>'
    )
    assert schema.validate(etree.fromstring(good))
    for bad in (
        good.replace("<loc>https://a.kg/ky/", "<loc>/ky/"),
        good.replace('href="https://a.kg/ky/"', 'href="/ky/"'),
        good.replace("<url>", "<url><lastmod>yesterday</lastmod>"),
        good.replace("xhtml:link", "xhtml:a"),
    ):
        assert not schema.validate(etree.fromstring(bad)), bad


def test_the_sitemap_lists_every_public_page_in_every_language(client):
    listed = entries(sitemap(client))
    pages = Page.objects.live().public().filter(depth__gte=2).specific()
    expected = {address(page) for page in pages}
    for model, suffix in PAGE_TYPES:
        if suffix:
            expected |= {address(page, suffix) for page in model.objects.live().public()}
    assert set(listed) == expected
    for language in ("ky", "ru", "en"):
        assert any(f"/{language}/" in loc for loc in listed)
    assert address(live_page(IndicatorsPage, "ru"), "records/") in listed


def test_each_sitemap_address_names_its_language_versions(client):
    listed = entries(sitemap(client))
    for loc, alternates in listed.items():
        assert loc in alternates.values(), f"{loc} does not name itself"
        assert all(is_absolute(href) for href in alternates.values())
        assert "x-default" in alternates
        languages = {code: href for code, href in alternates.items() if code != "x-default"}
        if "ky" in languages:
            assert alternates["x-default"] == languages["ky"]
        for href in languages.values():
            assert listed[href] == alternates, f"{href} and {loc} disagree on their versions"
    hearing_page = live_page(HearingPage, "ru")
    assert listed[address(hearing_page)] == {
        **versions(hearing_page),
        "x-default": versions(hearing_page)["ky"],
    }


def test_a_large_site_is_listed_in_parts_each_of_bounded_work(
    client, monkeypatch, django_assert_max_num_queries
):
    whole = entries(sitemap(client))
    monkeypatch.setattr(PageSitemap, "limit", 10)
    parts = sitemap_parts(client)
    assert len(parts) == -(-Page.objects.live().public().filter(depth__gte=2).count() // 10)
    assert parts[1].endswith("/sitemap-pages.xml?p=2")
    schema = etree.XMLSchema(etree.parse(str(SITEMAP_SCHEMA)))
    listed = {}
    for number in range(1, len(parts) + 1):
        # a few queries for any part of any size: its pages, their versions (one query per
        # page type), the site
        with django_assert_max_num_queries(14):
            response = client.get(f"/sitemap-pages.xml?p={number}")
        tree = etree.fromstring(response.content)
        assert schema.validate(tree), schema.error_log
        part = entries(tree)
        assert not set(part) & set(listed)
        listed.update(part)
    assert listed == whole


@pytest.mark.parametrize(
    "address", ["/sitemap-pages.xml?p=999", "/sitemap-pages.xml?p=abc", "/sitemap-other.xml"]
)
def test_a_part_that_does_not_exist_is_not_found(client, address):
    assert client.get(address).status_code == 404


def test_drafts_and_private_pages_are_never_listed(client):
    draft = hearing(municipality("ton"), slug="draft-hearing")
    draft.unpublish()
    private = municipality("tepke", "ru")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    below = HearingPage.objects.child_of(private).live().first()
    assert below is not None
    listed = entries(sitemap(client))
    assert address(draft) not in listed
    assert address(private) not in listed
    assert address(below) not in listed
    for alternates in listed.values():
        assert address(private) not in alternates.values()
    assert address(municipality("tepke", "ky")) in listed


# --- robots.txt ----------------------------------------------------------------------------


def robots_rules(text):
    return [
        line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("Disallow:")
    ]


def disallowed(path, rules):
    """A robots.txt rule as search engines match it: a prefix, `*` for any characters."""
    return any(re.match(".*".join(map(re.escape, rule.split("*"))), path) for rule in rules if rule)


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_search_and_exports(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert text.startswith("User-agent: *\n")
    sitemap_line = re.search(r"^Sitemap: (\S+)$", text, re.M).group(1)
    assert sitemap_line == Site.objects.get(is_default_site=True).root_url + "/sitemap.xml"
    rules = robots_rules(text)
    indicators = live_page(IndicatorsPage, "ru").url
    budget_page = live_page(BudgetPage, "ky").url
    for path in (
        "/admin/",
        "/admin/pages/",
        "/ky/search/?q=угуу",
        "/ru/search/",
        "/en/search/",
        f"{indicators}export/csv/",
        f"{indicators}records/export/xlsx/",
        f"{budget_page}csv/",
    ):
        assert disallowed(path, rules), f"{path} is open to crawlers"
    for path in ("/api/v2/pages/", "/ru/", indicators, f"{indicators}records/"):
        assert not disallowed(path, rules), f"{path} is closed to crawlers"


def test_robots_txt_closes_no_page_of_the_sitemap(client):
    rules = robots_rules(client.get("/robots.txt").content.decode())
    for loc in entries(sitemap(client)):
        assert not disallowed(urlsplit(loc).path, rules), loc


SEO_MESSAGES = [
    "%(municipality)s aiyl okmotu",
    "%(municipality)s, %(oblast)s: public hearings, budgets, development plans and council "
    "resolutions of the aiyl okmotu.",
    "Pilot municipalities of %(oblast)s: %(municipalities)s.",
    "%(municipality)s, budget for %(year)s (%(stage)s).",
    "Revenue %(revenue)s KGS, expenditure %(expenditure)s KGS.",
    "%(municipality)s, development plan for %(start)s–%(end)s (%(stage)s).",
    "Priorities: %(priorities)s.",
]


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_descriptions_read_in_the_pages_language(client, language):
    for message in SEO_MESSAGES:
        with translation.override(language):
            assert translation.gettext(message) != message, f"{message!r} in {language}"
    page = live_page(MunicipalityPage, language)
    description = read_head(client.get(page.url)).meta["description"]
    assert "public hearings" not in description
    plan = live_page(DevelopmentPlanPage, language)
    assert "development plan" not in read_head(client.get(plan.url)).meta["description"]
