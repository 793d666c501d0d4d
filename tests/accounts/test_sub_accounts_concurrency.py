"""R-CON-9 under concurrency: two accounts making the same address a sub-account at the same
moment; the database constraint lets only one of them have it."""

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
def test_two_accounts_cannot_both_take_the_same_address_at_once():
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
    assert sorted(outcomes) == ["email_taken_elsewhere", "ok"]
    assert User.objects.filter(email__iexact="same@example.org").count() == 1
