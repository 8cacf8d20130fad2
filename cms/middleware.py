from django.conf import settings
from django.http import Http404
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from cms.api.errors import not_found


class AdminLanguageMiddleware:
    """Serve the admin in the default admin language when the visitor's language is not one
    the admin is translated into (`WAGTAILADMIN_PERMITTED_LANGUAGES`), rather than a mix.
    Runs after LocaleMiddleware; a user's own admin language preference still wins.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_languages = dict(settings.WAGTAILADMIN_PERMITTED_LANGUAGES)

    def __call__(self, request):
        if request.path_info.startswith("/admin/") and (
            translation.get_language() not in self.admin_languages
        ):
            translation.activate(settings.ADMIN_DEFAULT_LANGUAGE)
            request.LANGUAGE_CODE = settings.ADMIN_DEFAULT_LANGUAGE
        return self.get_response(request)


class AdminSearchButtonMiddleware:
    """Translate the visually hidden "Search" button of the admin's search boxes.

    Wagtail 8.0 hard-codes it in English in two long templates (home.html and
    shared/header.html); a screen reader reads it out. Replacing the one known string in
    the admin's HTML keeps those templates Wagtail's own (tests/admin_chrome.py reads every
    screen for English, so a changed markup shows up there).
    """

    HARD_CODED = b'<input type="submit" value="Search" class="button" />'
    # the same markup inside a chooser's JSON answer
    HARD_CODED_IN_JSON = HARD_CODED.replace(b'"', b'\\"')

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path_info.startswith("/admin/") or response.streaming:
            return response
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/html"):
            hard_coded, quote = self.HARD_CODED, b'"'
        elif content_type.startswith("application/json"):
            hard_coded, quote = self.HARD_CODED_IN_JSON, b'\\"'
        else:
            return response
        if hard_coded in response.content:
            with translation.override(_admin_language(request)):
                value = quote + escape(_("Search")).encode() + quote
            translated = hard_coded.replace(quote + b"Search" + quote, value)
            response.content = response.content.replace(hard_coded, translated)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response


def _admin_language(request):
    """The language Wagtail rendered the admin screen in: the user's own, else the active."""
    profile = getattr(getattr(request, "user", None), "wagtail_userprofile", None)
    return (profile and profile.get_preferred_language()) or translation.get_language()


class SiteLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, except that an API 404 stays a JSON 404.

    Django redirects a 404 to the same path under the default language prefix when that
    path resolves; with Wagtail's catch-all under /ky/ every path does, and an API client
    asking for an unknown id would be sent to an HTML page.
    """

    def process_response(self, request, response):
        if request.path_info.startswith("/api/") and response.status_code == 404:
            return response
        return super().process_response(request, response)


class NulPathMiddleware:
    """A NUL byte in an address is never a page: a 404 before anything looks the path up
    (PostgreSQL refuses NUL in a query, so the page tree, redirects and the 404 page's own
    lookups would fail), in JSON for the API. Query parameters are checked where they are
    read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            if request.path.startswith("/api/"):
                return not_found(_("No such address."))
            raise Http404
        return self.get_response(request)


def client_address(request):
    """The visitor's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies the
    address the outermost one received the request from, the N-th entry from the right of
    X-Forwarded-For (each proxy appends the address it saw; entries further left are
    whatever the client sent, so they are never trusted). Used by the login lockout."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
