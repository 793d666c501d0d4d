"""Helpers for the tests of the jobs and webhooks (codes at any expiry, donors' endpoints)."""

from datetime import timedelta

from django.utils import timezone

from approval_codes import codes
from approval_codes.models import ApprovalCode, Donor, WebhookEndpoint


def make_code(organisation, *, expires_in=timedelta(days=30), **fields) -> ApprovalCode:
    """A code that expires `expires_in` from now (negative: already past), made directly."""
    now = timezone.now()
    values = {
        "first_name": "Astrid",
        "last_name": "Lindgren",
        "email": "astrid@example.org",
        "issued_by": organisation.account_holder,
        "created_at": now + expires_in - timedelta(days=ApprovalCode.LIFETIME_DAYS),
        "expires_at": now + expires_in,
        **fields,
    }
    values.setdefault("code", codes.make_code(organisation.handle))
    return ApprovalCode.objects.create(organisation=organisation, **values)


def make_endpoint(
    *, url="https://donor.example.org/hooks", secret="whsec_test", donor=None, **fields
):
    if donor is None:
        donor, _ = Donor.objects.get_or_create(name="Microsoft", defaults={"slug": "microsoft"})
    return WebhookEndpoint.objects.create(donor=donor, url=url, secret=secret, **fields)
