"""Renewals of one code at the same moment make exactly one new code (R-CODE-7; PostgreSQL).

Each thread has its own database connection and transaction, as two web processes would.
"""

import pytest
from django.test import Client
from django.urls import reverse

from approval_codes.errors import ApprovalCodeError
from approval_codes.models import ApprovalCode
from approval_codes.services import approval_code_renew
from tests.approval_codes.factories import ApprovalCodeFactory
from tests.concurrency import run_in_parallel

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_in_parallel(target, count):
    return run_in_parallel(target, count, expected=(ApprovalCodeError,))


def test_ten_renewals_of_one_code_at_once_make_one_new_code(organisation, holder):
    old = ApprovalCodeFactory(organisation=organisation, expired=True)

    renewed, refused = _run_in_parallel(lambda n: approval_code_renew(code=old, actor=holder), 10)

    assert len(renewed) == 1 and len(refused) == 9
    assert {error.code for error in refused} == {"already_renewed"}
    new = ApprovalCode.objects.get(renewed_from=old)
    assert new == renewed[0] and new.is_valid_at()
    old.refresh_from_db()
    assert old.status == ApprovalCode.Status.REPLACED
    assert ApprovalCode.objects.count() == 2


def test_two_clicks_on_renew_in_two_browsers_at_once_make_one_new_code(organisation, holder):
    old = ApprovalCodeFactory(organisation=organisation, expired=True)
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(holder)
    url = reverse("approval_codes:code-renew", args=[old.pk])

    responses, _errors = _run_in_parallel(lambda n: clients[n].post(url), 2)

    assert sorted(response.status_code for response in responses) == [302, 302]
    assert ApprovalCode.objects.filter(renewed_from=old).count() == 1
    assert ApprovalCode.objects.count() == 2
    new = ApprovalCode.objects.get(renewed_from=old)
    assert sorted(response.url for response in responses) == sorted(
        [reverse("approval_codes:code-detail", args=[new.pk]), reverse("approval_codes:code-list")]
    )
