"""POST /api/v1/codes/redeem: 201, then the same redemption with 200; 409 when not valid
(DESIGN.md §6, R-CODE-5, R-CODE-6)."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection

from accounts.models import Organisation
from approval_codes.models import Redemption
from approval_codes.services import approval_code_revoke
from clearinghouse.models import AuditEvent
from tests.approval_codes.api_support import donor_with_key, issue, post


@pytest.fixture
def donor_key(db):
    donor, _api_key, key = donor_with_key()
    return donor, key


@pytest.mark.django_db
def test_redeeming_a_valid_code_records_it_once(client, donor_key, organisation):
    _donor, key = donor_key
    code = issue(organisation)
    body = {"code": code.code.upper(), "reference": "order-17", "offer": "Microsoft 365"}
    first = post(client, "codes/redeem", body, key)
    assert first.status_code == 201
    redemption = Redemption.objects.get()
    assert first.json() == {
        "id": redemption.pk,
        "code": code.code,
        "donor": "Microsoft",
        "reference": "order-17",
        "offer": "Microsoft 365",
        "redeemed_at": first.json()["redeemed_at"],
    }
    assert first.json()["redeemed_at"].endswith("+00:00")
    again = post(client, "codes/redeem", body, key)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert Redemption.objects.count() == 1
    assert AuditEvent.objects.filter(verb="approval_code.redeemed").count() == 1


@pytest.mark.django_db
def test_a_code_can_be_redeemed_with_several_references_and_donors(client, organisation):
    code = issue(organisation)
    _donor, _row, microsoft = donor_with_key("Microsoft")
    _donor, _row, adobe = donor_with_key("Adobe")
    assert (
        post(client, "codes/redeem", {"code": code.code, "reference": "a"}, microsoft).status_code
        == 201
    )
    assert (
        post(client, "codes/redeem", {"code": code.code, "reference": "b"}, microsoft).status_code
        == 201
    )
    assert (
        post(client, "codes/redeem", {"code": code.code, "reference": "a"}, adobe).status_code
        == 201
    )
    assert post(client, "codes/redeem", {"code": code.code}, adobe).status_code == 201
    assert Redemption.objects.filter(code=code).count() == 4


@pytest.mark.django_db
def test_a_redemption_repeated_after_the_code_expired_is_still_the_same(
    client, donor_key, organisation
):
    _donor, key = donor_key
    code = issue(organisation)
    first = post(client, "codes/redeem", {"code": code.code, "reference": "r1"}, key)
    with time_machine.travel(code.expires_at + timedelta(days=1)):
        again = post(client, "codes/redeem", {"code": code.code, "reference": "r1"}, key)
        new = post(client, "codes/redeem", {"code": code.code, "reference": "r2"}, key)
    assert again.status_code == 200
    assert again.json() == first.json()  # R-CODE-6
    assert new.status_code == 409
    assert new.json()["error"]["reason"] == "expired"


@pytest.mark.django_db
def test_a_revoked_code_cannot_be_redeemed(client, donor_key, organisation):
    _donor, key = donor_key
    code = issue(organisation)
    approval_code_revoke(code=code, actor=None)
    response = post(client, "codes/redeem", {"code": code.code}, key)
    assert response.status_code == 409
    assert response.json()["error"]["type"] == "code_not_valid"
    assert response.json()["error"]["reason"] == "revoked"
    assert response.json()["error"]["message"]
    assert not Redemption.objects.exists()


@pytest.mark.django_db
def test_a_code_of_a_suspended_organisation_cannot_be_redeemed(client, donor_key, organisation):
    _donor, key = donor_key
    code = issue(organisation)
    Organisation.objects.filter(pk=organisation.pk).update(status=Organisation.Status.SUSPENDED)
    response = post(client, "codes/redeem", {"code": code.code}, key)
    assert response.status_code == 409
    assert response.json()["error"]["reason"] == "organisation_not_eligible"


@pytest.mark.django_db
def test_an_unknown_code_cannot_be_redeemed(client, donor_key):
    _donor, key = donor_key
    response = post(client, "codes/redeem", {"code": "abcdefgh23@NoSuchOrg"}, key)
    assert response.status_code == 409
    assert response.json()["error"] == {
        "type": "code_not_valid",
        "message": "There is no such approval code.",
        "reason": "unknown",
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_redemptions_with_one_reference_make_one(organisation):
    from django.test import Client

    _donor, _row, key = donor_with_key()
    code = issue(organisation)
    start = threading.Barrier(6)
    statuses, bodies = [], []

    def redeem():
        try:
            start.wait()
            response = post(Client(), "codes/redeem", {"code": code.code, "reference": "x"}, key)
            statuses.append(response.status_code)
            bodies.append(response.json())
        finally:
            connection.close()

    threads = [threading.Thread(target=redeem) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] * 5 + [201]
    assert len({body["id"] for body in bodies}) == 1
    assert Redemption.objects.count() == 1


@pytest.mark.django_db
def test_a_reference_reused_with_another_offer_is_an_idempotency_conflict(
    client, donor_key, organisation
):
    _donor, key = donor_key
    code = issue(organisation)
    first = post(client, "codes/redeem", {"code": code.code, "reference": "r1", "offer": "A"}, key)
    assert first.status_code == 201

    other = post(client, "codes/redeem", {"code": code.code, "reference": "r1", "offer": "B"}, key)

    assert other.status_code == 409
    assert other.json()["error"]["type"] == "idempotency_conflict"
    assert other.json()["error"]["message"]
    assert "id" not in other.json()
    assert list(Redemption.objects.values_list("offer", flat=True)) == ["A"]
    same = post(client, "codes/redeem", {"code": code.code, "reference": "r1", "offer": "A"}, key)
    assert (same.status_code, same.json()["id"]) == (200, first.json()["id"])


@pytest.mark.django_db
def test_redemptions_without_a_reference_are_never_merged(client, donor_key, organisation):
    _donor, key = donor_key
    code = issue(organisation)

    first = post(client, "codes/redeem", {"code": code.code, "offer": "A"}, key)
    second = post(client, "codes/redeem", {"code": code.code, "offer": "A"}, key)
    blank = post(client, "codes/redeem", {"code": code.code, "reference": "  "}, key)

    assert [r.status_code for r in (first, second, blank)] == [201, 201, 201]
    assert len({r.json()["id"] for r in (first, second, blank)}) == 3
    assert Redemption.objects.filter(code=code, reference="").count() == 3
