"""Domain errors of approval codes (`clearinghouse.errors.DomainError`), with their codes, and
the enums the donor API publishes in its OpenAPI document (`reason`, error `type`)."""

from django.db import models

from clearinghouse.errors import DomainError


# R-CODE-6. The docstrings below are the OpenAPI document's descriptions, read by donors.
class CodeInvalidReason(models.TextChoices):
    """Why a code is not valid: the API's `reason`."""

    EXPIRED = "expired"
    REPLACED = "replaced"
    REVOKED = "revoked"
    ORGANISATION_NOT_ELIGIBLE = "organisation_not_eligible"
    UNKNOWN = "unknown"


class ApprovalCodeErrorCode(models.TextChoices):
    # A redeem of a code that is not valid raises with its `CodeInvalidReason`.
    EXPIRED = "expired"
    REPLACED = "replaced"
    REVOKED = "revoked"
    ORGANISATION_NOT_ELIGIBLE = "organisation_not_eligible"
    ALREADY_RENEWED = "already_renewed"
    IDEMPOTENCY_CONFLICT = "idempotency_conflict"
    MALFORMED = "malformed"
    NOT_ACTIVE = "not_active"
    NOT_AUTHORISED = "not_authorised"
    NOT_EXPIRED = "not_expired"
    ROTATION_IN_PROGRESS = "rotation_in_progress"
    WEBHOOK_URL = "webhook_url"
    LOGIN_TAKEN = "login_taken"
    NOT_AN_ORIGIN = "not_an_origin"
    NO_ORIGINS = "no_origins"


class ApiErrorType(models.TextChoices):
    """The donor API's error `type`."""

    INVALID_REQUEST = "invalid_request"
    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    CODE_NOT_VALID = "code_not_valid"
    IDEMPOTENCY_CONFLICT = "idempotency_conflict"
    RATE_LIMITED = "rate_limited"
    SERVICE_UNAVAILABLE = "service_unavailable"
    HTTP_ERROR = "http_error"


class ApprovalCodeError(DomainError):
    codes = ApprovalCodeErrorCode
