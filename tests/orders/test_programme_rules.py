"""The Microsoft programme as it really runs: each kind of product with its own grant rule
(R-MS-11, R-MS-14), the minimum on discounted licences only (R-MS-2), the certificate only
for discounted licences (R-MS-4), eligibility at decision time (R-VAL-10)."""

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import Organisation
from catalog.models import Product
from orders.errors import OrderNotAvailable, TransitionNotAllowed
from orders.models import Invoice, Order, Subscription
from orders.services import order_cancel, order_grant, order_place
from validation.services import organisation_revoke
from validation.status import organisation_move

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
Kind = Product.Kind


def at(year, month, day):
    return time_machine.travel(datetime(year, month, day, 12, tzinfo=STOCKHOLM), tick=False)


def reasons_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


@pytest.fixture
def windows(make_product):
    return make_product(
        name="Windows Professional",
        price=None,
        grant=50,
        admin_fee="2.00",
        kind=Kind.PERPETUAL_LICENCE,
    )


@pytest.fixture
def basic(make_product):
    return make_product(
        name="Business Basic", price=None, grant=300, hard_cap=300, kind=Kind.CLOUD_SUBSCRIPTION
    )


@pytest.fixture
def premium(make_product):
    return make_product(
        name="Business Premium", price="5.50", grant=10, hard_cap=300, kind=Kind.CLOUD_SUBSCRIPTION
    )


@pytest.fixture
def e3(make_product):
    return make_product(name="Office 365 E3", price="5.80", kind=Kind.CLOUD_SUBSCRIPTION)


@pytest.fixture
def azure(make_product):
    return make_product(
        name="Azure credit",
        price=None,
        grant=1,
        hard_cap=1,
        exempt_from_minimum=True,
        kind=Kind.CREDIT_PER_YEAR,
    )


# R-MS-2: the minimum counts only licences charged at the discounted price.


def test_three_windows_professional_licences_are_a_donation_with_no_minimum(place, windows):
    line = place({windows: 3}).lines.get()
    assert (line.granted_quantity, line.paid_quantity) == (3, 0)


def test_three_granted_business_basic_seats_have_no_minimum(place, basic):
    assert place({basic: 3}).lines.get().granted_quantity == 3


def test_ten_granted_business_premium_seats_have_no_minimum(place, premium):
    line = place({premium: 10}).lines.get()
    assert (line.granted_quantity, line.paid_quantity) == (10, 0)


def test_four_discounted_licences_are_refused_in_plain_words(place, e3):
    with pytest.raises(OrderNotAvailable) as excinfo:
        place({e3: 4})
    message = reasons_of(excinfo)
    assert "at least 5 at a time" in message
    assert "This order has 4 at the discounted price: add 1 more" in message
    assert "R-" not in message
    assert not Order.objects.exists()


def test_three_plus_two_discounted_licences_are_accepted(place, e3, make_product):
    power_apps = make_product(name="Power Apps Premium", price="5.00", kind=Kind.CLOUD_SUBSCRIPTION)
    order = place({e3: 3, power_apps: 2})
    assert sorted(order.lines.values_list("paid_quantity", flat=True)) == [2, 3]


def test_granted_licences_beside_too_few_discounted_ones_do_not_fill_the_minimum(place, premium):
    """12 Business Premium: 10 granted and 2 at the discounted price, which is too few."""
    with pytest.raises(OrderNotAvailable, match="This order has 2 at the discounted price"):
        place({premium: 12})


# R-MS-4: the certificate is needed for discounted licences only.


@pytest.fixture
def place_without_certificate(organisation, programme):
    def place_order(quantities):
        return order_place(
            organisation=organisation,
            programme=programme,
            quantities={p.pk: q for p, q in quantities.items()},
            placed_by=organisation.account_holder,
            idempotency_key=uuid.uuid4().hex,
        )

    return place_order


def test_a_donation_is_ordered_without_a_certificate(place_without_certificate, windows, premium):
    order = place_without_certificate({windows: 3, premium: 10})
    assert order.status == Order.Status.SUBMITTED


def test_a_discounted_licence_needs_the_certificate(place_without_certificate, e3):
    with pytest.raises(OrderNotAvailable, match="need your Microsoft validation certificate"):
        place_without_certificate({e3: 5})
    assert not Order.objects.exists()


# R-MS-11: donated software per cycle, cloud seats held at once, one credit at a time.


def test_cancelling_a_donated_software_request_gives_the_allotment_back(place, windows, holder):
    order_cancel(order=place({windows: 50}), cancelled_by=holder)
    assert place({windows: 50}).lines.get().granted_quantity == 50


