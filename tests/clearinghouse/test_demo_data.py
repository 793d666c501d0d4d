import pytest
from django.core.management import call_command

from accounts.models import Organisation, User

pytestmark = pytest.mark.django_db


def test_demo_data_loads_twice_without_duplicates_and_prints_logins(capsys):
    call_command("load_demo_data")
    call_command("load_demo_data")
    output = capsys.readouterr().out
    assert "holder@demo-nonprofit.test" in output
    assert "staff@clearinghouse.test" in output
    assert Organisation.objects.get(legal_name="Demo Nonprofit").is_eligible
    assert Organisation.objects.count() == 2
    assert User.objects.filter(is_staff=True).count() == 1
