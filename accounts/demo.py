"""Demo people and organisations for `load_demo_data` (idempotent)."""

from allauth.account.models import EmailAddress

from accounts.models import Organisation, User
from accounts.services import organisation_create

STAFF = ("staff@clearinghouse.test", "demo-staff-pass-2026")
HOLDER = ("holder@demo-nonprofit.test", "demo-holder-pass-2026")
SECOND_HOLDER = ("holder@second-org.test", "demo-second-pass-2026")


def _user(email, password, **fields) -> User:
    user, created = User.objects.get_or_create(email=email, defaults=fields)
    if created:
        user.set_password(password)
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _organisation(holder: User, **fields) -> Organisation:
    if holder.organisation_id:
        return holder.organisation
    return organisation_create(account_holder=holder, **fields)


def load(*, stdout):
    _user(*STAFF, first_name="Stina", last_name="Staff", is_staff=True, is_superuser=True)
    holder = _user(*HOLDER, first_name="Astrid", last_name="Holder", language="sv")
    _organisation(
        holder,
        legal_name="Demo Nonprofit",
        country="SE",
        type=Organisation.Type.NONPROFIT,
        registration_number="802456-5789",
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
    return [
        ("Staff (admin)", *STAFF),
        ("Account holder, approved", *HOLDER),
        ("Account holder, pending", *SECOND_HOLDER),
    ]
