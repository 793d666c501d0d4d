"""The availability policy: one place that answers whether an order may be placed, and why not.

What an organisation holds in a programme on a day is computed once, as a `Standing`: the
allotment cycle, what each product's grant rule counts, the certificate, licence use. The
catalogue page, the order form, the review and `order_place` (again inside its transaction,
after it has locked the organisation's allotment) all quote from it, so the numbers they show
and the numbers placement counts are the same numbers.

Each product kind has its own grant rule (`RULES`, R-MS-11, R-MS-14); kinds are catalogue data
that staff edit, never a test on a SKU:
- donated software (and other products): granted units per allotment cycle of two years from
  the first request; a cap is a ceiling per cycle;
- cloud subscriptions: the seats held at once (active subscriptions and orders still waiting
  for a decision), whatever the cycle; a cap is a ceiling on seats held at once;
- credits: one at a time, for 12 months, asked for again once it ends.
Each line splits into a granted quantity (free, up to what the rule leaves) and a paid quantity
at the nonprofit price (R-MS-1).
"""

import enum
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from accounts.models import Organisation
from catalog.models import Product, ProductTerms, Programme
from clearinghouse import l10n
from orders.models import Subscription, add_months

MAX_QUANTITY = 100_000
ZERO = Decimal("0.00")
TERM_MONTHS = 12  # R-MS-14: a subscription's term, and a credit's life (our choice)


class Rule(enum.Enum):
    PER_CYCLE = "per_cycle"
    HELD_AT_ONCE = "held_at_once"
    ONE_AT_A_TIME = "one_at_a_time"


RULES = {
    Product.Kind.PERPETUAL_LICENCE: Rule.PER_CYCLE,
    Product.Kind.COURSE: Rule.PER_CYCLE,
    Product.Kind.CLOUD_SUBSCRIPTION: Rule.HELD_AT_ONCE,
    Product.Kind.CREDIT_PER_YEAR: Rule.ONE_AT_A_TIME,
}


def rule_of(product: Product) -> Rule:
    return RULES.get(product.kind, Rule.PER_CYCLE)  # type: ignore[call-overload]


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str = ""


OK = Verdict(True)


def grant_of(product: Product, terms: ProductTerms | None) -> int:
    """The free units the product's terms give: for a product granted on request, up to its
    cap, as staff decide (R-MS-14); otherwise the dated grant (R-MS-13). Orders and renewals
    both ask here, so an enterprise agreement's seats stay free when they renew."""
    if terms is None:
        return 0
    if product.on_request:
        return product.hard_cap if product.hard_cap is not None else MAX_QUANTITY
    return terms.grant_per_cycle


@dataclass(frozen=True)
class Holding:
    """What one product's rule counts for the organisation: units against the grant and
    against the cap; the subscription (or running credit) and whether a request waits."""

    granted: int = 0
    units: int = 0
    subscription: Subscription | None = None
    pending: int = 0


