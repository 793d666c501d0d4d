""" "Renew approval code" and "Revoke" on the list (R-CODE-6, R-CODE-7, R-VAL-9)."""

import pytest
from django.urls import reverse

from accounts.models import Organisation
from approval_codes.models import ApprovalCode, Redemption
from clearinghouse.models import AuditEvent, OutboundEmail
from tests.approval_codes.factories import ApprovalCodeFactory, RedemptionFactory

pytestmark = pytest.mark.django_db


def _renew(client, code, **data):
    return client.post(reverse("approval_codes:code-renew", args=[code.pk]), data)


def test_renewing_an_expired_code_shows_a_new_code_for_the_same_person(holder_client, organisation):
    """R-CODE-7: a new random part, a fresh 60 days, the same person; the old one stops."""
    old = ApprovalCodeFactory(organisation=organisation, expired=True)
    response = _renew(holder_client, old)
    new = ApprovalCode.objects.get(renewed_from=old)
    assert response.status_code == 302
    assert response.url == reverse("approval_codes:code-detail", args=[new.pk])
    page = holder_client.get(response.url).content.decode()
    assert new.code in page and f'data-copy="#code-{new.pk}"' in page
    assert "no longer works" in page
    old.refresh_from_db()
    assert old.status == ApprovalCode.Status.REPLACED
    assert new.code.split("@")[0] != old.code.split("@")[0]
    assert (new.first_name, new.last_name, new.email) == (old.first_name, old.last_name, old.email)
    assert new.is_valid_at() and not old.is_valid_at()
    assert not OutboundEmail.objects.exists()
    listing = holder_client.get(reverse("approval_codes:code-list")).content.decode()
    assert "Replaced by" in listing and "Renews" in listing


def test_renewing_with_the_email_tick_sends_the_new_code(holder_client, organisation):
    old = ApprovalCodeFactory(organisation=organisation, expired=True)
    _renew(holder_client, old, send_to_representative="on")
    new = ApprovalCode.objects.get(renewed_from=old)
    (email,) = OutboundEmail.objects.all()
    assert email.to == old.email and new.code in email.body_text
    # The audit trail keeps code events, emailing among them, as issuing does.
    emailed = AuditEvent.objects.get(verb="approval_code.emailed")
    assert (emailed.target_id, emailed.data) == (new.pk, {"to": old.email})


def test_renewing_an_active_code_is_refused_and_changes_nothing(holder_client, organisation):
    """Bad input: only an expired code can be renewed; "Create new approval code" instead."""
    code = ApprovalCodeFactory(organisation=organisation)
    response = _renew(holder_client, code)
    assert response.url == reverse("approval_codes:code-list")
    assert "Only an expired code can be renewed" in holder_client.get(response.url).content.decode()
    assert ApprovalCode.objects.count() == 1
    code.refresh_from_db()
    assert code.status == ApprovalCode.Status.ACTIVE


def test_renewing_a_code_twice_makes_one_new_code(holder_client, organisation):
    """R-CODE-7: the second renewal of the same code is refused with a clear message."""
    old = ApprovalCodeFactory(organisation=organisation, expired=True)
    _renew(holder_client, old)
    response = _renew(holder_client, old)
    assert "already been renewed" in holder_client.get(response.url).content.decode()
    assert ApprovalCode.objects.count() == 2


def test_renewing_needs_post(holder_client, organisation):
    old = ApprovalCodeFactory(organisation=organisation, expired=True)
    assert holder_client.get(reverse("approval_codes:code-renew", args=[old.pk])).status_code == 405
    assert ApprovalCode.objects.count() == 1


def test_an_ineligible_organisation_cannot_renew(client, ineligible_organisation):
    """R-VAL-9: renewing makes a new code, which needs a validated organisation."""
    old = ApprovalCodeFactory(organisation=ineligible_organisation, expired=True)
    client.force_login(ineligible_organisation.account_holder)
    assert (
        reverse("approval_codes:code-renew", args=[old.pk])
        not in client.get(reverse("approval_codes:code-list")).content.decode()
    )
    response = _renew(client, old)
    assert "must be validated" in client.get(response.url).content.decode()
    assert ApprovalCode.objects.count() == 1


def test_what_an_old_code_obtained_stays_after_renewal(holder_client, organisation):
    """R-CODE-6: redemptions of the old code are kept and shown."""
    old = ApprovalCodeFactory(organisation=organisation, expired=True)
    RedemptionFactory(code=old, reference="MS-1234")
    _renew(holder_client, old)
    assert Redemption.objects.get().code == old
    assert "MS-1234" in holder_client.get(reverse("approval_codes:code-list")).content.decode()


# --- Revoke --------------------------------------------------------------------------------


def test_revoke_asks_for_confirmation_first(holder_client, organisation):
    code = ApprovalCodeFactory(organisation=organisation)
    response = holder_client.get(reverse("approval_codes:code-revoke", args=[code.pk]))
    content = response.content.decode()
    assert "Yes, revoke the code" in content and code.code in content
    code.refresh_from_db()
    assert code.status == ApprovalCode.Status.ACTIVE


def test_revoking_an_active_code_stops_it_at_once_and_records_why(
    holder_client, organisation, holder
):
    code = ApprovalCodeFactory(organisation=organisation)
    response = holder_client.post(
        reverse("approval_codes:code-revoke", args=[code.pk]), {"reason": "Left the organisation"}
    )
    assert response.url == reverse("approval_codes:code-list")
    code.refresh_from_db()
    assert code.status == ApprovalCode.Status.REVOKED
    assert code.invalid_reason() == "revoked"
    event = AuditEvent.objects.get(verb="approval_code.revoked")
    assert event.data["reason"] == "Left the organisation"
    listing = holder_client.get(response.url).content.decode()
    assert "is revoked" in listing and "status-revoked" in listing


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_expired_or_revoked_code_cannot_be_revoked(holder_client, organisation, method):
    expired = ApprovalCodeFactory(organisation=organisation, expired=True)
    response = getattr(holder_client, method)(
        reverse("approval_codes:code-revoke", args=[expired.pk])
    )
    assert response.url == reverse("approval_codes:code-detail", args=[expired.pk])
    assert "Only an active code can be revoked" in holder_client.get(response.url).content.decode()
    expired.refresh_from_db()
    assert expired.status == ApprovalCode.Status.ACTIVE  # past expiry; nothing was written


def test_an_ineligible_organisation_may_still_revoke(client, make_organisation):
    organisation = make_organisation(status=Organisation.Status.SUSPENDED)
    code = ApprovalCodeFactory(organisation=organisation)
    client.force_login(organisation.account_holder)
    client.post(reverse("approval_codes:code-revoke", args=[code.pk]))
    code.refresh_from_db()
    assert code.status == ApprovalCode.Status.REVOKED
