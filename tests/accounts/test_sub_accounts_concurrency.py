"""R-CON-9 under concurrency: two accounts that both have the same address as a contact try to
make it a sub-account at the same moment. The address is a contact of another account for
each of them, so neither gets a sign-in; the unique index on a login's address stays the
backstop for any path that skips the check."""

import threading

import pytest
from django.db import connection

from accounts.errors import ContactError
from accounts.models import User
from accounts.services import sub_account_update
from tests.accounts.factories import ContactFactory
from tests.factories import OrganisationFactory

STRONG = "Blue-Kettle-Orbit-42"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_accounts_at_once_cannot_make_a_shared_address_a_sign_in():
    contacts = [
        ContactFactory(organisation=OrganisationFactory(), email=email)
        for email in ("same@example.org", "SAME@example.org")
    ]
    barrier = threading.Barrier(2)
    outcomes = []

    def activate(contact):
        try:
            barrier.wait(timeout=5)
            sub_account_update(
                contact=contact,
                actor=contact.organisation.account_holder,
                active=True,
                password=STRONG,
            )
            outcomes.append("ok")
        except ContactError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=activate, args=(c,)) for c in contacts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["email_taken_elsewhere", "email_taken_elsewhere"]
    assert not User.objects.filter(email__iexact="same@example.org").exists()
