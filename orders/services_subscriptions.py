"""Subscriptions and credits: started or enlarged by granted orders, changed by the
organisation for the next term, renewed (or lapsed) by a periodic job (R-MS-11 … R-MS-14).

The renewal and the reminders are one job (`subscriptions_renew`), run by Celery beat and by
`manage.py subscriptions_renew`; it is safe to run twice at once: each renewal locks its row
and is also guarded by its renewal order's unique key, each reminder by a unique row.
"""

import logging
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from clearinghouse.audit import record_event_about
from orders.availability import TERM_MONTHS, Rule, grant_of, rule_of
from orders.emails import email_credit_ending, email_subscription_renewing
from orders.errors import OrderError, SeatChangeNotAllowed
from orders.models import Order, OrderLine, Subscription, SubscriptionReminder, add_months
from orders.services import order_line_product_fields

logger = logging.getLogger(__name__)

REMINDER_DAYS = (30, 15, 5)  # R-MS-14: reminders before renewal, each once
CREDIT_REMINDER_DAYS = 30  # R-MS-11: the email 30 days before a credit ends invites a new one


def subscriptions_add_from_order(*, order: Order, lines, day: date, actor) -> list[Subscription]:
    """A granted order starts a subscription of each cloud product or credit in it, or adds
    its seats to the running one (they end with its term). Inside the grant's transaction."""
    changed = []
    for line in lines:
        if line.product is None or rule_of(line.product) is Rule.PER_CYCLE:
            continue
        subscription = (
            Subscription.objects.select_for_update()
            .filter(
                organisation=order.organisation,
                product=line.product,
                status=Subscription.Status.ACTIVE,
            )
            .first()
        )
        if subscription is None:
            subscription = Subscription.objects.create(
                organisation=order.organisation,
                product=line.product,
                sku=line.sku,
                name=line.name,
                seats=line.quantity,
                granted_seats=line.granted_quantity,
                unit_price=line.unit_price,
                term_starts_on=day,
                renews_on=add_months(day, TERM_MONTHS),
            )
            verb = "orders.subscription_started"
        else:
            subscription.seats += line.quantity
            subscription.granted_seats += line.granted_quantity
            subscription.save(update_fields=["seats", "granted_seats"])
            verb = "orders.subscription_seats_added"
        record_event_about(
            subscription,
            verb=verb,
            actor=actor,
            data={"order": order.pk, "seats": line.quantity, "granted": line.granted_quantity},
        )
        changed.append(subscription)
    return changed


def subscriptions_take_back_order(*, order: Order, actor) -> None:
    """R-MS-12: a granted order cancelled before it is fulfilled (its invoice credited) gives
    its seats back: they leave the subscription it started or enlarged, which ends when none
    are left. Inside the cancellation's transaction."""
    for line in order.lines.select_related("product"):
        if line.product is None or rule_of(line.product) is Rule.PER_CYCLE:
            continue
        subscription = (
            Subscription.objects.select_for_update()
            .filter(organisation=order.organisation_id, product=line.product)
            .filter(status=Subscription.Status.ACTIVE)
            .first()
        )
        if subscription is None:
            continue
        subscription.seats = max(subscription.seats - line.quantity, 0)
        subscription.granted_seats = min(
            max(subscription.granted_seats - line.granted_quantity, 0), subscription.seats
        )
        if subscription.seats_at_renewal is not None:
            subscription.seats_at_renewal = min(subscription.seats_at_renewal, subscription.seats)
        if subscription.seats == 0:
            subscription.status = Subscription.Status.ENDED
            subscription.ended_reason = _("Ended: the order of its seats was cancelled.")
        subscription.save()
        record_event_about(
            subscription,
            verb="orders.subscription_seats_taken_back",
            actor=actor,
            data={"order": order.pk, "seats": line.quantity, "granted": line.granted_quantity},
        )


