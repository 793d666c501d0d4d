"""Reads of approval codes that are more than a one-line query."""

from django.db.models import Prefetch, Q, QuerySet

from approval_codes import codes
from approval_codes.models import ApprovalCode, Redemption


def code_by_text(raw: str) -> ApprovalCode | None:
    """The code a donor or visitor pasted, with its organisation, in one query; None when it
    cannot be a code or is unknown."""
    lookup = codes.normalise(raw)
    if lookup is None:
        return None
    return ApprovalCode.objects.select_related("organisation").filter(lookup=lookup).first()


def codes_of_organisation(organisation, *, search: str = "") -> QuerySet[ApprovalCode]:
    """The organisation's codes, newest first, with their redemptions and replacement."""
    queryset = (
        ApprovalCode.objects.filter(organisation=organisation)
        .select_related("replaced_by", "renewed_from")
        .prefetch_related(
            Prefetch("redemptions", queryset=Redemption.objects.select_related("donor"))
        )
    )
    for word in search.split():  # "Astrid Lindgren" finds Astrid Lindgren
        queryset = queryset.filter(
            Q(code__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
        )
    return queryset
