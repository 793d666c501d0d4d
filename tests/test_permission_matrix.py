"""The permission matrix: every page and action of the portal against every right.

One row per page or action. For each row the tests check that
- the account holder may use it;
- a sub-account with exactly one right may use it if that is the right the row needs (or the
  row needs none), and otherwise gets 403 (holder-only rows: every sub-account gets 403);
- a user of another organisation gets 404 for a row about one of our objects;
- an anonymous visitor is sent to the login page.

To add a page, add one `Page(...)` row to PAGES. If its URL needs an object, add a builder to
OBJECTS (`"approval_code": lambda organisation: ApprovalCodeFactory(organisation=organisation)`)
and use it in the row: `kwargs=lambda w: {"pk": w.approval_code.pk}`.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import reverse

from accounts.models import Organisation
from accounts.permissions import Right
from accounts.services import main_contact_ensure
from orders.services import order_grant, order_place
from tests.accounts.factories import ContactFactory, make_sub_account
from tests.approval_codes.factories import ApprovalCodeFactory
from tests.catalog.factories import CertificateFactory, ProductFactory, ProgrammeFactory
from tests.factories import OrganisationFactory

# --- What the rows may refer to: built lazily, per organisation -----------------------------


def _programme(organisation):
    programme = ProgrammeFactory()
    CertificateFactory(organisation=organisation, donor=programme.donor)
    return programme


def _order(organisation):
    programme = _programme(organisation)
    product = ProductFactory(programme=programme, terms__price="5.00", terms__grant=0)
    return order_place(
        organisation=organisation,
        programme=programme,
        quantities={product.pk: 5},
        placed_by=organisation.account_holder,
        idempotency_key=uuid.uuid4().hex,
    )


def _invoice(organisation):
    from tests.orders.rates import invoice_rates

    invoice_rates()
    order = order_grant(order=_order(organisation), decided_by=None)
    return order.invoice


OBJECTS: dict[str, Callable[[Organisation], Any]] = {
    "programme": _programme,
    "order": _order,
    "invoice": _invoice,
    "contact": lambda organisation: ContactFactory(organisation=organisation),
    "sub_account": lambda organisation: make_sub_account(organisation, Right.VIEW_PAY_INVOICES),
    "main_contact": lambda organisation: main_contact_ensure(organisation=organisation),
    "approval_code": lambda organisation: ApprovalCodeFactory(organisation=organisation),
    "expired_approval_code": lambda organisation: ApprovalCodeFactory(
        organisation=organisation, expired=True
    ),
}


class World:
    """An organisation's objects, built on first use: `world.contact`, `world.sub_account`, …"""

    def __init__(self, organisation: Organisation):
        self.organisation = organisation
        self._built: dict[str, Any] = {}

    def __getattr__(self, name: str):
        if name.startswith("_") or name not in OBJECTS:
            raise AttributeError(name)
        if name not in self._built:
            self._built[name] = OBJECTS[name](self.organisation)
        return self._built[name]


def _contact_data(world: World, contact=None, **changes) -> dict:
    contact = contact or ContactFactory.build(organisation=world.organisation)
    data = {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "organisation_name": contact.organisation_name,
        "email": contact.email,
        "address_1": contact.address_1,
        "address_2": contact.address_2,
        "city": contact.city,
        "postcode": contact.postcode,
        "country": str(contact.country),
        "phone": contact.phone,
        "language": contact.language,
    }
    return {**data, **changes}


# --- The rows -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    url_name: str
    right: str | None  # None: any user of the organisation
    kwargs: Callable[[World], dict] | None = None  # None: the URL takes no object
    method: str = "get"
    data: Callable[[World], dict] = field(default=lambda world: {})
    holder_only: bool = False
    shared: bool = False  # the URL names an object every organisation may see (a programme)

    def __str__(self):
        return f"{self.method.upper()} {self.url_name}"

    @property
    def is_object_page(self) -> bool:
        return self.kwargs is not None and not self.shared

    def request(self, client, world: World):
        url = reverse(self.url_name, kwargs=self.kwargs(world) if self.kwargs else None)
        return getattr(client, self.method)(url, self.data(world))


C, D = Right.MANAGE_CONTACTS, Right.MANAGE_ACCOUNT_DETAILS
CODES = Right.MANAGE_APPROVAL_CODES
ORDERS, PLACE, INVOICES = Right.VIEW_PRODUCTS_ORDERS, Right.PLACE_ORDERS, Right.VIEW_PAY_INVOICES

