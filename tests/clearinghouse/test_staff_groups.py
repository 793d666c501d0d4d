"""The staff groups hold exactly the permissions of the one table in
`clearinghouse.staff_groups` (made by data migrations, kept in step after migrate)."""

import pytest
from django.contrib.auth.models import Group, Permission

from clearinghouse.staff_groups import STAFF_GROUPS, staff_groups_ensure

pytestmark = pytest.mark.django_db


def _permissions_of(group: Group) -> set[tuple[str, str]]:
    return set(group.permissions.values_list("content_type__app_label", "codename"))


@pytest.mark.parametrize("name", STAFF_GROUPS)
def test_each_staff_group_holds_exactly_the_permissions_of_the_table(name):
    assert _permissions_of(Group.objects.get(name=name)) == set(STAFF_GROUPS[name])


def test_every_permission_in_the_table_exists():
    wanted = {p for permissions in STAFF_GROUPS.values() for p in permissions}
    found = set(Permission.objects.values_list("content_type__app_label", "codename"))
    assert wanted <= found, wanted - found


def test_a_permission_added_by_hand_is_taken_away_again():
    group = Group.objects.get(name="Billing")
    group.permissions.add(Permission.objects.get(codename="decide_order"))
    staff_groups_ensure()
    assert _permissions_of(group) == set(STAFF_GROUPS["Billing"])


def test_the_custom_permissions_of_the_admin_views_exist():
    codenames = set(Permission.objects.values_list("codename", flat=True))
    assert {"decide_order", "decide_donorcertificate", "decide_application"} <= codenames
