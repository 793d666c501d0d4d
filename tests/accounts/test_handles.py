import pytest

from accounts.handles import handle_from_name
from accounts.models import Organisation
from accounts.services import organisation_create
from tests.factories import OrganisationFactory, UserFactory


@pytest.mark.parametrize(
    ("name", "handle"),
    [
        ("Röda Korset Ungdom", "RodaKorsetUngdom"),
        ("Min organisation", "MinOrganisation"),
        ("Bærum bibliotek", "BaerumBibliotek"),
        ("Tromsø Museum – Universitetsmuseet", "TromsoMuseumUniversitetsmuseet"),
        ("  stiftelsen   ABC 123 ", "StiftelsenABC123"),
    ],
)
def test_handle_is_the_name_in_ascii_camel_case(name, handle):
    assert handle_from_name(name) == handle


def _create(name, user):
    return organisation_create(
        account_holder=user,
        legal_name=name,
        country="SE",
        type=Organisation.Type.NONPROFIT,
        registration_number="802456-5789",
        address="Storgatan 1",
    )


@pytest.mark.django_db
def test_a_clashing_handle_gets_a_numeric_suffix():
    OrganisationFactory(legal_name="Röda Korset", handle="RodaKorset")
    second = _create("Röda Korset", UserFactory())
    third = _create("RÖDA KORSET", UserFactory())
    assert (second.handle, third.handle) == ("RodaKorset2", "RODAKORSET3")


@pytest.mark.django_db
def test_creating_an_organisation_makes_the_user_its_account_holder():
    user = UserFactory()
    organisation = _create("Helping Hands", user)
    user.refresh_from_db()
    assert user.organisation == organisation
    assert user.is_account_holder
    assert organisation.status == Organisation.Status.SUBMITTED


@pytest.mark.django_db
def test_a_user_belongs_to_at_most_one_organisation(organisation):
    with pytest.raises(ValueError, match="already belongs"):
        _create("Second Org", organisation.account_holder)
    assert Organisation.objects.count() == 1
