"""A login belongs to one donor partner or to one organisation, never both (issue 14, item 3).

The donor side refuses a login of an organisation (`approval_codes.donor_services.
donor_person_refusal`); this is the organisation side, the one check that every way a user
becomes a member of an organisation goes through: applying for an organisation (its account
holder), a contact given a sign-in (with a password or an invitation), accepting an
invitation, asking to join and being accepted, taking over as account holder, and staff in
admin. Each path raises its own error class with this message and changes nothing.

There is no clean database-level guard: the membership is a row of another table
(`DonorMembership`), which a CHECK constraint cannot see, and a trigger would be written twice
(SQLite, PostgreSQL). `connect_receivers` adds the last line instead: saving a user with an
organisation, an organisation with an account holder, or a contact with a sign-in that is a
donor person's login is refused in the ORM, whatever the path (`LoginOfADonor`).
"""

from django.utils.translation import gettext as _

from accounts.errors import AccountsError


class LoginOfADonor(AccountsError): ...


def donor_login_refusal(*, user=None, email: str = "") -> str:
    """Why `user` (or the login of `email`) cannot belong to an organisation, "" when it can:
    it is a donor partner's person."""
    from accounts.models import User

    if user is not None and user.pk is not None:
        people = User.objects.filter(pk=user.pk)
    elif email.strip():
        people = User.objects.filter(email__iexact=email.strip())
    else:
        return ""
    if not people.filter(donor_membership__isnull=False).exists():
        return ""
    return _(
        "This address signs in to a donor partner's area. A login belongs to one donor partner "
        "or to one organisation, never both, so it cannot join an organisation; use another "
        "email address."
    )


def refuse_donor_login(*, user=None, email: str = "", error=LoginOfADonor, field=None) -> None:
    """Raise `error` (an AccountsError or ValidationRefused class) with the refusal, if any."""
    message = donor_login_refusal(user=user, email=email)
    if message:
        raise error(message, code=error.codes.LOGIN_OF_A_DONOR, field=field)


def _user_saved(sender, instance, update_fields=None, **kwargs):
    if instance.organisation_id is not None and (
        update_fields is None or "organisation" in update_fields
    ):
        refuse_donor_login(user=instance)


def _organisation_saved(sender, instance, update_fields=None, **kwargs):
    if instance.account_holder_id is not None and (
        update_fields is None or "account_holder" in update_fields
    ):
        refuse_donor_login(user=instance.account_holder)


def _contact_saved(sender, instance, update_fields=None, **kwargs):
    if instance.user_id is not None and (update_fields is None or "user" in update_fields):
        refuse_donor_login(user=instance.user)


def connect_receivers() -> None:
    from django.db.models.signals import pre_save

    from accounts.models import Contact, Organisation, User

    for model, receiver in (
        (User, _user_saved),
        (Organisation, _organisation_saved),
        (Contact, _contact_saved),
    ):
        pre_save.connect(receiver, sender=model, dispatch_uid=f"one_login.{model.__name__}")
