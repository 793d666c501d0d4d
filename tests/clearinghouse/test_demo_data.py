import pytest
from django.core.management import call_command

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
    assert Organisation.objects.count() == 2
    assert User.objects.filter(is_staff=True).count() == 1 + len(STAFF_GROUPS)


def test_demo_data_gives_one_staff_login_per_group(capsys):
    call_command("load_demo_data")
    output = capsys.readouterr().out
    for group in STAFF_GROUPS:
        members = User.objects.filter(groups__name=group, is_staff=True, is_superuser=False)
        assert members.count() == 1, group
        assert members.get().email in output
