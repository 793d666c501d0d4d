"""Every write of the validation app (R-VAL-1 … R-VAL-10). Views, admin, tasks and commands
call these functions; each is one transaction that records an audit event and sends its email
through the outbox (delivered after commit). Import them from here:
`from validation import services` or `from validation.services import application_submit`.

- `applications`: the organisation applies, answers, applies again, asks for a review;
- `decisions`: staff ask for information, approve, deny, revoke, reinstate;
- `eligibility`: the yearly attestation and editing the organisation's details;
- `common`: what they share (opening an application, attesting, the yearly deadline).
"""

from validation.models import Statement
from validation.services.applications import (
    application_answer,
    application_reapply,
    application_submit,
    decision_review_request,
)
from validation.services.common import (
    DETAIL_FIELDS,
    REVIEWED_FIELDS,
    _open_application,  # the demo data and the URL sweep open applications as staff would see them
    _start_attestation_year,
)
from validation.services.decisions import (
    application_approve,
    application_deny,
    application_request_information,
    organisation_reinstate,
    organisation_revoke,
)
from validation.services.eligibility import organisation_attest, organisation_details_update

__all__ = [
    "DETAIL_FIELDS",
    "REVIEWED_FIELDS",
    "Statement",
    "_open_application",
    "_start_attestation_year",
    "application_answer",
    "application_approve",
    "application_deny",
    "application_reapply",
    "application_request_information",
    "application_submit",
    "decision_review_request",
    "organisation_attest",
    "organisation_details_update",
    "organisation_reinstate",
    "organisation_revoke",
]
