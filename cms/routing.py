"""Finding the page for an address in two queries instead of two per level.

Wagtail routes an address one level at a time: each page looks up its child by slug, then
loads that child's specific page (a hearing, four levels down, costs eight queries before
anything is rendered). The home page instead reads every page along the path in one query,
walks it with Wagtail's own rules, and hands over to the first page that routes the rest
itself (a routable page whose sub-address matches, e.g. `…/print/`, or any custom `route`)
or to the last page: that page's specific version is the only other query.

The pages along the path are found by their `url_path` (Wagtail keeps it equal to the
parent's plus the slug), so a level costs one row however many pages share its slug. The
same first query brings the home page's live children shown in menus and the live language
versions of the page reached, and the pages along the path are kept on it: the main menu,
the breadcrumbs and the language switcher of a routed page cost no query of their own
(`menu_items`, `breadcrumb_trail`, `language_versions`).

The rules kept: a live routable page's own sub-addresses win over its children (as
`RoutablePageMixin.route` does), draft pages along the way are passed through, a missing
child is a 404, the page reached must be live (its own `route` decides).
"""

from urllib.parse import quote

from django.db import connections
from django.http import Http404
from django.utils.http import RFC3986_SUBDELIMS
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from cms import repeated_lookups


def _routes_itself(page, remaining):
    """Whether Wagtail would stop at `page` for the `remaining` path rather than look for
    its child `remaining[0]`."""
    model = page.specific_class
    if model is None:
        return True
    if issubclass(model, RoutablePageMixin):
        if model.route is not RoutablePageMixin.route:
            return True
        if not page.live:
            return False
        try:
            model.get_resolver().resolve("/" + "/".join(remaining) + "/")
        except Http404:
            return False
        return True
    return model.route is not Page.route


def addresses_under(home, url_paths, request=None):
    """`{page id: address}` of many pages under one home page (`url_paths`: `{page id:
    url_path}`), from one of Wagtail's URL lookups: Wagtail finds the site and reverses its
    serving view for every page (most of the time of a page that links 500 municipalities)."""
    book = AddressBook(request, [home])
    addresses = {
        pk: book(url_path)
        for pk, url_path in url_paths.items()
        if url_path.startswith(home.url_path)
    }
    return {pk: address for pk, address in addresses.items() if address is not None}


class AddressBook:
    """`book(url_path)`: the address of a page known only by its `url_path` (plain rows, no
    page objects), from one of Wagtail's URL lookups per home page; None if not served.
    `address_of(page)` makes a home page's address (by default Wagtail's `get_url`)."""

    def __init__(self, request=None, homes=(), address_of=None):
        self.request = request
        self.address_of = address_of or (lambda page: page.get_url(request))
        self._bases = {}
        for home in homes:  # known already: no lookup
            if home is not None:
                self._bases[home.url_path] = self.address_of(home)

    def _base(self, home_path):
        if home_path not in self._bases:
            home = getattr(self.request, "home_page", None)
            if home is None or home.url_path != home_path:
                home = Page.objects.filter(depth=2, url_path=home_path).first()
            self._bases[home_path] = self.address_of(home) if home is not None else None
        return self._bases[home_path]

    def __call__(self, url_path):
        home_path = "/" + url_path.strip("/").split("/", 1)[0] + "/"
        base = self._base(home_path)
        if base is None:
            return None
        # quoted as Django's `reverse` quotes the path it is given (a Cyrillic slug kept from
        # before slugs were made Latin)
        return base + quote(url_path[len(home_path) :], safe=RFC3986_SUBDELIMS + "/~:@")


# what a link to a page needs of it: its title and what `page_url` makes its address from
LINK_FIELDS = ("title", "url_path", "path", "depth", "locale_id")


def page_url(page, request):
    """`page.get_url(request)`, made from the routed home page's address when the page is
    below it (the menu and the breadcrumbs: one URL lookup for all of them instead of one
    each)."""
    home = getattr(request, "home_page", None)
    if home is None or not page.url_path.startswith(home.url_path):
        return page.get_url(request)
    book = repeated_lookups.per_request(
        ("address_book", home.pk), lambda: AddressBook(request, [home])
    )
    return book(page.url_path)


def home_page(request, site):
    """The home page of the visitor's language: the one the address was routed from."""
    return getattr(request, "home_page", None) or site.root_page.localized