@dataclass
class Standing:
    """What the organisation holds in a programme on a day (computed by
    `orders.selectors.standings_for` in a fixed number of queries)."""

    organisation: Organisation
    programme: Programme
    day: date
    cycle_start: date
    cycle_end: date
    # {product id: (granted, units)} over the orders that count in the current cycle, and over
    # the orders still waiting for a decision (any cycle); the active subscriptions.
    in_cycle: dict[int, tuple[int, int]]
    pending: dict[int, tuple[int, int]]
    subscriptions: dict[int, Subscription]
    certified: bool
    cloud_grants_held: bool
    verdict: Verdict = OK

    def holding(self, product: Product) -> Holding:
        rule = rule_of(product)
        if rule is Rule.PER_CYCLE:
            granted, units = self.in_cycle.get(product.pk, (0, 0))
            return Holding(granted=granted, units=units)
        granted, units = self.pending.get(product.pk, (0, 0))
        subscription = self.subscriptions.get(product.pk)
        if rule is Rule.ONE_AT_A_TIME and subscription and subscription.renews_on <= self.day:
            subscription = None  # the credit's 12 months are over: it no longer counts
        if subscription is not None:
            granted += subscription.granted_seats
            units += subscription.seats
        pending = self.pending.get(product.pk, (0, 0))[1]
        return Holding(granted=granted, units=units, subscription=subscription, pending=pending)

    def grant_in_force(self, product: Product, terms: ProductTerms | None) -> int:
        if terms is None or product.on_request:
            return grant_of(product, terms)
        if self.cloud_grants_held and rule_of(product) is Rule.HELD_AT_ONCE:
            return 0  # R-MS-6: two reports in a row below the line hold new cloud grants
        return terms.grant_per_cycle

    def grant_left(self, product: Product, terms: ProductTerms | None) -> int:
        return max(self.grant_in_force(product, terms) - self.holding(product).granted, 0)

    def cap_left(self, product: Product) -> int | None:
        if product.hard_cap is None:
            return None
        return max(product.hard_cap - self.holding(product).units, 0)

    @property
    def needs_certificate(self) -> bool:
        """Whether a discounted licence would be refused for want of a certificate (R-MS-4)."""
        return self.programme.requires_certificate and not self.certified


@dataclass
class LineQuote:
    product: Product
    terms: ProductTerms | None
    quantity: int
    granted: int = 0
    paid: int = 0
    grant_left: int = 0
    unit_price: Decimal | None = None
    months: int = 1
    subscription: Subscription | None = None
    verdict: Verdict = OK

    @property
    def paid_amount(self) -> Decimal:
        return (self.unit_price or ZERO) * self.paid * self.months

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

    @property
    def discounted_licences(self) -> int:
        """R-MS-2: the licences charged at the discounted price, of products not exempt."""
        return sum(line.paid for line in self.lines if not line.product.exempt_from_minimum)


def months_left(day: date, renews_on: date) -> int:
    """Whole months from `day` to `renews_on`, a month begun counting as a month (pro rata)."""
    months = 1
    while add_months(day, months) < renews_on and months < TERM_MONTHS:
        months += 1
    return months


def organisation_verdict(
    *, organisation: Organisation, programme: Programme, day: date | None = None
) -> Verdict:
    """Whether the organisation may order from (or be granted by) the programme at all: the
    same policy at placement and at decision time (R-VAL-9, R-VAL-10, R-MS-3)."""
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
    return OK


def certificate_verdict(*, standing: Standing) -> Verdict:
    """R-MS-4: a discounted licence needs the donor's validation certificate; donations do not."""
    if not standing.needs_certificate:
        return OK
    return Verdict(
        False,
        _(
            "This order has licences at the discounted price, which need your %(donor)s "
            "validation certificate: send it under “Donor certificates” and wait for our "
            "confirmation. Donated licences can be ordered without it."
        )
        % {"donor": standing.programme.donor.name},
    )


def licence_use_hold_message() -> str:
    return _(
        "New cloud grants are on hold: your last two licence-use reports were below 85 %% "
        "active use. Upload a report at or above 85 %% under “Licence use” to lift the hold. "
        "Until then you can still buy seats at the nonprofit price."
    ).replace("%%", "%")


def _quote_line(product: Product, quantity: int, *, standing: Standing) -> LineQuote:
    day = standing.day
    terms = product.terms_on(day)
    holding = standing.holding(product)
    grant_left = standing.grant_left(product, terms)
    granted = min(max(quantity, 0), grant_left)
    line = LineQuote(
        product=product,
        terms=terms,
        quantity=quantity,
        granted=granted,
        paid=max(quantity - granted, 0),
        grant_left=grant_left,
        unit_price=terms.nonprofit_price if terms else None,
    )
    if rule_of(product) is Rule.HELD_AT_ONCE:
        subscription = holding.subscription
        if subscription is not None and subscription.renews_on > day:
            # R-MS-13: seats added mid-term run at the subscription's price and end with its
            # term, charged pro rata by month.
            line.subscription = subscription
            if subscription.unit_price is not None:
                line.unit_price = subscription.unit_price
            line.months = months_left(day, subscription.renews_on)
        else:
            line.months = TERM_MONTHS
    line.verdict = _line_verdict(line, standing=standing)
    return line


