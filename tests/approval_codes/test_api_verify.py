"""POST /api/v1/codes/verify, case by case (DESIGN.md §6, R-CODE-1, R-CODE-3, R-CODE-7)."""

from datetime import UTC, timedelta

import pytest
import time_machine

from accounts.models import Organisation
from approval_codes.models import ApprovalCode
from approval_codes.services import approval_code_renew, approval_code_revoke
from tests.approval_codes.api_support import donor_with_key, issue, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(db):
    return donor_with_key()[2]


def verify(client, key, code_text, **extra):
    response = post(client, "codes/verify", {"code": code_text, **extra}, key)
    assert response["Content-Type"] == "application/json"
    return response


def test_a_valid_code_is_valid_with_its_organisation_and_representative(client, key, organisation):
    code = issue(organisation)
    response = verify(client, key, code.code)
    assert response.status_code == 200
    assert response.json() == {
        "code": code.code,
        "valid": True,
        "reason": None,
        "status": "active",
        "expires_at": code.expires_at.astimezone(UTC).isoformat(timespec="seconds"),
        "organisation": {
            "name": organisation.legal_name,
            "handle": organisation.handle,
            "country": "SE",
            "type": "nonprofit",
            "validation_status": "approved",
        },
        "representative": {
            "first_name": "Astrid",
            "last_name": "Lindgren",
            "email": "Astrid@Example.org",
        },
    }
    assert response.json()["expires_at"].endswith("+00:00")


def test_an_active_code_past_its_expiry_is_expired_without_any_sweep(client, key, organisation):
    code = issue(organisation)
    with time_machine.travel(code.expires_at + timedelta(seconds=1)):
        body = verify(client, key, code.code).json()
    assert (body["valid"], body["reason"], body["status"]) == (False, "expired", "expired")
    assert ApprovalCode.objects.get(pk=code.pk).status == ApprovalCode.Status.ACTIVE


def test_a_swept_expired_code_is_expired(client, key, organisation):
    code = issue(organisation)
    ApprovalCode.objects.filter(pk=code.pk).update(status=ApprovalCode.Status.EXPIRED)
    body = verify(client, key, code.code).json()
    assert (body["valid"], body["reason"], body["status"]) == (False, "expired", "expired")


def test_a_renewed_code_is_replaced_and_its_new_code_valid(client, key, organisation):
    old = issue(organisation)
    with time_machine.travel(old.expires_at + timedelta(days=1)):
        new = approval_code_renew(code=old, actor=organisation.account_holder)
        old_body = verify(client, key, old.code).json()
        new_body = verify(client, key, new.code).json()
    assert (old_body["valid"], old_body["reason"], old_body["status"]) == (
        False,
        "replaced",
        "replaced",
    )
    assert new_body["valid"] is True


def test_a_revoked_code_is_revoked(client, key, organisation):
    code = issue(organisation)
    approval_code_revoke(code=code, actor=organisation.account_holder)
    body = verify(client, key, code.code).json()
    assert (body["valid"], body["reason"], body["status"]) == (False, "revoked", "revoked")


@pytest.mark.parametrize(
    "status",
    [
        Organisation.Status.SUSPENDED,
        Organisation.Status.REVOKED,
        Organisation.Status.SUBMITTED,
        Organisation.Status.MORE_INFORMATION,
    ],
)
def test_a_code_of_an_organisation_not_in_good_standing_is_not_valid(
    client, key, organisation, status
):
    code = issue(organisation)
    Organisation.objects.filter(pk=organisation.pk).update(status=status)
    body = verify(client, key, code.code).json()
    assert (body["valid"], body["reason"], body["status"]) == (
        False,
        "organisation_not_eligible",
        "active",
    )
    assert body["organisation"]["validation_status"] == status


def test_an_unknown_code_is_unknown_and_carries_no_organisation(client, key, organisation):
    response = verify(client, key, " abcdefgh23@NoSuchOrg ")
    assert response.status_code == 200
    assert response.json() == {
        "code": "abcdefgh23@NoSuchOrg",
        "valid": False,
        "reason": "unknown",
        "status": None,
        "expires_at": None,
        "organisation": None,
        "representative": None,
    }


def test_surrounding_spaces_and_the_case_of_the_handle_are_forgiven(client, key, organisation):
    code = issue(organisation)
    random_part, handle = code.code.split("@")
    body = verify(client, key, f"\t {random_part}@{handle.swapcase()}  \n").json()
    assert body["valid"] is True
    assert body["code"] == code.code


def test_the_representatives_email_matches_case_insensitively(client, key, organisation):
    code = issue(organisation)
    body = verify(client, key, code.code, email=" astrid@EXAMPLE.org ").json()
    assert body["representative_matches"] is True


def test_another_persons_email_does_not_match(client, key, organisation):
    code = issue(organisation)
    body = verify(client, key, code.code, email="someone.else@example.org").json()
    assert body["representative_matches"] is False
    assert body["valid"] is True


def test_without_an_email_the_answer_does_not_say_whether_it_matches(client, key, organisation):
    code = issue(organisation)
    assert "representative_matches" not in verify(client, key, code.code).json()


def test_an_unknown_code_matches_no_email(client, key):
    body = verify(client, key, "abcdefgh23@NoSuchOrg", email="astrid@example.org").json()
    assert body["representative_matches"] is False


def test_verifying_changes_nothing(client, key, organisation):
    code = issue(organisation)
    with time_machine.travel(code.expires_at + timedelta(days=1)):
        verify(client, key, code.code)
    code.refresh_from_db()
    assert code.status == ApprovalCode.Status.ACTIVE
    assert not code.redemptions.exists()
