"""For "Demo Nonprofit": a confirmed Microsoft certificate, one granted order with its invoice
and one submitted order. Idempotent: nothing is added once the organisation has orders."""

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Organisation, User
from catalog.models import DonorCertificate, Product, Programme
from orders.models import Order
from orders.services import order_grant, order_place


def load(*, stdout):
    organisation = Organisation.objects.filter(legal_name="Demo Nonprofit").first()
    programme = Programme.objects.filter(slug="microsoft").first()
    if organisation is None or programme is None:
        return []
    if not DonorCertificate.objects.filter(organisation=organisation).exists():
        DonorCertificate.objects.create(
            organisation=organisation,
            donor=programme.donor,
            file=ContentFile(b"%PDF-1.4\n% demo certificate\n", name="microsoft-certificate.pdf"),
            issued_on=timezone.localdate().replace(day=1),
            status=DonorCertificate.Status.CONFIRMED,
            decided_at=timezone.now(),
        )
    if Order.objects.filter(organisation=organisation).exists():
        return []
    holder = organisation.account_holder
    sku = dict(Product.objects.values_list("sku", "pk"))
    granted = order_place(
        organisation=organisation,
        programme=programme,
        quantities={sku["MS-WIN-PRO"]: 10, sku["MS-PA-APP"]: 12},
        placed_by=holder,
        idempotency_key="demo-order-granted",
    )
    staff = User.objects.filter(is_staff=True).order_by("pk").first()
    order_grant(order=granted, decided_by=staff)
    order_place(
        organisation=organisation,
        programme=programme,
        quantities={sku["MS-O365-E3"]: 3, sku["MS-PA-PREM"]: 2},
        placed_by=holder,
        idempotency_key="demo-order-submitted",
    )
    stdout.write("Orders: Demo Nonprofit has a granted order (with invoice) and a submitted one.")
    return []
