"""The extension points through which a domain app adds to the site.

`cms` is the base every domain builds on and imports none of them. A domain contributes by
registering a function under one of the hook names below with Wagtail's hooks, in its own
`wagtail_hooks.py` (Wagtail imports those at start-up):

    from wagtail import hooks
    from cms import extensions

    @hooks.register(extensions.OPEN_DATA_TABLES)
    def open_data_tables():
        return [OpenDataTable("plans", ...)]

Each name says what its functions take and return. `collect()` gathers the answers in
hook order; what has an `order` of its own is sorted by it, so a file or a column keeps its
place whichever app registers first. docs/architecture.md shows a whole example.
"""

from collections.abc import Callable
from dataclasses import dataclass

from wagtail import hooks

# fn() -> iterable of `cms.api.endpoints.Endpoint` subclasses: the API's own endpoints,
# served under /api/v2/<route> and described in the OpenAPI document
API_ENDPOINTS = "cms_api_endpoints"
# fn() -> iterable of `PageFilter`: query parameters of /api/v2/pages/
PAGE_API_FILTERS = "cms_page_api_filters"
# fn() -> iterable of `OpenDataTable`: the files of the open-data archive
OPEN_DATA_TABLES = "cms_open_data_tables"
# fn() -> iterable of `OpenDataFile`: files besides the tables (the IATI activity file),
# served at /open-data/<name> and put in the archive
OPEN_DATA_FILES = "cms_open_data_files"
# fn() -> JSON-able value that changes whenever the domain's published data changes: the
# open-data archive is rebuilt when any of them does
OPEN_DATA_STATE = "cms_open_data_state"
# fn() -> iterable of models (snippets) whose documents and images the public may download
PUBLIC_FILE_SOURCES = "cms_public_file_sources"
# fn() -> iterable of collection paths whose documents the public never sees
PRIVATE_COLLECTION_PATHS = "cms_private_collection_paths"
# fn(page, request) -> iterable of `PageSection`: sections of the home page; those with a
# negative order lead, before the page's own introduction and body
HOME_PAGE_SECTIONS = "cms_home_page_sections"
# fn() -> iterable of `SiteSection`: the sections made under every home page
SITE_SECTIONS = "cms_site_sections"
# fn(locales, report): adds the domain's demo content (`make seed`), in hook order
DEMO_CONTENT = "cms_demo_content"
# fn(now) -> iterable of datetimes (or None): the next moments at which a public answer
# changes by itself (a hearing starts or ends); the page cache expires answers then
CACHE_EXPIRY = "cms_cache_expiry"
# fn() -> iterable of URL patterns (`django.urls.path`) served under the language prefix,
# /<lang>/…, before the page tree (a domain's public views that are not pages)
PUBLIC_URLS = "cms_public_urls"


@dataclass(frozen=True)
class PageFilter:
    """A query parameter of the pages endpoint. `apply(queryset, value, request)` narrows
    the queryset (raising `cms.api.errors.ParameterError` for a bad value); a filter
    without `apply` only documents a field filter Wagtail already performs."""

    name: str
    schema: dict
    description: object
    apply: Callable | None = None


@dataclass(frozen=True)
class OpenDataTable:
    """One CSV file of the archive, `<name>.csv`: `rows()` gives its rows (lists, in the
    order of `columns`, a sequence of `cms.tables.Column`), in the source language."""

    name: str
    title: object  # gettext_lazy
    description: object  # gettext_lazy
    order: int
    columns: tuple
    rows: Callable
    # the column(s) naming each row once, and (columns, other table, its columns) that
    # point into another file of the archive: checked by Frictionless validators
    primary_key: tuple = ()
    foreign_keys: tuple = ()


@dataclass(frozen=True)
class OpenDataFile:
    """A file of the open data that is not a table: `build()` gives its bytes."""

    name: str  # its name in the archive and its address, /open-data/<name>
    title: object  # gettext_lazy
    description: object  # gettext_lazy
    content_type: str
    build: Callable
    order: int = 0


@dataclass(frozen=True)
class PageSection:
    """A section of a public page: a template included with its own context."""

    template: str
    context: dict
    order: int = 0


@dataclass(frozen=True)
class SiteSection:
    """A section page made once under each home page (hearings, campaigns, open data…)."""

    model: type
    slug: str
    title: object  # gettext_lazy
    order: int = 0


def collect(hook_name, *args):
    """Every registered function's answer (an iterable), concatenated, in hook order."""
    found = []
    for fn in hooks.get_hooks(hook_name):
        found.extend(fn(*args))
    return found


def ordered(hook_name):
    """`collect()` sorted by each item's `order`."""
    return sorted(collect(hook_name), key=lambda item: item.order)


def run(hook_name, *args):
    """Call every registered function, in hook order, for its effect."""
    for fn in hooks.get_hooks(hook_name):
        fn(*args)
