"""Peppol IDs for e-invoicing: `<scheme>:<identifier>`, e.g. `0007:5567212047` (R-CON-6).

0007 is a Swedish organisation number and 0192 a Norwegian one, each checked with python-stdnum;
other schemes are checked by format only (four digits, a colon, up to 50 letters, digits, `.-_`).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import orgnr as norwegian_orgnr
from stdnum.se import orgnr as swedish_orgnr

from accounts.models import PEPPOL_ID_PATTERN

_CHECKED_SCHEMES = {
    "0007": (swedish_orgnr, _("a Swedish organisation number")),
    "0192": (norwegian_orgnr, _("a Norwegian organisation number")),
}


def normalise_peppol_id(value: str) -> str:
    """The Peppol ID in its stored form, or a ValidationError that says what is wrong.

    An empty value means "no Peppol ID".
    """
    value = (value or "").strip().replace(" ", "")
    if not value:
        return ""
    scheme, _colon, identifier = value.partition(":")
    if scheme in _CHECKED_SCHEMES:
        module, description = _CHECKED_SCHEMES[scheme]
        try:
            identifier = module.validate(identifier)
        except StdnumError as error:
            raise ValidationError(
                _("After %(scheme)s: comes %(what)s, and “%(identifier)s” is not a valid one."),
                code="invalid_peppol_identifier",
                params={"scheme": scheme, "what": description, "identifier": identifier},
            ) from error
        value = f"{scheme}:{identifier}"
    if not re.fullmatch(PEPPOL_ID_PATTERN, value):
        raise ValidationError(
            _(
                "Write the Peppol ID as a four-digit scheme, a colon and the identifier, "
                "e.g. 0007:5567212047."
            ),
            code="invalid_peppol_id",
        )
    return value
