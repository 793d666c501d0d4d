import io

import pytest

from accounts import demo as accounts_demo
from accounts.models import Organisation
from approval_codes import demo
from approval_codes.models import ApprovalCode, Redemption

pytestmark = pytest.mark.django_db


def test_the_demo_organisation_gets_active_expired_and_renewed_codes_once():
    """R-CODE-3, R-CODE-6, R-CODE-7 as the demo shows them; loading twice adds nothing."""
    accounts_demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    organisation = Organisation.objects.get(legal_name="Demo Nonprofit")
    codes = ApprovalCode.objects.filter(organisation=organisation)
    assert codes.count() == 4
    statuses = sorted(code.effective_status() for code in codes)
    assert statuses == ["active", "active", "expired", "replaced"]
    renewed = codes.get(renewed_from__isnull=False)
    assert renewed.is_valid_at() and renewed.renewed_from.first_name == "Pippi"
    assert Redemption.objects.filter(code=renewed.renewed_from).exists()
    assert Redemption.objects.count() == 2
