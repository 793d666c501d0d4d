"""Reads that find other accounts of the same real organisation (R-VAL-8): the same
registration number (compared in its compact form, `accounts.identity`) or the same website
domain, unless the domain is a shared host on the staff's list."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import Organisation
from validation.models import SharedHost


@dataclass(frozen=True)
class Duplicate:
    organisation: Organisation
    same_registration_number: bool
    same_website_domain: bool


def _shared_domains() -> QuerySet:
    return SharedHost.objects.values("domain")


def organisation_duplicates(*, organisation: Organisation) -> list[Duplicate]:
    """Other organisations with the same registration number or website domain, oldest first."""
    shares_domain = (
        bool(organisation.website_domain)
        and not SharedHost.objects.filter(domain=organisation.website_domain).exists()
    )
    condition = Q()
    if organisation.registration_key:
        condition |= Q(registration_key=organisation.registration_key)
    if shares_domain:
        condition |= Q(website_domain=organisation.website_domain)
    if not condition:
        return []
    others = (
        Organisation.objects.filter(condition)
        .exclude(pk=organisation.pk)
        .select_related("account_holder")
        .order_by("created_at", "pk")
    )
    return [
        Duplicate(
            organisation=other,
            same_registration_number=other.registration_key == organisation.registration_key,
            same_website_domain=shares_domain
            and other.website_domain == organisation.website_domain,
        )
        for other in others
    ]


def has_duplicate(organisation_ref: str = "organisation") -> Exists:
    """An `Exists` for annotating a queryset whose `organisation_ref` is an organisation: true
    when another organisation shares its registration number or (unshared) website domain."""
    reg_key = OuterRef(f"{organisation_ref}__registration_key")
    domain = OuterRef(f"{organisation_ref}__website_domain")
    same_number = ~Q(registration_key="") & Q(registration_key=reg_key)
    same_domain = (
        ~Q(website_domain="") & Q(website_domain=domain) & ~Q(website_domain__in=_shared_domains())
    )
    return Exists(
        Organisation.objects.filter(same_number | same_domain).exclude(
            pk=OuterRef(f"{organisation_ref}__pk")
        )
    )
