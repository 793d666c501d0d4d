"""Staff work: the order queue with the donor's decisions and licence compliance. Invoices,
credit notes, payments and rates are in `orders.invoice_admin`."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from clearinghouse.admin import AuditTrailInline, ReadOnlyAdminMixin, StaffPagesMixin
from orders import invoice_admin, services  # noqa: F401  (registers the invoice screens)
from orders.errors import OrderError
from orders.licence_usage import THRESHOLD_PERCENT, is_compliant
from orders.models import LicenceCompliance, LicenceUsageReport, Order, OrderLine, Subscription


class OrderLineInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = OrderLine
    fields = [
        "sku",
        "name",
        "quantity",
        "granted_quantity",
        "paid_quantity",
        "unit_price",
        "paid_amount",
        "admin_fee_amount",
    ]
    readonly_fields = fields
    extra = 0


@admin.register(Order)
class OrderAdmin(StaffPagesMixin, admin.ModelAdmin):
    """The queue: submitted orders oldest first; "Grant" / "Refuse" on the donor's behalf."""

    list_display = [
        "number_display",
        "organisation",
        "programme",
        "placed_at",
        "status",
        "total",
        "decide_link",
    ]
    list_filter = ["status", "origin", "programme"]
    search_fields = ["organisation__legal_name", "organisation__handle", "lines__sku"]
    list_select_related = ["organisation", "programme"]
    ordering = ["placed_at"]
    date_hierarchy = "placed_at"
    inlines = [OrderLineInline, AuditTrailInline]
    readonly_fields = [
        "organisation",
        "programme",
        "status",
        "origin",
        "hold_reason",
        "request_reason",
        "cycle_starts_on",
        "placed_by",
        "placed_at",
        "decided_by",
        "decided_at",
        "refusal_reason",
        "fulfilled_at",
        "cancelled_at",
        "paid_total",
        "admin_fee_total",
        "total",
        "decide_link",
    ]
    fields = readonly_fields
    staff_pages = (("<int:pk>/decide/", "decide_view", "orders_order_decide"),)
    page_links = {"decide_link": "orders.decide_order"}

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("order"), ordering="pk")
    def number_display(self, order):
        return order.number

    @admin.display(description=_("decision"))
    def decide_link(self, order):
        labels = {
            Order.Status.SUBMITTED: _("Grant or refuse"),
            Order.Status.ON_HOLD: _("On hold: refuse"),
            Order.Status.GRANTED: _("Fulfil"),
        }
        if order.status not in labels:
            return "—"
        url = reverse("admin:orders_order_decide", args=[order.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, labels[order.status])

    def has_decide_permission(self, request, obj=None):
        return request.user.has_perm("orders.decide_order")

    def decide_view(self, request, pk):
        if not self.has_decide_permission(request):
            raise PermissionDenied
        order = get_object_or_404(Order.objects.select_related("organisation"), pk=pk)
        return self.action_page(
            request,
            "admin/orders/order_decide.html",
            _("Decide on the order"),
            lambda: _order_decide(request, order),
            success=_("The decision is recorded and the organisation told."),
            done=reverse("admin:orders_order_changelist"),
            order=order,
        )


def _order_decide(request, order: Order) -> None:
    """The decision the staff member's button names: grant, refuse or fulfil."""
    if "grant" in request.POST:
        services.order_grant(
            order=order,
            decided_by=request.user,
            granted_quantities=_granted_quantities(request.POST, order),
        )
    elif "refuse" in request.POST:
        services.order_refuse(
            order=order, decided_by=request.user, reason=request.POST.get("reason", "")
        )
    elif "fulfil" in request.POST:
        services.order_fulfil(order=order, actor=request.user)


def _granted_quantities(data, order) -> dict[int, int]:
    """{line id: seats} staff grant of the lines asked for on request (R-MS-14)."""
    granted = {}
    for line in order.lines.filter(requested_quantity__isnull=False):
        value = (data.get(f"granted_{line.pk}") or "").strip()
        try:
            granted[line.pk] = int(value) if value else line.requested_quantity
        except ValueError:
            raise OrderError(
                _("%(product)s: enter a whole number of seats.") % {"product": line.name}
            ) from None
    return granted


@admin.register(LicenceUsageReport)
class LicenceUsageReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "organisation",
        "report_date",
        "active_users",
        "licensed_users",
        "share_display",
        "compliant",
        "uploaded_at",
    ]
    search_fields = ["organisation__legal_name"]
    list_select_related = ["organisation"]
    date_hierarchy = "uploaded_at"

    @admin.display(description=_("share active"))
    def share_display(self, report):
        return f"{report.share_percent} %"

    @admin.display(description=_("at or above %(p)s %%") % {"p": THRESHOLD_PERCENT}, boolean=True)
    def compliant(self, report):
        return report.is_compliant


@admin.register(LicenceCompliance)
class LicenceComplianceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["legal_name", "country", "status", "latest_report", "latest_share", "compliant"]
    search_fields = ["legal_name", "handle"]
    list_filter = ["status", "country"]

    def get_queryset(self, request):
        latest = LicenceUsageReport.objects.filter(organisation=OuterRef("pk")).order_by(
            "-uploaded_at", "-id"
        )
        return (
            super()
            .get_queryset(request)
            .filter(orders__status__in=[Order.Status.GRANTED, Order.Status.FULFILLED])
            .distinct()
            .annotate(
                report_date=Subquery(latest.values("report_date")[:1]),
                report_active=Subquery(latest.values("active_users")[:1]),
                report_licensed=Subquery(latest.values("licensed_users")[:1]),
            )
        )

    @admin.display(description=_("latest report"))
    def latest_report(self, organisation):
        return organisation.report_date or _("none")

    @admin.display(description=_("share active"))
    def latest_share(self, organisation):
        if not organisation.report_licensed:
            return "—"
        return f"{organisation.report_active} / {organisation.report_licensed}"

    @admin.display(description=_("compliant"), boolean=True)
    def compliant(self, organisation):
        if not organisation.report_licensed:
            return None
        return is_compliant(
            active=organisation.report_active, licensed=organisation.report_licensed
        )


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Staff see every subscription and credit; lapsed ones (not renewed because the
    organisation was not eligible, R-VAL-10) are a filter away."""

    list_display = [
        "organisation",
        "name",
        "seats",
        "granted_seats",
        "unit_price",
        "renews_on",
        "seats_at_renewal",
        "status",
    ]
    list_filter = ["status", "product"]
    search_fields = ["organisation__legal_name", "organisation__handle", "sku", "name"]
    list_select_related = ["organisation"]
    date_hierarchy = "renews_on"
    inlines = [AuditTrailInline]
