"""Demo data of approval codes (idempotent): the Microsoft donor partner with one API key,
printed when it is issued (only its hash is stored), and codes for "Demo Nonprofit", added
only while it has none:

- an active code for Elsa Beskow, used once with Microsoft;
- an expired code for Nils Holgersson (past its expiry; the sweep need not have run);
- a renewed pair for Pippi Långstrump: the old code, used before it expired, replaced by a
  new active one (R-CODE-6, R-CODE-7);

and an active and an expired code for the demo test organisation, which only test keys see.
"""

from datetime import timedelta

from django.utils import timezone

from accounts.demo import TEST_ORGANISATION
from accounts.models import Organisation
from approval_codes.models import ApiKey, ApprovalCode, Donor, Redemption
from approval_codes.services import api_key_issue, approval_code_issue, approval_code_renew

DEMO_DOMAIN = "demo-nonprofit.test"


def _issue(organisation, first_name, last_name, *, days_ago=0) -> ApprovalCode:
    code = approval_code_issue(
        organisation=organisation,
        issued_by=organisation.account_holder,
        first_name=first_name,
        last_name=last_name,
        email=f"{first_name.lower()}@{DEMO_DOMAIN}",
        authorised=True,
    )
    if days_ago:
        created_at = timezone.now() - timedelta(days=days_ago)
        ApprovalCode.objects.filter(pk=code.pk).update(
            created_at=created_at,
            expires_at=created_at + timedelta(days=ApprovalCode.LIFETIME_DAYS),
        )
        code.refresh_from_db()
    return code


def demo_donor() -> Donor:
    """Microsoft, the donor partner of the demo: its key here, its programme in the catalogue."""
    donor, _created = Donor.objects.get_or_create(
        name="Microsoft",
        defaults={"slug": "microsoft", "website": "https://www.microsoft.com/nonprofits"},
    )
    return donor


def _api_key(donor: Donor, *, stdout) -> None:
    if ApiKey.objects.filter(donor=donor).exists():
        stdout.write(
            f"Donor API key for {donor}: made on an earlier run and shown only then. For a new "
            f'one, run `python manage.py issue_api_key "{donor}" --name demo` '
            "(or in admin: API keys → Add)."
        )
        return
    _api_key, key = api_key_issue(donor=donor, name="demo")
    stdout.write(f"Donor API key for {donor}, shown only now (try it at /api/v1/docs):\n  {key}")


def _codes(organisation: Organisation, microsoft: Donor) -> None:
    active = _issue(organisation, "Elsa", "Beskow", days_ago=5)
    _redeem(active, microsoft, "MS-DEMO-1001", "Microsoft 365 Business Premium", days_after=1)
    _issue(organisation, "Nils", "Holgersson", days_ago=75)
    old = _issue(organisation, "Pippi", "Långstrump", days_ago=70)
    _redeem(
        old, microsoft, "MS-DEMO-0907", "Windows Professional (upgrade, perpetual)", days_after=3
    )
    approval_code_renew(code=old, actor=organisation.account_holder)


def _redeem(code: ApprovalCode, donor: Donor, reference: str, offer: str, days_after: int):
    """The donor's record that `code` was used `days_after` days after it was made."""
    Redemption.objects.create(
        code=code,
        donor=donor,
        reference=reference,
        offer=offer,
        redeemed_at=code.created_at + timedelta(days=days_after),
    )


def _test_codes(*, stdout) -> None:
    """Two codes of the demo test organisation, which only donors' test keys see."""
    organisation = Organisation.objects.filter(is_test=True, legal_name=TEST_ORGANISATION).first()
    if organisation is None or not organisation.is_eligible:
        return
    if not organisation.approval_codes.exists():
        _issue(organisation, "Testa", "Testsson", days_ago=2)
        _issue(organisation, "Prova", "Provsson", days_ago=80)
    stdout.write(
        f"Approval codes: {organisation} is a test organisation with an active and an expired "
        "code; only test keys see them (make one in the donor area, or with "
        f'`python manage.py issue_api_key "{demo_donor()}" --name test --test`).'
    )


def load(*, stdout):
    microsoft = demo_donor()
    _api_key(microsoft, stdout=stdout)
    _test_codes(stdout=stdout)
    organisation = Organisation.objects.filter(legal_name="Demo Nonprofit").first()
    if organisation is None or not organisation.is_eligible:
        return []
    if not organisation.approval_codes.exists():
        _codes(organisation, microsoft)
    stdout.write("Approval codes: Demo Nonprofit has active, expired and renewed codes.")
    return []


def demo_publishable_key(*, origin: str) -> ApiKey:
    """The demo donor's publishable key for the portal's own demo form page, usable from
    `origin` (the site the page is served from)."""
    from approval_codes.donor_services import origin_of, publishable_key_issue

    donor = demo_donor()
    api_key = (
        ApiKey.objects.usable()
        .filter(donor=donor, kind=ApiKey.Kind.PUBLISHABLE, name="Demo form")
        .first()
    )
    origin = origin_of(origin) or origin
    if api_key is None:
        return publishable_key_issue(donor=donor, name="Demo form", origins=[origin])
    if origin not in api_key.allowed_origins:
        api_key.allowed_origins = [*api_key.allowed_origins, origin]
        api_key.save(update_fields=["allowed_origins"])
    return api_key
