"""Factories for approval codes and their redemptions. Tests of behaviour issue codes through
`approval_codes.services`; these build rows directly where a test needs many, or old ones."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from approval_codes import codes
from approval_codes.models import ApprovalCode, Redemption
from approval_codes.services import approval_code_issue
from tests.catalog.factories import DonorFactory
from tests.factories import OrganisationFactory


def issue(organisation, **overrides) -> ApprovalCode:
    """A code issued through the service by the account holder, for Astrid Lindgren."""
    fields = {
        "organisation": organisation,
        "issued_by": organisation.account_holder,
        "first_name": "Astrid",
        "last_name": "Lindgren",
        "email": "astrid@example.org",
        "authorised": True,
    }
    return approval_code_issue(**{**fields, **overrides})


class ApprovalCodeFactory(DjangoModelFactory):
    """An active code issued now; `ApprovalCodeFactory(expired=True)` one that lapsed a week ago."""

    class Meta:
        model = ApprovalCode

    class Params:
        expired = factory.Trait(
            created_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=67)),
            expires_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=7)),
        )

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.LazyAttribute(lambda o: codes.make_code(o.organisation.handle))
    first_name = "Selma"
    last_name = factory.Sequence(lambda n: f"Lagerlöf{n}")
    email = factory.Sequence(lambda n: f"representative{n}@example.org")
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(
        lambda o: o.created_at + timedelta(days=ApprovalCode.LIFETIME_DAYS)
    )


class RedemptionFactory(DjangoModelFactory):
    class Meta:
        model = Redemption

    code = factory.SubFactory(ApprovalCodeFactory)
    donor = factory.SubFactory(DonorFactory)
    reference = factory.Sequence(lambda n: f"REF-{n:05d}")
    offer = "Microsoft 365 Business Premium"