PAGES = [
    Page("accounts:my-account", None),
    # Approval codes (R-CODE-2: the account holder, or a sub-account given the right)
    Page("approval_codes:list", CODES),
    Page("approval_codes:create", CODES),
    Page(
        "approval_codes:create",
        CODES,
        method="post",
        data=lambda w: {
            "first_name": "Astrid",
            "last_name": "Lindgren",
            "email": "astrid@example.org",
            "authorised": "on",
        },
    ),
    Page("approval_codes:detail", CODES, kwargs=lambda w: {"pk": w.approval_code.pk}),
    Page(
        "approval_codes:renew",
        CODES,
        kwargs=lambda w: {"pk": w.expired_approval_code.pk},
        method="post",
    ),
    Page("approval_codes:revoke", CODES, kwargs=lambda w: {"pk": w.approval_code.pk}),
    Page(
        "approval_codes:revoke",
        CODES,
        kwargs=lambda w: {"pk": w.approval_code.pk},
        method="post",
        data=lambda w: {"reason": "Left the organisation"},
    ),
    Page("accounts:contact-list", C),
    Page("accounts:contact-create", C),
    Page("accounts:contact-create", C, method="post", data=lambda w: _contact_data(w)),
    Page("accounts:contact-edit", C, kwargs=lambda w: {"pk": w.contact.pk}),
    Page(
        "accounts:contact-edit",
        C,
        kwargs=lambda w: {"pk": w.contact.pk},
        method="post",
        data=lambda w: _contact_data(w, w.contact, first_name="Changed"),
    ),
    Page("accounts:contact-edit", C, kwargs=lambda w: {"pk": w.main_contact.pk}),
    Page("accounts:contact-delete", C, kwargs=lambda w: {"pk": w.contact.pk}),
    Page("accounts:contact-delete", C, kwargs=lambda w: {"pk": w.contact.pk}, method="post"),
    Page(
        "accounts:contact-delete",
        C,
        kwargs=lambda w: {"pk": w.sub_account.pk},
        method="post",
        holder_only=True,
    ),
    Page(
        "accounts:contact-invitation-send",
        None,
        kwargs=lambda w: {"pk": w.sub_account.pk},
        method="post",
        holder_only=True,
    ),
    Page(
        "accounts:contact-invitation-cancel",
        None,
        kwargs=lambda w: {"pk": w.sub_account.pk},
        method="post",
        holder_only=True,
    ),
    Page("accounts:details", D),
    Page(
        "accounts:details",
        D,
        method="post",
        data=lambda w: {"billing_contact": w.main_contact.pk, "peppol_id": "0007:5567212047"},
    ),
    # Validation (the Validation tab: keeping the organisation's validation current)
    Page("validation:status", D),
    Page("validation:attest", D),
    Page("validation:organisation-edit", D),
    # Catalogue, orders, invoices (R-MS-*)
    Page("orders:order-list", ORDERS),
    Page("orders:catalogue", ORDERS),
    Page("catalog:certificate-list", ORDERS),
    Page("orders:licence-usage", ORDERS),
    Page(
        "orders:order-create", PLACE, kwargs=lambda w: {"programme": w.programme.slug}, shared=True
    ),
    Page("orders:order-detail", ORDERS, kwargs=lambda w: {"pk": w.order.pk}),
    Page("orders:order-cancel", PLACE, kwargs=lambda w: {"pk": w.order.pk}),
    Page("orders:invoice-list", INVOICES),
    Page("orders:invoice-detail", INVOICES, kwargs=lambda w: {"pk": w.invoice.pk}),
    Page("orders:invoice-pdf", INVOICES, kwargs=lambda w: {"pk": w.invoice.pk}),
]

OBJECT_PAGES = [page for page in PAGES if page.is_object_page]


# --- The checks -----------------------------------------------------------------------------


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("account_login"))


def _assert_allowed(response, page):
    assert response.status_code not in (403, 404), f"{page}: {response.status_code}"
    assert response.status_code < 500
    assert not _is_login_redirect(response), f"{page}: sent to login"


@pytest.fixture
def world(organisation):
    return World(organisation)


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_the_account_holder_may_use_every_page(client, world, holder, page):
    client.force_login(holder)
    _assert_allowed(page.request(client, world), page)


@pytest.mark.django_db
@pytest.mark.parametrize("right", [*Right.values, None], ids=lambda r: r or "no-rights")
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_a_sub_account_may_use_a_page_only_with_its_right(client, world, page, right):
    rights = [right] if right else []
    user = make_sub_account(world.organisation, *rights).user
    client.force_login(user)
    response = page.request(client, world)
    if not page.holder_only and page.right in (None, right):
        _assert_allowed(response, page)
    else:
        assert response.status_code == 403, f"{page} with {right}: {response.status_code}"
        assert "account holder" in response.content.decode()  # the 403 says what to do


@pytest.mark.django_db
@pytest.mark.parametrize("page", OBJECT_PAGES, ids=str)
def test_another_organisations_user_gets_404_for_our_objects(client, world, page):
    other = OrganisationFactory(legal_name="Another Organisation")
    client.force_login(other.account_holder)
    assert page.request(client, world).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_an_anonymous_visitor_is_sent_to_sign_in(client, world, page):
    assert _is_login_redirect(page.request(client, world)), page
