"""What search engines and messengers read of a page: its description, canonical address,
language alternates, Open Graph tags and structured data, and the sitemap and robots.txt.

Citizens share hearing notices in messengers, which show a page's Open Graph title and
description; search engines need absolute addresses, each language version named and the
Kyrgyz one as the default (`x-default`).

Page types contribute without `cms` knowing them:

- `seo_summary()`: a plain-text description for when the editor left "search description"
  empty (a hearing: when, in which village, where);
- `structured_data(request)`: a schema.org object (a dict) for JSON-LD; `url`, `description`
  and `inLanguage` are filled in here when the page leaves them out;
- `seo_og_type`: the Open Graph type ("website" unless the page says otherwise);
- `sitemap_routes`: names of the routable sub-pages (without arguments) that are pages of
  their own for a reader, listed in the sitemap beside the page.
"""

import json
from functools import lru_cache

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, Q
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.cache import cache_control
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import get_text_for_indexing

from cms import routing
from cms.repeated_lookups import is_public
from cms.rich_text import sanitised_html

# search engines show about this many characters of a description; messengers fewer
DESCRIPTION_LENGTH = 160
# Open Graph wants language_TERRITORY
OG_LOCALES = {"ky": "ky_KG", "ru": "ru_RU", "en": "en_GB"}
X_DEFAULT = "x-default"
# addresses that only download what a page already shows: crawlers need not fetch them
EXPORT_PATTERNS = ("/*/export/", "/*/csv/", "/*/xlsx/", "/*/reports/", "/*/download/")
# the escapes that keep JSON inside <script> from ending it or opening markup
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


# --- text ---------------------------------------------------------------------------------


def plain_text(value):
    """The words of a text, rich text or stream block value, without markup."""
    if value is None:
        return ""
    # what the page shows, so that nothing the sanitiser removes (a script's text) is read
    return " ".join(get_text_for_indexing(sanitised_html(value)).split())


def shortened(text, limit=DESCRIPTION_LENGTH):
    """At most `limit` characters, cut at a word and marked with an ellipsis."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.–-") + "…"


def _first_paragraph(page):
    intro = plain_text(getattr(page, "intro", ""))
    if intro:
        return intro
    for block in getattr(page, "body", None) or ():
        if block.block_type == "paragraph":
            text = plain_text(block.value)
            if text:
                return text
    return ""


def describe(page):
    """The page's description: the editor's search description, else what the page type
    says of itself, else its introduction or first paragraph, else the site's line."""
    text = (page.search_description or "").strip()
    if not text and hasattr(page, "seo_summary"):
        text = page.seo_summary() or ""
    if not text:
        text = _first_paragraph(page)
    if not text:
        text = f"{page.title}. {site_tagline()}"
    return shortened(text)


def site_name():
    return gettext("Local services")


def site_tagline():
    return gettext("Hearings, budgets and plans of pilot municipalities")


# --- addresses ----------------------------------------------------------------------------


def _origin(root_url, request):
    """A site's root URL, in https when the request came in over https."""
    if request is not None and request.is_secure() and root_url.startswith("http://"):
        return "https://" + root_url[len("http://") :]
    return root_url


def site_origin(request):
    """The address of the site this request is for, without a trailing slash."""
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return request.build_absolute_uri("/").rstrip("/")
    return _origin(site.root_url, request)


def route_suffix(page, request):
    """The part of the address after the page's own, on a routable sub-page served now
    ("records/" on /ky/indicators/records/); "" on the page itself."""
    match = getattr(request, "routable_resolver_match", None)
    if (
        match is None
        or not isinstance(page, RoutablePageMixin)
        or getattr(match.func, "__self__", None) is not page
        or not match.url_name
    ):
        return ""
    try:
        return page.reverse_subpage(match.url_name, args=match.args, kwargs=match.kwargs)
    except NoReverseMatch:  # a sub-page address that cannot be built again is not recommended
        return ""


def page_address(page, request, suffix=""):
    """The page's absolute address on its site (the canonical one), with a sub-page's
    suffix; None for a page that no site serves."""
    parts = page.get_url_parts(request)
    if parts is None or parts[2] is None:
        return None
    _site_id, root_url, path = parts
    if not path.endswith("/"):
        path += "/"
    return _origin(root_url, request) + path + suffix


