"""Placing orders: the availability policy's rules (R-MS-1 … R-MS-4, R-MS-9, R-MS-11)."""

from decimal import Decimal

import pytest

from accounts.models import Organisation
from catalog.models import DonorCertificate
from clearinghouse.models import AuditEvent, OutboundEmail
from orders.errors import OrderNotAvailable
from orders.models import Order
from tests.catalog.factories import CertificateFactory

pytestmark = pytest.mark.django_db


def reasons_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


# R-MS-2: at least five licences, one product or a mix; exempt products do not count.


def test_a_mix_of_three_and_two_licences_is_placed(place, make_product):
    basic, premium = make_product(), make_product()
    order = place({basic: 3, premium: 2})
    assert order.status == Order.Status.SUBMITTED
    assert sorted(line.quantity for line in order.lines.all()) == [2, 3]


def test_five_of_one_product_is_placed(place, make_product):
    order = place({make_product(): 5})
    assert order.lines.get().quantity == 5


def test_four_licences_are_refused_naming_the_rule_and_the_numbers(place, make_product):
    basic, premium = make_product(), make_product()
    with pytest.raises(OrderNotAvailable) as excinfo:
        place({basic: 2, premium: 2})
    message = reasons_of(excinfo)
    assert "at least 5 at a time" in message and "This order has 4" in message
    assert "add 1 more" in message
    assert not Order.objects.exists()


def test_an_order_of_exempt_products_only_has_no_minimum(place, make_product):
    course = make_product(exempt_from_minimum=True, kind="course", price="3.00")
    order = place({course: 1})
    assert order.lines.get().quantity == 1


def test_exempt_products_do_not_count_toward_the_minimum(place, make_product):
    basic = make_product()
    course = make_product(exempt_from_minimum=True, kind="course", price="3.00")
    with pytest.raises(OrderNotAvailable, match="This order has 4"):
        place({basic: 4, course: 10})


# R-MS-11: each line splits into granted (free, up to what is left) and paid.


def test_a_line_is_granted_up_to_the_grant_and_paid_beyond_it(place, make_product):
    premium = make_product(price="5.50", grant=10)
    line = place({premium: 15}).lines.get()
    assert (line.granted_quantity, line.paid_quantity) == (10, 5)
    assert line.paid_amount == Decimal("27.50")


def test_the_grant_is_shared_by_several_orders_in_one_cycle(place, make_product):
    premium = make_product(price="5.50", grant=10)
    first = place({premium: 6}).lines.get()
    second = place({premium: 9}).lines.get()
    third = place({premium: 5}).lines.get()
    assert (first.granted_quantity, first.paid_quantity) == (6, 0)
    assert (second.granted_quantity, second.paid_quantity) == (4, 5)
    assert (third.granted_quantity, third.paid_quantity) == (0, 5)


def test_cancelling_a_submitted_order_gives_the_grant_back(place, make_product, holder):
    from orders.services import order_cancel

    premium = make_product(price="5.50", grant=10)
    first = place({premium: 8})
    order_cancel(order=first, cancelled_by=holder)
    line = place({premium: 10}).lines.get()
    assert (line.granted_quantity, line.paid_quantity) == (10, 0)


def test_a_refused_order_gives_the_grant_back(place, make_product, staff_user):
    from orders.services import order_refuse

    premium = make_product(price="5.50", grant=10)
    order_refuse(order=place({premium: 10}), decided_by=staff_user, reason="Not this time.")
    assert place({premium: 5}).lines.get().granted_quantity == 5


def test_a_grant_only_product_cannot_be_ordered_beyond_its_grant(place, make_product):
    windows = make_product(price=None, grant=50, kind="perpetual_licence", admin_fee="2.00")
    place({windows: 48})
    with pytest.raises(OrderNotAvailable) as excinfo:
        place({windows: 5})
    assert "only given as a grant: 2 left in your current allotment cycle" in reasons_of(excinfo)


def test_granted_licences_carry_the_admin_fee(place, make_product):
    windows = make_product(price=None, grant=50, kind="perpetual_licence", admin_fee="2.00")
    order = place({windows: 5})
    assert order.admin_fee_total == Decimal("10.00")
    assert order.total == Decimal("10.00")


# Hard caps hold (R-MS-11; e.g. Business Basic is capped at 300).


def test_an_order_beyond_the_hard_cap_is_refused(place, make_product):
    basic = make_product(price=None, grant=300, hard_cap=300)
    place({basic: 250})
    with pytest.raises(OrderNotAvailable) as excinfo:
        place({basic: 51})
    assert "capped at 300" in reasons_of(excinfo) and "at most 50 more" in reasons_of(excinfo)
    assert place({basic: 50}).lines.get().quantity == 50


