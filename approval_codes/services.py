"""Every operation that changes approval codes, donor keys and redemptions (R-CODE-*).

Each is one transaction: the change, its audit event, its email and its webhook deliveries
land together or not at all.
"""

import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from approval_codes import codes, verify_cache, webhooks
from approval_codes.emails import email_code_issued
from approval_codes.errors import ApprovalCodeError, ApprovalCodeErrorCode
from approval_codes.models import ApiKey, ApprovalCode, Donor, Redemption
from clearinghouse.audit import record_event, record_event_about

_CLASH_RETRIES = 5


def _check_may_issue(organisation: Organisation) -> None:
    if not organisation.is_eligible:  # R-VAL-9
        raise ApprovalCodeError(
            _(
                "Your organisation must be validated and in good standing before it can create "
                "approval codes. See the Validation tab."
            ),
            code=ApprovalCodeErrorCode.ORGANISATION_NOT_ELIGIBLE,
        )


def _create_code(*, organisation: Organisation, **fields) -> ApprovalCode:
    """Insert a code with a fresh random part, retrying on the rare clash (R-CODE-1)."""
    for attempt in range(_CLASH_RETRIES):
        code = ApprovalCode(code=codes.make_code(organisation.handle), organisation=organisation)
        for name, value in fields.items():
            setattr(code, name, value)
        try:
            with transaction.atomic():
                code.save()
            return code
        except IntegrityError:
            clash = ApprovalCode.objects.filter(lookup=code.lookup).exists()
            if not clash or attempt == _CLASH_RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def _lifetime_from(now):
    return now + timedelta(days=ApprovalCode.LIFETIME_DAYS)  # R-CODE-3


@transaction.atomic
def approval_code_issue(
    *,
    organisation: Organisation,
    issued_by: User | None,
    first_name: str,
    last_name: str,
    email: str,
    authorised: bool,
    send_to_representative: bool = False,
    language: str | None = None,
    representative_language: str = "",
) -> ApprovalCode:
    """A new code for a person authorised to act for the organisation (R-CODE-2 … R-CODE-4).
    Its mail is in `representative_language` when given, else in `language` (the issuer's)."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    _check_may_issue(organisation)
    if not authorised:  # R-CODE-2, R-CODE-10
        raise ApprovalCodeError(
            _("Confirm that this person is authorised to act for your organisation."),
            code=ApprovalCodeErrorCode.NOT_AUTHORISED,
            field="authorised",
        )
    now = timezone.now()
    code = _create_code(
        organisation=organisation,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
        language=representative_language,
        issued_by=issued_by,
        created_at=now,
        expires_at=_lifetime_from(now),
    )
    record_event(
        actor=issued_by,
        verb="approval_code.issued",
        target=code,
        organisation=organisation,
        data={"code": code.code, "email": code.email, "expires_at": code.expires_at.isoformat()},
    )
    if send_to_representative:
        _email_to_representative(
            code, actor=issued_by, language=representative_language or language
        )
    return code


def _email_to_representative(code: ApprovalCode, *, actor: User | None, language) -> None:
    """Send the code to its person and keep that in the audit trail (a code event)."""
    email_code_issued(code, language=language)
    record_event(
        actor=actor,
        verb="approval_code.emailed",
        target=code,
        organisation=code.organisation,
        data={"to": code.email},
    )


@transaction.atomic
def approval_code_email_again(*, code: ApprovalCode, actor: User, language: str) -> None:
    """ "Email again": send an active code to its representative once more (R-CODE-4)."""
    if code.effective_status() != ApprovalCode.Status.ACTIVE:
        raise ApprovalCodeError(
            _("Only an active code can be emailed."), code="not_active", field=None
        )
    _email_to_representative(code, actor=actor, language=language)


def _check_renewable(old: ApprovalCode, now) -> None:
    """Only an expired code that was not renewed yet, of an organisation that may issue codes."""
    if old.status == ApprovalCode.Status.REPLACED:
        raise ApprovalCodeError(
            _("This code has already been renewed; use the new code."),
            code=ApprovalCodeErrorCode.ALREADY_RENEWED,
        )
    if old.effective_status(now) != ApprovalCode.Status.EXPIRED:
        raise ApprovalCodeError(
            _(
                "Only an expired code can be renewed. To give this person another code, create a "
                "new one."
            ),
            code=ApprovalCodeErrorCode.NOT_EXPIRED,
        )
    _check_may_issue(old.organisation)


def _status_set(code: ApprovalCode, status: str, *, at, actor, verb: str, data: dict) -> None:
    """Move a locked code to `status` and record `verb` in its organisation's trail, in the
    caller's transaction (the change and its audit event land together)."""
    code.status = status
    code.status_changed_at = at
    code.save(update_fields=["status", "status_changed_at"])
    record_event_about(code, verb=verb, actor=actor, data=data)


