"""The checker for donors' web forms: a small script (`static/approval_codes/checker.js`, no
framework) that a donor adds to its own form with a publishable key, and the endpoint it asks,
`POST /api/v1/codes/check`.

The key travels in the body (`{"key", "code"}`), so the script's request is a simple one
(`Content-Type: text/plain`) with no preflight; a preflight is still answered, for exactly the
origins listed on some publishable key. An answer carries what the public /verify/ page shows
and no more (never the representative's name or email), with
`Access-Control-Allow-Origin` only for an origin listed on the key. Checks are limited per key,
origin and client address, are logged for the donor, and never count as the donor having used
the code (no webhook events follow from them).
"""

import base64
import functools
import hashlib
import json
from datetime import UTC

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from approval_codes import api_log, codes, ratelimit, selectors
from approval_codes.models import ApiKey
from approval_codes.responses import json_response

SCRIPT_PATH = settings.BASE_DIR / "static" / "approval_codes" / "checker.js"
MAX_BODY_BYTES = 2048


@functools.cache
def script() -> tuple[bytes, str, str]:
    """(the script, its subresource integrity hash, the version in its URL)."""
    content = SCRIPT_PATH.read_bytes()
    digest = hashlib.sha384(content).digest()
    return content, "sha384-" + base64.b64encode(digest).decode(), digest.hex()[:12]


def script_view(request, version: str):
    """The script, cached for a year: its URL changes with its content."""
    content, _integrity, current = script()
    if version != current:
        raise Http404
    response = HttpResponse(content, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Access-Control-Allow-Origin"] = "*"  # for `integrity` with `crossorigin`
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def _json(data, status=200, origin=None, headers=None) -> HttpResponse:
    response = json_response(data, status=status, headers=headers)
    response["Vary"] = "Origin"
    if origin:
        response["Access-Control-Allow-Origin"] = origin
    return response


def _error(status, type, message, origin=None, headers=None, **extra):
    return _json({"error": {"type": type, "message": message, **extra}}, status, origin, headers)


def _listed_somewhere(origin: str) -> bool:
    keys = ApiKey.objects.usable().filter(kind=ApiKey.Kind.PUBLISHABLE)
    return any(
        origin in (origins or []) for origins in keys.values_list("allowed_origins", flat=True)
    )


def _preflight(origin: str) -> HttpResponse:
    """A CORS preflight: allowed for exactly the origins listed on some publishable key."""
    response = HttpResponse(status=204)
    response["Vary"] = "Origin"
    if origin and _listed_somewhere(origin):
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Methods"] = "POST"
        response["Access-Control-Allow-Headers"] = "Content-Type"
        response["Access-Control-Max-Age"] = "600"
    return response


@csrf_exempt
def check(request):
    origin = request.headers.get("Origin", "")
    if request.method == "OPTIONS":
        return _preflight(origin)
    if request.method != "POST":
        return _error(405, "method_not_allowed", "Only POST is allowed here.")
    if len(request.body) > MAX_BODY_BYTES:
        return _error(400, "invalid_request", "The request body is too large.")
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("key"), str):
        return _error(401, "unauthorized", 'Send the publishable key as "key" in the body.')
    api_key = selectors.api_key_by_token(data["key"].strip()[:100])
    if api_key is None or api_key.kind != ApiKey.Kind.PUBLISHABLE:
        return _error(401, "unauthorized", "This is not a publishable key of a donor partner.")
    if origin not in api_key.allowed_origins:
        return _error(
            403, "origin_not_allowed", "This key may not be used from this web site."
        )  # no CORS header: the page cannot even read why
    retry_after = ratelimit.hit(
        scope="checker",
        ident=f"{api_key.pk}:{origin}:{request.META.get('REMOTE_ADDR', '')}",
        rate=settings.APPROVAL_CODES_CHECKER_RATE,
    )
    if retry_after is not None:
        _note(api_key, 429, "rate_limited")
        return _error(
            429,
            "rate_limited",
            f"Too many checks; retry in {retry_after} seconds.",
            origin,
            headers={"Retry-After": str(retry_after)},
        )
    raw = data.get("code")
    lookup = codes.normalise(raw) if isinstance(raw, str) else None
    if lookup is None:
        _note(api_key, 400, "not_a_code")
        return _error(400, "invalid_request", "That cannot be an approval code.", origin)
    code = selectors.code_for_key(lookup, api_key)
    answer = public_answer(code)
    _note(api_key, 200, answer["reason"] or "valid", raw)
    return _json(answer, origin=origin)


def _note(api_key, status_code, outcome, raw=""):
    api_log.note(
        api_key_id=api_key.pk,
        donor_id=api_key.donor_id,
        operation="check",
        status_code=status_code,
        outcome=outcome,
        code_text=raw,
        sighting=False,  # checks never count as using a code with the organisation
    )


def public_answer(code) -> dict:
    """What the public /verify/ page shows about `code` (None: unknown), and no more."""
    if code is None:
        return {
            "valid": False,
            "reason": "unknown",
            "status": None,
            "expires_at": None,
            "organisation": None,
        }
    reason = code.invalid_reason()
    organisation = code.organisation
    return {
        "valid": reason is None,
        "reason": reason,
        "status": code.effective_status(),
        "expires_at": code.expires_at.astimezone(UTC).isoformat(timespec="seconds"),
        "organisation": {
            "name": organisation.legal_name,
            "country": organisation.country.code,
            "type": organisation.type,
            "validation_status": organisation.status,
        },
    }


def snippet(request, api_key) -> str:
    """The tag a donor pastes into its form page for `api_key`."""
    _content, integrity, version = script()
    base = f"{request.scheme}://{request.get_host()}"
    return (
        f'<script src="{base}/checker/{version}/checker.js" integrity="{integrity}" '
        f'crossorigin="anonymous" data-key="{api_key.prefix}" data-field="#approval-code" '
        f'data-endpoint="{base}/api/v1/codes/check" defer></script>'
    )


def demo(request):
    """A donor's order form as a donor would build one, using the checker (and the demo
    donor's publishable key for this very site)."""
    from approval_codes.demo import demo_publishable_key

    origin = f"{request.scheme}://{request.get_host()}"
    api_key = demo_publishable_key(origin=origin)
    _content, integrity, version = script()
    return render(
        request,
        "approval_codes/checker_demo.html",
        {"key": api_key.prefix, "integrity": integrity, "version": version, "origin": origin},
    )
