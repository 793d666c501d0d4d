"""Invoices, credit notes, payments and reminders, and the dated rates staff keep for them.

An issued invoice is a snapshot (R-INV-1): seller, customer, addressee, lines, VAT, exchange
rate and totals are copied onto it when it is issued and never change afterwards; a credit note
cancels it (R-INV-2). Amounts are kept in USD (the price list, R-MS-8) and in the invoice's
local currency, which is what is owed, paid and reminded of.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from clearinghouse.model_fields import by_user

ZERO = Decimal("0.00")


__all__ = [
    "CreditNote",
    "ExchangeRate",
    "Invoice",
    "InvoiceLine",
    "InvoiceReminder",
    "InvoiceSequence",
    "InvoiceVatSubtotal",
    "Payment",
    "VatRate",
]


class VatCategory(models.TextChoices):
    """The VAT category codes of EN 16931 / Peppol BIS Billing 3.0 (UNCL5305 subset)."""

    STANDARD = "S", _("Standard rate")
    ZERO_RATED = "Z", _("Zero rated")
    EXEMPT = "E", _("Exempt from VAT")
    REVERSE_CHARGE = "AE", _("Reverse charge")
    INTRA_COMMUNITY = "K", _("Intra-community supply")
    EXPORT = "G", _("Export outside the EU")
    OUTSIDE_SCOPE = "O", _("Outside the scope of VAT")


class ChargeKind(models.TextChoices):
    """What a VAT rate applies to: products (granted or paid) or the administrative fee."""

    PRODUCT = "product", _("Products")
    ADMIN_FEE = "admin_fee", _("Administrative fee")


class VatRate(models.Model):
    """The VAT that applies to customers in `country` from `valid_from` on, per kind of charge.

    Staff keep these as dated entries in admin; the invoice copies the one in force on its date.
    A category other than "S" carries a rate of zero and an exemption reason.
    """

    country = CountryField(_("customer's country"))
    charge = models.CharField(_("applies to"), max_length=20, choices=ChargeKind.choices)
    valid_from = models.DateField(_("valid from"))
    category = models.CharField(_("VAT category"), max_length=2, choices=VatCategory.choices)
    rate = models.DecimalField(
        _("rate (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    exemption_reason_code = models.CharField(
        _("exemption reason code"),
        max_length=30,
        blank=True,
        help_text=_("For a rate of zero, e.g. VATEX-EU-AE or VATEX-EU-G."),
    )
    exemption_reason = models.CharField(
        _("exemption reason"),
        max_length=200,
        blank=True,
        help_text=_("Printed on the invoice, e.g. “Reverse charge”."),
    )

    class Meta:
        verbose_name = _("VAT rate")
        verbose_name_plural = _("VAT rates")
        ordering = ["country", "charge", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "charge", "valid_from"], name="vat_rate_one_per_day"
            ),
            models.CheckConstraint(
                condition=Q(category="S", rate__gt=0) | (~Q(category="S") & Q(rate=0)),
                name="vat_rate_standard_positive_others_zero",
            ),
            models.CheckConstraint(
                condition=Q(category="S") | ~Q(exemption_reason=""),
                name="vat_rate_zero_has_exemption_reason",
            ),
        ]

    def __str__(self):
        return f"{self.country} {self.get_charge_display()} {self.category} {self.rate} %"


class ExchangeRate(models.Model):
    """How many units of `currency` one US dollar buys on `valid_on` (R-MS-8), kept by staff."""

    currency = models.CharField(_("currency"), max_length=3)
    valid_on = models.DateField(_("rate date"))
    rate = models.DecimalField(
        _("units per USD"),
        max_digits=14,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("0.000001"))],
    )
    entered_by = by_user(blank=True)
    entered_at = models.DateTimeField(_("entered"), auto_now_add=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency", "-valid_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "valid_on"], name="exchange_rate_one_a_day"
            ),
            models.CheckConstraint(condition=Q(rate__gt=0), name="exchange_rate_positive"),
        ]

    def __str__(self):
        return f"1 USD = {self.rate} {self.currency} ({self.valid_on})"


class InvoiceSequence(models.Model):
    """One row per series holding its last number; locked and incremented in the transaction
    that issues the document, so numbers have no gaps (a rolled-back document rolls back its
    number). Invoices and credit notes have a series each (R-INV-1, R-INV-2)."""

    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"

    series = models.CharField(max_length=20, unique=True, default=INVOICE)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.series} {self.last_number}"


class InvoiceQuerySet(models.QuerySet):
    """Paid / due / overdue / credited, as staff filter them (R-INV-2)."""

    def credited(self):
        return self.filter(credit_note__isnull=False)

    def paid(self):
        return self.filter(paid_at__isnull=False, credit_note__isnull=True)

    def unpaid(self):
        return self.filter(paid_at__isnull=True, credit_note__isnull=True)

    def due(self, *, today):
        return self.unpaid().filter(due_on__gte=today)

    def overdue(self, *, today):
        return self.unpaid().filter(due_on__lt=today)


class Invoice(models.Model):
    """An issued invoice: a document a treasurer can pay and file (R-INV-1).

    Issued when an order is granted, or by another service (a renewal) with its own lines.
    """

    class Status(models.TextChoices):
        PAID = "paid", _("Paid")
        DUE = "due", _("Due")
        OVERDUE = "overdue", _("Overdue")
        CREDITED = "credited", _("Credited")

    order = models.OneToOneField(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="invoice"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="invoices"
    )
    number = models.PositiveIntegerField(_("invoice number"), unique=True)
    issued_on = models.DateField(_("invoice date"))
    due_on = models.DateField(_("due date"))
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    seller = models.JSONField(_("seller"), default=dict)
    customer_name = models.CharField(_("customer"), max_length=200, default="")
    customer_registration_number = models.CharField(
        _("customer's registration number"), max_length=50, default=""
    )
    customer_country = models.CharField(_("customer's country"), max_length=2, default="")
    customer_peppol_id = models.CharField(_("customer's Peppol ID"), max_length=60, default="")
    addressee_name = models.CharField(_("name"), max_length=200)
    addressee_email = models.EmailField(_("email"))
    addressee_organisation = models.CharField(_("organisation"), max_length=200)
    addressee_address = models.TextField(_("address"))
    addressee_country = models.CharField(_("country"), max_length=100)
    payment_reference = models.CharField(_("payment reference"), max_length=30, default="")
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    exchange_rate = models.DecimalField(
        _("exchange rate (per USD)"), max_digits=14, decimal_places=6, default=Decimal("1")
    )
    exchange_rate_on = models.DateField(_("exchange rate date"), null=True, blank=True)
    # USD, as priced (R-MS-8): net parts, VAT and total.
    paid_total = models.DecimalField(_("paid products (USD)"), max_digits=12, decimal_places=2)
    admin_fee_total = models.DecimalField(_("admin fees (USD)"), max_digits=12, decimal_places=2)
    net_total_usd = models.DecimalField(
        _("net (USD)"), max_digits=12, decimal_places=2, default=ZERO
    )
    vat_total_usd = models.DecimalField(
        _("VAT (USD)"), max_digits=12, decimal_places=2, default=ZERO
    )
    total_usd = models.DecimalField(_("total (USD)"), max_digits=12, decimal_places=2, default=ZERO)
    # The invoice's currency: what is owed.
    net_total = models.DecimalField(_("net"), max_digits=14, decimal_places=2, default=ZERO)
    vat_total = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2, default=ZERO)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    amount_paid = models.DecimalField(
        _("amount paid"), max_digits=14, decimal_places=2, default=ZERO
    )
    paid_at = models.DateTimeField(_("paid in full"), null=True, blank=True)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-number"]
        # Recording a payment is `add_payment`, crediting `add_creditnote`.
        permissions = [("export_invoices", _("Can export invoices for bookkeeping"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(total=models.F("net_total") + models.F("vat_total")),
                name="invoice_total_is_net_plus_vat",
            ),
            models.CheckConstraint(
                condition=Q(amount_paid__lte=models.F("total")), name="invoice_not_overpaid"
            ),
        ]

    def __str__(self):
        return _("Invoice %(number)s") % {"number": self.display_number}

    @property
    def display_number(self) -> str:
        return f"{self.number:06d}"

    @property
    def is_credited(self) -> bool:
        return hasattr(self, "credit_note")

    @property
    def amount_due(self) -> Decimal:
        if self.is_credited:
            return ZERO
        return max(self.total - self.amount_paid, ZERO)

    @property
    def is_paid(self) -> bool:
        return self.amount_due == 0

    def status_on(self, today) -> str:
        if self.is_credited:
            return self.Status.CREDITED
        if self.paid_at is not None or self.is_paid:
            return self.Status.PAID
        return self.Status.OVERDUE if self.due_on < today else self.Status.DUE

    @property
    def shows_usd(self) -> bool:
        return self.currency != "USD"


class InvoiceLine(models.Model):
    class Charge(models.TextChoices):
        GRANTED = "granted", _("Granted (free)")
        PAID = "paid", _("Beyond the grant, nonprofit price")
        ADMIN_FEE = "admin_fee", _("Administrative fee on granted licences")

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    charge = models.CharField(_("charge"), max_length=20, choices=Charge.choices)
    description = models.CharField(_("description"), max_length=250)
    sku = models.CharField(_("SKU"), max_length=40)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.DecimalField(_("unit price (USD)"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("amount (USD)"), max_digits=12, decimal_places=2)
    unit_price_local = models.DecimalField(
        _("unit price"), max_digits=14, decimal_places=4, default=ZERO
    )
    amount_local = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, default=ZERO)
    vat_category = models.CharField(_("VAT category"), max_length=2, default="S")
    vat_rate = models.DecimalField(_("VAT (%)"), max_digits=5, decimal_places=2, default=ZERO)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.description


class InvoiceVatSubtotal(models.Model):
    """The VAT of one category and rate, as Peppol BIS 3 computes it: the sum of the lines'
    net amounts, and the tax rounded once per category (BR-CO-17, BR-S-08)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="vat_subtotals")
    category = models.CharField(_("VAT category"), max_length=2)
    rate = models.DecimalField(_("VAT (%)"), max_digits=5, decimal_places=2)
    exemption_reason_code = models.CharField(max_length=30, blank=True)
    exemption_reason = models.CharField(_("exemption reason"), max_length=200, blank=True)
    taxable_amount = models.DecimalField(_("taxable"), max_digits=14, decimal_places=2)
    tax_amount = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2)
    taxable_amount_usd = models.DecimalField(_("taxable (USD)"), max_digits=12, decimal_places=2)
    tax_amount_usd = models.DecimalField(_("VAT (USD)"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["category", "-rate"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "category", "rate"], name="invoice_vat_one_per_category"
            )
        ]

    def __str__(self):
        return f"{self.category} {self.rate} %: {self.tax_amount}"


