"""The Microsoft programme and the catalogue table of DOMAIN.md for `load_demo_data`.

Idempotent: products are matched by SKU and dated terms by (product, date). Terms start on
1 September 2022 with the seeds' grants, which are in force today (R-MS-13): 10 Business
Premium seats and 300 Business Basic seats held at once, up to 50 Windows Professional per
two-year cycle, E1 on request, one Azure credit at a time. One price change is announced for
1 January next year (Business Premium 5.50 → 6.00), so that a renewal at the new price can be
seen.
"""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from approval_codes.demo import demo_donor
from catalog.models import Product, ProductTerms, Programme

SEPT_2022 = date(2022, 9, 1)
Kind = Product.Kind

# sku, name, kind, nonprofit price, commercial price, grant, admin fee, cap, exempt, on request
CATALOGUE = [
    ("MS-M365-BP", "Microsoft 365 Business Premium", Kind.CLOUD_SUBSCRIPTION,
     "5.50", "22.00", 10, "0", 300, False, False),
    ("MS-M365-BB", "Microsoft 365 Business Basic", Kind.CLOUD_SUBSCRIPTION,
     None, "6.00", 300, "0", 300, False, False),
    ("MS-O365-E1", "Office 365 E1", Kind.CLOUD_SUBSCRIPTION,
     "2.50", None, 0, "0", 2000, False, True),
    ("MS-O365-E3", "Office 365 E3", Kind.CLOUD_SUBSCRIPTION,
     "5.80", None, 0, "0", None, False, False),
    ("MS-O365-E5", "Office 365 E5", Kind.CLOUD_SUBSCRIPTION,
     "15.20", None, 0, "0", None, False, False),
    ("MS-M365-E3", "Microsoft 365 E3", Kind.CLOUD_SUBSCRIPTION,
     "9.00", None, 0, "0", None, False, False),
    ("MS-WIN-PRO", "Windows Professional (full version, perpetual, with downgrade rights)",
     Kind.PERPETUAL_LICENCE, None, None, 50, "2.00", None, False, False),
    ("MS-PA-APP", "Power Apps per app", Kind.CLOUD_SUBSCRIPTION,
     "2.50", "5.00", 10, "0", None, False, False),
    ("MS-PA-PREM", "Power Apps Premium", Kind.CLOUD_SUBSCRIPTION,
     "5.00", "20.00", 0, "0", None, False, False),
    ("MS-D365-SALES", "Dynamics 365 Sales Professional", Kind.CLOUD_SUBSCRIPTION,
     "16.25", "65.00", 0, "0", None, False, False),
    ("MS-AZURE-CREDIT", "Azure credit (USD 2,000 for 12 months)", Kind.CREDIT_PER_YEAR,
     None, None, 1, "0", 1, True, False),
    ("MS-DSC-COURSE", "Digital Skills Center course", Kind.COURSE,
     "3.00", None, 0, "0", None, True, False),
]  # fmt: skip
NOTES = {
    "MS-M365-BP": "Under 300 users.",
    "MS-M365-BB": "Capped at 300 seats held at once.",
    "MS-O365-E1": "Up to 2,000 seats granted on request, through an enterprise agreement.",
    "MS-WIN-PRO": "Granted via the clearinghouse; admin fee per licence (amount: our choice).",
    "MS-AZURE-CREDIT": "USD 2,000 for 12 months, one at a time; renewable while eligible.",
    "MS-DSC-COURSE": "From 3.00 per course: the admin fee.",
}
# sku: (new nonprofit price); in force from 1 January of next year
ANNOUNCED = {"MS-M365-BP": "6.00"}


def announced_on() -> date:
    return date(timezone.localdate().year + 1, 1, 1)


def _money(value):
    return None if value is None else Decimal(value)


def load(*, stdout):
    donor = demo_donor()
    programme, _created = Programme.objects.update_or_create(
        slug="microsoft",
        defaults={
            "donor": donor,
            "name": "Microsoft for Nonprofits",
            "description": "Donated and discounted Microsoft cloud services and software.",
            "minimum_licences_per_order": 5,
            "requires_certificate": True,
            "nonprofits_only": False,
            "allotment_cycle_years": 2,
        },
    )
    for position, row in enumerate(CATALOGUE):
        sku, name, kind, price, commercial, grant, fee, cap, exempt, on_request = row
        product, _created = Product.objects.update_or_create(
            sku=sku,
            defaults={
                "programme": programme,
                "name": name,
                "kind": kind,
                "hard_cap": cap,
                "exempt_from_minimum": exempt,
                "on_request": on_request,
                "position": position,
            },
        )
        terms = {
            "nonprofit_price": _money(price),
            "commercial_price": _money(commercial),
            "grant_per_cycle": grant,
            "admin_fee": Decimal(fee),
            "note": NOTES.get(sku, ""),
        }
        ProductTerms.objects.update_or_create(
            product=product, effective_from=SEPT_2022, defaults=terms
        )
        if sku in ANNOUNCED and not product.terms.filter(effective_from__gt=SEPT_2022).exists():
            ProductTerms.objects.create(
                product=product,
                effective_from=announced_on(),
                **{**terms, "nonprofit_price": Decimal(ANNOUNCED[sku]), "note": "New price."},
            )
    stdout.write(f"Catalogue: {programme.name} with {len(CATALOGUE)} products.")
    return []
