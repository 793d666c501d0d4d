"""Every change to orders: place, cancel, and the donor's decisions (R-MS-2 … R-MS-5, R-MS-12).

Order statuses move only through `order_transition`, which checks `Order.TRANSITIONS`,
records the audit event and tells the organisation.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from catalog.models import Programme
from clearinghouse.audit import record_event_about
from orders.availability import (
    Verdict,
    certificate_verdict,
    decision_holdings_verdict,
    organisation_verdict,
    quote_order,
)
from orders.emails import (
    email_licence_usage_reminder,
    email_order_placed,
    email_order_status_changed,
)
from orders.errors import OrderNotAvailable, ReasonRequired, TransitionNotAllowed
from orders.licence_usage import MAX_BYTES, count_active_users
from orders.models import Allotment, LicenceUsageReminder, LicenceUsageReport, Order, OrderLine
from orders.selectors import standing_for


def _locked_allotment(*, organisation: Organisation, programme: Programme, day: date):
    """Create the allotment at the first request, then lock it: every placement and grant of
    this organisation in this programme waits here, so grants and caps are counted one at a
    time."""
    allotment, _created = Allotment.objects.get_or_create(
        organisation=organisation, programme=programme, defaults={"first_requested_on": day}
    )
    return Allotment.objects.select_for_update().select_related("programme").get(pk=allotment.pk)


def order_line_product_fields(product) -> dict:
    """The product as an order line keeps it: the link, and a copy of what it was called and
    how it counted when ordered."""
    return {
        "product": product,
        "sku": product.sku,
        "name": product.name,
        "kind": product.kind,
        "exempt_from_minimum": product.exempt_from_minimum,
    }


def _order_line(order: Order, line) -> OrderLine:
    return OrderLine(
        order=order,
        **order_line_product_fields(line.product),
        quantity=line.quantity,
        requested_quantity=line.quantity if line.product.on_request else None,
        months=line.months,
        granted_quantity=line.granted,
        paid_quantity=line.paid,
        unit_price=line.unit_price,
        commercial_unit_price=line.terms.commercial_price,
        admin_fee_per_unit=line.terms.admin_fee,
        paid_amount=line.paid_amount,
        admin_fee_amount=line.admin_fee_amount,
    )


def _quote_under_lock(
    *, organisation: Organisation, programme: Programme, quantities, day: date, request_reason
):
    """The quote from the standing read now, under the allotment lock: what placement counts."""
    return quote_order(
        organisation=organisation,
        programme=programme,
        quantities=quantities,
        day=day,
        request_reason=request_reason,
        standing=standing_for(organisation=organisation, programme=programme, day=day),
    )


def _order_create(
    quote, *, organisation: Organisation, placed_by, idempotency_key: str, request_reason: str
) -> Order:
    """The order of the quote, with its lines and its audit event."""
    order = Order.objects.create(
        organisation=organisation,
        programme=quote.programme,
        cycle_starts_on=quote.cycle_start,
        placed_by=placed_by,
        idempotency_key=idempotency_key,
        request_reason=request_reason.strip(),
        paid_total=quote.paid_total,
        admin_fee_total=quote.admin_fee_total,
        total=quote.total,
    )
    OrderLine.objects.bulk_create(_order_line(order, line) for line in quote.lines)
    record_event_about(
        order,
        verb="orders.order_placed",
        actor=placed_by,
        data={
            "lines": {line.product.sku: [line.granted, line.paid] for line in quote.lines},
            "total": str(quote.total),
        },
    )
    return order


def order_place(
    *,
    organisation: Organisation,
    programme: Programme,
    quantities: dict[int, int],
    placed_by,
    idempotency_key: str,
    request_reason: str = "",
) -> Order:
    """Place an order, or return the order already placed with `idempotency_key`.

    Raises `OrderNotAvailable` with the rules it breaks; nothing is saved then.
    """
    day = timezone.localdate()
    with transaction.atomic():
        allotment = _locked_allotment(organisation=organisation, programme=programme, day=day)
        existing = Order.objects.filter(
            organisation=organisation, idempotency_key=idempotency_key
        ).first()
        if existing is not None:
            return existing
        # Read the organisation again under the lock: a revocation a moment ago counts.
        organisation = Organisation.objects.get(pk=organisation.pk)
        quote = _quote_under_lock(
            organisation=organisation,
            programme=allotment.programme,
            quantities=quantities,
            day=day,
            request_reason=request_reason,
        )
        if not quote.ok:
            raise OrderNotAvailable(*quote.reasons)
        order = _order_create(
            quote,
            organisation=organisation,
            placed_by=placed_by,
            idempotency_key=idempotency_key,
            request_reason=request_reason,
        )
        email_order_placed(order)
    return order


def order_transition(
    *, order: Order, to: str, actor, reason: str = "", only_from: set | None = None
) -> Order:
    """Move an order along `Order.TRANSITIONS`, with its audit event and mail. `only_from`
    narrows the statuses it may leave (checked under the row lock)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().select_related("organisation").get(pk=order.pk)
        return _order_move(order, to=to, actor=actor, reason=reason, only_from=only_from)


