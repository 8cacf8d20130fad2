"""The OpenAPI 3.1 document of /api/v2/, built from the same declarations that serve requests:
the programme endpoints' parameter forms and the pages endpoint's filters."""

from django import forms
from django.conf import settings
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cms.api import programme
from cms.api.pages import PAGE_FILTERS
from municipalities.choices import HearingStatus, HearingTopic
from municipalities.exports import RECORD_HEADER

INTEGER = {"type": "integer"}
STRING = {"type": "string"}
DATE = {"type": "string", "format": "date"}


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


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


def choice_schema(choices):
    """A parameter of fixed codes; `x-enumLabels` says what each code means, in the language
    the document is built in (the API page for people shows them)."""
    pairs = [(value, label) for value, label in choices if value]
    return {
        "type": "string",
        "enum": [value for value, _label in pairs],
        "x-enumLabels": {value: str(label) for value, label in pairs},
    }


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
    {"type": "integer", "minimum": 1, "maximum": programme.MAX_LIMIT},
    format_lazy(_("Items per page, at most {} (20 by default)."), programme.MAX_LIMIT),
)
OFFSET = _query(
    "offset",
    {"type": "integer", "minimum": 0, "maximum": programme.MAX_OFFSET},
    _("Items to skip."),
)
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
        _query("search", STRING, _("Full-text search.")),
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
        _query(
            "topic",
            choice_schema(HearingTopic.choices),
            _("With type=municipalities.HearingPage: the hearing's topic."),
        ),
        _query(
            "status",
            choice_schema(HearingStatus.choices),
            _("With type=municipalities.HearingPage: the hearing's status."),
        ),
        _query("municipality", STRING, PAGE_FILTERS["municipality"]),
        _query("oblast", STRING, PAGE_FILTERS["oblast"]),
        _query("date_from", DATE, PAGE_FILTERS["date_from"]),
        _query("date_to", DATE, PAGE_FILTERS["date_to"]),
        _query("upcoming", {"type": "string", "enum": ["true", "false"]}, PAGE_FILTERS["upcoming"]),
    ]


