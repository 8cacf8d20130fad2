"""Public API responses: cacheable, conditional, and never a server error from odd input."""

from django.conf import settings
from django.http import JsonResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.translation import gettext as _

from cms.api.endpoints import MAX_OFFSET
from cms.api.errors import bad_request

API_PREFIX = "/api/"
READ_METHODS = ("GET", "HEAD", "OPTIONS")


class APIResponseMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if not request.path_info.endswith("/"):
            # the OpenAPI document names paths without the final slash (as API linters
            # want); Wagtail's routes have it: the same answer either way, no redirect
            request.path_info += "/"
            request.path += "/"
        if request.method == "POST" and _writes_to(request.path):
            return self.get_response(request)  # a token's submission (`WriteEndpoint`)
        if request.method not in READ_METHODS:
            # before CSRF's 403 page: a client learns what it may do, in JSON
            response = JsonResponse({"message": _("The API is read-only: use GET.")}, status=405)
            response["Allow"] = ", ".join(READ_METHODS)
            return response
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return bad_request(key.replace("\x00", ""), _("Contains a NUL character."))
        # numbers past the database's integers would fail inside it, on every endpoint
        for key in (
            "offset",
            "limit",
            "child_of",
            "descendant_of",
            "ancestor_of",
            "translation_of",
        ):
            value = request.GET.get(key, "")
            if value.isdigit() and int(value) > MAX_OFFSET:
                return bad_request(key, _("Use a number of at most %d.") % MAX_OFFSET)
        response = self.get_response(request)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)
            if not response.streaming and not response.has_header("ETag"):
                set_response_etag(response)
            return get_conditional_response(request, etag=response.get("ETag"), response=response)
        return response


def _writes_to(path):
    # deferred: the endpoints are the domains', registered once every app is ready
    from cms.api.openapi import endpoints

    return any(
        getattr(endpoint, "writes", False) and path == "/api/v2/" + endpoint.route
        for endpoint in endpoints()
    )