def _line_verdict(line: LineQuote, *, standing: Standing) -> Verdict:
    product, holding, rule = line.product, standing.holding(line.product), rule_of(line.product)
    if line.quantity < 1 or line.quantity > MAX_QUANTITY:
        return Verdict(
            False,
            _("%(product)s: enter a whole number from 1 to %(max)s.")
            % {"product": product.name, "max": MAX_QUANTITY},
        )
    if not product.is_available_in(standing.organisation.country):
        return Verdict(
            False,
            _("%(product)s is not available in %(country)s.")
            % {"product": product.name, "country": standing.organisation.country.name},
        )
    if line.terms is None:
        return Verdict(False, _("%(product)s has no price yet.") % {"product": product.name})
    if rule is Rule.ONE_AT_A_TIME:
        verdict = _credit_verdict(line, holding=holding, day=standing.day)
        if not verdict.ok:
            return verdict
    verdict = _cap_verdict(line, standing=standing)
    if not verdict.ok:
        return verdict
    if line.paid and line.unit_price is None:
        return _grant_only_verdict(line, standing=standing)
    return OK


def _cap_verdict(line: LineQuote, *, standing: Standing) -> Verdict:
    """A capped product: at most the cap per cycle, or held at once (R-MS-11, R-MS-14)."""
    cap_left = standing.cap_left(line.product)
    if cap_left is None or line.quantity <= cap_left:
        return OK
    return cap_exceeded(line.product, before=standing.holding(line.product).units)


def cap_exceeded(product: Product, *, before: int) -> Verdict:
    """The refusal of a capped product, with what is held or asked for already (`before`)."""
    if rule_of(product) is Rule.HELD_AT_ONCE:
        message = _(
            "%(product)s is capped at %(cap)s seats held at once; you hold or have asked "
            "for %(before)s, so at most %(left)s more."
        )
    else:
        message = _(
            "%(product)s is capped at %(cap)s per organisation in an allotment cycle; "
            "you have ordered %(before)s, so at most %(left)s more."
        )
    cap = product.hard_cap or 0
    return Verdict(
        False,
        message
        % {"product": product.name, "cap": cap, "before": before, "left": max(cap - before, 0)},
    )


def decision_holdings_verdict(*, lines, standing: Standing, cycle_start: date) -> Verdict:
    """R-MS-6, R-MS-11: an order waiting for a decision is counted in `standing`; when staff
    grant it, its caps must still hold it (a cap lowered since is not passed) and free cloud
    seats are not given while low licence use holds new cloud grants. `lines` are the order's
    lines, `cycle_start` the allotment cycle it was placed in."""
    for line in lines:
        product = line.product
        if product is None:
            continue
        rule = rule_of(product)
        held = standing.cloud_grants_held and rule is Rule.HELD_AT_ONCE
        if held and line.granted_quantity and not product.on_request:
            return Verdict(False, f"{product.name}: {licence_use_hold_message()}")
        counted = rule is not Rule.PER_CYCLE or cycle_start == standing.cycle_start
        units = standing.holding(product).units
        if counted and product.hard_cap is not None and units > product.hard_cap:
            return cap_exceeded(product, before=units - line.quantity)
    return OK


def _grant_only_verdict(line: LineQuote, *, standing: Standing) -> Verdict:
    """A product without a price asked for beyond its grant (or while cloud grants are held)."""
    product, rule = line.product, rule_of(line.product)
    if standing.cloud_grants_held and rule is Rule.HELD_AT_ONCE:
        return Verdict(False, f"{product.name}: {licence_use_hold_message()}")
    if rule is Rule.HELD_AT_ONCE:
        message = _(
            "%(product)s is only given as a grant: %(left)s seats left of what you may "
            "hold at once, and you asked for %(quantity)s."
        )
    else:
        message = _(
            "%(product)s is only given as a grant: %(left)s left in your current "
            "allotment cycle, and you asked for %(quantity)s."
        )
    return Verdict(
        False,
        message % {"product": product.name, "left": line.grant_left, "quantity": line.quantity},
    )


