"""Orders and their lines, allotments and licence-usage reports. Invoices, credit notes and
payments live in `orders.invoice_models` and are imported here, so `orders.Invoice` stays put."""

from datetime import date
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from catalog.models import add_years
from clearinghouse.model_fields import by_user, organisation_field
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


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has fewer days."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


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
        ON_HOLD = "on_hold", _("On hold")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")
        CANCELLED = "cancelled", _("Cancelled")
        FULFILLED = "fulfilled", _("Fulfilled")

    class Origin(models.TextChoices):
        PLACED = "placed", _("Placed by the organisation")
        RENEWAL = "renewal", _("Subscription renewal")

    # R-MS-5, R-MS-12, R-VAL-10: the one place that says which moves are allowed. An order
    # waits on hold while its organisation is not eligible and cannot be granted then.
    TRANSITIONS = {
        Status.SUBMITTED: {Status.GRANTED, Status.REFUSED, Status.CANCELLED, Status.ON_HOLD},
        Status.ON_HOLD: {Status.SUBMITTED, Status.REFUSED, Status.CANCELLED},
        # Granted → cancelled only by crediting its invoice (R-INV-2), never by the organisation.
        Status.GRANTED: {Status.FULFILLED, Status.CANCELLED},
        Status.REFUSED: set(),
        Status.CANCELLED: set(),
        Status.FULFILLED: set(),
    }
    # Orders in these statuses use up grants and caps; refused and cancelled give them back.
    COUNTING_STATUSES = (Status.SUBMITTED, Status.ON_HOLD, Status.GRANTED, Status.FULFILLED)
    # Placed but not yet decided: they hold seats and allotment until the donor decides.
    PENDING_STATUSES = (Status.SUBMITTED, Status.ON_HOLD)

    organisation = organisation_field("orders", on_delete=models.PROTECT)
    programme = models.ForeignKey(
        "catalog.Programme", verbose_name=_("programme"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    origin = models.CharField(
        _("origin"), max_length=20, choices=Origin.choices, default=Origin.PLACED
    )
    hold_reason = models.TextField(_("why it is on hold"), blank=True)
    request_reason = models.TextField(
        _("reason for the request"),
        blank=True,
        help_text=_("Why the organisation asks for a larger grant (products granted on request)."),
    )
    cycle_starts_on = models.DateField(_("allotment cycle from"))
    placed_by = by_user(_("placed by"))
    placed_at = models.DateTimeField(_("placed"), auto_now_add=True, db_index=True)
    idempotency_key = models.CharField(max_length=64)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = by_user(_("decided by"), blank=True)
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
        return self.status in (self.Status.SUBMITTED, self.Status.ON_HOLD)


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
    requested_quantity = models.PositiveIntegerField(
        _("asked for"), null=True, blank=True, help_text=_("Products granted on request.")
    )
    months = models.PositiveSmallIntegerField(
        _("months billed"),
        default=1,
        help_text=_("Subscriptions: the months of the term the paid seats are charged for."),
    )
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

    @property
    def billed_unit_price(self) -> Decimal | None:
        """The price of one paid unit over the months billed (a subscription seat's monthly
        price times the months of the term it is charged for)."""
        return None if self.unit_price is None else self.unit_price * self.months


class LicenceUsageReport(models.Model):
    """The result of one uploaded Microsoft 365 usage report (R-MS-6). Only counts are kept."""

    organisation = organisation_field("licence_usage_reports", on_delete=models.CASCADE)
    uploaded_by = by_user()
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True, db_index=True)
    file_name = models.CharField(_("file name"), max_length=255)
    report_date = models.DateField(_("report date"))
    licensed_users = models.PositiveIntegerField(_("licensed users"))
    active_users = models.PositiveIntegerField(_("active users"))
    # R-MS-6: the inactive licensed users, so the organisation can act: [{"name", "last"}].
    inactive_users = models.JSONField(_("inactive users"), default=list, blank=True)

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


class Subscription(models.Model):
    """An organisation's subscription of one cloud product, or its running credit (R-MS-14).

    A locked record, not a view over order lines: the seats held, how many of them are granted
    (free) and how many paid, the monthly price it runs at (R-MS-13: kept until it renews),
    and its 12-month term. Granted orders add seats; a lower seat count or the end is only
    scheduled (`seats_at_renewal`) and takes effect at renewal (R-MS-12).
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        LAPSED = "lapsed", _("Lapsed (not renewed)")
        ENDED = "ended", _("Ended")

    organisation = organisation_field("subscriptions", on_delete=models.PROTECT)
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    sku = models.CharField(_("SKU"), max_length=40)
    name = models.CharField(_("name"), max_length=160)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    seats = models.PositiveIntegerField(_("seats"))
    granted_seats = models.PositiveIntegerField(_("granted seats (free)"))
    unit_price = models.DecimalField(
        _("price per seat and month (USD)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    term_starts_on = models.DateField(_("term from"))
    renews_on = models.DateField(_("renewal date"), db_index=True)
    seats_at_renewal = models.PositiveIntegerField(
        _("seats from the renewal"),
        null=True,
        blank=True,
        help_text=_("A lower number asked for; 0 ends the subscription at its renewal."),
    )
    ended_reason = models.TextField(_("why it ended"), blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["renews_on", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "product"],
                condition=Q(status="active"),
                name="subscription_one_active_per_product",
            ),
            models.CheckConstraint(
                condition=Q(granted_seats__lte=F("seats")), name="subscription_granted_within_seats"
            ),
        ]

    def __str__(self):
        return f"{self.seats} × {self.name}"

    @property
    def paid_seats(self) -> int:
        return self.seats - self.granted_seats

    @property
    def is_credit(self) -> bool:
        return self.product.kind == "credit_per_year"


class SubscriptionReminder(models.Model):
    """One row per subscription, renewal date and days before it: each reminder is sent once."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="+")
    renews_on = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "renews_on", "days_before"],
                name="subscription_reminder_once",
            )
        ]

    def __str__(self):
        return f"{self.subscription_id} {self.renews_on} -{self.days_before}"


# The invoice models, in the app's one namespace (`invoice_models.__all__`).
from orders.invoice_models import *  # noqa: E402, F403
