"""What makes two accounts the same real organisation (R-VAL-8): a registration number and a
website domain, each reduced to one comparable form.

Registration numbers are compacted with python-stdnum where it knows the country (SE, NO, DK,
FI, IS); a Swedish or Norwegian VAT number is reduced to the organisation number inside it
("SE802002428001" → 8020024280). Elsewhere only digits and letters count, in upper case.
Websites are compared by registrable domain through tldextract's bundled public suffix list,
never fetched from the network.
"""

import re
from types import ModuleType
from urllib.parse import urlsplit

import tldextract
from stdnum.dk import cvr as dk_cvr
from stdnum.dk import vat as dk_vat
from stdnum.fi import alv as fi_alv
from stdnum.fi import ytunnus as fi_ytunnus
from stdnum.is_ import kennitala as is_kennitala
from stdnum.is_ import vsk as is_vsk
from stdnum.no import mva as no_mva
from stdnum.no import orgnr as no_orgnr
from stdnum.se import orgnr as se_orgnr
from stdnum.se import vat as se_vat

# The offline snapshot bundled with tldextract: no suffix list URL, no cache directory.
_extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _se_from_vat(number: str) -> str:
    return se_vat.compact(number)[:10]  # SE + organisation number + 01


def _no_from_vat(number: str) -> str:
    return no_mva.compact(number)[:9]  # NO + organisation number + MVA


def _dk_from_vat(number: str) -> str:
    return dk_vat.compact(number)


def _fi_from_vat(number: str) -> str:
    return fi_alv.compact(number)


def _is_from_vat(number: str) -> str:
    return is_vsk.compact(number)


# country → (organisation number module, VAT module, VAT number → organisation number)
_NUMBERS: dict[str, tuple[ModuleType, ModuleType | None, object]] = {
    "SE": (se_orgnr, se_vat, _se_from_vat),
    "NO": (no_orgnr, no_mva, _no_from_vat),
    "DK": (dk_cvr, dk_vat, _dk_from_vat),
    "FI": (fi_ytunnus, fi_alv, _fi_from_vat),
    "IS": (is_kennitala, None, None),
}
_NOT_ALPHANUMERIC = re.compile(r"[^0-9A-Z]")


def organisation_number_from(country: str, number: str) -> str | None:
    """The compact organisation number in `number` for `country`, also when it was written as
    the country's VAT number; None when python-stdnum knows the country and `number` is
    neither. For other countries: digits and letters only."""
    country = str(country or "").upper()
    number = str(number or "").strip()
    known = _NUMBERS.get(country)
    if known is None:
        return _NOT_ALPHANUMERIC.sub("", number.upper()) or None
    module, vat_module, from_vat = known
    if module.is_valid(number):
        return module.compact(number)
    if vat_module is not None and vat_module.is_valid(number):
        inner = from_vat(number)
        if module.is_valid(inner):
            return module.compact(inner)
    return None


def registration_number_key(country: str, number: str) -> str:
    """`"SE:8020024280"` for "802002-4280", "8020024280" and "SE802002428001" alike; empty
    when there is no number. An invalid number is compared by its digits and letters."""
    country = str(country or "").upper()
    compact = organisation_number_from(country, number)
    if compact is None:
        compact = _NOT_ALPHANUMERIC.sub("", str(number or "").upper())
    return f"{country}:{compact}" if compact else ""


def website_host(url: str) -> str:
    """The host of `url` in lower case without `www.` or a port; empty without a host."""
    url = str(url or "").strip()
    if not url:
        return ""
    if "//" not in url:
        url = f"//{url}"
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host.removeprefix("www.")


def website_domain(url: str) -> str:
    """The registrable domain of `url` ("https://www.shop.example.co.uk" → "example.co.uk"),
    or the host itself when it has no public suffix (an IP address, a local name)."""
    host = website_host(url)
    if not host:
        return ""
    parts = _extract(host)
    if parts.domain and parts.suffix:
        return f"{parts.domain}.{parts.suffix}"
    return host
