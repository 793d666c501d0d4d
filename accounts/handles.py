"""Handles: the organisation's name as ASCII CamelCase, the part of a code after the @."""

import re
import unicodedata

MAX_LENGTH = 40
_TRANSLITERATIONS = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "ß": "ss", "đ": "d"})


def handle_from_name(name: str) -> str:
    """ "Röda Korset Ungdom" → "RodaKorsetUngdom"; empty when nothing ASCII is left."""
    ascii_name = (
        unicodedata.normalize("NFKD", name.translate(_TRANSLITERATIONS))
        .encode("ascii", "ignore")
        .decode()
    )
    words = re.findall(r"[A-Za-z0-9]+", ascii_name)
    return "".join(word[:1].upper() + word[1:] for word in words)[:MAX_LENGTH]


def unique_handle(name: str, *, taken) -> str:
    """The handle for `name`, with a numeric suffix when `taken(handle)` says it is in use."""
    base = handle_from_name(name) or "Organisation"
    candidate, suffix = base, 1
    while taken(candidate):
        suffix += 1
        candidate = f"{base[: MAX_LENGTH - len(str(suffix))]}{suffix}"
    return candidate
