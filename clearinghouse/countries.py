"""Country lists in the page's language, sorted as that language sorts, and the country a form
starts at.

Names are CLDR's, through django-countries' translations. Neither django-countries nor Babel
collates: ICU would, but only with system packages that `make run` must not need. So the
order here is the Unicode order with accents folded (django-countries' own fallback), and a
small tailoring for the two Nordic languages, from their alphabets:

- Swedish: the alphabet ends … X, Y, Z, Å, Ä, Ö. Æ sorts as Ä, Ø as Ö, Ü as Y.
- Norwegian: the alphabet ends … X, Y, Z, Æ, Ø, Å. Ä sorts as Æ, Ö as Ø, Ü as Y.

Every other letter sorts by its base letter (É as E, Ç as C), case is ignored, and names that
tie are ordered by their exact spelling.
"""

import unicodedata

from django.conf import settings
from django.utils import translation
from django_countries import countries

# Letters placed after "z" ("{" is the next code point), in each language's order.
_AFTER_Z = {
    "sv": {"å": "{0", "ä": "{1", "æ": "{1", "ö": "{2", "ø": "{2", "ü": "y"},
    "nb": {"æ": "{0", "ä": "{0", "ø": "{1", "ö": "{1", "å": "{2", "ü": "y"},
}
_DEFAULT_COUNTRY = {"sv": "SE", "nb": "NO"}


def collation_key(name: str, language: str | None = None):
    """A sort key for `name` as `language` (default: the active one) sorts."""
    tailoring = _AFTER_Z.get(_base_language(language), {})
    folded = []
    for char in name.casefold():
        if char in tailoring:
            folded.append(tailoring[char])
            continue
        base = unicodedata.normalize("NFKD", char)
        folded.append("".join(c for c in base if not unicodedata.combining(c)))
    return ("".join(folded), name)


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(code, name) for every country, named and sorted in `language` (default: the active)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        named = [(code, str(name)) for code, name in countries]
    return sorted(named, key=lambda pair: collation_key(pair[1], language))


def default_country(language: str | None = None) -> str:
    """Where a form's country starts: Sweden in Swedish, Norway in Norwegian, and in English
    the clearinghouse's own country (`settings.CLEARINGHOUSE_COUNTRY`)."""
    base = _base_language(language)
    return _DEFAULT_COUNTRY.get(base, settings.CLEARINGHOUSE_COUNTRY)


def _base_language(language: str | None) -> str:
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return language.split("-")[0].lower()
