"""The headless API at /api/v2/: Wagtail's pages, images and documents, and the programme's
own read-only endpoints (municipalities, participation, indicators, coverage), described by
an OpenAPI document. See README, "API and open data"."""

from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.urls import path, re_path
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.documents import get_document_model
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.v2.views import ImagesAPIViewSet

from cms.api import programme
from cms.api.errors import not_found
from cms.api.pages import SitePagesAPIViewSet


class PublicDocumentsAPIViewSet(DocumentsAPIViewSet):
    """The documents the public site shows: used by a published page, a council resolution or
    a campaign material, and outside private collections (signed sheets live in one). A
    document uploaded for a draft stays out until its page is published."""

    def get_queryset(self):
        from municipalities.evidence import restricted_collection_paths

        hidden = Q(pk__in=[])
        for collection_path in restricted_collection_paths():
            hidden |= Q(collection__path__startswith=collection_path)
        return (
            super()
            .get_queryset()
            .annotate(key=Cast("pk", CharField()))
            .filter(key__in=published_keys(get_document_model()))
            .exclude(hidden)
        )


class PublicImagesAPIViewSet(ImagesAPIViewSet):
    """The images the public site shows: used by a published page or a campaign material."""

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(key=Cast("pk", CharField()))
            .filter(key__in=published_keys(get_image_model()))
        )


def published_keys(model):
    """Wagtail's reference index, as ids (text) of the documents or images that public
    content uses."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page, ReferenceIndex

    from campaigns.models import CampaignMaterial
    from municipalities.models import CouncilResolution

    types = ContentType.objects.get_for_models(model, Page, CouncilResolution, CampaignMaterial)
    live_pages = Page.objects.live().public().annotate(key=Cast("pk", CharField())).values("key")
    references = ReferenceIndex.objects.filter(to_content_type=types[model])
    return (
        references.filter(base_content_type=types[Page], object_id__in=live_pages)
        .union(
            references.filter(
                base_content_type__in=[types[CouncilResolution], types[CampaignMaterial]]
            )
        )
        .values("to_object_id")
    )


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", SitePagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)


def schema(request):
    from django.http import JsonResponse
    from django.utils import translation

    from cms.api.openapi import document

    # the machine document is in English whatever the browser asks; people read the API
    # page in their language (/<lang>/open-data/api/)
    with translation.override("en"):
        body = document(request)
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


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