def test_a_seat_cap_is_held_across_a_cycle_boundary(
    organisation, programme, certificate, basic, windows, staff_user
):
    """300 Business Basic seats held: a new two-year cycle does not give 300 more, while
    donated software starts afresh."""

    def place(quantities):
        return order_place(
            organisation=organisation,
            programme=programme,
            quantities={p.pk: q for p, q in quantities.items()},
            placed_by=organisation.account_holder,
            idempotency_key=uuid.uuid4().hex,
        )

    with at(2024, 1, 10):
        certificate.issued_on = date(2024, 1, 1)
        certificate.save()
        order_grant(order=place({basic: 300, windows: 50}), decided_by=staff_user)
    with at(2026, 1, 12):  # the next allotment cycle
        with pytest.raises(OrderNotAvailable) as excinfo:
            place({basic: 1})
        assert "capped at 300 seats held at once" in reasons_of(excinfo)
        assert "at most 0 more" in reasons_of(excinfo)
        assert place({windows: 50}).lines.get().granted_quantity == 50


def test_seats_waiting_for_a_decision_hold_the_grant_like_placed_orders(place, premium):
    place({premium: 10})
    line = place({premium: 5}).lines.get()
    assert (line.granted_quantity, line.paid_quantity) == (0, 5)


def test_both_azure_credits_in_one_order_are_refused(place, azure):
    with pytest.raises(OrderNotAvailable, match="one credit is given at a time; enter 1"):
        place({azure: 2})


def test_a_second_credit_is_refused_while_the_first_waits_or_runs(
    organisation, programme, certificate, azure, staff_user
):
    def place():
        return order_place(
            organisation=organisation,
            programme=programme,
            quantities={azure.pk: 1},
            placed_by=organisation.account_holder,
            idempotency_key=uuid.uuid4().hex,
        )

    with at(2026, 3, 1):
        first = place()
        with pytest.raises(OrderNotAvailable, match="already asked for"):
            place()
        order_grant(order=first, decided_by=staff_user)
        credit = Subscription.objects.get(product=azure)
        assert (credit.term_starts_on, credit.renews_on) == (date(2026, 3, 1), date(2027, 3, 1))
    with at(2027, 2, 28):
        with pytest.raises(OrderNotAvailable) as excinfo:
            place()
        assert "may ask for the next one from 2027-03-01" in reasons_of(excinfo)
    with at(2027, 3, 1):
        assert place().lines.get().granted_quantity == 1


# R-VAL-10: eligibility again at decision time; orders on hold while it is lost.


@pytest.fixture
def submitted_order(place, windows):
    return place({windows: 5})


def test_a_granted_order_of_a_revoked_organisation_is_refused(
    submitted_order, organisation, staff_user
):
    organisation_revoke(organisation=organisation, actor=staff_user, reason="Not a nonprofit.")
    submitted_order.refresh_from_db()
    assert submitted_order.status == Order.Status.ON_HOLD
    assert "not eligible" in submitted_order.hold_reason
    with pytest.raises(TransitionNotAllowed, match="on hold"):
        order_grant(order=submitted_order, decided_by=staff_user)
    assert not Invoice.objects.exists()


def test_an_order_still_submitted_is_not_granted_to_an_ineligible_organisation(
    submitted_order, organisation, staff_user
):
    """Even if an order was not put on hold, the grant checks eligibility itself."""
    Organisation.objects.filter(pk=organisation.pk).update(status=Organisation.Status.REVOKED)
    with pytest.raises(OrderNotAvailable, match="no longer eligible"):
        order_grant(order=submitted_order, decided_by=staff_user)
    submitted_order.refresh_from_db()
    assert submitted_order.status == Order.Status.SUBMITTED
    assert not Invoice.objects.exists()


def test_orders_on_hold_return_to_the_queue_when_the_organisation_is_eligible_again(
    submitted_order, organisation, staff_user
):
    organisation_move(
        organisation=organisation, to_status=Organisation.Status.SUSPENDED, actor=None
    )
    submitted_order.refresh_from_db()
    assert submitted_order.status == Order.Status.ON_HOLD
    organisation_move(organisation=organisation, to_status=Organisation.Status.APPROVED, actor=None)
    submitted_order.refresh_from_db()
    assert (submitted_order.status, submitted_order.hold_reason) == (Order.Status.SUBMITTED, "")
    order_grant(order=submitted_order, decided_by=staff_user)
    assert Invoice.objects.filter(order=submitted_order).exists()


def test_an_order_on_hold_still_holds_its_allotment_and_can_be_cancelled(
    submitted_order, organisation, programme, windows, holder
):
    from orders.selectors import standing_for

    organisation_move(
        organisation=organisation, to_status=Organisation.Status.SUSPENDED, actor=None
    )
    submitted_order.refresh_from_db()
    standing = standing_for(organisation=organisation, programme=programme, day=date.today())
    assert standing.grant_left(windows, windows.terms_on(date.today())) == 45
    order_cancel(order=submitted_order, cancelled_by=holder)
    submitted_order.refresh_from_db()
    assert submitted_order.status == Order.Status.CANCELLED