class CreditNote(models.Model):
    """Cancels an issued invoice for its full amount (R-INV-2); numbered in its own series.

    The invoice is never edited: its lines, VAT and totals are what the credit note reverses.
    """

    invoice = models.OneToOneField(Invoice, on_delete=models.PROTECT, related_name="credit_note")
    number = models.PositiveIntegerField(_("credit note number"), unique=True)
    issued_on = models.DateField(_("credit note date"))
    reason = models.TextField(_("reason"))
    issued_by = by_user()
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    order_cancelled = models.BooleanField(_("order cancelled"), default=False)
    currency = models.CharField(_("currency"), max_length=3)
    net_total = models.DecimalField(_("net"), max_digits=14, decimal_places=2)
    vat_total = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    total_usd = models.DecimalField(_("total (USD)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        ordering = ["-number"]

    def __str__(self):
        return _("Credit note %(number)s") % {"number": self.display_number}

    @property
    def display_number(self) -> str:
        return f"K{self.number:06d}"


class InvoiceReminder(models.Model):
    """One row per invoice and stage (7 or 21 days after the due date): each reminder is sent
    once, whoever runs the job and however often (R-INV-2)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="reminders")
    days_overdue = models.PositiveSmallIntegerField(_("days after the due date"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    skipped = models.BooleanField(
        _("skipped"), default=False, help_text=_("A later reminder was due when this one was.")
    )

    class Meta:
        verbose_name = _("payment reminder")
        verbose_name_plural = _("payment reminders")
        ordering = ["invoice", "days_overdue"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "days_overdue"], name="invoice_reminder_once_per_stage"
            )
        ]

    def __str__(self):
        return f"{self.invoice} +{self.days_overdue}"


class Payment(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    received_on = models.DateField(_("received on"))
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    recorded_by = by_user()
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-received_on", "-id"]

    def __str__(self):
        return f"{self.amount} {self.currency} on {self.received_on}"
