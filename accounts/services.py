from django.db import IntegrityError, transaction

from accounts.handles import unique_handle
from accounts.models import Organisation, User
from clearinghouse.audit import record_event


def organisation_create(
    *,
    account_holder: User,
    legal_name: str,
    country: str,
    type: str,
    registration_number: str,
    address: str,
    website: str = "",
    mission: str = "",
    status: str = Organisation.Status.SUBMITTED,
) -> Organisation:
    """Create the customer account with `account_holder` as its main contact.

    The handle is derived from the legal name; a clash gets a numeric suffix, also when two
    organisations of the same name are created at the same moment.
    """
    if account_holder.organisation_id is not None:
        raise ValueError("This user already belongs to an organisation.")
    for _attempt in range(5):
        handle = unique_handle(
            legal_name, taken=lambda h: Organisation.objects.filter(handle__iexact=h).exists()
        )
        try:
            with transaction.atomic():
                organisation = Organisation.objects.create(
                    legal_name=legal_name,
                    handle=handle,
                    country=country,
                    type=type,
                    registration_number=registration_number,
                    address=address,
                    website=website,
                    mission=mission,
                    account_holder=account_holder,
                    status=status,
                )
                account_holder.organisation = organisation
                account_holder.save(update_fields=["organisation"])
                record_event(
                    actor=account_holder,
                    verb="organisation.created",
                    target=organisation,
                    organisation=organisation,
                    data={"handle": handle},
                )
                return organisation
        except IntegrityError:
            if not Organisation.objects.filter(handle__iexact=handle).exists():
                raise
    raise RuntimeError("Could not find a free handle; try again.")
