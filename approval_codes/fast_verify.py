"""`POST /api/v1/codes/verify` on the fast path: one Redis round trip (`verify_cache.read`),
no ORM, no ninja, no schema work, when the request is an ordinary one.

`answer(request)` returns the response, or None to send the request the ordinary way (the
ninja operation in `api.py`, which gives the same answers from the database): a missing or
malformed Authorization header or body (so that 401 still comes before 400, with ninja's error
shapes), a key that is not a secret one, an unknown key, and a cache that cannot be read (it
is bypassed). A cache miss on a known key or code is read from the database (two indexed
queries) and cached for the next request.
"""

import json
import logging
import time

from django.http import HttpResponse

from approval_codes import api_log, codes, ratelimit, selectors, verify_cache
from approval_codes.models import ApiKey
from approval_codes.responses import json_response

logger = logging.getLogger(__name__)

PATH = "/api/v1/codes/verify"
MAX_BODY_BYTES = 4096
MAX_TOKEN_LENGTH = 200
MAX_EMAIL_LENGTH = 254
_OUTAGE_LOG_EVERY = 60.0
_last_outage_log = 0.0


def _token(request) -> str | None:
    scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return token


def _payload(request):
    """(code as pasted, its lookup, email) of an ordinary body, else None."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 < declared <= MAX_BODY_BYTES:
        return None
    body = request.body
    if b"\\u0000" in body:  # a NUL (JSON can only escape it): the full path answers 400
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if type(data) is not dict:
        return None
    raw, email = data.get("code"), data.get("email")
    if type(raw) is not str or not (
        email is None or (type(email) is str and len(email) <= MAX_EMAIL_LENGTH)
    ):
        return None
    lookup = codes.normalise(raw)
    if lookup is None:
        return None
    return raw, lookup, email


def _log_outage() -> None:
    global _last_outage_log
    if time.monotonic() - _last_outage_log > _OUTAGE_LOG_EVERY:
        _last_outage_log = time.monotonic()
        logger.warning(
            "The donor API's cache cannot be read; verify reads the database", exc_info=True
        )


def answer(request) -> HttpResponse | None:
    if request.method != "POST" or not verify_cache.enabled():
        return None
    token = _token(request)
    payload = _payload(request) if token is not None else None
    if payload is None:
        return None
    raw, lookup, email = payload
    key_hash = ApiKey.hash_of(token)
    now = ratelimit.clock()
    try:
        key, code, organisation, count = _states(
            key_hash=key_hash, token=token, lookup=lookup, now=now
        )
    except Exception:
        _log_outage()
        return None
    if key == verify_cache.MISSING:
        return None  # ninja answers 401
    key = json.loads(key)
    if key["kind"] not in ("", "secret"):
        return None  # ninja refuses publishable keys
    if count > ratelimit.parse_rate(_rate())[0]:
        return _rate_limited(key, key_hash, now)
    body, code_id, organisation_id = _verification(
        code=code,
        organisation=organisation,
        test=key.get("test", False),
        raw=raw,
        email=email,
        now=now,
    )
    api_log.note(
        api_key_id=key["id"],
        donor_id=key["donor_id"],
        operation="verify",
        status_code=200,
        outcome=body["reason"] or "valid",
        code_id=code_id,
        organisation_id=organisation_id,
        code_text=raw,
        sighting=code_id is not None,
    )
    return json_response(body)


def _states(*, key_hash, token, lookup, now):
    """(key, code, organisation states, count in the rate window): one Redis round trip, and
    the database for what was not cached. Raises when the cache cannot be read."""
    key, code, organisation, count = verify_cache.read(key_hash=key_hash, lookup=lookup, now=now)
    if key is None or code is None or (code != verify_cache.MISSING and organisation is None):
        return _from_database(
            key_hash=key_hash, token=token, lookup=lookup, key=key, code=code, count=count, now=now
        )
    return key, code, organisation, count


def _rate_limited(key: dict, key_hash: str, now: float) -> HttpResponse:
    _counter, _limit, retry_after = verify_cache.rate_key(key_hash, now)
    api_log.note(
        api_key_id=key["id"],
        donor_id=key["donor_id"],
        operation="verify",
        status_code=429,
        outcome="rate_limited",
    )
    return json_response(
        {
            "error": {
                "type": "rate_limited",
                "message": f"Too many requests with this key; retry in {retry_after} seconds.",
            }
        },
        status=429,
        headers={"Retry-After": str(retry_after)},
    )


def _rate() -> str:
    from django.conf import settings

    return settings.APPROVAL_CODES_API_RATE


def _from_database(*, key_hash, token, lookup, key, code, count, now):
    """A miss: read what is missing from the database, cache it, and count the request if the
    script could not (the key was not cached)."""
    api_key = found_code = None
    fill = {}
    if key is None:
        api_key = selectors.api_key_by_token(token)
        fill.update(key_hash=key_hash, api_key=api_key)
        key = verify_cache.key_state(api_key)
    if code is None or code != verify_cache.MISSING:
        found_code = selectors.code_by_lookup(lookup)
        fill.update(lookup=lookup, code=found_code)
        code = verify_cache.code_state(found_code)
    verify_cache.fill(**fill)
    organisation = (
        verify_cache.organisation_state(found_code.organisation) if found_code is not None else None
    )
    if api_key is not None and key != verify_cache.MISSING:
        over = ratelimit.hit(scope="api-key", ident=key_hash, rate=_rate(), now=now) is not None
        count = ratelimit.parse_rate(_rate())[0] + 1 if over else 0
    return key, code, organisation, count


def unknown(raw: str) -> dict:
    """The verify answer for a code that does not exist (or that the key may not see)."""
    return {
        "code": raw.strip(),
        "valid": False,
        "reason": "unknown",
        "status": None,
        "expires_at": None,
        "organisation": None,
        "representative": None,
    }


def _verification(*, code: str, organisation: str | None, test: bool, raw: str, email, now: float):
    """The verify answer (as `api.verification` gives it), its code id and organisation id.
    A code of an organisation in the other mode than the key's (test or live) is answered
    exactly as an unknown one."""
    org = None
    if code != verify_cache.MISSING:
        org = json.loads(organisation)
        if org.pop("test", False) != test:
            org = None
    if org is None:
        body = unknown(raw)
        code_id = organisation_id = representative_email = None
    else:
        organisation_id, _, fields = code.partition("|")
        fields = json.loads(fields)
        status, expired = fields["status"], fields["expires"] <= now
        if status in ("replaced", "revoked"):
            reason = status
        elif status == "expired" or expired:
            reason = "expired"
        elif not org.pop("eligible"):
            reason = "organisation_not_eligible"
        else:
            reason = None
        org.pop("eligible", None)
        body = {
            "code": fields["code"],
            "valid": reason is None,
            "reason": reason,
            "status": "expired" if status == "active" and expired else status,
            "expires_at": fields["expires_at"],
            "organisation": org,
            "representative": {
                "first_name": fields["first_name"],
                "last_name": fields["last_name"],
                "email": fields["email"],
            },
        }
        code_id, organisation_id = fields["id"], int(organisation_id)
        representative_email = fields["email"]
    if email is not None:
        body["representative_matches"] = representative_email is not None and (
            email.strip().lower() == representative_email.lower()
        )
    return body, code_id, organisation_id