def _order_move(
    order: Order, *, to: str, actor, reason: str = "", only_from: set | None = None
) -> Order:
    """`order_transition` on an order the caller has locked."""
    if not order.can_move_to(to) or (only_from is not None and order.status not in only_from):
        raise TransitionNotAllowed(_transition_message(order, to))
    now = timezone.now()
    order.status = to
    if to in (Order.Status.GRANTED, Order.Status.REFUSED):
        order.decided_at, order.decided_by = now, actor
        order.refusal_reason = reason if to == Order.Status.REFUSED else ""
    elif to == Order.Status.CANCELLED:
        order.cancelled_at = now
    elif to == Order.Status.FULFILLED:
        order.fulfilled_at = now
    order.hold_reason = reason if to == Order.Status.ON_HOLD else ""
    order.save()
    record_event_about(
        order, verb=f"orders.order_{to}", actor=actor, data={"reason": reason} if reason else {}
    )
    email_order_status_changed(order, reason=reason)
    return order


def _transition_message(order: Order, to: str) -> str:
    if to == Order.Status.CANCELLED and order.status == Order.Status.FULFILLED:
        return _("A fulfilled order cannot be cancelled or returned.")
    if to == Order.Status.CANCELLED and order.status == Order.Status.GRANTED:
        return _(
            "Order %(number)s is granted and can no longer be cancelled here; ask us to credit "
            "its invoice."
        ) % {"number": order.number}
    if to == Order.Status.GRANTED and order.status == Order.Status.ON_HOLD:
        return _(
            "Order %(number)s is on hold: %(reason)s It can be granted once the organisation "
            "is eligible again."
        ) % {"number": order.number, "reason": order.hold_reason}
    return _("Order %(number)s is %(status)s and cannot become %(to)s.") % {
        "number": order.number,
        "status": order.get_status_display().lower(),
        "to": Order.Status(to).label.lower(),
    }


def order_grant(
    *, order: Order, decided_by, granted_quantities: dict[int, int] | None = None
) -> Order:
    """The donor grants the order (R-MS-5) after eligibility is checked again under the policy
    it was placed with (R-VAL-10); cloud lines start or enlarge subscriptions (R-MS-14) and
    the invoice is issued, all in one transaction.

    `granted_quantities` ({line id: seats}) is for products granted on request: staff grant
    all, part (up to what was asked for) or none of each such line (R-MS-14).
    """
    from orders.invoicing import invoice_issue
    from orders.services_subscriptions import subscriptions_add_from_order

    day = timezone.localdate()
    with transaction.atomic():
        _locked_allotment(organisation=order.organisation, programme=order.programme, day=day)
        order = (
            Order.objects.select_for_update()
            .select_related("organisation", "programme__donor")
            .get(pk=order.pk)
        )
        if not order.can_move_to(Order.Status.GRANTED):
            raise TransitionNotAllowed(_transition_message(order, Order.Status.GRANTED))
        lines = list(order.lines.select_related("product"))
        if granted_quantities:
            _order_lines_grant_part(order, lines=lines, granted_quantities=granted_quantities)
        verdict = decision_verdict(order=order, lines=lines, day=day)
        if not verdict.ok:
            raise OrderNotAvailable(verdict.reason)
        _order_move(order, to=Order.Status.GRANTED, actor=decided_by)
        subscriptions_add_from_order(order=order, lines=lines, day=day, actor=decided_by)
        invoice_issue(order=order, actor=decided_by)
    return order


def decision_verdict(*, order: Order, lines, day: date) -> Verdict:
    """R-VAL-10: at decision time the organisation must still be eligible, and a discounted
    licence still needs a valid certificate (R-MS-4), as when the order was placed; the caps
    still hold the order and held cloud grants are not given (R-MS-6, R-MS-11)."""
    organisation = Organisation.objects.get(pk=order.organisation_id)
    verdict = organisation_verdict(organisation=organisation, programme=order.programme, day=day)
    if not verdict.ok:
        return Verdict(
            False,
            _(
                "%(organisation)s is no longer eligible (status: %(status)s); the order cannot be "
                "granted until it is eligible again."
            )
            % {"organisation": organisation, "status": organisation.get_status_display()},
        )
    standing = standing_for(organisation=organisation, programme=order.programme, day=day)
    if any(line.paid_quantity for line in lines):
        verdict = certificate_verdict(standing=standing)
        if not verdict.ok:
            return verdict
    return decision_holdings_verdict(
        lines=lines, standing=standing, cycle_start=order.cycle_starts_on
    )


