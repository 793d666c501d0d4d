"""Demo validation records (idempotent): "Demo Nonprofit" approved, with its application and
attestation deadline; "Second Organisation Library" pending in the staff queue."""

from django.conf import settings
from django.contrib.auth.models import Group

from accounts.models import Organisation, User
from validation.models import Application, Attestation, Statement
from validation.services import _open_application, _start_attestation_year

STAFF_EMAIL = "staff@clearinghouse.test"


def load(*, stdout):
    staff = User.objects.filter(email=STAFF_EMAIL).first()
    if staff is not None:
        staff.groups.add(Group.objects.get(name=settings.VALIDATION_STAFF_GROUP))
    demo = Organisation.objects.filter(legal_name="Demo Nonprofit").first()
    if demo is not None and not demo.applications.exists():
        application = _open_application(
            organisation=demo, kind=Application.Kind.APPLICATION, submitted_by=demo.account_holder
        )
        Attestation.objects.create(
            organisation=demo,
            application=application,
            statements=list(Statement.values),
            attested_by=demo.account_holder,
        )
        Application.objects.filter(pk=application.pk).update(
            status=Application.Status.APPROVED,
            due_on=None,
            decided_at=application.submitted_at,
            decided_by=staff,
            decision_reason="Registered nonprofit (demo data).",
        )
        _start_attestation_year(organisation=demo)
    second = Organisation.objects.filter(legal_name="Second Organisation Library").first()
    if second is not None and not second.applications.exists():
        application = _open_application(
            organisation=second,
            kind=Application.Kind.APPLICATION,
            submitted_by=second.account_holder,
        )
        Attestation.objects.create(
            organisation=second,
            application=application,
            statements=list(Statement.values),
            attested_by=second.account_holder,
        )
    stdout.write("Validation: Demo Nonprofit approved, Second Organisation Library in the queue.")
    return []
