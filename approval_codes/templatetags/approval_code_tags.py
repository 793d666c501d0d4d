"""How a code's status and expiry read on the pages. Both are computed at the moment of asking
(DESIGN.md §4): an active code past `expires_at` shows as expired whether or not the sweep ran."""

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from approval_codes.models import ApprovalCode

register = template.Library()


def _date(moment) -> str:
    return date_format(timezone.localtime(moment), "DATE_FORMAT")


@register.simple_tag
def code_status(code: ApprovalCode) -> str:
    """The status badge, e.g. <span class="status status-expired">Expired</span>."""
    status = code.effective_status()
    return format_html(
        '<span class="status status-{}">{}</span>', status, ApprovalCode.Status(status).label
    )


@register.simple_tag
def code_expiry(code: ApprovalCode) -> str:
    """ "expires in 12 days", "expires within a day", "expired on …" or "revoked on …"."""
    now = timezone.now()
    if code.expires_at <= now:
        return _("expired on %(date)s") % {"date": _date(code.expires_at)}
    if code.status == ApprovalCode.Status.REVOKED:
        return _("revoked on %(date)s") % {"date": _date(code.status_changed_at or now)}
    days = (code.expires_at - now).days
    if days < 1:
        return _("expires within a day")
    return ngettext("expires in %(days)d day", "expires in %(days)d days", days) % {"days": days}
