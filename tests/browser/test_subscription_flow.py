"""A subscription end to end (R-MS-14): the organisation orders 10 Business Premium seats, the
order desk grants them in admin, the subscription appears with its renewal date, the
organisation lowers its seats from the renewal, and the renewal reminder arrives."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from catalog.models import Product
from clearinghouse.models import OutboundEmail
from clearinghouse.staff_groups import ORDER_DESK
from orders.models import Order, Subscription
from orders.services_subscriptions import subscriptions_renew
from tests.catalog.factories import ProductFactory, ProgrammeFactory
from tests.factories import PASSWORD, OrganisationFactory, UserFactory
from tests.orders.rates import invoice_rates

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def order_desk_page(browser, live_server, settings):
    settings.REQUIRE_STAFF_MFA = False
    clerk = UserFactory(email="orders@clearinghouse.test", is_staff=True)
    clerk.groups.add(Group.objects.get(name=ORDER_DESK))
    context = browser.new_context(locale="en-GB", base_url=live_server.url)
    context.set_default_timeout(10_000)
    staff = context.new_page()
    staff.goto("/accounts/login/")
    staff.get_by_label("Email").fill(clerk.email)
    staff.get_by_label("Password").fill(PASSWORD)
    staff.get_by_role("button", name="Sign in").click()
    staff.wait_for_load_state()
    yield staff
    context.close()


def test_order_ten_seats_granted_subscription_renewal_date_change_seats_reminder(
    page, login, order_desk_page, private_media
):
    holder = UserFactory(email="kim@green-lane.example.org", first_name="Kim")
    organisation = OrganisationFactory(account_holder=holder, legal_name="Green Lane")
    programme = ProgrammeFactory()  # no certificate: ten donated seats need none (R-MS-4)
    ProductFactory(
        programme=programme,
        name="Business Premium",
        kind=Product.Kind.CLOUD_SUBSCRIPTION,
        hard_cap=300,
        terms__price="5.50",
        terms__grant=10,
        terms__commercial="22.00",
    )

    login(holder.email, PASSWORD)
    page.goto("/account/orders/catalogue/")
    expect(page.get_by_text("Donated licences can be ordered now")).to_be_visible()
    page.get_by_role("link", name="Order from Microsoft for Nonprofits").click()
    page.get_by_label("Quantity of Business Premium").fill("10")
    page.get_by_role("button", name="Review order").click()
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_text("Your order is placed.")).to_be_visible()
    order = Order.objects.get(organisation=organisation)

    invoice_rates()  # the grant issues an invoice in SEK (R-MS-8)
    order_desk_page.goto(f"/admin/orders/order/{order.pk}/decide/")
    order_desk_page.get_by_role("button", name="Grant").click()
    expect(order_desk_page.get_by_text("The decision is recorded")).to_be_visible()

    subscription = Subscription.objects.get(organisation=organisation)
    renews_on = subscription.renews_on.isoformat()
    page.goto("/account/orders/")
    page.get_by_role("link", name="Subscriptions", exact=True).click()
    row = page.get_by_role("row", name=re.compile("Business Premium"))
    expect(row).to_contain_text(f"Renews {renews_on}")
    expect(row).to_contain_text("10")

    row.get_by_role("link", name=re.compile("Change seats")).click()
    page.get_by_label("Seats from the next renewal").fill("8")
    page.get_by_role("button", name="Save changes").click()
    expect(
        page.get_by_text(f"The change takes effect at the renewal on {renews_on}")
    ).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Business Premium"))).to_contain_text(
        "8 seats from then"
    )

    subscriptions_renew(today=subscription.renews_on - timedelta(days=30))
    reminder = OutboundEmail.objects.get(template="order-subscription-renewing")
    assert reminder.to == holder.email
    assert "renews in 30 days" in reminder.subject
    assert "You have asked for 8 seats from the renewal." in reminder.body_text