def subscription_seats_schedule(*, subscription: Subscription, seats: int, changed_by) -> None:
    """Set the seats the subscription renews with: lower or end it from the next renewal,
    never mid-term (R-MS-12, R-MS-14). Adding seats is an order (`order_place`)."""
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update()
            .select_related("product")
            .get(pk=subscription.pk)
        )
        if subscription.status != Subscription.Status.ACTIVE or subscription.is_credit:
            raise SeatChangeNotAllowed(_("This subscription can no longer be changed."))
        if seats is None or seats < 0:
            raise SeatChangeNotAllowed(_("Enter a number of seats of 0 or more."))
        if seats > subscription.seats:
            raise SeatChangeNotAllowed(
                _(
                    "To add seats, order them: they are added once granted and end with this "
                    "term. Here you can only lower the seats from the next renewal."
                )
            )
        cap = subscription.product.hard_cap
        if cap is not None and seats > cap:
            raise SeatChangeNotAllowed(
                _("%(product)s is capped at %(cap)s seats.")
                % {"product": subscription.name, "cap": cap}
            )
        subscription.seats_at_renewal = None if seats == subscription.seats else seats
        subscription.save(update_fields=["seats_at_renewal"])
        record_event_about(
            subscription,
            verb="orders.subscription_change_scheduled",
            actor=changed_by,
            data={"seats_at_renewal": subscription.seats_at_renewal},
        )


def subscriptions_renew(*, today: date | None = None) -> dict[str, int]:
    """The daily job: renew (or end or lapse) the subscriptions due, then send the reminders
    due. Returns counts by outcome."""
    today = today or timezone.localdate()
    counts = {"renewed": 0, "lapsed": 0, "ended": 0, "failed": 0, "reminded": 0}
    due = Subscription.objects.filter(
        status=Subscription.Status.ACTIVE, renews_on__lte=today
    ).values_list("pk", flat=True)
    for pk in list(due.order_by("renews_on", "pk")):
        outcome = subscription_renew(subscription_id=pk, today=today)
        if outcome:
            counts[outcome] += 1
    counts["reminded"] = subscription_reminders_send(today=today)
    return counts


def subscription_renew(*, subscription_id: int, today: date) -> str | None:
    """Renew one subscription due on or before `today`: eligibility is checked again and the
    prices and grants in force on the renewal day apply (R-MS-13, R-VAL-10). None when
    another run has done it."""
    try:
        with transaction.atomic():
            subscription = (
                Subscription.objects.select_for_update()
                .select_related("organisation", "product__programme")
                .filter(pk=subscription_id, status=Subscription.Status.ACTIVE)
                .filter(renews_on__lte=today)
                .first()
            )
            if subscription is None:
                return None
            return _renew(subscription)
    except IntegrityError:
        return None  # the renewal order of this term exists: another run renewed it
    except OrderError as error:
        # e.g. the invoice cannot be issued yet (a missing exchange rate): nothing is saved,
        # the subscription stays due and the next run tries again; the others go on.
        logger.warning("Subscription %s not renewed: %s", subscription_id, error)
        return "failed"


def _end(subscription: Subscription, *, status: str, reason: str, verb: str) -> None:
    subscription.status, subscription.ended_reason = status, reason
    subscription.save(update_fields=["status", "ended_reason"])
    record_event_about(
        subscription,
        verb=verb,
        actor=None,
        data={"reason": reason, "on": subscription.renews_on.isoformat()},
    )


def _renew(subscription: Subscription) -> str:
    organisation = Organisation.objects.get(pk=subscription.organisation_id)
    seats = (
        subscription.seats
        if subscription.seats_at_renewal is None
        else subscription.seats_at_renewal
    )
    terms = subscription.product.terms_on(subscription.renews_on)
    grant = grant_of(subscription.product, terms) - _granted_while_pending(subscription)
    granted = min(seats, max(grant, 0))
    if terms is not None and terms.nonprofit_price is None:
        seats = granted  # a grant-only product renews with the seats the grant covers
    ending = _ending(subscription, organisation=organisation, seats=seats, terms=terms)
    if ending is not None:
        status, reason, verb = ending
        _end(subscription, status=status, reason=reason, verb=verb)
        return "lapsed" if status == Subscription.Status.LAPSED else "ended"
    _renew_for_a_term(subscription, seats=seats, granted=granted, terms=terms)
    return "renewed"


def _granted_while_pending(subscription: Subscription) -> int:
    """R-MS-11: the free seats of the product that orders waiting for a decision hold; the
    renewal leaves them, so granting those orders later stays within the seats held at once."""
    return (
        OrderLine.objects.filter(
            order__organisation=subscription.organisation_id,
            order__status__in=Order.PENDING_STATUSES,
            product=subscription.product_id,
        ).aggregate(granted=Sum("granted_quantity"))["granted"]
        or 0
    )


