"""For "Demo Nonprofit": a confirmed Microsoft certificate; a granted order (10 Business Premium
seats and 10 Windows Professional, all donated, so no minimum applies: R-MS-2) whose
subscription renews next month, after the announced price change; a submitted order of five
discounted licences; one licence-use report below 85 % (R-MS-6); and the exchange and VAT rates
invoices need (demo figures: staff enter the real ones). Idempotent: nothing is added once the
organisation has orders."""

from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Organisation, User
from catalog.models import DonorCertificate, Product, Programme
from orders.invoice_models import ChargeKind, ExchangeRate, VatCategory, VatRate
from orders.models import LicenceUsageReport, Order, Subscription, add_months
from orders.services import order_grant, order_place

DEMO_RATES = {"SEK": Decimal("10.50"), "NOK": Decimal("11.20"), "EUR": Decimal("0.92")}


def rates_ensure(*, today: date) -> None:
    """Today's demo exchange rates, Swedish VAT at 25 % and Norwegian customers as exports."""
    for currency, rate in DEMO_RATES.items():
        ExchangeRate.objects.get_or_create(
            currency=currency, valid_on=today, defaults={"rate": rate}
        )
    since = date(2020, 1, 1)
    for charge in ChargeKind.values:
        VatRate.objects.get_or_create(
            country="SE",
            charge=charge,
            valid_from=since,
            defaults={"category": VatCategory.STANDARD, "rate": Decimal("25")},
        )
        VatRate.objects.get_or_create(
            country="NO",
            charge=charge,
            valid_from=since,
            defaults={
                "category": VatCategory.EXPORT,
                "rate": Decimal("0"),
                "exemption_reason_code": "VATEX-EU-G",
                "exemption_reason": "Export outside the EU",
            },
        )


def load(*, stdout):
    rates_ensure(today=timezone.localdate())
    organisation = Organisation.objects.filter(legal_name="Demo Nonprofit").first()
    programme = Programme.objects.filter(slug="microsoft").first()
    if organisation is None or programme is None:
        return []
    today = timezone.localdate()
    _certificate_ensure(organisation, programme, today=today)
    if Order.objects.filter(organisation=organisation).exists():
        return []
    renews_on = _orders(organisation, programme, today=today)
    _usage_report(organisation, today=today)
    stdout.write(
        "Orders: Demo Nonprofit has a granted order (with invoice) whose subscription renews on "
        f"{renews_on:%Y-%m-%d}, a submitted order and a licence-use report below 85 %."
    )
    return []


def _certificate_ensure(organisation: Organisation, programme: Programme, *, today: date) -> None:
    """A confirmed Microsoft certificate, so discounted licences may be ordered (R-MS-4)."""
    if DonorCertificate.objects.filter(organisation=organisation).exists():
        return
    DonorCertificate.objects.create(
        organisation=organisation,
        donor=programme.donor,
        file=ContentFile(b"%PDF-1.4\n% demo certificate\n", name="microsoft-certificate.pdf"),
        issued_on=today.replace(day=1),
        status=DonorCertificate.Status.CONFIRMED,
        decided_at=timezone.now(),
    )


def _orders(organisation: Organisation, programme: Programme, *, today: date) -> date:
    """The granted order, its subscription moved to renew next month, and a submitted order;
    returns the renewal date."""
    holder = organisation.account_holder
    sku = dict(Product.objects.values_list("sku", "pk"))
    granted = order_place(
        organisation=organisation,
        programme=programme,
        quantities={sku["MS-M365-BP"]: 10, sku["MS-WIN-PRO"]: 10},
        placed_by=holder,
        idempotency_key="demo-order-granted",
    )
    staff = User.objects.filter(is_staff=True).order_by("pk").first()
    order_grant(order=granted, decided_by=staff)
    renews_on = add_months(today, 1).replace(day=15)
    Subscription.objects.filter(organisation=organisation).update(
        renews_on=renews_on, term_starts_on=add_months(renews_on, -12)
    )
    order_place(
        organisation=organisation,
        programme=programme,
        quantities={sku["MS-O365-E3"]: 3, sku["MS-PA-PREM"]: 2},
        placed_by=holder,
        idempotency_key="demo-order-submitted",
    )
    return renews_on


def _usage_report(organisation: Organisation, *, today: date) -> None:
    """A licence-use report below 85 % (R-MS-6)."""
    LicenceUsageReport.objects.create(
        organisation=organisation,
        uploaded_by=organisation.account_holder,
        file_name="active-users-demo.csv",
        report_date=today,
        licensed_users=10,
        active_users=7,
        inactive_users=[
            {"name": "Kim Demo", "last": ""},
            {"name": "Alex Demo", "last": add_months(today, -5).isoformat()},
            {"name": "Sam Demo", "last": add_months(today, -4).isoformat()},
        ],
    )
