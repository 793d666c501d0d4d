"""The code itself and its validity (R-CODE-1, R-CODE-3, R-CODE-7), through the services."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Organisation
from approval_codes import codes
from approval_codes.errors import ApprovalCodeError
from approval_codes.models import ApprovalCode
from approval_codes.selectors import code_by_text
from approval_codes.services import approval_code_renew, approval_code_revoke
from clearinghouse.models import OutboundEmail
from tests.approval_codes.factories import issue


@pytest.mark.django_db
def test_a_code_is_a_random_part_at_the_handle_without_look_alikes(organisation, holder):
    code = issue(organisation)
    random_part, handle = code.code.split("@")
    assert handle == organisation.handle
    assert len(random_part) >= 8
    assert set(random_part) <= set(codes.ALPHABET)
    assert not set(random_part) & set("0o1li")


@pytest.mark.django_db
def test_two_codes_never_share_a_random_part(organisation, holder):
    parts = {issue(organisation).code.split("@")[0] for _ in range(50)}
    assert len(parts) == 50


@pytest.mark.django_db
def test_a_code_lives_sixty_days_and_is_then_invalid_without_any_sweep(organisation, holder):
    code = issue(organisation)
    assert code.expires_at - code.created_at == timedelta(days=60)
    assert code.is_valid_at()
    assert code.invalid_reason(code.expires_at + timedelta(seconds=1)) == "expired"
    assert code.status == ApprovalCode.Status.ACTIVE


@pytest.mark.django_db
def test_a_pasted_code_is_found_with_spaces_and_any_case_of_the_handle(organisation, holder):
    code = issue(organisation)
    random_part, handle = code.code.split("@")
    assert code_by_text(f"  {random_part}@{handle.upper()} \n") == code
    assert code_by_text("not a code") is None


@pytest.mark.django_db
def test_a_code_of_an_organisation_that_lost_its_status_is_not_valid(organisation, holder):
    code = issue(organisation)
    Organisation.objects.filter(pk=organisation.pk).update(status=Organisation.Status.SUSPENDED)
    code.refresh_from_db()
    assert code.invalid_reason() == "organisation_not_eligible"


@pytest.mark.django_db
def test_issuing_needs_the_authorisation_tick_and_changes_nothing_without_it(organisation, holder):
    with pytest.raises(ApprovalCodeError) as error:
        issue(organisation, authorised=False)
    assert error.value.field == "authorised"
    assert not ApprovalCode.objects.exists()


@pytest.mark.django_db
def test_an_ineligible_organisation_cannot_issue_codes(ineligible_organisation):
    with pytest.raises(ApprovalCodeError) as error:
        issue(ineligible_organisation)
    assert error.value.code == "organisation_not_eligible"
    assert not ApprovalCode.objects.exists()


@pytest.mark.django_db
def test_emailing_the_code_records_one_message_to_the_representative(organisation, holder):
    code = issue(organisation, send_to_representative=True)
    (email,) = OutboundEmail.objects.all()
    assert email.to == "astrid@example.org"
    assert code.code in email.body_text


@pytest.mark.django_db
def test_renewing_an_expired_code_replaces_it_with_a_new_random_part_and_sixty_days(
    organisation, holder
):
    old = issue(organisation)
    with time_machine.travel(old.expires_at + timedelta(days=3), tick=False):
        new = approval_code_renew(code=old, actor=holder)
        old.refresh_from_db()
        assert old.status == ApprovalCode.Status.REPLACED
        assert old.invalid_reason() == "replaced"
        assert new.code != old.code
        assert (new.first_name, new.email) == (old.first_name, old.email)
        assert new.renewed_from == old
        assert new.expires_at - timezone.now() == timedelta(days=60)


@pytest.mark.django_db
def test_an_active_code_cannot_be_renewed(organisation, holder):
    code = issue(organisation)
    with pytest.raises(ApprovalCodeError) as error:
        approval_code_renew(code=code, actor=holder)
    assert error.value.code == "not_expired"
    assert ApprovalCode.objects.count() == 1


@pytest.mark.django_db
def test_a_revoked_code_stops_verifying_at_once(organisation, holder):
    code = issue(organisation)
    approval_code_revoke(code=code, actor=holder)
    code.refresh_from_db()
    assert code.invalid_reason() == "revoked"
    with pytest.raises(ApprovalCodeError):
        approval_code_revoke(code=code, actor=holder)
