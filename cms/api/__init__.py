"""The headless API at /api/v2/: Wagtail's pages, images and documents, and the programme's
own read-only endpoints (municipalities, participation, indicators, coverage), described by
an OpenAPI document. See README, "API and open data"."""

from django.db.models import Q
from django.urls import path, re_path
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from cms.api import programme
from cms.api.errors import not_found
from cms.api.pages import SitePagesAPIViewSet


class PublicDocumentsAPIViewSet(DocumentsAPIViewSet):
    """Documents outside private collections only (signed sheets live in one)."""

    def get_queryset(self):
        from municipalities.evidence import restricted_collection_paths

        hidden = Q(pk__in=[])
        for collection_path in restricted_collection_paths():
            hidden |= Q(collection__path__startswith=collection_path)
        return super().get_queryset().exclude(hidden)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", SitePagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)


def schema(request):
    from django.http import JsonResponse

    from cms.api.openapi import document

    return JsonResponse(document(request), json_dumps_params={"ensure_ascii": False})


def unknown_endpoint(request, rest=""):
    return not_found("No such endpoint: see /api/v2/schema/.")


# the programme's endpoints, before Wagtail's router; a JSON 404 after it
programme_urls = [
    path("municipalities/", programme.MunicipalitiesEndpoint.as_view(), name="api_municipalities"),
    path(
        "municipalities/<str:slug>/",
        programme.MunicipalityDetailEndpoint.as_view(),
        name="api_municipality",
    ),
    path("participation/", programme.ParticipationEndpoint.as_view(), name="api_participation"),
    path(
        "participation/<int:pk>/",
        programme.ParticipationDetailEndpoint.as_view(),
        name="api_participation_record",
    ),
    path("indicators/", programme.IndicatorsEndpoint.as_view(), name="api_indicators"),
    path("coverage/", programme.CoverageEndpoint.as_view(), name="api_coverage"),
    path("schema/", schema, name="api_schema"),
]
fallback_urls = [re_path(r"^(?P<rest>.*)$", unknown_endpoint)]
