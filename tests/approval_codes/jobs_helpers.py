"""Helpers for the tests of the jobs and webhooks (codes at any expiry, donors' endpoints)."""

from datetime import timedelta

from django.utils import timezone

from approval_codes.models import ApprovalCode, Donor, WebhookEndpoint
from tests.approval_codes.factories import ApprovalCodeFactory


def make_code(organisation, *, expires_in=timedelta(days=30), **fields) -> ApprovalCode:
    """A code that expires `expires_in` from now (negative: already past), made directly."""
    expires_at = timezone.now() + expires_in
    values = {
        "first_name": "Astrid",
        "last_name": "Lindgren",
        "email": "astrid@example.org",
        "issued_by": organisation.account_holder,
        "created_at": expires_at - timedelta(days=ApprovalCode.LIFETIME_DAYS),
        "expires_at": expires_at,
        **fields,
    }
    return ApprovalCodeFactory(organisation=organisation, **values)


def make_endpoint(
    *, url="https://donor.example.org/hooks", secret="whsec_test", donor=None, **fields
):
    if donor is None:
        donor, _ = Donor.objects.get_or_create(name="Microsoft", defaults={"slug": "microsoft"})
    return WebhookEndpoint.objects.create(donor=donor, url=url, secret=secret, **fields)