def test_r_ms_1_without_a_cap_the_quantity_is_unlimited(place, make_product):
    e3 = make_product(price="5.80")
    assert place({e3: 100_000}).lines.get().paid_quantity == 100_000


# Who may order at all.


def test_an_organisation_that_is_not_eligible_cannot_order(
    ineligible_organisation, programme, make_product
):
    from orders.services import order_place

    CertificateFactory(organisation=ineligible_organisation, donor=programme.donor)
    with pytest.raises(OrderNotAvailable, match="Complete validation first"):
        order_place(
            organisation=ineligible_organisation,
            programme=programme,
            quantities={make_product().pk: 5},
            placed_by=ineligible_organisation.account_holder,
            idempotency_key="k" * 32,
        )
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    "certificate_fields",
    [
        None,
        {"status": DonorCertificate.Status.PENDING},
        {"status": DonorCertificate.Status.REJECTED},
        {"expired": True},
    ],
    ids=["none", "pending", "rejected", "expired"],
)
def test_without_a_valid_confirmed_certificate_nothing_can_be_ordered(
    organisation, programme, make_product, certificate_fields
):
    from datetime import date, timedelta

    from orders.services import order_place

    if certificate_fields is not None:
        fields = dict(certificate_fields)
        if fields.pop("expired", False):
            fields["issued_on"] = date.today() - timedelta(days=2 * 366)  # any day, 29 Feb too
        CertificateFactory(organisation=organisation, donor=programme.donor, **fields)
    with pytest.raises(OrderNotAvailable, match="validation certificate"):
        order_place(
            organisation=organisation,
            programme=programme,
            quantities={make_product().pk: 5},
            placed_by=organisation.account_holder,
            idempotency_key="k" * 32,
        )


def test_a_programme_for_nonprofits_only_refuses_a_library(
    make_organisation, programme, make_product
):
    from orders.services import order_place

    programme.nonprofits_only = True
    programme.save()
    library = make_organisation(type=Organisation.Type.PUBLIC_LIBRARY)
    CertificateFactory(organisation=library, donor=programme.donor)
    with pytest.raises(OrderNotAvailable, match="for nonprofits only"):
        order_place(
            organisation=library,
            programme=programme,
            quantities={make_product().pk: 5},
            placed_by=library.account_holder,
            idempotency_key="k" * 32,
        )


def test_a_product_not_sold_in_the_organisations_country_is_refused(place, make_product):
    surface = make_product(kind="perpetual_licence", countries=["US", "CA"])
    with pytest.raises(OrderNotAvailable) as excinfo:
        place({surface: 5})
    assert "not available in Sweden" in reasons_of(excinfo)


def test_a_product_sold_in_the_organisations_country_is_placed(place, make_product):
    surface = make_product(kind="perpetual_licence", countries=["SE", "US"])
    assert place({surface: 5}).lines.get().quantity == 5


def test_a_withdrawn_product_cannot_be_ordered(place, make_product):
    product = make_product(is_active=False)
    with pytest.raises(OrderNotAvailable, match="no longer available"):
        place({product: 5})


@pytest.mark.parametrize("quantity", [-1, 100_001])
def test_a_negative_or_huge_quantity_is_refused(place, make_product, quantity):
    with pytest.raises(OrderNotAvailable, match="whole number from 1"):
        place({make_product(): quantity})


def test_an_empty_order_is_refused(place, make_product):
    with pytest.raises(OrderNotAvailable, match="at least one product"):
        place({make_product(): 0})


# Placement itself.


def test_the_same_idempotency_key_places_one_order(place, make_product):
    product = make_product()
    first = place({product: 5}, key="same-key-0123456789")
    second = place({product: 5}, key="same-key-0123456789")
    assert first.pk == second.pk
    assert Order.objects.count() == 1


def test_order_lines_keep_the_name_sku_and_price_they_were_placed_with(place, make_product):
    product = make_product(price="5.50", name="Microsoft 365 Business Premium", sku="M365-BP")
    order = place({product: 5})
    product.name, product.sku = "Renamed", "NEW-SKU"
    product.save()
    product.terms.update(nonprofit_price=Decimal("9.99"))
    line = order.lines.get()
    assert (line.name, line.sku, line.unit_price) == (
        "Microsoft 365 Business Premium",
        "M365-BP",
        Decimal("5.50"),
    )


def test_placing_records_an_event_and_tells_the_organisation(place, make_product, holder):
    order = place({make_product(): 5})
    assert AuditEvent.objects.filter(verb="orders.order_placed", target_id=order.pk).exists()
    mail = OutboundEmail.objects.get(template="order-placed")
    assert mail.to == holder.email
    assert order.number in mail.subject
