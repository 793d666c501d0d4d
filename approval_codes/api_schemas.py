"""The shapes of the donor API (DESIGN.md §6): request bodies, validated by ninja, and the
responses, which describe the OpenAPI document. Responses are rendered by `api.py` directly
(no per-request model validation); the schemathesis test checks that they conform."""

from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field

from approval_codes import codes
from approval_codes.errors import ApiErrorType, CodeInvalidReason

CODE_EXAMPLE = "x7k2mq9ht4@YourHandle"
CODE_DESCRIPTION = (
    "An approval code, `<random>@<handle>`. Surrounding spaces and the case of the handle are "
    "forgiven."
)


# A NUL character can be neither stored nor compared, so the parser refuses it in any field
# (clearinghouse/hostile_input.py); the schema says so, and fuzzers generate no such value.
NO_NUL_PATTERN = r"^[^\x00]*$"


class _CodeIn(Schema):
    code: str = Field(
        max_length=codes.MAX_LENGTH * 2,
        pattern=codes.PASTED_CODE_PATTERN,
        description=CODE_DESCRIPTION,
        examples=[CODE_EXAMPLE],
    )


def _optional_text(max_length: int, description: str) -> Any:
    """An optional string field that refuses a NUL (`NO_NUL_PATTERN`), null by default."""
    return Field(None, max_length=max_length, pattern=NO_NUL_PATTERN, description=description)


class VerifyIn(_CodeIn):
    email: str | None = _optional_text(
        254,
        "The representative's email address, if known: the answer then says "
        "whether the code was made for this person (`representative_matches`).",
    )


class RedeemIn(_CodeIn):
    reference: str | None = _optional_text(
        200,
        "Your reference for this use (an order number, say). Redeeming again with "
        "the same reference returns the same redemption.",
    )
    offer: str | None = _optional_text(200, "What the code was used for.")


class OrganisationOut(Schema):
    name: str
    handle: str
    country: str
    type: str = Field(description="nonprofit, public_library or public_museum")
    validation_status: str


class RepresentativeOut(Schema):
    first_name: str
    last_name: str
    email: str


class VerificationOut(Schema):
    code: str
    valid: bool
    reason: CodeInvalidReason | None = Field(
        description="Why the code is not valid; null when valid."
    )
    status: str | None = Field(
        description="active, expired, replaced or revoked, as of now; null for an unknown code."
    )
    expires_at: datetime | None
    organisation: OrganisationOut | None = Field(description="null for an unknown code.")
    representative: RepresentativeOut | None = Field(description="null for an unknown code.")
    representative_matches: bool | None = Field(
        None, description="Only when the request gave an `email`: whether it is the code's."
    )


class RedemptionOut(Schema):
    id: int
    code: str
    donor: str
    reference: str
    offer: str
    redeemed_at: datetime


class ErrorDetail(Schema):
    model_config = ConfigDict(extra="allow")

    type: ApiErrorType = Field(description="What went wrong, as a stable code.")
    message: str
    fields: dict[str, str] | None = Field(None, description="With invalid_request: per field.")
    reason: CodeInvalidReason | None = Field(None, description="With code_not_valid: as in verify.")


class ErrorOut(Schema):
    error: ErrorDetail