def menu_items(request, home):
    """The home page's live, public children shown in menus, if routing read them already."""
    if getattr(request, "home_page", None) is not home or not hasattr(request, "menu_pages"):
        return None
    return [page for page in request.menu_pages if repeated_lookups.is_public(page)]


def menu_page_of_type(request, model):
    """The live, public menu page of type `model` under the routed home page, as that type
    (its own fields not loaded: enough for addresses), if routing read it; else None."""
    home = getattr(request, "home_page", None)
    for page in menu_items(request, home) or ():
        if page.specific_class is model:
            return page.specific_deferred
    return None


def breadcrumb_trail(page):
    """The pages above `page` from its home page down, if routing read them already."""
    return getattr(page, "_route_trail", None)


def language_versions(page):
    """`{language: page}` of the routed page's live versions (public or not: `seo` checks),
    if routing read them already."""
    return getattr(page, "_route_versions", None)


# The pages along the address, the home page's menu pages and every live language version
# of those pages and of the home page, as a union (each part found through its own index: as
# one OR PostgreSQL read every page of the site). Written out, not composed with the ORM:
# compiling it took a third of a simple page's time.
ROUTE_SQL = """
SELECT {columns} FROM {table} WHERE {url_path} IN ({along}) AND {path} LIKE %s AND {depth} > %s
UNION
SELECT {columns} FROM {table}
WHERE {depth} = %s AND {show_in_menus} AND {live} AND {path} LIKE %s
UNION
SELECT {columns} FROM {table} WHERE {live} AND {translation_key} IN (
    SELECT {translation_key} FROM {table}
    WHERE {id} = %s OR ({url_path} IN ({along}) AND {path} LIKE %s AND {depth} > %s)
)
ORDER BY {depth}, {path}
"""


def _route_query(home, prefixes):
    quote_name = connections[Page.objects.db].ops.quote_name
    names = {field.attname: quote_name(field.column) for field in Page._meta.concrete_fields}
    sql = ROUTE_SQL.format(
        columns=", ".join(names.values()),
        table=quote_name(Page._meta.db_table),
        along=", ".join(["%s"] * len(prefixes)) or "NULL",
        **{name: names[name] for name in ("id", "url_path", "path", "depth", "live")},
        show_in_menus=names["show_in_menus"],
        translation_key=names["translation_key"],
    )
    under_home = [home.path + "%", home.depth]
    params = [
        *prefixes,
        *under_home,
        home.depth + 1,
        home.path + "%",
        home.pk,
        *prefixes,
        *under_home,
    ]
    return sql, params


def route(home, request, path_components):
    request.home_page = home
    # the pages along the address, by their url_path (Wagtail keeps it equal to the parent's
    # plus the slug): one row per level, however many municipalities have a "budget-2026"
    prefixes = [
        home.url_path + "/".join(path_components[: index + 1]) + "/"
        for index in range(len(path_components))
    ]
    rows = list(Page.objects.raw(*_route_query(home, prefixes)))
    by_url_path = {page.url_path: page for page in rows if page.path.startswith(home.path)}
    request.menu_pages = [
        page
        for page in rows
        if page.depth == home.depth + 1
        and page.path.startswith(home.path)
        and page.show_in_menus
        and page.live
    ]
    trail = [home]
    parent = home
    remaining = []
    for index, url_path in enumerate(prefixes):
        child = by_url_path.get(url_path)
        if child is None or child.path[: -Page.steplen] != parent.path:
            raise Http404
        child._cached_parent_obj = parent
        trail.append(child)
        parent = child
        remaining = path_components[index + 1 :]
        if remaining and _routes_itself(child, remaining):
            break
    page = parent.specific if path_components else home
    if path_components:
        page._cached_parent_obj = parent._cached_parent_obj
        page._route_trail = trail[:-1]
    if (locale := repeated_lookups.known_locale(page.locale_id)) is not None:
        page.locale = locale
    page._route_versions = _versions_of(page, rows)
    return Page.route(page, request, remaining) if page is home else page.route(request, remaining)


def _versions_of(page, rows):
    versions = {}
    for row in rows:
        if row.translation_key == page.translation_key and row.live:
            row.locale = repeated_lookups.locale_of(row.locale_id)
            versions[row.locale.language_code] = page if row.pk == page.pk else row
    return versions
