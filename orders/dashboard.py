"""The Orders tab's part of the dashboard: orders waiting for the donor or on hold,
subscriptions about to renew, unpaid invoices and the licence-use report (R-MS-5, R-MS-6,
R-MS-14, R-VAL-10, R-INV-2)."""

from datetime import timedelta

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.dashboard import Task
from accounts.permissions import Right
from catalog.models import Product
from orders.models import Invoice, Order, Subscription
from orders.selectors import latest_usage_report

RENEWING_WITHIN = timedelta(days=30)
RECENT_REPORT = timedelta(days=90)


def tasks(*, user, organisation, rights, today) -> list[Task]:
    if organisation is None:
        return []
    found: list[Task] = []
    if Right.VIEW_PRODUCTS_ORDERS in rights:
        found += _order_tasks(organisation, today)
    if Right.VIEW_PAY_INVOICES in rights:
        found += _invoice_tasks(organisation, today)
    return found


def _order_tasks(organisation, today) -> list[Task]:
    area = _("Orders")
    found = []
    orders = Order.objects.filter(organisation=organisation)
    for order in orders.filter(status=Order.Status.ON_HOLD).order_by("pk"):
        found.append(
            Task(
                area,
                _("Order %(number)s is on hold: %(reason)s")
                % {"number": order.pk, "reason": order.hold_reason or _("no reason given")},
                reverse("orders:order-detail", args=[order.pk]),
                _("See the order"),
                urgent=True,
            )
        )
    waiting = orders.filter(status=Order.Status.SUBMITTED).count()
    if waiting:
        found.append(
            Task(
                area,
                ngettext(
                    "%(count)s order is waiting for the donor's decision.",
                    "%(count)s orders are waiting for the donor's decision.",
                    waiting,
                )
                % {"count": waiting},
                reverse("orders:order-list"),
                _("See your orders"),
            )
        )
    renewing = Subscription.objects.filter(
        organisation=organisation,
        status=Subscription.Status.ACTIVE,
        renews_on__lte=today + RENEWING_WITHIN,
    ).order_by("renews_on", "pk")
    for subscription in renewing:
        found.append(
            Task(
                area,
                _("Your subscription of %(product)s renews on %(date)s.")
                % {"product": subscription.name, "date": date_format(subscription.renews_on)},
                reverse("orders:order-list"),
                _("See your orders"),
            )
        )
    found += _usage_tasks(organisation, today, orders)
    return found


def _usage_tasks(organisation, today, orders) -> list[Task]:
    holds_cloud_grants = orders.filter(
        status__in=[Order.Status.GRANTED, Order.Status.FULFILLED],
        lines__kind=Product.Kind.CLOUD_SUBSCRIPTION,
        lines__granted_quantity__gt=0,
    ).exists()
    if not holds_cloud_grants:
        return []
    area = _("Licence use")
    url = reverse("orders:licence-usage-detail")
    report = latest_usage_report(organisation=organisation)
    if report is None or report.report_date < today - RECENT_REPORT:
        return [
            Task(
                area,
                _(
                    "Send us a recent licence-use report: donated cloud licences need 85 % active "
                    "use."
                ),
                url,
                _("Upload the report"),
                urgent=True,
            )
        ]
    if not report.is_compliant:
        return [
            Task(
                area,
                _(
                    "Only %(share)s %% of your donated cloud licences are in use; 85 %% are needed "
                    "to keep future grants."
                )
                % {"share": report.share_percent},
                url,
                _("See who is inactive"),
                urgent=True,
            )
        ]
    return []


def _invoice_tasks(organisation, today) -> list[Task]:
    area = _("Invoices")
    found = []
    unpaid = Invoice.objects.filter(organisation=organisation, paid_at__isnull=True).order_by(
        "due_on", "pk"
    )
    for invoice in unpaid:
        if invoice.is_paid:
            continue
        overdue = invoice.due_on < today
        text = (
            _("Invoice %(number)s is overdue since %(date)s.")
            if overdue
            else _("Invoice %(number)s is due on %(date)s.")
        ) % {"number": invoice.display_number, "date": date_format(invoice.due_on)}
        found.append(
            Task(
                area,
                text,
                reverse("orders:invoice-detail", args=[invoice.pk]),
                _("See the invoice"),
                urgent=overdue,
            )
        )
    return found
