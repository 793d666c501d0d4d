"""Orders and their lines, allotments and licence-usage reports. Invoices, credit notes and
payments live in `orders.invoice_models` and are imported here, so `orders.Invoice` stays put."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from catalog.models import add_years
from orders.licence_usage import is_compliant


class Allotment(models.Model):
    """An organisation's grant account with one programme (R-MS-11).

    Cycles run `programme.allotment_cycle_years` from the first request on. The row is also
    what placement locks, so two orders of one organisation are counted one after the other.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="allotments"
    )
    programme = models.ForeignKey("catalog.Programme", on_delete=models.PROTECT, related_name="+")
    first_requested_on = models.DateField(_("first request"))

    class Meta:
        verbose_name = _("allotment")
        verbose_name_plural = _("allotments")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "programme"], name="allotment_one_per_programme"
            )
        ]

    def __str__(self):
        return f"{self.organisation} · {self.programme}"

    def cycle_containing(self, day: date) -> tuple[date, date]:
        """(start, end) of the cycle that holds `day`; end is the first day of the next one."""
        return cycle_containing(self.first_requested_on, self.programme.allotment_cycle_years, day)


def cycle_containing(first: date, years: int, day: date) -> tuple[date, date]:
    start = first
    if day < first:
        return first, add_years(first, years)
    while add_years(start, years) <= day:
        start = add_years(start, years)
    return start, add_years(start, years)


class Order(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")
        CANCELLED = "cancelled", _("Cancelled")
        FULFILLED = "fulfilled", _("Fulfilled")

    # R-MS-5, R-MS-12: the one place that says which moves are allowed.
    TRANSITIONS = {
        Status.SUBMITTED: {Status.GRANTED, Status.REFUSED, Status.CANCELLED},
        # Granted → cancelled only by crediting its invoice (R-INV-2), never by the organisation.
        Status.GRANTED: {Status.FULFILLED, Status.CANCELLED},
        Status.REFUSED: set(),
        Status.CANCELLED: set(),
        Status.FULFILLED: set(),
    }
    # Orders in these statuses use up grants and caps; refused and cancelled give them back.
    COUNTING_STATUSES = (Status.SUBMITTED, Status.GRANTED, Status.FULFILLED)

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    programme = models.ForeignKey(
        "catalog.Programme", verbose_name=_("programme"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    cycle_starts_on = models.DateField(_("allotment cycle from"))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("placed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    placed_at = models.DateTimeField(_("placed"), auto_now_add=True, db_index=True)
    idempotency_key = models.CharField(max_length=64)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    fulfilled_at = models.DateTimeField(_("fulfilled"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    paid_total = models.DecimalField(_("paid products (USD)"), max_digits=12, decimal_places=2)
    admin_fee_total = models.DecimalField(_("admin fees (USD)"), max_digits=12, decimal_places=2)
    total = models.DecimalField(_("total (USD)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at", "-id"]
        permissions = [("decide_order", "Can grant, refuse and fulfil orders")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "idempotency_key"], name="order_idempotency_key_unique"
            ),
            models.CheckConstraint(
                condition=Q(total=F("paid_total") + F("admin_fee_total")), name="order_total_sum"
            ),
        ]

    def __str__(self):
        return _("Order %(number)s") % {"number": self.number}

    @property
    def number(self) -> str:
        return f"{self.pk:06d}" if self.pk else "—"

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.Status(self.status)]

    @property
    def can_be_cancelled(self) -> bool:
        """Whether the organisation may still cancel it: only before it is processed (R-MS-12)."""
        return self.status == self.Status.SUBMITTED


class OrderLine(models.Model):
    """One product of an order, with the name, SKU and prices it was placed with (R-MS-13)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sku = models.CharField(_("SKU"), max_length=40)
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=30)
    exempt_from_minimum = models.BooleanField(default=False)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    granted_quantity = models.PositiveIntegerField(_("granted (free)"))
    paid_quantity = models.PositiveIntegerField(_("paid"))
    unit_price = models.DecimalField(
        _("nonprofit price (USD)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    commercial_unit_price = models.DecimalField(
        _("commercial price (USD)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    admin_fee_per_unit = models.DecimalField(
        _("admin fee per granted unit (USD)"), max_digits=10, decimal_places=2
    )
    paid_amount = models.DecimalField(_("paid amount (USD)"), max_digits=12, decimal_places=2)
    admin_fee_amount = models.DecimalField(_("admin fee (USD)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity=F("granted_quantity") + F("paid_quantity")),
                name="order_line_split_adds_up",
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="order_line_quantity_pos"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.name}"


class LicenceUsageReport(models.Model):
    """The result of one uploaded Microsoft 365 usage report (R-MS-6). Only counts are kept."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="licence_usage_reports",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True, db_index=True)
    file_name = models.CharField(_("file name"), max_length=255)
    report_date = models.DateField(_("report date"))
    licensed_users = models.PositiveIntegerField(_("licensed users"))
    active_users = models.PositiveIntegerField(_("active users"))

    class Meta:
        verbose_name = _("licence-usage report")
        verbose_name_plural = _("licence-usage reports")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"{self.organisation}: {self.active_users}/{self.licensed_users}"

    @property
    def share(self) -> Decimal:
        if not self.licensed_users:
            return Decimal("0")
        return Decimal(self.active_users) / Decimal(self.licensed_users)

    @property
    def share_percent(self) -> int:
        """Rounded down, so 84.9 % never shows as 85 %."""
        if not self.licensed_users:
            return 0
        return (100 * self.active_users) // self.licensed_users

    @property
    def is_compliant(self) -> bool:
        return is_compliant(active=self.active_users, licensed=self.licensed_users)


class LicenceUsageReminder(models.Model):
    """One row per organisation and month: the monthly reminder is sent once (R-MS-6)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField()
    reason = models.CharField(max_length=20)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month"], name="licence_usage_reminder_once_a_month"
            )
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.month:%Y-%m} {self.reason}"


class LicenceCompliance(Organisation):
    """Staff's view of organisations' latest licence use (R-MS-6) in admin; no table of its own."""

    class Meta:
        proxy = True
        verbose_name = _("licence compliance")
        verbose_name_plural = _("licence compliance")


from orders.invoice_models import (  # noqa: E402, F401  (the app's models, in one namespace)
    CreditNote,
    ExchangeRate,
    Invoice,
    InvoiceLine,
    InvoiceReminder,
    InvoiceSequence,
    InvoiceVatSubtotal,
    Payment,
    VatRate,
)
