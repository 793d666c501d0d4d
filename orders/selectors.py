"""Reads of orders, invoices and licence use, scoped to the user's organisation."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import OuterRef, QuerySet, Subquery, Sum

from accounts.models import Organisation
from accounts.selectors import get_for_user_or_404, scoped_to_user
from catalog.models import DonorCertificate, Product, ProductTerms, Programme
from catalog.selectors import products_with_terms
from orders.availability import Rule, Standing, Verdict, organisation_verdict, rule_of
from orders.models import (
    Allotment,
    Invoice,
    LicenceUsageReport,
    Order,
    OrderLine,
    Subscription,
    cycle_containing,
)


def orders_for_user(user) -> QuerySet[Order]:
    return (
        scoped_to_user(Order.objects.all(), user)
        .select_related("programme", "invoice")
        .prefetch_related("lines")
    )


def order_for_user(*, user, pk) -> Order:
    return get_for_user_or_404(orders_for_user(user), user=user, pk=pk)


def invoices_for_user(user) -> QuerySet[Invoice]:
    return scoped_to_user(Invoice.objects.all(), user).select_related("order", "credit_note")


def invoice_for_user(*, user, pk) -> Invoice:
    return get_for_user_or_404(
        invoices_for_user(user)
        .select_related("organisation")
        .prefetch_related("lines", "payments", "vat_subtotals"),
        user=user,
        pk=pk,
    )


def subscriptions_for_user(user) -> QuerySet[Subscription]:
    """The organisation's subscriptions and credits: running ones first, by renewal date."""
    return (
        scoped_to_user(Subscription.objects.all(), user)
        .select_related("product__programme")
        .order_by("status", "renews_on", "name", "id")
    )


def subscription_for_user(*, user, pk) -> Subscription:
    return get_for_user_or_404(subscriptions_for_user(user), user=user, pk=pk)


def latest_usage_report(*, organisation: Organisation) -> LicenceUsageReport | None:
    return organisation.licence_usage_reports.order_by("-uploaded_at", "-id").first()


def usage_reports_of(*, organisation: Organisation) -> QuerySet[LicenceUsageReport]:
    """The history of uploaded reports, newest first (R-MS-6)."""
    return organisation.licence_usage_reports.defer("inactive_users").order_by(
        "-uploaded_at", "-id"
    )


def licence_usage_reminder_candidates(*, today: date, recent: timedelta):
    """(organisation, latest report or None, reason) for eligible organisations that were granted
    cloud subscriptions and whose latest report is missing, old ("missing") or below 85 %."""
    latest = LicenceUsageReport.objects.filter(organisation=OuterRef("pk")).order_by(
        "-uploaded_at", "-id"
    )
    organisations = (
        Organisation.objects.eligible()
        .filter(
            orders__status__in=[Order.Status.GRANTED, Order.Status.FULFILLED],
            orders__lines__kind=Product.Kind.CLOUD_SUBSCRIPTION,
            orders__lines__granted_quantity__gt=0,
        )
        .distinct()
        .annotate(latest_report_id=Subquery(latest.values("pk")[:1]))
        .select_related("account_holder")
        .order_by("pk")
    )
    reports = LicenceUsageReport.objects.in_bulk(
        [o.latest_report_id for o in organisations if o.latest_report_id]
    )
    for organisation in organisations:
        report = reports.get(organisation.latest_report_id)
        if report is None or report.report_date < today - recent:
            yield organisation, report, "missing"
        elif not report.is_compliant:
            yield organisation, report, "below"


@dataclass(frozen=True)
class CatalogueRow:
    product: Product
    terms: ProductTerms | None
    grant: int
    grant_left: int
    cap_left: int | None
    held: int
    available_here: bool
    rule: Rule
    subscription: Subscription | None = None  # the running subscription or credit


@dataclass
class CatalogueSection:
    standing: Standing
    rows: list[CatalogueRow] = field(default_factory=list)

    @property
    def programme(self) -> Programme:
        return self.standing.programme

    @property
    def verdict(self) -> Verdict:
        return self.standing.verdict


def cloud_grants_held(*, organisation: Organisation) -> bool:
    """R-MS-6: the last two reports in a row below the line hold new cloud grants, until a
    report at or above it."""
    last_two = list(
        LicenceUsageReport.objects.filter(organisation=organisation).order_by(
            "-uploaded_at", "-id"
        )[:2]
    )
    return len(last_two) == 2 and not any(report.is_compliant for report in last_two)