def _credit_verdict(line: LineQuote, *, holding: Holding, day: date) -> Verdict:
    """R-MS-11: one credit at a time for 12 months, asked for again once it has ended."""
    product = line.product
    if holding.pending:
        return Verdict(
            False,
            _("You have already asked for the %(product)s; that order waits for a decision.")
            % {"product": product.name},
        )
    running = holding.subscription
    if running is not None and running.renews_on > day:
        return Verdict(
            False,
            _(
                "Your %(product)s runs until %(end)s; one credit is given at a time, so you "
                "may ask for the next one from %(end)s."
            )
            % {"product": product.name, "end": l10n.day(running.renews_on)},
        )
    if line.quantity > 1:
        return Verdict(
            False,
            _("%(product)s: one credit is given at a time; enter 1.") % {"product": product.name},
        )
    return OK


def _minimum_verdict(quote: OrderQuote) -> Verdict:
    """R-MS-2: the minimum counts only the licences charged at the discounted price."""
    minimum = quote.programme.minimum_licences_per_order
    counted = quote.discounted_licences
    if counted and counted < minimum:
        return Verdict(
            False,
            _(
                "Licences at the discounted price are ordered at least %(minimum)s at a time "
                "(of one product or a mix; donated licences do not count). This order has "
                "%(count)s at the discounted price: add %(missing)s more, or order only what "
                "your grant covers."
            )
            % {"minimum": minimum, "count": counted, "missing": minimum - counted},
        )
    return OK


def quote_order(
    *,
    organisation: Organisation,
    programme: Programme,
    quantities: dict[int, int],
    day: date,
    request_reason: str = "",
    standing: Standing | None = None,
) -> OrderQuote:
    """Answer for each line and for the whole order. `quantities` maps product id → quantity;
    zero quantities are left out. Pass the `standing` when the caller already has it (placement
    computes it under the allotment lock)."""
    from catalog.selectors import products_with_terms
    from orders.selectors import standing_for

    if standing is None:
        standing = standing_for(organisation=organisation, programme=programme, day=day)
    quote = OrderQuote(
        programme=programme, cycle_start=standing.cycle_start, cycle_end=standing.cycle_end
    )
    wanted = {pk: qty for pk, qty in quantities.items() if qty != 0}
    products = {p.pk: p for p in products_with_terms(programme=programme).filter(pk__in=wanted)}
    unknown = set(wanted) - set(products)
    for pk in sorted(products, key=lambda pk: (products[pk].position, products[pk].name)):
        quote.lines.append(_quote_line(products[pk], wanted[pk], standing=standing))
    quote.verdict = _order_verdict(
        quote, standing=standing, unknown=bool(unknown), request_reason=request_reason
    )
    return quote


def _order_verdict(
    quote: OrderQuote, *, standing: Standing, unknown: bool, request_reason: str
) -> Verdict:
    if not standing.verdict.ok:
        return standing.verdict
    if unknown:
        return Verdict(
            False, _("One of the products is unknown or no longer available; reload the page.")
        )
    if not quote.lines:
        return Verdict(False, _("Enter a quantity for at least one product."))
    on_request = [line.product.name for line in quote.lines if line.product.on_request]
    if on_request and not request_reason.strip():
        return Verdict(
            False,
            _("Say why you ask for %(products)s: staff decide such grants on the donor's behalf.")
            % {"products": ", ".join(on_request)},
        )
    if any(line.paid for line in quote.lines):
        verdict = certificate_verdict(standing=standing)
        if not verdict.ok:
            return verdict
    return _minimum_verdict(quote)
