"""The "Validation staff" group with exactly the permissions reviewing needs: see the queue and
applications, decide them, see the organisation and the audit trail. Staff need not be
superusers."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Validation staff"
PERMISSIONS = [
    ("validation", "application", "view_application"),
    ("validation", "application", "decide_application"),
    ("accounts", "organisation", "view_organisation"),
    ("clearinghouse", "auditevent", "view_auditevent"),
]


def create_group(apps, schema_editor):
    for label in {app_label for app_label, _model, _codename in PERMISSIONS}:
        create_permissions(global_apps.get_app_config(label), verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(
        [
            Permission.objects.get(
                content_type__app_label=app_label,
                content_type__model=model,
                codename=codename,
            )
            for app_label, model, codename in PERMISSIONS
        ]
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("validation", "0001_initial"),
        ("accounts", "0001_initial"),
        ("clearinghouse", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
