import io

import pytest

from accounts import demo
from accounts.models import Contact, Organisation
from accounts.permissions import Right, rights_of
from accounts.selectors import invoice_addressee, organisation_recipients

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_billing_contact_and_a_sub_account_and_loads_twice():
    logins = demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    organisation = Organisation.objects.get(legal_name="Demo Nonprofit")
    assert organisation.contacts.count() == 3
    assert invoice_addressee(organisation=organisation).email == demo.BILLING
    assert (demo.BILLING, "sv") in organisation_recipients(
        organisation=organisation, category="invoices"
    )
    codes = Contact.objects.get(email=demo.SUB_ACCOUNT[0])
    assert rights_of(codes.user) == {Right.MANAGE_APPROVAL_CODES}
    assert codes.user.check_password(demo.SUB_ACCOUNT[1])
    assert ("Sub-account: approval codes", *demo.SUB_ACCOUNT) in logins