def _ending(
    subscription: Subscription, *, organisation: Organisation, seats: int, terms
) -> tuple[str, str, str] | None:
    """Why the subscription does not renew, as (status, reason, audit verb); None: it renews.
    A credit ends after its 12 months; an ineligible organisation's subscription lapses; no
    seats asked for, or no terms in force, ends it."""
    if subscription.is_credit:
        return (
            Subscription.Status.ENDED,
            _("The credit's 12 months are over."),
            "orders.credit_ended",
        )
    if not organisation.is_eligible:
        reason = _("The organisation was not eligible on the renewal date (status: %(s)s).") % {
            "s": organisation.get_status_display()
        }
        return Subscription.Status.LAPSED, reason, "orders.subscription_lapsed"
    if subscription.seats_at_renewal == 0:
        reason = _("Ended at renewal, as the organisation asked.")
        return Subscription.Status.ENDED, reason, "orders.subscription_ended"
    if seats == 0 or terms is None:
        # R-MS-13: the grant in force on the renewal day covers no seat, and none are sold.
        reason = _("Ended at renewal: its grant is no longer given and it is not sold beyond it.")
        return Subscription.Status.ENDED, reason, "orders.subscription_ended"
    return None


def _renew_for_a_term(subscription: Subscription, *, seats: int, granted: int, terms) -> None:
    """The next 12 months at today's terms: a granted renewal order, its invoice, and the
    subscription's new term."""
    from orders.invoicing import invoice_issue

    day = subscription.renews_on
    order = _renewal_order(subscription, day=day, seats=seats, granted=granted, terms=terms)
    invoice_issue(order=order, actor=None)
    subscription.term_starts_on, subscription.renews_on = day, add_months(day, TERM_MONTHS)
    subscription.seats, subscription.granted_seats = seats, granted
    subscription.unit_price, subscription.seats_at_renewal = terms.nonprofit_price, None
    subscription.save()
    record_event_about(
        subscription,
        verb="orders.subscription_renewed",
        actor=None,
        data={"seats": seats, "granted": granted, "price": str(terms.nonprofit_price)},
    )


def _renewal_order(subscription: Subscription, *, day: date, seats: int, granted: int, terms):
    """The renewal as a granted order of one line: the next 12 months, invoiced like any
    order. Its key makes a second renewal of the same term impossible."""
    from decimal import Decimal

    paid = seats - granted
    paid_amount = (terms.nonprofit_price or Decimal("0")) * paid * TERM_MONTHS
    order = Order.objects.create(
        organisation=subscription.organisation,
        programme=subscription.product.programme,
        origin=Order.Origin.RENEWAL,
        status=Order.Status.GRANTED,
        decided_at=timezone.now(),
        cycle_starts_on=day,
        idempotency_key=f"renewal-{subscription.pk}-{day.isoformat()}",
        paid_total=paid_amount,
        admin_fee_total=Decimal("0.00"),
        total=paid_amount,
    )
    OrderLine.objects.create(
        order=order,
        **order_line_product_fields(subscription.product),
        quantity=seats,
        months=TERM_MONTHS,
        granted_quantity=granted,
        paid_quantity=paid,
        unit_price=terms.nonprofit_price,
        commercial_unit_price=terms.commercial_price,
        admin_fee_per_unit=Decimal("0.00"),
        paid_amount=paid_amount,
        admin_fee_amount=Decimal("0.00"),
    )
    return order


def _reminder_due(days_left: int, *, credit: bool) -> int | None:
    """The one reminder due with `days_left` to go: 30 from 30 days, 15 from 15, 5 from 5."""
    thresholds = (CREDIT_REMINDER_DAYS,) if credit else REMINDER_DAYS
    due = [days for days in thresholds if 0 < days_left <= days]
    return min(due) if due else None


def _reminder_email(subscription: Subscription):
    return email_credit_ending if subscription.is_credit else email_subscription_renewing


def subscription_reminders_send(*, today: date) -> int:
    """Remind the recipients of order messages 30, 15 and 5 days before a subscription renews,
    and 30 days before a credit ends; each reminder once (a unique row claims it)."""
    sent = 0
    upcoming = Subscription.objects.filter(
        status=Subscription.Status.ACTIVE,
        renews_on__gt=today,
        renews_on__lte=add_months(today, 2),
    ).select_related("organisation", "product")
    for subscription in upcoming:
        days = _reminder_due((subscription.renews_on - today).days, credit=subscription.is_credit)
        if days is None:
            continue
        with transaction.atomic():
            _row, created = SubscriptionReminder.objects.get_or_create(
                subscription=subscription, renews_on=subscription.renews_on, days_before=days
            )
            if not created:
                continue
            _reminder_email(subscription)(subscription, days=days)
            sent += 1
    return sent