@transaction.atomic
def approval_code_renew(
    *,
    code: ApprovalCode,
    actor: User | None,
    send_to_representative: bool = False,
    language: str | None = None,
) -> ApprovalCode:
    """Replace an expired code with a new random part and a fresh 60 days (R-CODE-7).

    The old code is locked first, so two renewals at once make one new code; the second gets
    an error (and the unique `renewed_from` would refuse a second new code in any case).
    """
    old = ApprovalCode.objects.select_for_update().select_related("organisation").get(pk=code.pk)
    now = timezone.now()
    _check_renewable(old, now)
    new = _create_code(
        organisation=old.organisation,
        first_name=old.first_name,
        last_name=old.last_name,
        email=old.email,
        language=old.language,
        issued_by=actor,
        renewed_from=old,
        created_at=now,
        expires_at=_lifetime_from(now),
    )
    _status_set(
        old,
        ApprovalCode.Status.REPLACED,
        at=now,
        actor=actor,
        verb="approval_code.renewed",
        data={"old": old.code, "new": new.code, "expires_at": new.expires_at.isoformat()},
    )
    if send_to_representative:
        _email_to_representative(new, actor=actor, language=language)
    webhooks.code_replaced_record(code=old, new_code=new)
    return new


@transaction.atomic
def approval_code_revoke(
    *, code: ApprovalCode, actor: User | None, reason: str = ""
) -> ApprovalCode:
    """Stop an active code at once; the donors are told by webhook."""
    locked = ApprovalCode.objects.select_for_update().select_related("organisation").get(pk=code.pk)
    if locked.status != ApprovalCode.Status.ACTIVE:
        raise ApprovalCodeError(
            _("Only an active code can be revoked; this one is %(status)s.")
            % {"status": locked.get_status_display().lower()},
            code=ApprovalCodeErrorCode.NOT_ACTIVE,
        )
    _status_set(
        locked,
        ApprovalCode.Status.REVOKED,
        at=timezone.now(),
        actor=actor,
        verb="approval_code.revoked",
        data={"code": locked.code, "reason": reason},
    )
    webhooks.code_revoked_record(code=locked)
    return locked


def approval_code_redeem(
    *,
    code: ApprovalCode,
    donor: Donor,
    reference: str = "",
    offer: str = "",
    api_key: ApiKey | None = None,
) -> tuple[Redemption, bool]:
    """Record that `donor` used `code` (R-CODE-5). Idempotent per code, donor and non-empty
    reference: returns (redemption, created). A redemption without a reference is always a new
    one. Raises ApprovalCodeError(code=<reason>) if the code is not valid, and
    ApprovalCodeError(code=IDEMPOTENCY_CONFLICT) when the reference was already used with
    another offer (the old redemption is not passed off as this one)."""

    def same_reference():
        existing = Redemption.objects.filter(code=code, donor=donor, reference=reference).first()
        if existing is not None and existing.offer != offer:
            raise ApprovalCodeError(
                _("This reference was already used with another offer."),
                code=ApprovalCodeErrorCode.IDEMPOTENCY_CONFLICT,
            )
        return existing

    if reference and (existing := same_reference()) is not None:
        return existing, False
    reason = code.invalid_reason()
    if reason is not None:
        raise ApprovalCodeError(_("The code is not valid."), code=reason)
    try:
        with transaction.atomic():
            redemption = Redemption.objects.create(
                code=code, donor=donor, reference=reference, offer=offer, api_key=api_key
            )
            record_event(
                actor=f"donor:{donor.slug}",
                verb="approval_code.redeemed",
                target=code,
                organisation=code.organisation,
                data={"donor": donor.name, "reference": reference, "offer": offer},
            )
    except IntegrityError:  # the same reference, recorded by a concurrent request
        return same_reference(), False
    return redemption, True


API_KEY_PREFIX_BYTES = 6


@transaction.atomic
def api_key_issue(
    *, donor: Donor, name: str = "", actor: User | None = None, is_test: bool = False
) -> tuple[ApiKey, str]:
    """A new key for `donor` (`is_test`: one that sees only test organisations' codes).
    Returns (key row, the key itself); the key is never stored."""
    prefix = "chk_" + secrets.token_hex(API_KEY_PREFIX_BYTES)
    key = f"{prefix}.{secrets.token_urlsafe(32)}"
    api_key = ApiKey.objects.create(
        donor=donor, name=name, prefix=prefix, key_hash=ApiKey.hash_of(key), is_test=is_test
    )
    record_event(
        actor=actor,
        verb="api_key.issued",
        target=api_key,
        data={"prefix": prefix, "test": is_test},
    )
    return api_key, key


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, actor: User | None = None) -> ApiKey:
    updated = ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    api_key.refresh_from_db()
    verify_cache.api_keys_changed(pk=api_key.pk)  # the next verify refuses it, on every process
    if updated:
        record_event(
            actor=actor, verb="api_key.revoked", target=api_key, data={"prefix": api_key.prefix}
        )
    return api_key
