"""The Validation tab's part of the dashboard: the application's state, staff's open question
and the yearly attestation (R-VAL-3, R-VAL-6, R-VAL-9, R-VAL-10)."""

from datetime import timedelta

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.dashboard import Task
from accounts.models import Organisation
from validation.selectors import validation_overview

ATTEST_AHEAD = timedelta(days=30)
Status = Organisation.Status


def tasks(*, user, organisation, rights, today) -> list[Task]:
    if organisation is None:
        return []
    overview = validation_overview(organisation=organisation)
    found = _status_task(organisation.status, overview) or _attestation_task(
        overview.deadline, today
    )
    if found is None:
        return []
    text, link_text, urgent = found
    url = reverse("validation:application-detail")
    return [Task(_("Validation"), text, url, link_text, urgent=urgent)]


# What a validation status asks of the organisation: (text, link text, urgent), translated when
# shown. "More information" quotes staff's question, so it is made in `_status_task`.
STATUS_TASKS = {
    Status.SUBMITTED: (
        gettext_noop(
            "Your application is with our staff. Until it is approved you cannot create "
            "approval codes or order."
        ),
        gettext_noop("See your application"),
        False,
    ),
    Status.DENIED: (
        gettext_noop("Your organisation is not validated. You can read why and ask for a review."),
        gettext_noop("See why"),
        True,
    ),
    Status.SUSPENDED: (
        gettext_noop(
            "The yearly attestation is overdue, so approval codes do not verify and you "
            "cannot order. Attest to be approved again."
        ),
        gettext_noop("Attest now"),
        True,
    ),
}
STATUS_TASKS[Status.REVOKED] = STATUS_TASKS[Status.DENIED]


def _status_task(status, overview) -> tuple[str, str, bool] | None:
    """(text, link text, urgent) of what the organisation's validation status asks of it."""
    if status == Status.MORE_INFORMATION:
        question = overview.request.body if overview.request else ""
        if question:
            text = _("Our staff need more information: “%(question)s”") % {
                "question": Truncator(question).chars(160)
            }
        else:
            text = _("Our staff need more information before they decide.")
        return text, _("Answer our staff"), True
    if status not in STATUS_TASKS:
        return None
    text, link_text, urgent = STATUS_TASKS[status]
    return _(text), _(link_text), urgent


def _attestation_task(deadline, today) -> tuple[str, str, bool] | None:
    """The yearly attestation, once its deadline is less than 30 days away (R-VAL-6)."""
    if deadline is None or deadline.due_on > today + ATTEST_AHEAD:
        return None
    text = _("Attest by %(date)s that your organisation still complies.") % {
        "date": date_format(deadline.due_on)
    }
    return text, _("Attest now"), deadline.due_on <= today + timedelta(days=7)