def _language_order():
    return [code for code, _name in settings.LANGUAGES]


def alternates(addresses):
    """`[(hreflang, address)]` for every language that has a version, in the site's order,
    then `x-default`: the Kyrgyz version (the site's default), else the first there is."""
    found = [(code, addresses[code]) for code in _language_order() if addresses.get(code)]
    if not found:
        return []
    default = addresses.get(settings.LANGUAGE_CODE) or found[0][1]
    return [*found, (X_DEFAULT, default)]


def live_versions(page):
    """`{language: page}` of the page's live, public versions, itself included: read once
    per page and request (the language switcher and the head's alternates both ask)."""
    if not hasattr(page, "_live_versions"):
        routed = routing.language_versions(page)
        if routed is not None:  # read with the page's address (cms.routing)
            page._live_versions = {
                code: version for code, version in routed.items() if is_public(version)
            }
        else:
            versions = (
                page.get_translations(inclusive=True).live().public().select_related("locale")
            )
            page._live_versions = {version.locale.language_code: version for version in versions}
    return page._live_versions


def page_language(page):
    for code, version in live_versions(page).items():
        if version.pk == page.pk:
            return code
    return page.locale.language_code


def translation_addresses(page, request, suffix=""):
    """`{language: absolute address}` of the page's live, public versions (itself included)."""
    addresses = {}
    for version in live_versions(page).values():
        address = page_address(version, request, suffix)
        if address:
            addresses[version.locale.language_code] = address
    return addresses


# --- the head of a page --------------------------------------------------------------------


def json_ld(data):
    """JSON for a <script type="application/ld+json">: nothing in it can close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308 - escaped just above


def structured_data(page, request, url, description):
    """The page type's schema.org object, completed with what every page knows."""
    if not hasattr(page, "structured_data"):
        return None
    data = page.structured_data(request)
    if not data:
        return None
    data = {"@context": "https://schema.org", **data}
    data.setdefault("url", url)
    data.setdefault("description", description)
    data.setdefault("inLanguage", page.locale.language_code)
    return json_ld(data)


def head(context):
    """Everything `includes/seo_head.html` writes, for the page or view being rendered."""
    request = context.get("request")
    page = context.get("page")
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    info = {
        "description": shortened(site_tagline()),
        "title": site_name(),
        "site_name": site_name(),
        "og_type": "website",
        "canonical": None,
        "url": None,
        "alternates": [],
        "structured_data": None,
    }
    if context.get("not_found") or request is None:
        pass  # a 404 has no address of its own to recommend
    elif isinstance(page, Page) and page.pk:
        suffix = route_suffix(page, request)
        canonical = page_address(page, request, suffix)
        description = describe(page)
        language = page_language(page)
        info.update(
            description=description,
            title=page.seo_title or page.title,
            og_type=getattr(page, "seo_og_type", "website"),
            canonical=canonical,
            url=canonical,
            alternates=alternates(translation_addresses(page, request, suffix)),
            structured_data=structured_data(page, request, canonical, description),
        )
    else:
        # a view of its own (search): the same address under each language prefix
        origin = site_origin(request)
        path = request.path
        addresses = {}
        for code in _language_order():
            translated = translate_url(path, code)
            if translated != path or code == language:
                addresses[code] = origin + translated
        info.update(url=origin + path, alternates=alternates(addresses))
    info["locale"] = OG_LOCALES.get(language, language)
    info["other_locales"] = [
        OG_LOCALES.get(code, code)
        for code, _address in info["alternates"]
        if code not in (language, X_DEFAULT)
    ]
    return info


# --- sitemap.xml and robots.txt ------------------------------------------------------------


