"""Rights as the services check and set them (R-CON-8, R-CON-11): one place for sub-accounts,
join requests and hand-overs."""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from accounts.errors import AccountsError, AccountsErrorCode
from accounts.models import Contact, right_field
from accounts.permissions import Right, missing_required_rights


def rights_values(rights: Iterable[str]) -> set[str]:
    """The rights as their values; an unknown right is a programming error."""
    return {Right(right).value for right in rights}


def rights_together_messages(rights: Iterable[str]) -> list[str]:
    """One message for each ticked right that needs another that is not ticked (the forms show
    them all, the services refuse with the first)."""
    return [
        _("“%(right)s” only works together with %(needed)s; tick both or neither.")
        % {
            "right": Right(right).label,
            "needed": ", ".join(f"“{Right(n).label}”" for n in sorted(needed)),
        }
        for right, needed in missing_required_rights(rights).items()
    ]


def rights_together_check(rights: set[str], *, error: type[AccountsError], field: str) -> None:
    """Refuse, with `error` at `field`, rights of which one needs another that is not ticked."""
    if problems := rights_together_messages(rights):
        raise error(problems[0], code=AccountsErrorCode.RIGHTS_NEED_EACH_OTHER, field=field)


def rights_set(contact: Contact, rights: Iterable[str]) -> None:
    """Tick exactly `rights` on the contact (not saved)."""
    rights = set(rights)
    for right in Right.values:
        setattr(contact, right_field(right), right in rights)
