"""What an invoice costs, before it is issued (R-MS-8, R-INV-1): the items to invoice, the
rates they need (or `InvoiceNotIssuable` naming each one missing), the lines converted into the
local currency and the VAT per rate. Nothing here writes; `orders.invoicing` issues."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from accounts.models import Organisation
from orders.errors import InvoiceNotIssuable
from orders.invoice_models import ChargeKind, InvoiceLine, InvoiceVatSubtotal, VatRate
from orders.rates import (
    USD,
    country_name,
    exchange_rate_is_stale,
    exchange_rate_on,
    local_currency,
    vat_rate_on,
)

CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class InvoiceItem:
    """One line to invoice, priced in USD before VAT. `amount` defaults to quantity × price."""

    description: str
    sku: str
    quantity: int
    unit_price: Decimal
    charge: str = InvoiceLine.Charge.PAID
    amount: Decimal | None = None

    @property
    def amount_usd(self) -> Decimal:
        return money(self.amount if self.amount is not None else self.quantity * self.unit_price)

    @property
    def vat_charge(self) -> str:
        return vat_charge_of(self.charge)


def vat_charge_of(charge: str) -> str:
    """Which VAT rate a line's charge is taxed at: the admin fee's, or the products'."""
    return ChargeKind.ADMIN_FEE if charge == InvoiceLine.Charge.ADMIN_FEE else ChargeKind.PRODUCT


def order_invoice_items(order) -> list[InvoiceItem]:
    """The lines of a granted order's invoice: granted (free), paid, and the admin fee."""
    items = []
    for line in order.lines.all():
        if line.granted_quantity:
            items.append(
                InvoiceItem(
                    line.name,
                    line.sku,
                    line.granted_quantity,
                    Decimal("0.00"),
                    InvoiceLine.Charge.GRANTED,
                    Decimal("0.00"),
                )
            )
        if line.paid_quantity:
            items.append(
                InvoiceItem(
                    line.name,
                    line.sku,
                    line.paid_quantity,
                    line.billed_unit_price,
                    InvoiceLine.Charge.PAID,
                    line.paid_amount,
                )
            )
        if line.granted_quantity and line.admin_fee_amount:
            items.append(
                InvoiceItem(
                    line.name,
                    line.sku,
                    line.granted_quantity,
                    line.admin_fee_per_unit,
                    InvoiceLine.Charge.ADMIN_FEE,
                    line.admin_fee_amount,
                )
            )
    return items


@dataclass
class Rates:
    currency: str
    exchange_rate: Decimal
    exchange_rate_on: date | None
    vat: dict[str, VatRate]


def rates_for(*, organisation: Organisation, items: Sequence[InvoiceItem], day: date) -> Rates:
    """The exchange rate and VAT rates the invoice needs, or `InvoiceNotIssuable` naming each
    one that is missing or too old (R-MS-8)."""
    problems = []
    currency = local_currency(organisation.country)
    rate, rate_on = Decimal("1"), None
    if currency != USD:
        entry = exchange_rate_on(currency=currency, day=day)
        if entry is None:
            problems.append(
                _("There is no exchange rate for USD to %(currency)s on or before %(day)s.")
                % {"currency": currency, "day": day.isoformat()}
            )
        elif exchange_rate_is_stale(entry, day=day):
            problems.append(
                _(
                    "The latest exchange rate for USD to %(currency)s is from %(rate_day)s, more "
                    "than %(days)s days before the invoice date %(day)s."
                )
                % {
                    "currency": currency,
                    "rate_day": entry.valid_on.isoformat(),
                    "days": settings.INVOICE_EXCHANGE_RATE_MAX_AGE_DAYS,
                    "day": day.isoformat(),
                }
            )
        else:
            rate, rate_on = entry.rate, entry.valid_on
    vat = {}
    for charge in sorted({item.vat_charge for item in items}):
        entry = vat_rate_on(country=organisation.country, charge=charge, day=day)
        if entry is None:
            problems.append(
                _("There is no VAT rate for %(what)s to customers in %(country)s on %(day)s.")
                % {
                    "what": ChargeKind(charge).label.lower(),
                    "country": country_name(organisation.country),
                    "day": day.isoformat(),
                }
            )
        else:
            vat[charge] = entry
    if problems:
        problems.append(_("Add it under Invoices in admin; nothing was issued."))
        raise InvoiceNotIssuable(*problems)
    return Rates(currency, rate, rate_on, vat)


def priced_lines(items: Sequence[InvoiceItem], rates: Rates) -> list[InvoiceLine]:
    """The invoice's lines (not saved), each converted at the invoice's exchange rate and taxed
    at its charge's VAT rate."""
    lines = []
    for item in items:
        vat = rates.vat[item.vat_charge]
        unit_price_local = (item.unit_price * rates.exchange_rate).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_UP
        )
        # Quantity × local price, so that a line adds up as BIS 3 checks it (R120), unless
        # the caller priced the line otherwise (a pro-rata amount): then amount × rate.
        if item.amount_usd == money(item.quantity * item.unit_price):
            amount_local = money(item.quantity * unit_price_local)
        else:
            amount_local = money(item.amount_usd * rates.exchange_rate)
        lines.append(
            InvoiceLine(
                charge=item.charge,
                description=item.description,
                sku=item.sku,
                quantity=item.quantity,
                unit_price=money(item.unit_price),
                amount=item.amount_usd,
                unit_price_local=unit_price_local,
                amount_local=amount_local,
                vat_category=vat.category,
                vat_rate=vat.rate,
            )
        )
    return lines


def vat_subtotals(lines: Sequence[InvoiceLine], rates: Rates) -> list[InvoiceVatSubtotal]:
    """One row per VAT category and rate (not saved): the taxable amount and the tax, in the
    local currency and in USD."""
    subtotals: dict = defaultdict(lambda: [Decimal(0), Decimal(0), None])
    for line in lines:
        subtotal = subtotals[(line.vat_category, line.vat_rate)]
        subtotal[0] += line.amount_local
        subtotal[1] += line.amount
        subtotal[2] = rates.vat[vat_charge_of(line.charge)]
    return [
        InvoiceVatSubtotal(
            category=category,
            rate=rate,
            exemption_reason_code=vat.exemption_reason_code,
            exemption_reason=vat.exemption_reason,
            taxable_amount=taxable,
            tax_amount=money(taxable * rate / 100),
            taxable_amount_usd=taxable_usd,
            tax_amount_usd=money(taxable_usd * rate / 100),
        )
        for (category, rate), (taxable, taxable_usd, vat) in sorted(subtotals.items())
    ]
