"""The mail of approval codes: one function per message, named after it. Each renders
`templates/emails/<name>-subject.txt`, `-body.txt` and `-body.html` in the given language and
is recorded in the caller's transaction (delivered after commit)."""

from approval_codes.models import ApprovalCode
from clearinghouse.mail import send_email, send_email_to_user


def email_code_issued(code: ApprovalCode, *, language: str | None = None) -> None:
    """The code, to its representative (R-CODE-4), in the language chosen for them when the
    code was made, else in `language` (the issuer's)."""
    send_email(
        name="approval-code-issued",
        to=code.email,
        language=code.language or language,
        context={"code": code, "organisation": code.organisation},
    )


def email_code_expiring(
    code: ApprovalCode, *, to: str, to_issuer: bool, language: str | None
) -> None:
    """Seven days before the code expires, to the representative or the issuer."""
    send_email(
        name="approval-code-expiring", to=to, language=language, context=_context(code, to_issuer)
    )


def email_code_expired(
    code: ApprovalCode, *, to: str, to_issuer: bool, language: str | None
) -> None:
    """Once the code has expired, to the representative or the issuer."""
    send_email(
        name="approval-code-expired", to=to, language=language, context=_context(code, to_issuer)
    )


def _context(code: ApprovalCode, to_issuer: bool) -> dict:
    return {
        "code": code,
        "organisation": code.organisation,
        "to_issuer": to_issuer,
        "issuer": code.issued_by,
    }


def email_donor_webhook_disabled(endpoint, *, to, reason: str) -> None:
    """To a donor's person: the portal turned one of the donor's webhook endpoints off."""
    send_email_to_user(
        to,
        name="donor-webhook-disabled",
        context={"endpoint": endpoint, "donor": endpoint.donor, "reason": reason},
    )


def email_donor_person_invited(membership) -> None:
    """To a new donor person: how to choose a password and reach the donor area."""
    send_email_to_user(
        membership.user,
        name="donor-person-invited",
        context={"donor": membership.donor, "email": membership.user.email},
    )
