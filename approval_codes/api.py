"""The donor API, `/api/v1/` (DESIGN.md §6): verify and redeem approval codes.

Every answer is JSON; every error is `{"error": {"type", "message", ...}}` with a stable
`type`, and no input makes it answer 500. Verify is the hot path: two queries (the key with
its donor, the code with its organisation), one cache round trip for the per-key rate limit,
and the answer rendered straight to JSON (the schemas in `api_schemas.py` describe it for
OpenAPI; `bench/api.py` measures it).
"""

import functools
import json
import logging
from datetime import UTC

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.decorators import decorate_view
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer

from approval_codes import api_log, codes, fast_verify, ratelimit, selectors, services
from approval_codes.api_schemas import (
    CODE_EXAMPLE,
    ErrorOut,
    RedeemIn,
    RedemptionOut,
    VerificationOut,
    VerifyIn,
)
from approval_codes.errors import (
    ApiErrorType,
    ApprovalCodeError,
    ApprovalCodeErrorCode,
    CodeInvalidReason,
)
from approval_codes.responses import json_response

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 4096
MAX_TOKEN_LENGTH = 200
API_RATE = settings.APPROVAL_CODES_API_RATE  # per key; read once, checked here
API_LIMIT, API_PERIOD = ratelimit.parse_rate(API_RATE)
NOT_A_CODE = f"An approval code looks like '{CODE_EXAMPLE}': letters and digits, @, the handle."


class ApiError(Exception):
    """An error answer: HTTP `status`, a stable `type`, a message, and extra members."""

    def __init__(self, status: int, type: str, message: str, headers=None, **extra):
        super().__init__(message)
        self.status, self.type, self.message = status, type, message
        self.headers, self.extra = headers or {}, extra


def invalid_request(message: str, **fields: str) -> ApiError:
    return ApiError(
        400, ApiErrorType.INVALID_REQUEST, message, **({"fields": fields} if fields else {})
    )


def isoformat(moment) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _operation(request) -> str:
    return request.path_info.rstrip("/").rsplit("/", 1)[-1]


# --- Parsing and authentication -------------------------------------------------------------


def body_too_large() -> ApiError:
    return invalid_request(f"The request body is too large (at most {MAX_BODY_BYTES} bytes).")


def refuse_large_bodies(run):
    """Wraps an operation: a body declared larger than the cap is refused before it is read."""

    @functools.wraps(run)
    def wrapper(request, **kwargs):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > MAX_BODY_BYTES:
            return _api_error(request, body_too_large())
        return run(request, **kwargs)

    return wrapper


class BoundedJSONParser(Parser):
    """Bodies are small JSON objects (a body without a declared length is checked here)."""

    def parse_body(self, request: HttpRequest):
        if len(request.body) > MAX_BODY_BYTES:
            raise body_too_large()
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            raise invalid_request("The request body is not valid JSON.") from None
        if not isinstance(data, dict):
            raise invalid_request("Send a JSON object.", body="Expected a JSON object.")
        nul_fields = [name for name, value in data.items() if "\x00" in str(value)]
        if nul_fields:  # never storable: a 400, not a 503 that invites a retry
            raise invalid_request(
                "A field contains a NUL character.",
                **dict.fromkeys(nul_fields, "Contains a NUL character."),
            )
        return data


class DonorKeyAuth(HttpBearer):
    """`Authorization: Bearer <key>`: the donor's key, looked up by its hash in one query.
    A known key is then counted against its rate (429 past it) and its use noted."""

    def authenticate(self, request: HttpRequest, token: str):
        token = token.strip()
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        api_key = selectors.api_key_by_token(token)
        if api_key is None:
            return None
        if api_key.kind != api_key.Kind.SECRET:
            raise ApiError(
                403,
                "forbidden",
                "A publishable key can only check codes (POST /api/v1/codes/check) from the web "
                "sites listed for it; use a secret key here.",
            )
        rate = settings.APPROVAL_CODES_API_RATE
        retry_after = ratelimit.hit(scope="api-key", ident=api_key.key_hash, rate=rate)
        if retry_after is not None:
            api_log.note(
                api_key_id=api_key.pk,
                donor_id=api_key.donor_id,
                operation=_operation(request),
                status_code=429,
                outcome="rate_limited",
            )
            raise ApiError(
                429,
                ApiErrorType.RATE_LIMITED,
                f"Too many requests with this key; retry in {retry_after} seconds.",
                headers={"Retry-After": str(retry_after)},
            )
        return api_key


api = NinjaAPI(
    title="Clearinghouse donor API",
    version="1",
    description="Verify and redeem approval codes of validated organisations. Send your key "
    f"as `Authorization: Bearer <key>`. Each key may make {API_LIMIT} requests per "
    f"{API_PERIOD} seconds; past that the answer is 429 with `Retry-After`.",
    urls_namespace="api-v1",
    auth=DonorKeyAuth(),
    parser=BoundedJSONParser(),
)


