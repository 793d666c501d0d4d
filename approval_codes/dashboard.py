"""The Approval codes tab's part of the dashboard: codes that expire within 7 days (R-CODE-3,
R-CODE-7), for whoever may manage codes."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.dashboard import Task
from accounts.permissions import Right
from approval_codes.models import ApprovalCode

EXPIRING_WITHIN = timedelta(days=7)
SHOWN = 5


def tasks(*, user, organisation, rights, today) -> list[Task]:
    if organisation is None or Right.MANAGE_APPROVAL_CODES not in rights:
        return []
    now = timezone.now()
    expiring = ApprovalCode.objects.filter(
        organisation=organisation,
        status=ApprovalCode.Status.ACTIVE,
        expires_at__gt=now,
        expires_at__lte=now + EXPIRING_WITHIN,
    ).order_by("expires_at", "pk")
    area = _("Approval codes")
    url = reverse("approval_codes:code-list")
    found = [
        Task(
            area,
            _("The code for %(name)s expires on %(date)s.")
            % {
                "name": f"{code.first_name} {code.last_name}",
                "date": date_format(timezone.localtime(code.expires_at).date()),
            },
            reverse("approval_codes:code-detail", args=[code.pk]),
            _("See the code"),
        )
        for code in expiring[: SHOWN + 1]
    ]
    if len(found) > SHOWN:
        count = expiring.count()
        return [
            Task(
                area,
                _("%(count)s approval codes expire within 7 days.") % {"count": count},
                url,
                _("See the codes"),
            )
        ]
    return found
