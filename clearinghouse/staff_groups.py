"""The staff groups and exactly the permissions each holds: one table, read by the data
migration that creates them, by a post_migrate handler that keeps them in step after every
`migrate` (and test database flush), by `load_demo_data` (one demo login per group) and by the
tests. A staff member need not be a superuser: a group says what they may do in admin.

Adding an admin screen or a custom permission: add its permission to the groups that need it.
"""

from django.db.models import Q

VALIDATION_STAFF = "Validation staff"
ORDER_DESK = "Order desk"
BILLING = "Billing"
CATALOGUE_MANAGERS = "Catalogue managers"

_AUDIT = ("clearinghouse", "view_auditevent")
_ORGANISATIONS = ("accounts", "view_organisation")

STAFF_GROUPS: dict[str, list[tuple[str, str]]] = {
    # Reviewing applications: the queue, the decision, the organisation, the audit trail.
    # They also keep the shared website hosts (R-VAL-8), the legal forms and the evidence
    # asked for (R-VAL-3), see join requests, and hand over an account whose holder is gone
    # (R-VAL-11).
    VALIDATION_STAFF: [
        ("validation", "view_application"),
        ("validation", "decide_application"),
        ("validation", "view_sharedhost"),
        ("validation", "add_sharedhost"),
        ("validation", "change_sharedhost"),
        ("validation", "delete_sharedhost"),
        ("validation", "view_legalform"),
        ("validation", "add_legalform"),
        ("validation", "change_legalform"),
        ("validation", "delete_legalform"),
        ("validation", "view_evidencerequirement"),
        ("validation", "add_evidencerequirement"),
        ("validation", "change_evidencerequirement"),
        ("validation", "delete_evidencerequirement"),
        ("accounts", "view_joinrequest"),
        ("accounts", "hand_over_organisation"),
        _ORGANISATIONS,
        _AUDIT,
    ],
    # Deciding orders on the donor's behalf, and watching licence use after a grant.
    ORDER_DESK: [
        ("orders", "view_order"),
        ("orders", "decide_order"),
        ("orders", "view_subscription"),
        ("orders", "view_licenceusagereport"),
        ("orders", "view_licencecompliance"),
        ("orders", "view_subscription"),
        _ORGANISATIONS,
        _AUDIT,
    ],
    # Invoices, the payments received for them, credit notes, reminders, the dated exchange and
    # VAT rates invoices are issued at, and the bookkeeping export.
    BILLING: [
        ("orders", "view_invoice"),
        ("orders", "export_invoices"),
        ("orders", "view_payment"),
        ("orders", "add_payment"),
        ("orders", "view_creditnote"),
        ("orders", "add_creditnote"),
        ("orders", "view_invoicereminder"),
        ("orders", "view_exchangerate"),
        ("orders", "add_exchangerate"),
        ("orders", "change_exchangerate"),
        ("orders", "view_vatrate"),
        ("orders", "add_vatrate"),
        ("orders", "change_vatrate"),
        _ORGANISATIONS,
        _AUDIT,
    ],
    # Programmes, products and their dated terms; the donors' certificates organisations send;
    # and the footer's pages (contact, privacy, terms) that organisations read.
    CATALOGUE_MANAGERS: [
        ("clearinghouse", "view_sitepage"),
        ("clearinghouse", "add_sitepage"),
        ("clearinghouse", "change_sitepage"),
        ("clearinghouse", "delete_sitepage"),
        ("catalog", "view_programme"),
        ("catalog", "add_programme"),
        ("catalog", "change_programme"),
        ("catalog", "view_product"),
        ("catalog", "add_product"),
        ("catalog", "change_product"),
        ("catalog", "view_productterms"),
        ("catalog", "add_productterms"),
        ("catalog", "change_productterms"),
        ("catalog", "view_donorcertificate"),
        ("catalog", "decide_donorcertificate"),
        ("approval_codes", "view_donor"),
        _ORGANISATIONS,
        _AUDIT,
    ],
}


def staff_groups_ensure(sender=None, *, apps=None, using="default", **kwargs) -> None:
    """Create the groups and give each exactly its permissions. Safe to run again; does nothing
    until every permission of the table exists (a later post_migrate call completes it)."""
    from django.apps import apps as global_apps

    apps = apps or global_apps
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:
        return
    wanted = {permission for permissions in STAFF_GROUPS.values() for permission in permissions}
    query = Q()
    for label, codename in wanted:
        query |= Q(content_type__app_label=label, codename=codename)
    found = {
        (permission.content_type.app_label, permission.codename): permission
        for permission in Permission.objects.using(using)
        .filter(query)
        .select_related("content_type")
    }
    if set(found) != wanted:
        return
    for name, permissions in STAFF_GROUPS.items():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set([found[permission] for permission in permissions])
