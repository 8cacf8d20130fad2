"""The headless API at /api/v2/: Wagtail's pages, images and documents, and the endpoints
the domains register (`cms.extensions.API_ENDPOINTS`), described by an OpenAPI document.
See README, "API and open data", and docs/architecture.md."""

from django.http import JsonResponse
from django.urls import path, re_path
from django.utils import translation
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.v2.views import ImagesAPIViewSet

from cms.api import openapi
from cms.api.errors import not_found
from cms.api.pages import NamedParameterErrors, SitePagesAPIViewSet
from cms.documents import public_documents, published_ids


class PublicDocumentsAPIViewSet(NamedParameterErrors, DocumentsAPIViewSet):
    """The documents the public site shows: used by a published page or a public record (a
    council resolution, a campaign material: `PUBLIC_FILE_SOURCES`), and outside private
    collections (signed sheets live in one: `PRIVATE_COLLECTION_PATHS`). A document uploaded
    for a draft stays out until its page is published."""

    def get_queryset(self):
        return public_documents(super().get_queryset())


class PublicImagesAPIViewSet(NamedParameterErrors, ImagesAPIViewSet):
    """The images the public site shows: used by a published page or a public record."""

    def get_queryset(self):
        return super().get_queryset().filter(pk__in=published_ids(get_image_model()))


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", SitePagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)


def schema(request):
    # the machine document is in English whatever the browser asks; people read the API
    # page in their language (/<lang>/open-data/api/)
    with translation.override("en"):
        body = openapi.document(request)
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def unknown_endpoint(request, rest=""):
    return not_found("No such endpoint: see /api/v2/schema/.")


def endpoint_urls():
    """The domains' endpoints before Wagtail's router, then the schema; a JSON 404 after."""
    return [
        *(
            path(endpoint.route, endpoint.as_view(), name=endpoint.url_name)
            for endpoint in openapi.endpoints()
        ),
        path("schema/", schema, name="api_schema"),
    ]


fallback_urls = [re_path(r"^(?P<rest>.*)$", unknown_endpoint)]
