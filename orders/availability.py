"""The availability policy: one place that answers whether an order may be placed, and why not.

`quote_order(...)` is asked by the order form, by the review page, and again by `order_place`
inside its transaction after it has locked the organisation's allotment, so what it counts
cannot change under it. Each line and the whole order get a `Verdict(ok, reason)`; each line
is split into a granted quantity (free, up to what is left of the grant in the current
allotment cycle) and a paid quantity at the nonprofit price (R-MS-1, R-MS-11).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from accounts.models import Organisation
from catalog.models import Product, ProductTerms, Programme
from catalog.selectors import products_with_terms, valid_certificate
from orders.models import Allotment, Order, OrderLine, cycle_containing

MAX_QUANTITY = 100_000
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str = ""


OK = Verdict(True)


@dataclass
class LineQuote:
    product: Product
    terms: ProductTerms | None
    quantity: int
    granted: int = 0
    paid: int = 0
    grant_left: int = 0
    verdict: Verdict = OK

    @property
    def unit_price(self) -> Decimal | None:
        return self.terms.nonprofit_price if self.terms else None

    @property
    def paid_amount(self) -> Decimal:
        return (self.unit_price or ZERO) * self.paid

    @property
    def admin_fee_amount(self) -> Decimal:
        return (self.terms.admin_fee if self.terms else ZERO) * self.granted


@dataclass
class OrderQuote:
    programme: Programme
    cycle_start: date
    cycle_end: date
    lines: list[LineQuote] = field(default_factory=list)
    verdict: Verdict = OK

    @property
    def ok(self) -> bool:
        return self.verdict.ok and all(line.verdict.ok for line in self.lines)

    @property
    def reasons(self) -> list[str]:
        reasons = [] if self.verdict.ok else [self.verdict.reason]
        return reasons + [line.verdict.reason for line in self.lines if not line.verdict.ok]

    @property
    def paid_total(self) -> Decimal:
        return sum((line.paid_amount for line in self.lines), ZERO)

    @property
    def admin_fee_total(self) -> Decimal:
        return sum((line.admin_fee_amount for line in self.lines), ZERO)

    @property
    def total(self) -> Decimal:
        return self.paid_total + self.admin_fee_total


def cycle_for(*, organisation: Organisation, programme: Programme, day: date) -> tuple[date, date]:
    """The allotment cycle that holds `day`; before the first request, one starting `day`."""
    allotment = Allotment.objects.filter(organisation=organisation, programme=programme).first()
    first = allotment.first_requested_on if allotment else day
    return cycle_containing(first, programme.allotment_cycle_years, day)


def usage_in_cycle(
    *, organisation: Organisation, programme: Programme, cycle_start: date
) -> dict[int, tuple[int, int]]:
    """{product id: (granted, ordered in all)} over the orders that count in the cycle."""
    rows = (
        OrderLine.objects.filter(
            order__organisation=organisation,
            order__programme=programme,
            order__cycle_starts_on=cycle_start,
            order__status__in=Order.COUNTING_STATUSES,
            product__isnull=False,
        )
        .values("product_id")
        .annotate(granted=Sum("granted_quantity"), ordered=Sum("quantity"))
        .order_by()
    )
    return {row["product_id"]: (row["granted"], row["ordered"]) for row in rows}


def order_verdict(
    *,
    organisation: Organisation,
    programme: Programme,
    day: date,
    certified_donors: set[int] | None = None,
) -> Verdict:
    """Whether the organisation may order from the programme at all (before any quantity).
    `certified_donors` (donor ids with a valid certificate) saves a query per programme."""
    if not organisation.is_eligible:
        return Verdict(
            False,
            _(
                "Your organisation is not validated (status: %(status)s), so it cannot order. "
                "Complete validation first."
            )
            % {"status": organisation.get_status_display()},
        )
    if not programme.is_active:
        return Verdict(
            False,
            _("The %(programme)s programme is closed for orders.") % {"programme": programme.name},
        )
    if programme.nonprofits_only and organisation.type != Organisation.Type.NONPROFIT:
        return Verdict(
            False,
            _("The %(programme)s programme is for nonprofits only.")
            % {"programme": programme.name},
        )
    if certified_donors is not None:
        certified = programme.donor_id in certified_donors
    else:
        certified = (
            valid_certificate(organisation=organisation, donor_id=programme.donor_id, day=day)
            is not None
        )
    if programme.requires_certificate and not certified:
        return Verdict(
            False,
            _(
                "Before ordering, send us your %(donor)s validation certificate and wait for "
                "our confirmation."
            )
            % {"donor": programme.donor.name},
        )
    return OK


def _line_verdict(line: LineQuote, *, organisation: Organisation, ordered_before: int) -> Verdict:
    product = line.product
    if line.quantity < 1 or line.quantity > MAX_QUANTITY:
        return Verdict(
            False,
            _("%(product)s: enter a whole number from 1 to %(max)s.")
            % {"product": product.name, "max": MAX_QUANTITY},
        )
    if not product.is_available_in(organisation.country):
        return Verdict(
            False,
            _("%(product)s is not available in %(country)s.")
            % {"product": product.name, "country": organisation.country.name},
        )
    if line.terms is None:
        return Verdict(False, _("%(product)s has no price yet.") % {"product": product.name})
    if product.hard_cap is not None and ordered_before + line.quantity > product.hard_cap:
        return Verdict(
            False,
            _(
                "%(product)s is capped at %(cap)s per organisation in an allotment cycle; "
                "you have ordered %(before)s, so at most %(left)s more."
            )
            % {
                "product": product.name,
                "cap": product.hard_cap,
                "before": ordered_before,
                "left": max(product.hard_cap - ordered_before, 0),
            },
        )
    if line.paid and line.unit_price is None:
        return Verdict(
            False,
            _(
                "%(product)s is only given as a grant: %(left)s left in your current "
                "allotment cycle, and you asked for %(quantity)s."
            )
            % {"product": product.name, "left": line.grant_left, "quantity": line.quantity},
        )
    return OK


def quote_order(
    *,
    organisation: Organisation,
    programme: Programme,
    quantities: dict[int, int],
    day: date,
    cycle: tuple[date, date] | None = None,
) -> OrderQuote:
    """Answer for each line and for the whole order. `quantities` maps product id → quantity;
    zero quantities are left out. Pass `cycle` when the caller holds the allotment lock."""
    cycle_start, cycle_end = cycle or cycle_for(
        organisation=organisation, programme=programme, day=day
    )
    quote = OrderQuote(programme=programme, cycle_start=cycle_start, cycle_end=cycle_end)
    wanted = {pk: qty for pk, qty in quantities.items() if qty != 0}
    products = {p.pk: p for p in products_with_terms(programme=programme).filter(pk__in=wanted)}
    unknown = set(wanted) - set(products)
    usage = usage_in_cycle(organisation=organisation, programme=programme, cycle_start=cycle_start)

    for pk in sorted(products, key=lambda pk: (products[pk].position, products[pk].name)):
        product, quantity = products[pk], wanted[pk]
        terms = product.terms_on(day)
        granted_before, ordered_before = usage.get(pk, (0, 0))
        grant_left = max((terms.grant_per_cycle if terms else 0) - granted_before, 0)
        granted = min(max(quantity, 0), grant_left)
        line = LineQuote(
            product=product,
            terms=terms,
            quantity=quantity,
            granted=granted,
            paid=max(quantity - granted, 0),
            grant_left=grant_left,
        )
        line.verdict = _line_verdict(line, organisation=organisation, ordered_before=ordered_before)
        quote.lines.append(line)

    quote.verdict = order_verdict(organisation=organisation, programme=programme, day=day)
    if quote.verdict.ok and unknown:
        quote.verdict = Verdict(
            False, _("One of the products is unknown or no longer available; reload the page.")
        )
    elif quote.verdict.ok and not quote.lines:
        quote.verdict = Verdict(False, _("Enter a quantity for at least one product."))
    elif quote.verdict.ok:
        quote.verdict = _minimum_verdict(quote)
    return quote


def _minimum_verdict(quote: OrderQuote) -> Verdict:
    """R-MS-2: at least the minimum over products not exempt; any mix counts."""
    minimum = quote.programme.minimum_licences_per_order
    counted = sum(line.quantity for line in quote.lines if not line.product.exempt_from_minimum)
    if counted and counted < minimum:
        return Verdict(
            False,
            _(
                "An order must contain at least %(minimum)s licences of products that are not "
                "exempt (one product or a mix); this one has %(count)s."
            )
            % {"minimum": minimum, "count": counted},
        )
    return OK
