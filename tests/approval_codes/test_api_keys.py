"""Donor API keys: issued by command or in admin, shown once, stored as a hash, revoked in
admin (issue 5, item 4)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Organisation
from approval_codes.models import ApiKey, Donor
from clearinghouse.models import AuditEvent
from tests.approval_codes.api_support import donor_with_key, issue, post

pytestmark = pytest.mark.django_db


def test_the_command_prints_a_key_once_and_stores_only_its_hash(client):
    Donor.objects.create(name="Microsoft", slug="microsoft")
    out, err = StringIO(), StringIO()
    call_command("issue_api_key", "microsoft", "--name", "production", stdout=out, stderr=err)
    key = out.getvalue().strip()
    api_key = ApiKey.objects.get()
    assert (api_key.donor.name, api_key.name) == ("Microsoft", "production")
    assert api_key.key_hash == ApiKey.hash_of(key)
    assert key.startswith(api_key.prefix)
    assert api_key.prefix in err.getvalue()
    assert not ApiKey.objects.filter(key_hash=key).exists()
    assert post(client, "codes/verify", {"code": "abcdefgh23@Nobody"}, key).status_code == 200


def test_the_command_issues_a_test_key_that_sees_only_test_organisations(
    client, organisation, make_organisation
):
    Donor.objects.create(name="Microsoft", slug="microsoft")
    out = StringIO()
    call_command("issue_api_key", "microsoft", "--test", stdout=out, stderr=StringIO())
    key = out.getvalue().strip()
    assert ApiKey.objects.get().is_test is True
    test_organisation = make_organisation(
        status=Organisation.Status.APPROVED, handle="Testorg", is_test=True
    )
    test_code, live_code = issue(test_organisation), issue(organisation)
    assert post(client, "codes/verify", {"code": test_code.code}, key).json()["valid"] is True
    assert post(client, "codes/verify", {"code": live_code.code}, key).json()["valid"] is False


def test_the_command_names_the_known_donors_for_an_unknown_one():
    Donor.objects.create(name="Microsoft", slug="microsoft")
    with pytest.raises(CommandError, match=r'no donor partner called "Adobe".*"Microsoft"'):
        call_command("issue_api_key", "Adobe")
    assert not ApiKey.objects.exists()


def test_staff_create_a_key_in_admin_and_see_it_once(staff_client):
    donor = Donor.objects.create(name="Microsoft", slug="microsoft")
    response = staff_client.post(
        "/admin/approval_codes/apikey/add/", {"donor": donor.pk, "name": "shop"}, follow=True
    )
    assert response.status_code == 200
    api_key = ApiKey.objects.get()
    shown = [str(message) for message in response.context["messages"]]
    key = next(
        word.removeprefix("<code>").removesuffix("</code>")
        for message in shown
        for word in message.split()
        if api_key.prefix in word
    )
    assert api_key.key_hash == ApiKey.hash_of(key)
    assert f"<code>{key}</code>" in response.content.decode()
    assert AuditEvent.objects.filter(verb="api_key.issued").count() == 1
    again = staff_client.get(f"/admin/approval_codes/apikey/{api_key.pk}/change/")
    assert key not in again.content.decode()
    assert api_key.prefix in again.content.decode()


def test_staff_revoke_keys_with_the_admin_action(staff_client, client):
    _donor, api_key, key = donor_with_key()
    response = staff_client.post(
        "/admin/approval_codes/apikey/",
        {"action": "revoke_selected", "_selected_action": [api_key.pk]},
        follow=True,
    )
    assert response.status_code == 200
    api_key.refresh_from_db()
    assert api_key.is_revoked
    assert AuditEvent.objects.filter(verb="api_key.revoked").count() == 1
    assert post(client, "codes/verify", {"code": "abcdefgh23@Nobody"}, key).status_code == 401


def test_the_admin_lists_show_keys_codes_and_redemptions(staff_client, organisation):
    from tests.approval_codes.api_support import issue

    code = issue(organisation)
    donor_with_key()
    for path in ["apikey", "donor", "approvalcode", "redemption"]:
        assert staff_client.get(f"/admin/approval_codes/{path}/").status_code == 200
    page = staff_client.get(f"/admin/approval_codes/approvalcode/{code.pk}/change/")
    assert page.status_code == 200
    assert "approval_code.issued" in page.content.decode()


def test_the_demo_donor_gets_one_key_printed_once():
    from approval_codes import demo

    out = StringIO()
    demo.load(stdout=out)
    demo.load(stdout=out)
    api_key = ApiKey.objects.get()
    assert out.getvalue().count(api_key.prefix) == 1
