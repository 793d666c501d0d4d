"""Reads of orders, invoices and licence use, scoped to the user's organisation."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import OuterRef, QuerySet, Subquery, Sum

from accounts.models import Organisation
from accounts.selectors import get_for_user_or_404, scoped_to_user
from catalog.models import DonorCertificate, Product, ProductTerms, Programme
from catalog.selectors import products_with_terms
from orders.availability import Verdict
from orders.models import (
    Allotment,
    Invoice,
    LicenceUsageReport,
    Order,
    OrderLine,
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


def latest_usage_report(*, organisation: Organisation) -> LicenceUsageReport | None:
    return organisation.licence_usage_reports.order_by("-uploaded_at", "-id").first()


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
    grant_left: int
    ordered_in_cycle: int
    available_here: bool

    @property
    def cap_left(self) -> int | None:
        cap = self.product.hard_cap
        return None if cap is None else max(cap - self.ordered_in_cycle, 0)


@dataclass
class CatalogueSection:
    programme: Programme
    cycle_start: date
    cycle_end: date
    verdict: Verdict
    rows: list[CatalogueRow] = field(default_factory=list)


def catalogue_for(
    *, organisation: Organisation, day: date, programme=None
) -> list[CatalogueSection]:
    """The catalogue as `organisation` sees it today: terms in force, grant left in the current
    cycle, caps and availability in its country. A fixed number of queries however many rows."""
    from orders.availability import order_verdict

    products = list(products_with_terms(programme=programme))
    allotments = {
        a.programme_id: a
        for a in Allotment.objects.filter(organisation=organisation).select_related("programme")
    }
    usage = {}
    for row in (
        OrderLine.objects.filter(
            order__organisation=organisation,
            order__status__in=Order.COUNTING_STATUSES,
            product__isnull=False,
        )
        .values("product_id", "order__cycle_starts_on")
        .annotate(granted=Sum("granted_quantity"), ordered=Sum("quantity"))
        .order_by()
    ):
        usage[(row["product_id"], row["order__cycle_starts_on"])] = (row["granted"], row["ordered"])
    certified_donors = set(
        DonorCertificate.objects.valid_on(day)
        .filter(organisation=organisation)
        .values_list("donor_id", flat=True)
    )
    sections: dict[int, CatalogueSection] = {}
    for product in products:
        programme_ = product.programme
        if programme_.pk not in sections:
            allotment = allotments.get(programme_.pk)
            first = allotment.first_requested_on if allotment else day
            start, end = cycle_containing(first, programme_.allotment_cycle_years, day)
            sections[programme_.pk] = CatalogueSection(
                programme=programme_,
                cycle_start=start,
                cycle_end=end,
                verdict=order_verdict(
                    organisation=organisation,
                    programme=programme_,
                    day=day,
                    certified_donors=certified_donors,
                ),
            )
        section = sections[programme_.pk]
        terms = product.terms_on(day)
        granted, ordered = usage.get((product.pk, section.cycle_start), (0, 0))
        section.rows.append(
            CatalogueRow(
                product=product,
                terms=terms,
                grant_left=max((terms.grant_per_cycle if terms else 0) - granted, 0),
                ordered_in_cycle=ordered,
                available_here=product.is_available_in(organisation.country),
            )
        )
    return list(sections.values())