# --- Errors ---------------------------------------------------------------------------------


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    body = {"type": exc.type, "message": exc.message, **exc.extra}
    return json_response({"error": body}, status=exc.status, headers=exc.headers)


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    return _api_error(
        request,
        ApiError(
            401,
            ApiErrorType.UNAUTHORIZED,
            "Send a valid API key as 'Authorization: Bearer <key>'; this one is missing, "
            "unknown or revoked.",
            headers={"WWW-Authenticate": "Bearer"},
        ),
    )


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    if not request.body:
        return _api_error(
            request, invalid_request("The request body is empty; send a JSON object.")
        )
    fields: dict[str, str] = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload")]
        message = error.get("msg", "Invalid value.")
        if error.get("type") == "string_pattern_mismatch":
            message = NOT_A_CODE
        fields.setdefault(".".join(location) or "body", message)
    return _api_error(request, invalid_request("The request body is not valid.", **fields))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, ApiError):  # raised by the parser, wrapped by ninja
        return _api_error(request, exc.__cause__)
    if exc.status_code == 400:
        return _api_error(request, invalid_request(str(exc)))
    return _api_error(request, ApiError(exc.status_code, ApiErrorType.HTTP_ERROR, str(exc)))


@api.exception_handler(Exception)
def _unexpected(request, exc: Exception):
    if isinstance(exc, RequestDataTooBig):
        return _api_error(request, body_too_large())
    logger.exception("Donor API request failed", exc_info=exc)
    return _api_error(
        request,
        ApiError(
            503,
            ApiErrorType.SERVICE_UNAVAILABLE,
            "The service could not answer just now; retry shortly.",
            headers={"Retry-After": "30"},
        ),
    )


# --- Endpoints ------------------------------------------------------------------------------

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut, 503: ErrorOut}


def _lookup(raw: str) -> str:
    lookup = codes.normalise(raw)
    if lookup is None:
        raise invalid_request("That cannot be an approval code.", code=NOT_A_CODE)
    return lookup


def verification(code, *, text: str, email: str | None) -> dict:
    """The verify answer for `code` (None: unknown), as pasted in `text`."""
    if code is None:
        answer = fast_verify.unknown(text)
    else:
        now = timezone.now()
        organisation = code.organisation
        answer = {
            "code": code.code,
            "valid": (reason := code.invalid_reason(now)) is None,
            "reason": reason,
            "status": code.effective_status(now),
            "expires_at": isoformat(code.expires_at),
            "organisation": {
                "name": organisation.legal_name,
                "handle": organisation.handle,
                "country": organisation.country.code,
                "type": organisation.type,
                "validation_status": organisation.status,
            },
            "representative": {
                "first_name": code.first_name,
                "last_name": code.last_name,
                "email": code.email,
            },
        }
    if email is not None:
        answer["representative_matches"] = code is not None and (
            email.strip().lower() == code.email.lower()
        )
    return answer


def redemption_json(redemption, *, code, donor) -> dict:
    return {
        "id": redemption.pk,
        "code": code.code,
        "donor": donor.name,
        "reference": redemption.reference,
        "offer": redemption.offer,
        "redeemed_at": isoformat(redemption.redeemed_at),
    }


@api.post(
    "/codes/verify",
    response={200: VerificationOut, **ERRORS},
    summary="Verify an approval code",
    description="Whether the code is valid now, and whose it is. `valid` is true only when the "
    "code is active, unexpired and its organisation is eligible.",
)
@decorate_view(refuse_large_bodies)
def verify(request, payload: VerifyIn):
    code = selectors.code_for_key(_lookup(payload.code), request.auth)
    answer = verification(code, text=payload.code, email=payload.email)
    _note(request, 200, answer["reason"] or "valid", code=code, text=payload.code)
    return json_response(answer)


def _note(request, status_code: int, outcome: str, *, code=None, text: str = "") -> None:
    """Log the request for the donor area and, when a secret key saw a code, the sighting."""
    api_key = request.auth
    api_log.note(
        api_key_id=api_key.pk,
        donor_id=api_key.donor_id,
        operation=_operation(request),
        status_code=status_code,
        outcome=outcome,
        code_id=code.pk if code is not None else None,
        organisation_id=code.organisation_id if code is not None else None,
        code_text=text,
        sighting=code is not None,
    )


@api.post(
    "/codes/redeem",
    response={200: RedemptionOut, 201: RedemptionOut, 409: ErrorOut, **ERRORS},
    summary="Redeem an approval code",
    description="Record that you used a valid code: 201 the first time, 200 with the same "
    "redemption when repeated with the same reference, 409 `code_not_valid` otherwise.",
)
@decorate_view(refuse_large_bodies)
def redeem(request, payload: RedeemIn):
    code = selectors.code_for_key(_lookup(payload.code), request.auth)
    if code is None:
        _note(request, 409, "unknown", text=payload.code)
        raise ApiError(
            409,
            ApiErrorType.CODE_NOT_VALID,
            "There is no such approval code.",
            reason=CodeInvalidReason.UNKNOWN,
        )
    donor = request.auth.donor
    try:
        redemption, created = services.approval_code_redeem(
            code=code,
            donor=donor,
            reference=(payload.reference or "").strip(),
            offer=(payload.offer or "").strip(),
            api_key=request.auth,
        )
    except ApprovalCodeError as error:
        _note(request, 409, error.code, code=code, text=payload.code)
        if error.code == ApprovalCodeErrorCode.IDEMPOTENCY_CONFLICT:
            raise ApiError(
                409,
                ApiErrorType.IDEMPOTENCY_CONFLICT,
                "This reference was already used with another offer; use a new reference.",
            ) from None
        raise ApiError(
            409,
            ApiErrorType.CODE_NOT_VALID,
            f"The approval code is not valid ({error.code}).",
            reason=error.code,
        ) from None
    body = redemption_json(redemption, code=code, donor=donor)
    status = 201 if created else 200
    _note(request, status, "redeemed", code=code, text=payload.code)
    return json_response(body, status=status)
