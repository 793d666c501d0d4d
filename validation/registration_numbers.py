"""Registration numbers are checked where python-stdnum knows the country's format (R-VAL-1);
elsewhere they are free text. A Swedish or Norwegian VAT number is accepted and kept as the
organisation number inside it (R-VAL-8)."""

from types import ModuleType

from stdnum.dk import cvr as dk_cvr
from stdnum.exceptions import InvalidFormat
from stdnum.fi import ytunnus as fi_ytunnus
from stdnum.is_ import kennitala as is_kennitala
from stdnum.no import orgnr as no_orgnr
from stdnum.se import orgnr as se_orgnr

from accounts.identity import organisation_number_from


class _Format:
    def __init__(self, country: str, module: ModuleType, example: str):
        self.country, self.module, self.example = country, module, example

    def validate(self, number: str) -> str:
        compact = organisation_number_from(self.country, number)
        if compact is None:
            raise InvalidFormat()
        return compact

    def format(self, number: str) -> str:
        formatter = getattr(self.module, "format", None)
        return formatter(number) if formatter else number


_FORMATS = {
    "SE": _Format("SE", se_orgnr, "802002-4280"),
    "NO": _Format("NO", no_orgnr, "974 760 673"),
    "DK": _Format("DK", dk_cvr, "13585628"),
    "FI": _Format("FI", fi_ytunnus, "2077474-0"),
    "IS": _Format("IS", is_kennitala, "450401-3150"),
}


def registration_number_module(country) -> _Format | None:
    return _FORMATS.get(str(country).upper())
