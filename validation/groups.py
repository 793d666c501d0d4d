"""The "Validation staff" group: exactly the permissions reviewing needs (see the queue and the
applications, decide them, see the organisation and the audit trail). Created by migration
0002; kept in step after every `migrate` and database flush by a post_migrate handler."""

from django.conf import settings
from django.db.models import Q

PERMISSIONS = [
    ("validation", "view_application"),
    ("validation", "decide_application"),
    ("accounts", "view_organisation"),
    ("clearinghouse", "view_auditevent"),
]


def ensure_validation_staff_group(sender=None, *, apps=None, using="default", **kwargs):
    from django.apps import apps as global_apps

    apps = apps or global_apps
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        apps.get_model("validation", "Application")
    except LookupError:
        return
    wanted = Q()
    for label, codename in PERMISSIONS:
        wanted |= Q(content_type__app_label=label, codename=codename)
    permissions = list(Permission.objects.using(using).filter(wanted))
    if len(permissions) != len(PERMISSIONS):
        return  # not all created yet: a later post_migrate call completes the group
    group, _created = Group.objects.using(using).get_or_create(name=settings.VALIDATION_STAFF_GROUP)
    group.permissions.set(permissions)
