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


# the groups of operations; domains' endpoints name one of these or add their own (`tags`)
TAGS = {
    "pages": _("Published pages of every type, their images and documents (Wagtail's API)."),
    "meta": _("This description of the API."),
}
ERROR_EXAMPLE = {
    "message": "limit: Ensure this value is less than or equal to 100.",
    "parameter": "limit",
    "reason": "Ensure this value is less than or equal to 100.",
}


def _responses(schema, components, *, not_found=False):
    responses = {
        "200": {
            "description": _("The answer."),
            "content": {
                "application/json": {"schema": schema, "example": example(schema, components)}
            },
        },
        "304": {"description": _("Not modified since the ETag given in If-None-Match.")},
        "400": {
            "description": _("A parameter is wrong: the body says which and why."),
            "content": {"application/json": {"schema": ref("Error"), "example": ERROR_EXAMPLE}},
        },
    }
    if not_found:
        responses["404"] = {
            "description": _("No such item."),
            "content": {
                "application/json": {
                    "schema": ref("Error"),
                    "example": {"message": "No such item."},
                }
            },
        }
    return responses


def _get(operation_id, tag, summary, description, parameters, schema, components, **options):
    parameters = list(parameters)
    if options.get("path_parameter"):
        parameters.insert(0, options["path_parameter"])
    return {
        "get": {
            "operationId": operation_id,
            "tags": [tag],
            "summary": summary,
            "description": description,
            "parameters": parameters,
            # public: no credentials
            "security": [],
            "responses": _responses(schema, components, not_found=options.get("not_found", False)),
        }
    }


TOKEN_SCHEME = "token"


def _post(endpoint, components):
    """A `WriteEndpoint`'s operation: a body, a token, its answers and their examples."""
    responses = {
        status: {
            "description": description,
            "content": {
                "application/json": {"schema": schema, "example": example(schema, components)}
            },
        }
        for status, (description, schema) in endpoint.statuses.items()
    }
    responses["400"] = {
        "description": _("What is wrong with the submission, field by field; nothing was saved."),
        "content": {
            "application/json": {
                "schema": ref("SubmissionError"),
                "example": {
                    "message": "The record was not saved.",
                    "errors": {"women": ["Ensure this value is greater than or equal to 0."]},
                },
            }
        },
    }
    return {
        "post": {
            "operationId": endpoint.operation_id or _operation_id(endpoint.url_name),
            "tags": [endpoint.tag],
            "summary": endpoint.summary,
            "description": endpoint.description or endpoint.summary,
            "security": [{TOKEN_SCHEME: []}],
            "requestBody": {
                "required": True,
                # one kind of body each (client generators mishandle a choice of several);
                # the description says what else the endpoint reads
                "content": {endpoint.content_type: {"schema": endpoint.request_schema}},
            },
            "responses": responses,
        }
    }


