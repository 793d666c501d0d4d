"""Phone numbers in E.164 (`+46812345678`), read and checked by phonenumbers (Google's
libphonenumber metadata). A number written without `+country code` is read in the contact's
country, or in the clearinghouse's own when the contact has none."""

import phonenumbers
from django.conf import settings


def phone_to_e164(raw: str, *, country: str = "") -> str | None:
    """The number in E.164, or None when it is not a possible, valid number."""
    region = (str(country) or settings.CLEARINGHOUSE_COUNTRY).upper()
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_needs_fixing(stored: str) -> bool:
    """True for a number kept as it was typed because it could not be read (a data migration
    keeps those, and the contact list asks the account holder to fix them)."""
    return bool(stored) and phone_to_e164(stored) != stored


def phone_for_display(stored: str) -> str:
    """`+46812345678` → `+46 8 12 34 56 78`; anything unreadable as it is."""
    if phone_needs_fixing(stored) or not stored:
        return stored
    number = phonenumbers.parse(stored, None)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
