"""Errors of the API: always JSON, always naming the parameter at fault."""

import re

from django.http import JsonResponse
from wagtail.api.v2.utils import BadRequestError


class ParameterError(BadRequestError):
    """A query parameter that cannot be used, with the reason."""

    def __init__(self, parameter, reason):
        self.parameter = parameter
        self.reason = str(reason)
        super().__init__(f"{parameter}: {self.reason}")


# Wagtail's own messages name the parameter in one of these ways: (pattern, parameter or None
# to take it from the message)
_WAGTAIL_PARAMETER = [
    (re.compile(r"^query parameter is not an operation or a recognised field: (?P<p>[^,]+)"), None),
    (re.compile(r"^(?P<p>limit|offset|order|search|fields|type|locale|site)\b"), None),
    (re.compile(r"^(?P<p>child_of|ancestor_of|descendant_of|translation_of)\b"), None),
    (re.compile(r"^field filter error\. '.*' is not a valid value for (?P<p>\w+)"), None),
    (re.compile(r"^cannot order by"), "order"),
    (re.compile(r"^(unknown|cannot use) (field|fields)|^fields"), "fields"),
    (re.compile(r"^(parent|ancestor|descendant) page doesn't exist"), None),
]


def parameter_of(message):
    for pattern, name in _WAGTAIL_PARAMETER:
        match = pattern.search(message)
        if match:
            return name or match.groupdict().get("p")
    return None


def error_body(exc):
    if isinstance(exc, ParameterError):
        return {"message": str(exc), "parameter": exc.parameter, "reason": exc.reason}
    message = str(exc)
    return {"message": message, "parameter": parameter_of(message)}


def bad_request(parameter, reason):
    return JsonResponse(
        {"message": f"{parameter}: {reason}", "parameter": parameter, "reason": str(reason)},
        status=400,
    )


def not_found(message="Not found."):
    return JsonResponse({"message": str(message)}, status=404)
