"""The Validation tab's part of the dashboard: the application's state, staff's open question
and the yearly attestation (R-VAL-3, R-VAL-6, R-VAL-9, R-VAL-10)."""

from datetime import timedelta

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.dashboard import Task
from accounts.models import Organisation
from validation.selectors import validation_overview

ATTEST_AHEAD = timedelta(days=30)


def tasks(*, user, organisation, rights, today) -> list[Task]:
    if organisation is None:
        return []
    overview = validation_overview(organisation=organisation)
    status_url = reverse("validation:application-detail")
    area = _("Validation")
    Status = Organisation.Status
    if organisation.status == Status.MORE_INFORMATION:
        question = overview.request.body if overview.request else ""
        return [
            Task(
                area,
                _("Our staff need more information: “%(question)s”")
                % {"question": Truncator(question).chars(160)}
                if question
                else _("Our staff need more information before they decide."),
                status_url,
                _("Answer our staff"),
                urgent=True,
            )
        ]
    if organisation.status == Status.SUBMITTED:
        return [
            Task(
                area,
                _(
                    "Your application is with our staff. Until it is approved you cannot create "
                    "approval codes or order."
                ),
                status_url,
                _("See your application"),
            )
        ]
    if organisation.status in (Status.DENIED, Status.REVOKED):
        return [
            Task(
                area,
                _("Your organisation is not validated. You can read why and ask for a review."),
                status_url,
                _("See why"),
                urgent=True,
            )
        ]
    if organisation.status == Status.SUSPENDED:
        return [
            Task(
                area,
                _(
                    "The yearly attestation is overdue, so approval codes do not verify and you "
                    "cannot order. Attest to be approved again."
                ),
                status_url,
                _("Attest now"),
                urgent=True,
            )
        ]
    deadline = overview.deadline
    if deadline is not None and deadline.due_on <= today + ATTEST_AHEAD:
        return [
            Task(
                area,
                _("Attest by %(date)s that your organisation still complies.")
                % {"date": date_format(deadline.due_on)},
                status_url,
                _("Attest now"),
                urgent=deadline.due_on <= today + timedelta(days=7),
            )
        ]
    return []
