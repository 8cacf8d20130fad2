"""Lookups every public page repeats, made once.

Wagtail reads the active `Locale` by its language code each time a page is localised (the
menu, the language switcher, listings: two or three queries a page) and reads every page
view restriction each time a page query is narrowed with `.public()` (the menu, the language
versions, each listing). Both are tiny tables that change rarely:

- locales are kept per process by language code (only ids and codes; a locale that is
  created or deleted clears them, and an unknown code is still looked up);
- the view restrictions are read once per request (`RequestMemoMiddleware`) and read again
  when the request itself changes one: a privacy setting saved by one server is seen by the
  next request on every server, so a private section never shows up in a public listing;
- the home page of the visitor's language is read as its page type in one query (Wagtail
  reads the translation, then its specific page);
- the site that answers a host name (Wagtail's costliest query of a request: one of 10 ms at
  most on a quiet server) is kept per process for `SITE_SECONDS`. Each request gets its own
  copies of the site and its root page, so nothing one request caches on them (the home
  page's content) reaches another; a site or home page saved in this process is read again
  at once, one saved on another server within `SITE_SECONDS` (a new address or home page:
  an administrator's rare change).

Wagtail's own check of the page being served (`check_view_restrictions`) reads the page's
ancestors and their restrictions: it is skipped only when the site has no restriction at all.
"""

import time
from contextvars import ContextVar

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.http import Http404
from django.http.request import split_domain_port
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.models.i18n import LocaleManager
from wagtail.query import PageQuerySet
from wagtail.signals import page_published, post_page_move

SITE_SECONDS = 60

_request_memo = ContextVar("request_memo", default=None)
# {(host name, port): (expires, the site's row, its root page's row, its id)}, for this process
_sites = {}
# {language code: locale id}, for this process
_locale_ids = {}


class RequestMemoMiddleware:
    """Gives each request its own memo, dropped when the answer leaves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_memo.set({})
        try:
            return self.get_response(request)
        finally:
            _request_memo.reset(token)


def per_request(key, compute):
    """`compute()`, once per request (every time outside one: commands, tasks)."""
    memo = _request_memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def forget(key):
    memo = _request_memo.get()
    if memo is not None:
        memo.pop(key, None)


def _restricted_sections():
    return list(PageViewRestriction.objects.values_list("page__path", "page__depth").distinct())


def private_q(queryset):
    """Wagtail's `PageQuerySet.private_q`, from the request's one read of the restrictions."""
    q = Q()
    for path, depth in per_request("view_restrictions", _restricted_sections):
        q |= Q(path__startswith=path, depth__gte=depth)
    # do not match any page if no private section exists (as Wagtail does)
    return q if q else Q(pk__in=[])


def is_public(page):
    """Whether no view restriction covers `page` (Wagtail's `.public()` for one page read
    already), from the request's one read of the restrictions."""
    return not any(
        page.path.startswith(path) and page.depth >= depth
        for path, depth in per_request("view_restrictions", _restricted_sections)
    )


_wagtail_get_view_restrictions = Page.get_view_restrictions


def get_view_restrictions(page):
    """Wagtail's `Page.get_view_restrictions` (the check of the page served), which reads the
    page's ancestors and their restrictions: nothing to read when the site has none."""
    if not per_request("view_restrictions", _restricted_sections):
        return PageViewRestriction.objects.none()
    return _wagtail_get_view_restrictions(page)


def get_for_language(manager, language_code):
    """Wagtail's `LocaleManager.get_for_language`, without a query once the code is known."""
    code = get_supported_content_language_variant(language_code)
    locale_id = _locale_ids.get(code)
    if locale_id is None:
        locale = manager.get(language_code=code)
        _locale_ids[code] = locale.pk
        return locale
    return Locale.from_db(manager.db, ["id", "language_code"], [locale_id, code])


def _code_of(locale_id):
    return next((code for code, known in list(_locale_ids.items()) if known == locale_id), None)


