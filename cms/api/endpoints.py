"""The machinery of the API's own endpoints; the endpoints live with their domain.

An endpoint is a GET-only view whose query parameters are a Django form: the same
declaration validates requests (a 400 naming the parameter) and describes them in the
OpenAPI document (`cms.api.openapi`). A domain registers its endpoints with the
`cms.extensions.API_ENDPOINTS` hook; each says where it is served and what it answers.
"""

from django import forms
from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from wagtail.models import Locale

from cms.api.errors import bad_request

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
MAX_LIMIT = 100
DEFAULT_LIMIT = 20
MAX_OFFSET = 1_000_000_000  # beyond any real listing, and within every database's integers


class ListParameters(forms.Form):
    limit = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_LIMIT,
        help_text=format_lazy(gettext_lazy("1 to {}; 20 by default."), MAX_LIMIT),
    )
    offset = forms.IntegerField(
        required=False, min_value=0, max_value=MAX_OFFSET, help_text=gettext_lazy("From 0.")
    )


class LocaleParameter(forms.Form):
    locale = forms.ChoiceField(
        required=False,
        choices=[(code, code) for code in LANGUAGE_CODES],
        help_text=gettext_lazy("The language of names and labels; ky by default."),
    )


class Endpoint(View):
    """A GET-only JSON endpoint whose parameters are a form; anything else is a 400.

    What the router and the OpenAPI document read: `route` (below /api/v2/, Django path
    syntax), `url_name` (also the operation's id), `summary`, `description`, `tag`,
    `response` (a JSON schema, usually a `$ref`), `schemas` (components it defines),
    `path_parameter` (for `{id}`/`{slug}` routes) and `order`.
    """

    http_method_names = ["get", "head", "options"]
    parameters = forms.Form
    route = ""
    url_name = ""
    summary = ""
    # what a client developer reads beside the summary, and the group it is listed under
    # (a name of `cms.api.openapi.TAGS` or one the endpoint's `tags` adds)
    description = ""
    tag = ""
    tags = {}
    # the name a generated client gives the call ("listMunicipalities"); else from url_name
    operation_id = ""
    response = {"type": "object"}
    schemas = {}
    path_parameter = None
    order = 0

    def get(self, request, *args, **kwargs):
        allowed = set(self.parameters.base_fields)
        unknown = sorted(set(request.GET) - allowed)
        if unknown:
            return bad_request(unknown[0], _("This endpoint has no such parameter."))
        for name in allowed & set(request.GET):
            if len(request.GET.getlist(name)) > 1:
                return bad_request(name, _("Give this parameter once."))
        form = self.parameters(request.GET)
        if not form.is_valid():
            name, errors = next(iter(form.errors.items()))
            return bad_request(name, " ".join(str(error) for error in errors))
        language = form.cleaned_data.get("locale") or settings.LANGUAGE_CODE
        self.locale = Locale.objects.filter(language_code=language).first() or Locale.get_default()
        with translation.override(language):  # labels in the language asked for, like names
            return self.answer(request, form.cleaned_data, *args, **kwargs)

    def answer(self, request, params, *args, **kwargs):
        raise NotImplementedError


class WriteEndpoint(View):
    """A POST endpoint for programs that hold a token (`Authorization: Bearer …`), never a
    browser session: CSRF does not apply (no cookie is read) and answers are never cached.

    Besides what `Endpoint` declares: `request_schema` (the body, JSON or multipart form),
    `statuses` (the answers it gives besides 400, each a description and schema)."""

    http_method_names = ["post", "options"]
    writes = True
    route = ""
    url_name = ""
    operation_id = ""
    summary = ""
    description = ""
    tag = ""
    tags = {}
    request_schema = {"type": "object"}
    # the body the OpenAPI document declares (the view may read others, say so in
    # `description`)
    content_type = "application/json"
    response = {"type": "object"}
    statuses = {}
    path_parameter = None
    order = 0

    @classmethod
    def as_view(cls, **initkwargs):
        return csrf_exempt(super().as_view(**initkwargs))


def page_of(queryset, params):
    total = queryset.count()
    offset = params.get("offset") or 0
    limit = params.get("limit") or DEFAULT_LIMIT
    return total, queryset[offset : offset + limit]


def listing(total, items):
    return JsonResponse(
        {"meta": {"total_count": total}, "items": items}, json_dumps_params={"ensure_ascii": False}
    )


def answer(payload):
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})


def listing_schema(item):
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


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


BY_ID = {
    "name": "id",
    "in": "path",
    "required": True,
    "description": gettext_lazy("The item's id."),
    "schema": {"type": "integer"},
}


def choice_schema(choices):
    """A parameter of fixed codes; `x-enumLabels` says what each code means, in the language
    the document is built in (the API page for people shows them)."""
    pairs = [(value, label) for value, label in choices if value]
    if not pairs:  # nothing to choose from yet (a site without municipalities)
        return {"type": "string"}
    return {
        "type": "string",
        "enum": [value for value, _label in pairs],
        "x-enumLabels": {value: str(label) for value, label in pairs},
    }
