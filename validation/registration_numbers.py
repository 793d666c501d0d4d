"""Registration numbers are checked where python-stdnum knows the country's format (R-VAL-1);
elsewhere they are free text."""

from types import ModuleType

from stdnum.dk import cvr as dk_cvr
from stdnum.fi import ytunnus as fi_ytunnus
from stdnum.is_ import kennitala as is_kennitala
from stdnum.no import orgnr as no_orgnr
from stdnum.se import orgnr as se_orgnr


class _Format:
    def __init__(self, module: ModuleType, example: str):
        self.module, self.example = module, example

    def validate(self, number: str) -> str:
        return self.module.validate(number)

    def format(self, number: str) -> str:
        formatter = getattr(self.module, "format", None)
        return formatter(number) if formatter else number


_FORMATS = {
    "SE": _Format(se_orgnr, "802002-4280"),
    "NO": _Format(no_orgnr, "974 760 673"),
    "DK": _Format(dk_cvr, "13585628"),
    "FI": _Format(fi_ytunnus, "2077474-0"),
    "IS": _Format(is_kennitala, "450401-3150"),
}


def registration_number_module(country) -> _Format | None:
    return _FORMATS.get(str(country).upper())
