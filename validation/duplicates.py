"""Reads that find other accounts of the same real organisation (R-VAL-8): the same
registration number (compared in its compact form, `accounts.identity`) or the same website
domain, unless the domain is a shared host on the staff's list."""

from dataclasses import dataclass

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Value
from django.db.models.lookups import GreaterThan

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


def has_duplicate(organisation_ref: str = "organisation") -> ExpressionWrapper:
    """A boolean for annotating a queryset whose `organisation_ref` is an organisation: true
    when another organisation shares its registration number or (unshared) website domain.

    Two EXISTS, each guarded by its outer value being non-empty (`> ""`, a condition on the
    outer row alone, which PostgreSQL checks once before it scans): an organisation without a
    website, or with no comparable number, costs nothing, where one OR-ed EXISTS would look up
    every other organisation with an empty value and throw them away, once per row."""
    reg_key = OuterRef(f"{organisation_ref}__registration_key")
    domain = OuterRef(f"{organisation_ref}__website_domain")
    others = Organisation.objects.exclude(pk=OuterRef(f"{organisation_ref}__pk"))
    same_number = others.filter(GreaterThan(reg_key, Value("")), registration_key=reg_key)
    same_domain = others.filter(GreaterThan(domain, Value("")), website_domain=domain).exclude(
        website_domain__in=_shared_domains()
    )
    return ExpressionWrapper(
        Q(Exists(same_number)) | Q(Exists(same_domain)), output_field=BooleanField()
    )