class PageSitemap(Sitemap):
    """Wagtail's sitemap over every language tree of the site, not only the default one,
    each address with its language versions (`xhtml:link rel="alternate"`) and `x-default`.

    Wagtail lists the site's root page and what is below it, which is the Kyrgyz tree
    only; the Russian and English trees are the root page's translations beside it. The
    pages are listed `limit` at a time (sitemap-pages.xml?p=2…, named by the index at
    /sitemap.xml), and each part works out the addresses of its own pages and of their
    language versions only: a national site of tens of thousands of pages answers part by
    part.
    """

    # pages per part: 150 pages with their language versions are about 50 KB of XML, which a
    # crawler fetches (and the server writes) in one short request; 1,000 took 150 ms
    limit = 150

    def items(self):
        """Plain rows, not page objects: a part's 150 pages took a third of its time to
        make into objects, for the four values it writes of them."""
        return (
            Page.objects.live()
            .public()
            .filter(self._within())
            .order_by("path")
            .values_list(
                "translation_key", "locale_id", "last_published_at", "content_type_id", named=True
            )
        )

    def _homes(self):
        if not hasattr(self, "_home_pages"):
            site = self.get_wagtail_site()
            self._home_pages = list(site.root_page.get_translations(inclusive=True))
        return self._home_pages

    def _within(self):
        within = Q(pk__in=[])
        for home in self._homes():
            within |= Page.objects.descendant_of_q(home, inclusive=True)
        return within

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("last_published_at"))["latest"]

    def _addresses(self, items):
        """`{(translation_key, route): {language: address}}` of these pages' versions, from
        plain rows (a part's 3,000 versions as page objects took most of its time)."""
        versions = (
            Page.objects.live()
            .public()
            .filter(self._within(), translation_key__in={item.translation_key for item in items})
            .values_list("translation_key", "locale_id", "url_path", "content_type_id")
        )
        languages = self._languages()
        book = routing.AddressBook(
            self.request, self._homes(), lambda home: page_address(home, self.request)
        )
        by_key = {}
        for key, locale_id, url_path, content_type_id in versions:
            address = book(url_path)
            if address:
                for route, suffix in _sitemap_routes(content_type_id):
                    by_key.setdefault((key, route), {})[languages[locale_id]] = address + suffix
        return by_key

    def _languages(self):
        if not hasattr(self, "_language_codes"):
            self._language_codes = dict(Locale.objects.values_list("pk", "language_code"))
        return self._language_codes

    def _urls(self, page, protocol, domain):
        items = list(self.paginator.page(page).object_list)
        addresses = self._addresses(items)
        urls = []
        for item in items:
            for route, _suffix in _sitemap_routes(item.content_type_id):
                versions = addresses.get((item.translation_key, route), {})
                location = versions.get(self._languages()[item.locale_id])
                if location is None:
                    continue
                urls.append(
                    {
                        "item": item,
                        "location": location,
                        "lastmod": item.last_published_at,
                        "alternates": [
                            {"lang_code": code, "location": address}
                            for code, address in alternates(versions)
                        ],
                    }
                )
        return urls


@lru_cache(maxsize=256)
def _sitemap_routes(content_type_id):
    """`(route name, address suffix)` of a page type's page itself and its listed sub-pages."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    routes = [("", "")]
    for name in getattr(model, "sitemap_routes", ()):
        routes.append((name, model().reverse_subpage(name)))
    return tuple(routes)


def sitemap_index(request):
    """/sitemap.xml: the index of the sitemap's parts."""
    return sitemap_views.index(
        request, {"pages": PageSitemap(request)}, sitemap_url_name="sitemap-section"
    )


def sitemap(request, section):
    """/sitemap-pages.xml(?p=N): every live, public page in every language, by parts."""
    return sitemap_views.sitemap(request, {"pages": PageSitemap(request)}, section=section)


@cache_control(public=True, max_age=3600)
def robots_txt(request):
    """/robots.txt: where the sitemap is; the admin, search results and downloads of what
    pages already show stay out of search engines. The API stays open."""
    search_paths = {"/search/"}
    for code in _language_order():
        with translation.override(code):
            search_paths.add(reverse("search"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        *(f"Disallow: {path}" for path in sorted(search_paths)),
        *(f"Disallow: {pattern}" for pattern in EXPORT_PATTERNS),
        "",
        f"Sitemap: {site_origin(request)}{reverse('sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
