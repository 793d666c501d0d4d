import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Organisation, User
from clearinghouse.staff_groups import STAFF_GROUPS

pytestmark = pytest.mark.django_db


def test_demo_data_loads_twice_without_duplicates_and_prints_logins(capsys):
    call_command("load_demo_data")
    call_command("load_demo_data")
    output = capsys.readouterr().out
    assert "holder@demo-nonprofit.test" in output
    assert "staff@clearinghouse.test" in output
    assert Organisation.objects.get(legal_name="Demo Nonprofit").is_eligible
    assert Organisation.objects.count() == 3  # with the demo test organisation
    assert User.objects.filter(is_staff=True).count() == 1 + len(STAFF_GROUPS)


def test_demo_data_gives_one_staff_login_per_group(capsys):
    call_command("load_demo_data")
    output = capsys.readouterr().out
    for group in STAFF_GROUPS:
        members = User.objects.filter(groups__name=group, is_staff=True, is_superuser=False)
        assert members.count() == 1, group
        assert members.get().email in output


def test_the_demo_organisation_passes_the_portals_own_registration_number_check(client):
    call_command("load_demo_data")
    demo = Organisation.objects.get(legal_name="Demo Nonprofit")
    client.force_login(demo.account_holder)
    details = {
        "legal_name": demo.legal_name,
        "type": demo.type,
        "country": str(demo.country),
        "registration_number": demo.registration_number,
        "address": demo.address,
        "website": demo.website,
        "mission": demo.mission,
    }
    response = client.post(reverse("validation:organisation-edit"), details)
    assert response.status_code == 302
    demo.refresh_from_db()
    assert demo.registration_number == "802456-5783"
    assert demo.status == Organisation.Status.APPROVED


def test_demo_data_from_an_earlier_run_gets_a_valid_registration_number():
    call_command("load_demo_data")
    Organisation.objects.filter(legal_name="Demo Nonprofit").update(
        registration_number="802456-5789"
    )
    call_command("load_demo_data")
    assert Organisation.objects.get(legal_name="Demo Nonprofit").registration_number == (
        "802456-5783"
    )


def test_loading_the_demo_data_again_says_how_to_get_a_new_demo_key(capsys):
    call_command("load_demo_data")
    first = capsys.readouterr().out
    call_command("load_demo_data")
    again = capsys.readouterr().out
    assert "shown only now" in first
    assert "shown only now" not in again
    assert 'manage.py issue_api_key "Microsoft"' in again
