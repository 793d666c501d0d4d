import pytest

from tests.accounts.factories import ContactFactory, make_sub_account


@pytest.fixture
def contact(organisation):
    return ContactFactory(organisation=organisation)


@pytest.fixture
def sub_account(organisation):
    """`sub_account(*rights)`: a sub-account contact of `organisation` with those rights."""

    def make(*rights, **fields):
        return make_sub_account(organisation, *rights, **fields)

    return make


@pytest.fixture
def sub_account_client(client, sub_account):
    """`sub_account_client(*rights)`: a client signed in as a sub-account with those rights."""

    def make(*rights, **fields):
        contact = sub_account(*rights, **fields)
        client.force_login(contact.user)
        client.contact = contact
        return client

    return make