def _order_lines_grant_part(order: Order, *, lines, granted_quantities: dict[int, int]) -> None:
    """Staff grant part of what was asked for on request; the order's totals follow."""
    for line in lines:
        if line.pk not in granted_quantities or line.requested_quantity is None:
            continue
        seats = granted_quantities[line.pk]
        if seats < 1 or seats > line.requested_quantity:
            raise OrderNotAvailable(
                _("%(product)s: grant from 1 to the %(asked)s seats asked for, or refuse.")
                % {"product": line.name, "asked": line.requested_quantity}
            )
        line.quantity = line.granted_quantity = seats
        line.paid_quantity, line.paid_amount = 0, Decimal("0.00")
        line.admin_fee_amount = line.admin_fee_per_unit * seats
        line.save()
    order.paid_total = sum((line.paid_amount for line in lines), Decimal("0.00"))
    order.admin_fee_total = sum((line.admin_fee_amount for line in lines), Decimal("0.00"))
    order.total = order.paid_total + order.admin_fee_total


def order_refuse(*, order: Order, decided_by, reason: str) -> Order:
    """The donor refuses the order (R-MS-5); the reason is required and shown to the
    organisation; the allotment is given back."""
    if not reason.strip():
        raise ReasonRequired(_("Give the reason for refusing; the organisation will see it."))
    return order_transition(
        order=order, to=Order.Status.REFUSED, actor=decided_by, reason=reason.strip()
    )


def order_cancel(*, order: Order, cancelled_by) -> Order:
    """Cancel a request not yet processed; its allotment is given back (R-MS-12). A granted
    order is cancelled only by crediting its invoice (`orders.invoicing.credit_note_issue`)."""
    return order_transition(
        order=order,
        to=Order.Status.CANCELLED,
        actor=cancelled_by,
        only_from={Order.Status.SUBMITTED, Order.Status.ON_HOLD},
    )


def order_fulfil(*, order: Order, actor) -> Order:
    return order_transition(order=order, to=Order.Status.FULFILLED, actor=actor)


def orders_hold_or_release(*, organisation: Organisation, eligible: bool, actor) -> int:
    """R-VAL-10: when an organisation loses eligibility its submitted orders wait on hold (it
    and staff see why); when it is eligible again they return to the queue. Called inside the
    status change's transaction (`accounts.signals.organisation_eligibility_changed`)."""
    source, target = (
        (Order.Status.ON_HOLD, Order.Status.SUBMITTED)
        if eligible
        else (Order.Status.SUBMITTED, Order.Status.ON_HOLD)
    )
    reason = (
        ""
        if eligible
        else _("%(organisation)s is not eligible at the moment (status: %(status)s).")
        % {"organisation": organisation, "status": organisation.get_status_display()}
    )
    moved = 0
    for order in (
        Order.objects.select_for_update()
        .filter(organisation=organisation, status=source)
        .select_related("organisation")
    ):
        _order_move(order, to=target, actor=actor, reason=reason)
        moved += 1
    return moved


# --- Licence use (R-MS-6) -------------------------------------------------------------------

RECENT_REPORT = timedelta(days=90)


def licence_usage_report_upload(*, organisation: Organisation, file, uploaded_by):
    """Count the uploaded report and keep the counts (the file itself is not kept).

    Raises `InvalidUsageReport` with what to fix; nothing is saved then."""
    data = file.read(MAX_BYTES + 1)
    count = count_active_users(data, today=timezone.localdate())
    with transaction.atomic():
        report = LicenceUsageReport.objects.create(
            organisation=organisation,
            uploaded_by=uploaded_by,
            file_name=(getattr(file, "name", "") or "")[:255],
            report_date=count.report_date,
            licensed_users=count.licensed_users,
            active_users=count.active_users,
            inactive_users=list(count.inactive_users),
        )
        record_event_about(
            report,
            verb="orders.licence_usage_reported",
            actor=uploaded_by,
            data={"licensed": count.licensed_users, "active": count.active_users},
        )
    return report


def licence_usage_reminders_send(*, today: date | None = None) -> int:
    """Remind each organisation with donated cloud licences whose latest report is missing,
    older than 90 days or below 85 %. Once a month each: safe to run twice or on two workers."""
    from orders.selectors import licence_usage_reminder_candidates

    today = today or timezone.localdate()
    month = today.replace(day=1)
    sent = 0
    for organisation, report, reason in licence_usage_reminder_candidates(
        today=today, recent=RECENT_REPORT
    ):
        with transaction.atomic():
            _reminder, created = LicenceUsageReminder.objects.get_or_create(
                organisation=organisation, month=month, defaults={"reason": reason}
            )
            if not created:
                continue
            email_licence_usage_reminder(organisation, report=report, reason=reason)
            record_event_about(
                organisation,
                verb="orders.licence_usage_reminded",
                actor=None,
                data={"reason": reason, "month": month.isoformat()},
            )
            sent += 1
    return sent