def standings_for(
    *, organisation: Organisation, programmes: list[Programme], day: date
) -> dict[int, Standing]:
    """{programme id: Standing} of `organisation` on `day`, in six queries however many
    programmes, products and orders. The one calculation of cycles, grants left and caps."""
    ids = [programme.pk for programme in programmes]
    first_requests = dict(
        Allotment.objects.filter(organisation=organisation, programme_id__in=ids).values_list(
            "programme_id", "first_requested_on"
        )
    )
    cycles = {
        p.pk: cycle_containing(first_requests.get(p.pk, day), p.allotment_cycle_years, day)
        for p in programmes
    }
    in_cycle, pending = _units_ordered(organisation=organisation, cycles=cycles)
    # Read after the order lines: a grant committed in between is counted twice (refusing too
    # much, never granting too much). Placement and grants also lock the allotment.
    subscriptions = _active_subscriptions(organisation=organisation, ids=ids)
    certified_donors = set(
        DonorCertificate.objects.valid_on(day)
        .filter(organisation=organisation)
        .values_list("donor_id", flat=True)
    )
    held = cloud_grants_held(organisation=organisation)
    return {
        p.pk: Standing(
            organisation=organisation,
            programme=p,
            day=day,
            cycle_start=cycles[p.pk][0],
            cycle_end=cycles[p.pk][1],
            in_cycle=in_cycle[p.pk],
            pending=pending[p.pk],
            subscriptions=subscriptions[p.pk],
            certified=p.donor_id in certified_donors,
            cloud_grants_held=held,
            verdict=organisation_verdict(organisation=organisation, programme=p, day=day),
        )
        for p in programmes
    }


def _units_ordered(
    *, organisation: Organisation, cycles: dict[int, tuple[date, date]]
) -> tuple[dict[int, dict], dict[int, dict]]:
    """{programme id: {product id: (granted, units)}} over the orders that count in the
    programme's current cycle, and over the orders still waiting for a decision (any cycle)."""
    in_cycle: dict[int, dict] = {pk: {} for pk in cycles}
    pending: dict[int, dict] = {pk: {} for pk in cycles}
    rows = (
        OrderLine.objects.filter(
            order__organisation=organisation,
            order__programme_id__in=list(cycles),
            order__status__in=Order.COUNTING_STATUSES,
            product__isnull=False,
        )
        .values("product_id", "order__programme_id", "order__cycle_starts_on", "order__status")
        .annotate(granted=Sum("granted_quantity"), units=Sum("quantity"))
        .order_by()
    )
    for row in rows:
        programme_id, product_id = row["order__programme_id"], row["product_id"]
        targets = []
        if row["order__cycle_starts_on"] == cycles[programme_id][0]:
            targets.append(in_cycle[programme_id])
        if row["order__status"] in Order.PENDING_STATUSES:
            targets.append(pending[programme_id])
        for target in targets:
            granted, units = target.get(product_id, (0, 0))
            target[product_id] = (granted + row["granted"], units + row["units"])
    return in_cycle, pending


def _active_subscriptions(*, organisation: Organisation, ids: list[int]) -> dict[int, dict]:
    """{programme id: {product id: the active subscription (or credit)}}."""
    subscriptions: dict[int, dict] = {pk: {} for pk in ids}
    for subscription in Subscription.objects.filter(
        organisation=organisation,
        status=Subscription.Status.ACTIVE,
        product__programme_id__in=ids,
    ).select_related("product"):
        subscriptions[subscription.product.programme_id][subscription.product_id] = subscription
    return subscriptions


def standing_for(*, organisation: Organisation, programme: Programme, day: date) -> Standing:
    return standings_for(organisation=organisation, programmes=[programme], day=day)[programme.pk]


def catalogue_for(
    *, organisation: Organisation, day: date, programme=None
) -> list[CatalogueSection]:
    """The catalogue as `organisation` sees it today: terms in force, grant left by each
    product's rule, caps and availability in its country. A fixed number of queries."""
    products = list(products_with_terms(programme=programme))
    programmes = list({product.programme_id: product.programme for product in products}.values())
    standings = standings_for(organisation=organisation, programmes=programmes, day=day)
    sections: dict[int, CatalogueSection] = {}
    for product in products:
        standing = standings[product.programme_id]
        section = sections.setdefault(product.programme_id, CatalogueSection(standing=standing))
        terms = product.terms_on(day)
        holding = standing.holding(product)
        section.rows.append(
            CatalogueRow(
                product=product,
                terms=terms,
                grant=standing.grant_in_force(product, terms),
                grant_left=standing.grant_left(product, terms),
                cap_left=standing.cap_left(product),
                held=holding.units,
                available_here=product.is_available_in(organisation.country),
                rule=rule_of(product),
                subscription=holding.subscription,
            )
        )
    return list(sections.values())
