"""The JSON answer every donor endpoint gives, in one place: the ninja operations (`api.py`),
the fast verify path (`fast_verify.py`, which must not import `api.py` and its ninja setup)
and the checker (`checker.py`). Compact separators and UTF-8 as is, so that the fast path and
the full path give byte-identical answers."""

import json

from django.http import HttpResponse


def json_response(data: dict, status: int = 200, headers=None) -> HttpResponse:
    return HttpResponse(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        content_type="application/json",
        status=status,
        headers=headers,
    )
