"""Payment references with a check digit, as the customer's bank expects them (R-INV-1).

- Sweden: an OCR number for Bankgirot with a length digit and a Luhn (modulus 10) check digit,
  so that the bank refuses a mistyped or truncated reference ("hård kontroll").
- Norway: a KID number with a modulus 10 (Luhn) check digit.
- Anywhere else: an ISO 11649 creditor reference ("RF…"), for payments to the IBAN.

The check digits come from python-stdnum (`luhn`, `iso7064.mod_97_10`), not hand-written sums.
"""

from stdnum import iso11649, luhn
from stdnum.iso7064 import mod_97_10


def ocr_reference(base: str) -> str:
    """`base`, a length digit (the whole reference's length, mod 10) and a Luhn check digit."""
    length_digit = str((len(base) + 2) % 10)
    body = base + length_digit
    return body + luhn.calc_check_digit(body)


def kid_reference(base: str) -> str:
    """`base` and its modulus 10 (Luhn) check digit."""
    return base + luhn.calc_check_digit(base)


def creditor_reference(base: str) -> str:
    """The ISO 11649 reference `RF<check digits><base>`."""
    return iso11649.compact("RF" + mod_97_10.calc_check_digits(base + "RF") + base)


def payment_reference(*, number: int, country: str) -> str:
    """The reference of invoice `number` for a customer in `country` (ISO 3166 alpha-2)."""
    base = f"{number:06d}"
    if country == "SE":
        return ocr_reference(base)
    if country == "NO":
        return kid_reference(base)
    return creditor_reference(base)


def reference_kind(country: str) -> str:
    return {"SE": "OCR", "NO": "KID"}.get(country, "RF")


def is_valid_reference(reference: str, *, country: str) -> bool:
    """Whether `reference` passes the checks the customer's bank makes."""
    if country == "SE":
        length_ok = reference[-2:-1] == str(len(reference) % 10)
        return reference.isdigit() and length_ok and luhn.is_valid(reference)
    if country == "NO":
        return reference.isdigit() and luhn.is_valid(reference)
    return iso11649.is_valid(reference)
