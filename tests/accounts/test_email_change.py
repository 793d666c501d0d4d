"""A person who changes their sign-in email keeps their contact row in step (R-CON-2)."""

import pytest
from allauth.account.models import EmailAddress

from accounts.models import Contact
from accounts.services import main_contact_ensure


def _make_primary(client, user, email):
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=False)
    return client.post("/accounts/email/", {"action_primary": "", "email": email})


@pytest.mark.django_db
def test_the_main_contact_follows_the_account_holders_new_email(holder_client, holder):
    main = main_contact_ensure(organisation=holder.organisation)
    response = _make_primary(holder_client, holder, "new-holder@example.org")
    assert response.status_code == 302
    main.refresh_from_db()
    assert main.email == "new-holder@example.org"


@pytest.mark.django_db
def test_an_email_another_contact_has_leaves_the_main_contact_unchanged(holder_client, holder):
    main = main_contact_ensure(organisation=holder.organisation)
    old_email = main.email
    Contact.objects.create(
        organisation=holder.organisation, first_name="Eva", last_name="Ek", email="eva@example.org"
    )
    _make_primary(holder_client, holder, "EVA@example.org")
    main.refresh_from_db()
    assert main.email == old_email