def known_locale(locale_id):
    """The locale with this id if this process has read it already, else None."""
    code = _code_of(locale_id)
    if code is None:
        return None
    return Locale.from_db(Locale.objects.db, ["id", "language_code"], [locale_id, code])


def language_code_of(locale_id):
    """The language code of a locale by its id; an id not read yet reads every locale."""
    code = _code_of(locale_id)
    if code is None:
        _locale_ids.update(Locale.objects.values_list("language_code", "pk"))
        code = _code_of(locale_id)
    return code


def locale_of(locale_id):
    """The locale with this id, read with every other one once a process."""
    language_code_of(locale_id)
    return known_locale(locale_id)


def _row(instance):
    fields = instance._meta.concrete_fields
    names = [field.attname for field in fields]
    return names, [getattr(instance, name) for name in names]


_wagtail_find_site = Site._find_for_request


def find_site(request):
    """Wagtail's `Site._find_for_request`, kept per process for `SITE_SECONDS`."""
    key = (split_domain_port(request._get_raw_host())[0], request.get_port())
    known = _sites.get(key)
    if known is None or known[0] < time.monotonic():
        site = _wagtail_find_site(request)
        if site is None:
            return None
        root = site.root_page
        _sites[key] = (time.monotonic() + SITE_SECONDS, _row(site), _row(root), root.pk)
        known = _sites[key]
    _expires, site_row, root_row, _root_id = known
    site = Site.from_db(Site.objects.db, *site_row)
    site.root_page = Page.from_db(Page.objects.db, *root_row)
    return site


def localized_home(root):
    """Wagtail's `root.localized.specific` (the home page of the visitor's language, as its
    page type), in one query instead of two: translations share their page type."""
    model = root.specific_class
    try:
        locale = Locale.get_active()
    except (LookupError, Locale.DoesNotExist):
        locale = None
    if locale is None or locale.pk == root.locale_id or model is None:
        return root.localized.specific
    home = model.objects.filter(
        translation_key=root.translation_key, locale_id=locale.pk, live=True
    ).first()
    return home if home is not None else root.specific


_wagtail_route_for_request = Page.route_for_request


def route_for_request(request, path):
    """Wagtail's `Page.route_for_request`, with the home page found by `localized_home`."""
    if not hasattr(request, "_wagtail_route_for_request"):
        try:
            site = Site.find_for_request(request)
            components = [component for component in path.split("/") if component]
            request._wagtail_route_for_request = (
                localized_home(site.root_page).route(request, components) if site else None
            )
        except Http404:  # .route() raises it
            request._wagtail_route_for_request = None
    return request._wagtail_route_for_request


def forget_sites(**kwargs):
    _sites.clear()


def _page_saved(sender, instance, **kwargs):
    if any(known[3] == instance.pk for known in list(_sites.values())):
        forget_sites()


def forget_locales(**kwargs):
    _locale_ids.clear()


def _restrictions_changed(**kwargs):
    forget("view_restrictions")


def install():
    PageQuerySet.private_q = private_q
    Site._find_for_request = staticmethod(find_site)
    Page.route_for_request = staticmethod(route_for_request)
    for signal in (post_save, post_delete):
        signal.connect(forget_sites, sender=Site, dispatch_uid="cms.forget_sites")
    page_published.connect(_page_saved, dispatch_uid="cms.forget_sites_home_published")
    post_page_move.connect(forget_sites, dispatch_uid="cms.forget_sites_home_moved")
    Page.get_view_restrictions = get_view_restrictions
    LocaleManager.get_for_language = get_for_language
    for signal in (post_save, post_delete):
        signal.connect(forget_locales, sender=Locale, dispatch_uid="cms.forget_locales")
        signal.connect(
            _restrictions_changed,
            sender=PageViewRestriction,
            dispatch_uid="cms.forget_view_restrictions",
        )
    # a restricted section moved by this request lies elsewhere now
    post_page_move.connect(_restrictions_changed, dispatch_uid="cms.forget_moved_restrictions")
