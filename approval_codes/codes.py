"""The shape of an approval code (R-CODE-1): `<random>@<Handle>`.

The random part is 10 characters from an alphabet of 31 lowercase letters and digits without
look-alikes (no 0/o, 1/l/i): about 49.5 bits from `secrets`, beyond guessing at any rate the
API allows.
"""

import re
import secrets

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RANDOM_LENGTH = 10
MAX_LENGTH = 100

# What a pasted code must look like before it is worth a database query. The random part is
# checked loosely (any letters and digits) so that an unknown code answers `unknown`, not 400.
_SHAPE = r"[A-Za-z0-9]{4,40}@[A-Za-z0-9]{1,60}"
CODE_PATTERN = re.compile(rf"^{_SHAPE}$")
# The same as a JSON Schema pattern (the donor API's OpenAPI document), spaces around allowed.
PASTED_CODE_PATTERN = rf"^[ \t\r\n]*{_SHAPE}[ \t\r\n]*$"


def random_part() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))


def make_code(handle: str) -> str:
    return f"{random_part()}@{handle}"


def normalise(raw: str) -> str | None:
    """The lookup form of a pasted code (spaces around it and the case are forgiven), or None
    when it cannot be a code at all."""
    if not isinstance(raw, str) or len(raw) > MAX_LENGTH * 2:
        return None
    candidate = raw.strip()
    if not CODE_PATTERN.match(candidate):
        return None
    return candidate.lower()
