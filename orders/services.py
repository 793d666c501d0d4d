"""Every change to orders: place, cancel, and the donor's decisions (R-MS-2 … R-MS-5, R-MS-12).

Order statuses move only through `order_transition`, which checks `Order.TRANSITIONS`,
records the audit event and tells the organisation.
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.emails import send_to_organisation
from accounts.models import MessageCategory, Organisation
from catalog.models import Programme
from clearinghouse.audit import record_event
from orders.availability import quote_order
from orders.errors import OrderNotAvailable, ReasonRequired, TransitionNotAllowed
from orders.licence_usage import MAX_BYTES, count_active_users
from orders.models import Allotment, LicenceUsageReminder, LicenceUsageReport, Order, OrderLine


def _locked_allotment(*, organisation: Organisation, programme: Programme, day: date):
    """Create the allotment at the first request, then lock it: every placement of this
    organisation in this programme waits here, so grants and caps are counted one at a time."""
    allotment, _created = Allotment.objects.get_or_create(
        organisation=organisation, programme=programme, defaults={"first_requested_on": day}
    )
    return Allotment.objects.select_for_update().select_related("programme").get(pk=allotment.pk)


def order_place(
    *,
    organisation: Organisation,
    programme: Programme,
    quantities: dict[int, int],
    placed_by,
    idempotency_key: str,
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
        quote = quote_order(
            organisation=organisation,
            programme=allotment.programme,
            quantities=quantities,
            day=day,
            cycle=allotment.cycle_containing(day),
        )
        if not quote.ok:
            raise OrderNotAvailable(*quote.reasons)
        order = Order.objects.create(
            organisation=organisation,
            programme=programme,
            cycle_starts_on=quote.cycle_start,
            placed_by=placed_by,
            idempotency_key=idempotency_key,
            paid_total=quote.paid_total,
            admin_fee_total=quote.admin_fee_total,
            total=quote.total,
        )
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                product=line.product,
                sku=line.product.sku,
                name=line.product.name,
                kind=line.product.kind,
                exempt_from_minimum=line.product.exempt_from_minimum,
                quantity=line.quantity,
                granted_quantity=line.granted,
                paid_quantity=line.paid,
                unit_price=line.terms.nonprofit_price,
                commercial_unit_price=line.terms.commercial_price,
                admin_fee_per_unit=line.terms.admin_fee,
                paid_amount=line.paid_amount,
                admin_fee_amount=line.admin_fee_amount,
            )
            for line in quote.lines
        )
        record_event(
            actor=placed_by,
            verb="orders.order_placed",
            target=order,
            organisation=organisation,
            data={
                "lines": {line.product.sku: [line.granted, line.paid] for line in quote.lines},
                "total": str(quote.total),
            },
        )
        send_to_organisation(
            organisation=organisation,
            category=MessageCategory.ORDERS,
            name="order-placed",
            context={"order": order, "lines": list(order.lines.all())},
        )
    return order


def order_transition(
    *, order: Order, to: str, actor, reason: str = "", only_from: set | None = None
) -> Order:
    """Move an order along `Order.TRANSITIONS`, with its audit event and mail. `only_from`
    narrows the statuses it may leave (checked under the row lock)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().select_related("organisation").get(pk=order.pk)
        if not order.can_move_to(to) or (only_from is not None and order.status not in only_from):
            raise TransitionNotAllowed(_transition_message(order, to))
        now = timezone.now()
        order.status = to
        if to in (Order.Status.GRANTED, Order.Status.REFUSED):
            order.decided_at, order.decided_by = now, actor
            order.refusal_reason = reason
        elif to == Order.Status.CANCELLED:
            order.cancelled_at = now
        elif to == Order.Status.FULFILLED:
            order.fulfilled_at = now
        order.save()
        record_event(
            actor=actor,
            verb=f"orders.order_{to}",
            target=order,
            organisation=order.organisation,
            data={"reason": reason} if reason else {},
        )
        send_to_organisation(
            organisation=order.organisation,
            category=MessageCategory.ORDERS,
            name="order-status-changed",
            context={"order": order, "reason": reason},
        )
        if to == Order.Status.GRANTED:
            from orders.invoicing import invoice_issue_for_order

            invoice_issue_for_order(order=order, actor=actor)
    return order


def _transition_message(order: Order, to: str) -> str:
    if to == Order.Status.CANCELLED and order.status == Order.Status.FULFILLED:
        return _("A fulfilled order cannot be cancelled or returned.")
    if to == Order.Status.CANCELLED and order.status == Order.Status.GRANTED:
        return _(
            "Order %(number)s is granted and can no longer be cancelled here; ask us to credit "
            "its invoice."
        ) % {"number": order.number}
    return _("Order %(number)s is %(status)s and cannot become %(to)s.") % {
        "number": order.number,
        "status": order.get_status_display().lower(),
        "to": Order.Status(to).label.lower(),
    }


def order_grant(*, order: Order, decided_by) -> Order:
    """The donor grants the order (R-MS-5); the invoice is issued in the same transaction."""
    return order_transition(order=order, to=Order.Status.GRANTED, actor=decided_by)


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
        only_from={Order.Status.SUBMITTED},
    )


def order_fulfil(*, order: Order, actor) -> Order:
    return order_transition(order=order, to=Order.Status.FULFILLED, actor=actor)


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
        )
        record_event(
            actor=uploaded_by,
            verb="orders.licence_usage_reported",
            target=report,
            organisation=organisation,
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
            send_to_organisation(
                organisation=organisation,
                category=MessageCategory.ORDERS,
                name="order-licence-usage-reminder",
                context={"report": report, "reason": reason},
            )
            record_event(
                actor=None,
                verb="orders.licence_usage_reminded",
                target=organisation,
                organisation=organisation,
                data={"reason": reason, "month": month.isoformat()},
            )
            sent += 1
    return sent
