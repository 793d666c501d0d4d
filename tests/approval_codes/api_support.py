"""Helpers for the donor API tests: a donor with a key, codes, and calls with that key."""

import json

from approval_codes.models import Donor
from approval_codes.services import api_key_issue
from tests.approval_codes import factories


def donor_with_key(name="Microsoft", **fields):
    """(donor, api key row, the key itself)."""
    donor, _created = Donor.objects.get_or_create(
        name=name, defaults={"slug": name.lower().replace(" ", "-"), **fields}
    )
    api_key, key = api_key_issue(donor=donor, name="tests")
    return donor, api_key, key


def issue(organisation, **overrides):
    """A code for Astrid, whose email is written with capitals (matched case-insensitively)."""
    return factories.issue(organisation, **{"email": "Astrid@Example.org", **overrides})


def post(client, path, body, key=None, **headers):
    """POST `body` (a dict, or bytes/str sent as is) to /api/v1/<path> with `key`."""
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(
        f"/api/v1/{path}", data=data, content_type="application/json", headers=headers
    )
