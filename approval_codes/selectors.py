"""Reads of approval codes that are more than a one-line query."""

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from approval_codes import codes
from approval_codes.models import ApiKey, ApprovalCode, Redemption


def code_by_text(raw: str) -> ApprovalCode | None:
    """The code a visitor pasted on the public "Check a code" page, with its organisation, in
    one query; None when it cannot be a code or is unknown. The page answers as a live key
    does: a test organisation's code is unknown there."""
    lookup = codes.normalise(raw)
    if lookup is None:
        return None
    code = code_by_lookup(lookup)
    return code if code is not None and not code.organisation.is_test else None


def code_by_lookup(lookup: str) -> ApprovalCode | None:
    """The code whose `lookup` (see `codes.normalise`) this is, with its organisation: one
    query. (Verify reads it from the cache, `verify_cache`; this is its miss.)"""
    return ApprovalCode.objects.select_related("organisation").filter(lookup=lookup).first()


def code_for_key(lookup: str, api_key) -> ApprovalCode | None:
    """The code as `api_key` sees it: a test key sees only the codes of test organisations and
    a live key never sees them; the other mode's code is None, exactly as an unknown one."""
    code = code_by_lookup(lookup)
    return code if code is not None and code.organisation.is_test == api_key.is_test else None


# The list's status filter, by what a code is now (an active code past its expiry is expired).
STATUS_FILTERS = ("active", "expired", "replaced", "revoked")


def codes_of_organisation(
    organisation, *, search: str = "", status: str = ""
) -> QuerySet[ApprovalCode]:
    """The organisation's codes, newest first, with their redemptions and replacement;
    `status` one of STATUS_FILTERS narrows them (anything else: all)."""
    queryset = (
        ApprovalCode.objects.filter(organisation=organisation)
        .select_related("replaced_by", "renewed_from")
        .prefetch_related(
            Prefetch("redemptions", queryset=Redemption.objects.select_related("donor"))
        )
    )
    now = timezone.now()
    Status = ApprovalCode.Status
    if status == "active":
        queryset = queryset.filter(status=Status.ACTIVE, expires_at__gt=now)
    elif status == "expired":
        queryset = queryset.filter(
            Q(status=Status.EXPIRED) | Q(status=Status.ACTIVE, expires_at__lte=now)
        )
    elif status in STATUS_FILTERS:
        queryset = queryset.filter(status=status)
    for word in search.split():  # "Astrid Lindgren" finds Astrid Lindgren
        queryset = queryset.filter(
            Q(code__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
        )
    return queryset


def api_key_by_token(token: str) -> ApiKey | None:
    """The usable key (not revoked, donor active) for a bearer token, with its donor: one
    query on the unique hash."""
    key_hash = ApiKey.hash_of(token)
    return ApiKey.objects.usable().select_related("donor").filter(key_hash=key_hash).first()