def _responses(schema, *, not_found=False):
    responses = {
        "200": {"description": "OK", "content": {"application/json": {"schema": schema}}},
        "304": {"description": "Not modified since the ETag given in If-None-Match."},
        "400": {
            "description": "A parameter is wrong: the body says which and why.",
            "content": {"application/json": {"schema": _ref("Error")}},
        },
    }
    if not_found:
        responses["404"] = {
            "description": "No such item.",
            "content": {"application/json": {"schema": _ref("Error")}},
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


def _listing(item):
    return {
        "type": "object",
        "required": ["meta", "items"],
        "properties": {
            "meta": {
                "type": "object",
                "required": ["total_count"],
                "properties": {"total_count": {"type": "integer", "minimum": 0}},
            },
            "items": {"type": "array", "items": item},
        },
    }


COUNT_FIELDS = ("women", "men", "not_recorded", "young_people", "persons_with_disabilities")
COUNTS = {
    "type": ["integer", "string", "null"],
    "description": 'A count; "<5" where small cells are suppressed.',
}


def _schemas():
    names = {"type": "object", "additionalProperties": STRING}
    wagtail_item = {
        "type": "object",
        "required": ["id", "meta"],
        "properties": {"id": INTEGER, "meta": {"type": "object"}},
        "additionalProperties": True,
    }
    figure = {
        "type": "object",
        "additionalProperties": True,
        "properties": {"value": INTEGER, "target": {"type": ["integer", "null"]}},
    }
    return {
        "Error": {
            "type": "object",
            "required": ["message"],
            "properties": {
                "message": STRING,
                "parameter": {"type": ["string", "null"]},
                "reason": STRING,
            },
        },
        "WagtailItem": wagtail_item,
        "Municipality": {
            "type": "object",
            "required": [
                "slug",
                "names",
                "oblast",
                "hearings",
                "campaigns",
                "verified_participants",
            ],
            "properties": {
                "slug": STRING,
                "pilot_number": {"type": ["integer", "null"]},
                "names": names,
                "urls": names,
                "page_ids": {"type": "object", "additionalProperties": INTEGER},
                "oblast": {
                    "type": "object",
                    "properties": {"slug": {"type": ["string", "null"]}, "names": names},
                },
                "population": {"type": ["integer", "null"]},
                "hearings": {"type": "integer", "minimum": 0},
                "campaigns": {"type": "integer", "minimum": 0},
                "verified_participants": {
                    "type": "object",
                    "properties": {
                        k: {"type": "integer", "minimum": 0}
                        for k in ("women", "men", "not_recorded", "total")
                    },
                },
            },
        },
        "ParticipationRecord": {
            "type": "object",
            "required": list(RECORD_HEADER),
            "properties": {
                **{name: {"type": ["string", "null"]} for name in RECORD_HEADER},
                "id": INTEGER,
                "date": DATE,
                **dict.fromkeys(
                    ("women", "men", "not_recorded", "young_people", "persons_with_disabilities"),
                    COUNTS,
                ),
                "total": INTEGER,
            },
        },
        "Indicators": {
            "type": "object",
            "required": ["summary", "breakdowns", "reporting_periods"],
            "properties": {
                "summary": {
                    "type": "object",
                    "required": [
                        "scope",
                        "policies_in_force",
                        "hearing_participation",
                        "mobilisation_coverage",
                    ],
                    "properties": {
                        "scope": {"type": "object"},
                        "policies_in_force": figure,
                        "hearing_participation": figure,
                        "mobilisation_coverage": figure,
                    },
                },
                "breakdowns": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "object"}},
                },
                "reporting_periods": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "name": STRING,
                            "start": DATE,
                            "end": DATE,
                            "closed_at": STRING,
                            "fingerprint": STRING,
                        },
                    },
                },
            },
        },
        "Coverage": {
            "type": "object",
            "required": ["scope", "columns", "rows", "totals"],
            "properties": {
                "scope": {"type": "object"},
                "columns": {
                    "type": "array",
                    "items": {"type": "object", "properties": {"key": STRING, "label": STRING}},
                },
                "rows": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "municipality": STRING,
                            "name": STRING,
                            "url": {"type": ["string", "null"]},
                            "cells": {
                                "type": "object",
                                "additionalProperties": {
                                    "type": ["string", "null"],
                                    "format": "date",
                                },
                            },
                        },
                    },
                },
                "totals": {"type": "object", "additionalProperties": INTEGER},
            },
        },
    }


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
    by_id = {
        "name": "id",
        "in": "path",
        "required": True,
        "description": _("The item's id."),
        "schema": {"type": "integer"},
    }
    by_slug = {
        "name": "slug",
        "in": "path",
        "required": True,
        "description": _("Municipality slug."),
        "schema": STRING,
    }
    wagtail = _ref("WagtailItem")
    paths = {
        "/api/v2/pages/": _get(
            _("Published public pages of every type."), _page_parameters(), _listing(wagtail)
        ),
        "/api/v2/pages/{id}/": _get(
            _("One published page with all its fields."),
            [FIELDS],
            wagtail,
            not_found=True,
            path_parameter=by_id,
        ),
        "/api/v2/images/": _get(_("Images."), [FIELDS, LIMIT, OFFSET], _listing(wagtail)),
        "/api/v2/images/{id}/": _get(
            _("One image."), [FIELDS], wagtail, not_found=True, path_parameter=by_id
        ),
        "/api/v2/documents/": _get(
            _("Public documents."), [FIELDS, LIMIT, OFFSET], _listing(wagtail)
        ),
        "/api/v2/documents/{id}/": _get(
            _("One document."), [FIELDS], wagtail, not_found=True, path_parameter=by_id
        ),
        "/api/v2/municipalities/": _get(
            _(
                "The pilot municipalities: oblast, names in every language, counts of hearings, "
                "campaigns and verified participants."
            ),
            form_parameters(programme.MunicipalityParameters),
            _listing(_ref("Municipality")),
        ),
        "/api/v2/municipalities/{slug}/": _get(
            _("One municipality."),
            form_parameters(programme.MunicipalityDetailParameters),
            _ref("Municipality"),
            not_found=True,
            path_parameter=by_slug,
        ),
        "/api/v2/participation/": _get(
            _("Verified participation records: counts by sex, never names."),
            form_parameters(programme.ParticipationParameters),
            _listing(_ref("ParticipationRecord")),
        ),
        "/api/v2/participation/{id}/": _get(
            _("One verified participation record."),
            form_parameters(programme.LocaleParameter),
            _ref("ParticipationRecord"),
            not_found=True,
            path_parameter=by_id,
        ),
        "/api/v2/indicators/": _get(
            _(
                "The three programme indicators, their breakdowns, targets and closed reporting "
                "periods with their SHA-256 fingerprints."
            ),
            form_parameters(programme.IndicatorParameters),
            _ref("Indicators"),
        ),
        "/api/v2/coverage/": _get(
            _("Which municipality received which support, with the latest date of each."),
            form_parameters(programme.CoverageParameters),
            _ref("Coverage"),
        ),
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
            "components": {"schemas": _schemas()},
        }
    )
