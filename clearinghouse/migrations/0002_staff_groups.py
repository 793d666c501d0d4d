"""The staff groups of `clearinghouse.staff_groups.STAFF_GROUPS` (validation staff already made
by validation 0002; order desk, billing and catalogue managers new), each with exactly its
permissions."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from clearinghouse.staff_groups import STAFF_GROUPS, staff_groups_ensure


def create_groups(apps, schema_editor):
    labels = {label for permissions in STAFF_GROUPS.values() for label, _codename in permissions}
    for label in labels:
        create_permissions(global_apps.get_app_config(label), verbosity=0, apps=apps)
    staff_groups_ensure(apps=apps, using=schema_editor.connection.alias)


def remove_groups(apps, schema_editor):
    names = [name for name in STAFF_GROUPS if name != "Validation staff"]
    apps.get_model("auth", "Group").objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("clearinghouse", "0001_initial"),
        ("validation", "0002_validation_staff_group"),
        ("orders", "0002_decide_permission"),
        ("catalog", "0003_decide_permission"),
        ("approval_codes", "0005_sweep_in_place"),
        ("accounts", "0002_contacts"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
