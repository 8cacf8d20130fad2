"""The OpenAPI 3.1 document of /api/v2/, built from the same declarations that serve requests:
the registered endpoints' parameter forms and schemas, and the pages endpoint's filters."""

from django import forms
from django.conf import settings
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cms import extensions
from cms.api.endpoints import BY_ID, MAX_LIMIT, MAX_OFFSET, choice_schema, listing_schema, ref
from cms.api.pages import DATE_FILTERS, page_filters

INTEGER = {"type": "integer"}
STRING = {"type": "string"}
DATE = {"type": "string", "format": "date"}


def _schema_of(field):
    if isinstance(field, forms.IntegerField):
        schema = dict(INTEGER)
        if field.min_value is not None:
            schema["minimum"] = field.min_value
        if field.max_value is not None:
            schema["maximum"] = field.max_value
        return schema
    if isinstance(field, forms.DateField):
        return dict(DATE)
    if isinstance(field, forms.ChoiceField):
        return choice_schema(field.choices)
    return dict(STRING)


def form_parameters(form_class):
    form = form_class()
    return [
        {
            "name": name,
            "in": "query",
            "required": False,
            "description": str(field.help_text or field.label or ""),
            "schema": _schema_of(field),
        }
        for name, field in form.fields.items()
    ]


def _query(name, schema, description):
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


LIMIT = _query(
    "limit",
    {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
    format_lazy(_("Items per page, at most {} (20 by default)."), MAX_LIMIT),
)
OFFSET = _query(
    "offset",
    {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET},
    _("Items to skip."),
)
SEARCH = _query("search", STRING, _("Full-text search."))
FIELDS = _query(
    "fields", STRING, _("Comma-separated fields to add (or -field to remove, * for all).")
)


def _page_parameters():
    languages = [code for code, _name in settings.LANGUAGES]
    return [
        _query(
            "type", STRING, _("Page type, e.g. municipalities.HearingPage, campaigns.CampaignPage.")
        ),
        FIELDS,
        LIMIT,
        OFFSET,
        _query("order", STRING, _("A field to order by (-field for descending), or random.")),
        SEARCH,
        _query("locale", {"type": "string", "enum": languages}, _("Pages in one language.")),
        _query(
            "translation_of",
            {"type": "integer", "minimum": 1},
            _("The translations of this page id (with locale: the one in that language)."),
        ),
        _query("child_of", {"type": "integer", "minimum": 1}, _("Children of this page id.")),
        _query("descendant_of", {"type": "integer", "minimum": 1}, _("Pages under this page id.")),
        _query("ancestor_of", {"type": "integer", "minimum": 1}, _("Ancestors of this page id.")),
        _query(
            "search_operator",
            {"type": "string", "enum": ["and", "or"]},
            _("How search words combine."),
        ),
        *(_query(f.name, f.schema, f.description) for f in page_filters()),
        _query("date_from", DATE, DATE_FILTERS["date_from"]),
        _query("date_to", DATE, DATE_FILTERS["date_to"]),
        _query("upcoming", {"type": "string", "enum": ["true", "false"]}, DATE_FILTERS["upcoming"]),
    ]


def _responses(schema, *, not_found=False):
    responses = {
        "200": {"description": "OK", "content": {"application/json": {"schema": schema}}},
        "304": {"description": "Not modified since the ETag given in If-None-Match."},
        "400": {
            "description": "A parameter is wrong: the body says which and why.",
            "content": {"application/json": {"schema": ref("Error")}},
        },
    }
    if not_found:
        responses["404"] = {
            "description": "No such item.",
            "content": {"application/json": {"schema": ref("Error")}},
        }
    return responses


def _get(summary, parameters, schema, *, not_found=False, path_parameter=None):
    parameters = list(parameters)
    if path_parameter:
        parameters.insert(0, path_parameter)
    return {
        "get": {
            "summary": summary,
            "parameters": parameters,
            "responses": _responses(schema, not_found=not_found),
        }
    }


def endpoints():
    """The endpoints the domains register, in their order."""
    return extensions.ordered(extensions.API_ENDPOINTS)


def _schemas(registered):
    schemas = {
        "Error": {
            "type": "object",
            "required": ["message"],
            "properties": {
                "message": STRING,
                "parameter": {"type": ["string", "null"]},
                "reason": STRING,
            },
        },
        "WagtailItem": {
            "type": "object",
            "required": ["id", "meta"],
            "properties": {"id": INTEGER, "meta": {"type": "object"}},
            "additionalProperties": True,
        },
    }
    for endpoint in registered:
        if hasattr(endpoint, "component_schemas"):
            schemas.update(endpoint.component_schemas())
    return schemas


def _openapi_path(route):
    """Django's "municipalities/<str:slug>/" as OpenAPI's "/api/v2/municipalities/{slug}/"."""
    parts = [part.split(":")[-1] for part in route.replace(">", "<").split("<")]
    return "/api/v2/" + "".join(
        part if index % 2 == 0 else "{%s}" % ("id" if part == "pk" else part)
        for index, part in enumerate(parts)
    )


def _resolved(value):
    """The document with every lazy text in the active language (plain JSON)."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {key: _resolved(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolved(item) for item in value]
    return value


def document(request):
    """The OpenAPI document; its summaries and parameter descriptions are in the active
    language (the API page for people shows them in the page's language)."""
    registered = endpoints()
    by_id = BY_ID
    wagtail = ref("WagtailItem")
    paths = {
        "/api/v2/pages/": _get(
            _("Published public pages of every type."), _page_parameters(), listing_schema(wagtail)
        ),
        "/api/v2/pages/{id}/": _get(
            _("One published page with all its fields."),
            [FIELDS],
            wagtail,
            not_found=True,
            path_parameter=by_id,
        ),
        "/api/v2/images/": _get(
            _("Images."), [FIELDS, LIMIT, OFFSET, SEARCH], listing_schema(wagtail)
        ),
        "/api/v2/images/{id}/": _get(
            _("One image."), [FIELDS], wagtail, not_found=True, path_parameter=by_id
        ),
        "/api/v2/documents/": _get(
            _("Public documents."), [FIELDS, LIMIT, OFFSET, SEARCH], listing_schema(wagtail)
        ),
        "/api/v2/documents/{id}/": _get(
            _("One document."), [FIELDS], wagtail, not_found=True, path_parameter=by_id
        ),
        **{
            _openapi_path(endpoint.route): _get(
                endpoint.summary,
                form_parameters(endpoint.parameters),
                endpoint.response,
                not_found=endpoint.path_parameter is not None,
                path_parameter=endpoint.path_parameter,
            )
            for endpoint in registered
        },
        "/api/v2/schema/": {
            "get": {
                "summary": _("This document."),
                "responses": {
                    "200": {
                        "description": "OpenAPI 3.1",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
    }
    return _resolved(
        {
            "openapi": "3.1.0",
            "info": {
                "title": "Local services: transparency of pilot municipalities",
                "version": "2",
                "description": (
                    "Read-only. Published pages and verified figures only: drafts, private pages, "
                    "unpublished translations and unverified records never appear. Every response "
                    "carries an ETag and Cache-Control; send If-None-Match to get 304. Any origin "
                    "may read it (CORS, GET only)."
                ),
                "license": {
                    "name": "CC BY 4.0",
                    "url": "https://creativecommons.org/licenses/by/4.0/",
                },
            },
            "servers": [{"url": request.build_absolute_uri("/").rstrip("/")}],
            "paths": paths,
            "components": {"schemas": _schemas(registered)},
        }
    )
