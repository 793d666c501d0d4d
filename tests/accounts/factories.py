import factory
from allauth.account.models import EmailAddress
from factory.django import DjangoModelFactory

from accounts.models import Contact, right_field
from tests.factories import PASSWORD, OrganisationFactory, UserFactory


class ContactFactory(DjangoModelFactory):
    """An extra contact: no rights, no mail (R-CON-3) unless told otherwise."""

    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    first_name = "Kim"
    last_name = factory.Sequence(lambda n: f"Karlsson{n}")
    email = factory.Sequence(lambda n: f"contact{n}@example.org")
    address_1 = "Drottninggatan 5"
    city = "Uppsala"
    postcode = "753 10"
    country = "SE"
    phone = "+46181234567"


def make_sub_account(organisation, *rights, active=True, email=None, **fields) -> Contact:
    """A contact of `organisation` with a sub-account (password `PASSWORD`) and `rights`."""
    contact = ContactFactory(
        organisation=organisation,
        **({"email": email} if email else {}),
        **fields,
    )
    user = UserFactory(
        email=contact.email,
        organisation=organisation,
        is_active=active,
        verified=False,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    contact.user = user
    contact.sub_account_active = active
    for right in rights:
        setattr(contact, right_field(right), True)
    contact.save()
    return contact


__all__ = ["PASSWORD", "ContactFactory", "make_sub_account"]
