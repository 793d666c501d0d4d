"""Demo people and organisations for `load_demo_data` (idempotent)."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts.models import Contact, Organisation, User
from accounts.permissions import Right
from accounts.services import (
    contact_create,
    main_contact_ensure,
    organisation_billing_update,
    organisation_create,
    sub_account_update,
)

STAFF = ("staff@clearinghouse.test", "demo-staff-pass-2026")
HOLDER = ("holder@demo-nonprofit.test", "demo-holder-pass-2026")
SECOND_HOLDER = ("holder@second-org.test", "demo-second-pass-2026")
TEST_HOLDER = ("holder@demo-test-org.test", "demo-test-org-pass-2026")
TEST_ORGANISATION = "Demo Test Organisation"
SUB_ACCOUNT = ("codes@demo-nonprofit.test", "demo-codes-pass-2026")
BILLING = "billing@demo-nonprofit.test"
# One staff login per staff group (not superusers): each sees only what its group may.
STAFF_GROUP_LOGINS = {
    "Validation staff": ("validation@clearinghouse.test", "demo-validation-pass-2026"),
    "Order desk": ("orderdesk@clearinghouse.test", "demo-orderdesk-pass-2026"),
    "Billing": ("billing@clearinghouse.test", "demo-billing-pass-2026"),
    "Catalogue managers": ("catalogue@clearinghouse.test", "demo-catalogue-pass-2026"),
}


def _user(email, password, **fields) -> User:
    user, created = User.objects.get_or_create(email=email, defaults=fields)
    if created:
        user.set_password(password)
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


# Earlier demo data had 802456-5789, which fails the Luhn check of R-VAL-1's Swedish format.
_OLD_NUMBERS = {"802456-5789": "802456-5783"}


def _organisation(holder: User, **fields) -> Organisation:
    if holder.organisation_id:
        organisation = holder.organisation
        if organisation.registration_number in _OLD_NUMBERS:
            organisation.registration_number = _OLD_NUMBERS[organisation.registration_number]
            organisation.save(update_fields=["registration_number"])
        return organisation
    return organisation_create(account_holder=holder, **fields)


def load(*, stdout):
    _user(*STAFF, first_name="Stina", last_name="Staff", is_staff=True, is_superuser=True)
    for group, login in STAFF_GROUP_LOGINS.items():
        member = _user(*login, first_name=group.split()[0], last_name="Staff", is_staff=True)
        member.groups.add(Group.objects.get(name=group))
    holder = _user(*HOLDER, first_name="Astrid", last_name="Holder", language="sv")
    demo = _organisation(
        holder,
        legal_name="Demo Nonprofit",
        country="SE",
        type=Organisation.Type.NONPROFIT,
        registration_number="802456-5783",
        address="Storgatan 1\n111 22 Stockholm",
        website="https://demo-nonprofit.test",
        mission="Digital inclusion for older people.",
        status=Organisation.Status.APPROVED,
    )
    second = _user(*SECOND_HOLDER, first_name="Ola", last_name="Nordmann", language="nb")
    _organisation(
        second,
        legal_name="Second Organisation Library",
        country="NO",
        type=Organisation.Type.PUBLIC_LIBRARY,
        registration_number="974760673",
        address="Storgata 2\n0155 Oslo",
        website="https://second-org.test",
        mission="A public library.",
        status=Organisation.Status.SUBMITTED,
    )
    _test_organisation()
    _contacts(demo, holder)
    return [
        ("Staff (admin)", *STAFF),
        *((f"Staff: {group}", *login) for group, login in STAFF_GROUP_LOGINS.items()),
        ("Account holder, approved", *HOLDER),
        ("Sub-account: approval codes", *SUB_ACCOUNT),
        ("Account holder, pending", *SECOND_HOLDER),
        ("Account holder, test organisation", *TEST_HOLDER),
    ]


def _test_organisation() -> Organisation:
    """An approved organisation marked as a test organisation: donors' test keys see its codes
    (approval_codes.demo issues two), and live keys never do."""
    holder = _user(*TEST_HOLDER, first_name="Tess", last_name="Tester", language="en")
    organisation = _organisation(
        holder,
        legal_name=TEST_ORGANISATION,
        country="SE",
        type=Organisation.Type.NONPROFIT,
        registration_number="802479-9994",
        address="Testgatan 1\n111 22 Stockholm",
        website="https://demo-test-org.test",
        mission="A test organisation for donors' test keys.",
        status=Organisation.Status.APPROVED,
    )
    if not organisation.is_test:
        organisation.is_test = True
        organisation.save(update_fields=["is_test"])
    return organisation


def _contact(organisation, holder, email, **fields) -> Contact:
    existing = organisation.contacts.filter(email__iexact=email).first()
    if existing is not None:
        return existing
    address = {
        "address_1": "Storgatan 1",
        "city": "Stockholm",
        "postcode": "111 22",
        "country": "SE",
        "language": "sv",
    }
    return contact_create(
        organisation=organisation, actor=holder, email=email, **{**address, **fields}
    )


def _contacts(organisation: Organisation, holder: User) -> None:
    """A billing contact with invoice mail, and a sub-account that manages approval codes."""
    main_contact_ensure(organisation=organisation)
    billing = _contact(
        organisation,
        holder,
        BILLING,
        first_name="Bertil",
        last_name="Ekonom",
        organisation_name="Demo Nonprofit, finance office",
        address_2="Box 123",
        phone="+46812345670",
        email_categories=["invoices"],
    )
    if organisation.billing_contact_id is None:
        organisation_billing_update(
            organisation=organisation,
            actor=holder,
            billing_contact=billing,
            peppol_id=organisation.peppol_id,
            payment_confirmations_to_main_contact_only=False,
        )
    codes = _contact(
        organisation,
        holder,
        SUB_ACCOUNT[0],
        first_name="Cecilia",
        last_name="Koder",
        phone="+46812345671",
        email_categories=["approval_codes"],
    )
    if codes.user_id is None:
        sub_account_update(
            contact=codes,
            actor=holder,
            active=True,
            rights=[Right.MANAGE_APPROVAL_CODES],
            password=SUB_ACCOUNT[1],
        )
