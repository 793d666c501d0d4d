"""An API key for the demo donor partner, for `load_demo_data` (issue 5, item 9).

Runs after every app's demo data (the donor comes from the catalogue's). A key is issued only
when the donor has none, and printed then: only its hash is stored.
"""

from approval_codes.models import ApiKey, Donor
from approval_codes.services import issue_api_key

DEMO_DONOR = "Microsoft"


def load(*, stdout):
    donor = Donor.objects.filter(name=DEMO_DONOR).first()
    if donor is None or ApiKey.objects.filter(donor=donor).exists():
        return
    _api_key, key = issue_api_key(donor=donor, name="demo")
    stdout.write(f"Donor API key for {donor}, shown only now (try it at /api/v1/docs):\n  {key}")
