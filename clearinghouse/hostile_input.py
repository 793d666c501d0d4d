"""Hostile input never answers 500 (issue 10, item 5).

A NUL character can be neither stored nor compared by PostgreSQL (it raises, which answered
500 on list filters and search boxes, and 503 on the donor API). No real form or filter value
contains one, so a request carrying one in its query string or form data is refused with a
clear 400 before any view runs. Under /api/ every error answer is JSON: an unknown path is
`not_found`, a wrong method `method_not_allowed`, like the API's other errors.
"""

import json

from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
NUL = "\x00"


def _api_error(status: int, type_: str, message: str, headers=None) -> HttpResponse:
    response = HttpResponse(
        json.dumps({"error": {"type": type_, "message": message}}),
        status=status,
        content_type="application/json",
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _has_nul(query_dict) -> bool:
    return any(
        NUL in key or any(NUL in value for value in values) for key, values in query_dict.lists()
    )


class HostileInputMiddleware:
    """Placed right after SecurityMiddleware (before the donor API's fast path)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        is_api = request.path_info.startswith(API_PREFIX)
        if (
            NUL in request.path_info
            or _has_nul(request.GET)
            or (not is_api and request.method == "POST" and _has_nul(request.POST))
        ):
            if is_api:
                return _api_error(400, "invalid_request", "The request contains a NUL character.")
            return HttpResponseBadRequest(
                _(
                    "The request contains a character that is not allowed (NUL). "
                    "Nothing was changed."
                ),
                content_type="text/plain; charset=utf-8",
            )
        response = self.get_response(request)
        if (
            is_api
            and response.status_code in (404, 405)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            if response.status_code == 404:
                return _api_error(404, "not_found", "There is no such API operation.")
            return _api_error(
                405,
                "method_not_allowed",
                "This operation does not take that method.",
                headers={"Allow": response.get("Allow", "")} if response.get("Allow") else None,
            )
        return response