def example(schema, components, depth=0):
    """A small instance of a JSON schema, for the document's response examples: the first
    of each enumeration, one item of each array, every property of each object."""
    if depth > 8:
        return None
    if "$ref" in schema:
        return example(components[schema["$ref"].rsplit("/", 1)[1]], components, depth + 1)
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return example(schema[key][0], components, depth + 1)
    if "example" in schema:
        return schema["example"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        return {
            name: example(item, components, depth + 1)
            for name, item in schema.get("properties", {}).items()
        }
    if kind == "array":
        return [example(schema.get("items", {}), components, depth + 1)]
    if kind in ("integer", "number"):
        return max(schema.get("minimum", 1), 1) if kind == "integer" else 1.5
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return {"date": "2026-11-30", "date-time": "2026-11-30T10:00:00+06:00"}.get(
        schema.get("format"), "text"
    )


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
        "SubmissionError": {
            "type": "object",
            "required": ["message"],
            "properties": {
                "message": STRING,
                "errors": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": STRING},
                },
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
    """Django's "municipalities/<str:slug>/" as OpenAPI's "/api/v2/municipalities/{slug}"
    (without the final slash, which the API accepts either way)."""
    parts = [part.split(":")[-1] for part in route.replace(">", "<").split("<")]
    path = "/api/v2/" + "".join(
        part if index % 2 == 0 else "{%s}" % ("id" if part == "pk" else part)
        for index, part in enumerate(parts)
    )
    return path.rstrip("/")


def _operation_id(url_name):
    """ "api_participation_record" as "participationRecord"."""
    words = url_name.removeprefix("api_").split("_")
    return words[0] + "".join(word.capitalize() for word in words[1:])


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
    components = _schemas(registered)
    by_id = BY_ID
    wagtail = ref("WagtailItem")
    tags = dict(TAGS)
    for endpoint in registered:
        tags.update(endpoint.tags)

    def wagtail_listing(operation_id, summary, description, parameters):
        return _get(
            operation_id,
            "pages",
            summary,
            description,
            parameters,
            listing_schema(wagtail),
            components,
        )

    def wagtail_item(operation_id, summary, description):
        return _get(
            operation_id,
            "pages",
            summary,
            description,
            [FIELDS],
            wagtail,
            components,
            not_found=True,
            path_parameter=by_id,
        )

    paths = {
        "/api/v2/pages": wagtail_listing(
            "listPages",
            _("Published public pages of every type."),
            _(
                "Hearing notices, budgets, development plans, campaigns and the site's other "
                "pages, in every language they are published in; filter by type, language, "
                "place and dates, search their text."
            ),
            _page_parameters(),
        ),
        "/api/v2/pages/{id}": wagtail_item(
            "getPage",
            _("One published page with all its fields."),
            _("Add ?fields=* for every field of the page's type."),
        ),
        "/api/v2/images": wagtail_listing(
            "listImages",
            _("Images."),
            _("Images used by published pages."),
            [FIELDS, LIMIT, OFFSET, SEARCH],
        ),
        "/api/v2/images/{id}": wagtail_item(
            "getImage", _("One image."), _("One image with its renditions' addresses.")
        ),
        "/api/v2/documents": wagtail_listing(
            "listDocuments",
            _("Public documents."),
            _(
                "Documents that published pages or public records use (never a signed "
                "attendance sheet), with their download addresses."
            ),
            [FIELDS, LIMIT, OFFSET, SEARCH],
        ),
        "/api/v2/documents/{id}": wagtail_item(
            "getDocument", _("One document."), _("One public document and its download address.")
        ),
        **{
            _openapi_path(endpoint.route): _get(
                endpoint.operation_id or _operation_id(endpoint.url_name),
                endpoint.tag,
                endpoint.summary,
                endpoint.description or endpoint.summary,
                form_parameters(endpoint.parameters),
                endpoint.response,
                components,
                not_found=endpoint.path_parameter is not None,
                path_parameter=endpoint.path_parameter,
            )
            for endpoint in registered
            if not getattr(endpoint, "writes", False)
        },
        **{
            _openapi_path(endpoint.route): _post(endpoint, components)
            for endpoint in registered
            if getattr(endpoint, "writes", False)
        },
        "/api/v2/schema": {
            "get": {
                "operationId": "getSchema",
                "tags": ["meta"],
                "summary": _("This document."),
                "description": _(
                    "The OpenAPI 3.1 description of the API, in English; the site's open-data "
                    "page shows it in Kyrgyz and Russian."
                ),
                "security": [],
                "responses": {
                    "200": {
                        "description": "OpenAPI 3.1",
                        "content": {
                            "application/json": {
                                "schema": {"type": "object"},
                                "example": {"openapi": "3.1.0"},
                            }
                        },
                    },
                },
            }
        },
    }
    origin = request.build_absolute_uri("/").rstrip("/")
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
                "contact": {"name": "Local services", "url": origin + "/"},
                "license": {
                    "name": "CC BY 4.0",
                    "url": "https://creativecommons.org/licenses/by/4.0/",
                },
            },
            "servers": [{"url": origin}],
            "tags": [{"name": name, "description": text} for name, text in tags.items()],
            "paths": paths,
            "components": {
                "schemas": components,
                "securitySchemes": {
                    TOKEN_SCHEME: {
                        "type": "http",
                        "scheme": "bearer",
                        "description": _(
                            "A token a programme manager created for your organisation in "
                            "the admin (API tokens); only the submission endpoints need it."
                        ),
                    }
                },
            },
        }
    )
