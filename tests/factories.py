"""Factories shared by every app's tests. Apps keep their own in tests/<app>/factories.py."""

import factory
from allauth.account.models import EmailAddress
from factory.django import DjangoModelFactory

from accounts.handles import handle_from_name
from accounts.models import Organisation, User

PASSWORD = "Correct-Horse-Battery-9"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Alex"
    last_name = "Andersson"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        """Verified by default, as a user who confirmed the email; `verified=False` to skip."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    legal_name = factory.Sequence(lambda n: f"Helping Hands {n}")
    handle = factory.LazyAttribute(lambda o: handle_from_name(o.legal_name))
    country = "SE"
    type = Organisation.Type.NONPROFIT
    # Distinct per organisation, so that no two factory organisations look like one (R-VAL-8).
    registration_number = factory.Sequence(lambda n: f"9{n:05d}-0000")
    address = "Storgatan 1\n111 22 Stockholm"
    website = factory.Sequence(lambda n: f"https://www.helping-hands-{n}.org")
    mission = "We help."
    status = Organisation.Status.APPROVED
    account_holder = factory.SubFactory(UserFactory)

    @factory.post_generation
    def link_account_holder(organisation, create, extracted, **kwargs):
        if create:
            organisation.account_holder.organisation = organisation
            organisation.account_holder.save(update_fields=["organisation"])
