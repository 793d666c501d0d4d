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
from accounts.services import join_request_create, main_contact_ensure
from orders.services import order_grant, order_place
from tests.accounts.factories import ContactFactory, make_sub_account
from tests.approval_codes.factories import ApprovalCodeFactory
from tests.catalog.factories import CertificateFactory, ProductFactory, ProgrammeFactory
from tests.factories import OrganisationFactory, UserFactory

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


def _join_request(organisation):
    return join_request_create(requester=UserFactory(), asked_for=organisation.handle)


def _credited_e_invoice(organisation):
    """An invoice of an organisation with a Peppol ID (so it has a UBL e-invoice), credited."""
    from orders.invoicing import credit_note_issue

    Organisation.objects.filter(pk=organisation.pk).update(peppol_id="0007:5567212047")
    organisation.refresh_from_db()
    invoice = _invoice(organisation)
    credit_note_issue(invoice=invoice, reason="Ordered by mistake.", issued_by=None)
    return invoice


def _subscription(organisation):
    from datetime import date

    from catalog.models import Product
    from orders.models import Subscription

    programme = ProgrammeFactory()
    product = ProductFactory(programme=programme, kind=Product.Kind.CLOUD_SUBSCRIPTION)
    return Subscription.objects.create(
        organisation=organisation,
        product=product,
        sku=product.sku,
        name=product.name,
        seats=10,
        granted_seats=10,
        term_starts_on=date(2026, 1, 1),
        renews_on=date(2027, 1, 1),
    )


OBJECTS: dict[str, Callable[[Organisation], Any]] = {
    "credited_e_invoice": _credited_e_invoice,
    "join_request": _join_request,
    "programme": _programme,
    "order": _order,
    "subscription": _subscription,
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
    Page("accounts:account-overview", None),
    # Approval codes (R-CODE-2: the account holder, or a sub-account given the right)
    Page("approval_codes:code-list", CODES),
    Page("approval_codes:code-create", CODES),
    Page(
        "approval_codes:code-create",
        CODES,
        method="post",
        data=lambda w: {
            "first_name": "Astrid",
            "last_name": "Lindgren",
            "email": "astrid@example.org",
            "authorised": "on",
        },
    ),
    Page("approval_codes:code-detail", CODES, kwargs=lambda w: {"pk": w.approval_code.pk}),
    Page(
        "approval_codes:code-renew",
        CODES,
        kwargs=lambda w: {"pk": w.expired_approval_code.pk},
        method="post",
    ),
    Page("approval_codes:code-revoke", CODES, kwargs=lambda w: {"pk": w.approval_code.pk}),
    Page(
        "approval_codes:code-email",
        CODES,
        kwargs=lambda w: {"pk": w.approval_code.pk},
        method="post",
    ),
    Page(
        "approval_codes:code-revoke",
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
    # Join requests (R-VAL-11): answered by those who manage contacts
    Page("accounts:join-request-list", C),
    Page("accounts:join-request-accept", C, kwargs=lambda w: {"pk": w.join_request.pk}),
    Page(
        "accounts:join-request-accept",
        C,
        kwargs=lambda w: {"pk": w.join_request.pk},
        method="post",
        data=lambda w: {"rights": []},
    ),
    Page(
        "accounts:join-request-decline",
        C,
        kwargs=lambda w: {"pk": w.join_request.pk},
        method="post",
    ),
    # Handing the account over (R-VAL-11): the account holder only
    Page("accounts:hand-over-start", None, holder_only=True),
    Page("accounts:hand-over-cancel", None, method="post", holder_only=True),
    # Asking to join is for people without an organisation; members are sent to My account.
    Page("accounts:join-request-create", None),
    Page("accounts:join-request-cancel", None, method="post"),
    Page("accounts:organisation-details", D),
    Page(
        "accounts:organisation-details",
        D,
        method="post",
        data=lambda w: {"billing_contact": w.main_contact.pk, "peppol_id": "0007:5567212047"},
    ),
    # Validation (the Validation tab: keeping the organisation's validation current)
    Page("validation:application-detail", D),
    Page("validation:organisation-attest", D),
    Page("validation:organisation-edit", D),
    Page("validation:review-request", D),
    # Catalogue, orders, invoices (R-MS-*)
    Page("orders:order-list", ORDERS),
    Page("orders:catalogue-detail", ORDERS),
    Page("catalog:certificate-list", ORDERS),
    Page("orders:licence-usage-detail", ORDERS),
    Page(
        "orders:order-create", PLACE, kwargs=lambda w: {"programme": w.programme.slug}, shared=True
    ),
    Page("orders:order-detail", ORDERS, kwargs=lambda w: {"pk": w.order.pk}),
    Page("orders:order-cancel", PLACE, kwargs=lambda w: {"pk": w.order.pk}),
    Page("orders:subscription-list", ORDERS),
    Page("orders:subscription-seats-change", PLACE, kwargs=lambda w: {"pk": w.subscription.pk}),
    Page(
        "orders:subscription-seats-change",
        PLACE,
        kwargs=lambda w: {"pk": w.subscription.pk},
        method="post",
        data=lambda w: {"seats": "8"},
    ),
    Page("orders:invoice-list", INVOICES),
    Page("orders:invoice-detail", INVOICES, kwargs=lambda w: {"pk": w.invoice.pk}),
    Page("orders:invoice-pdf", INVOICES, kwargs=lambda w: {"pk": w.invoice.pk}),
    Page("orders:invoice-ubl", INVOICES, kwargs=lambda w: {"pk": w.credited_e_invoice.pk}),
    Page("orders:credit-note-pdf", INVOICES, kwargs=lambda w: {"pk": w.credited_e_invoice.pk}),
    Page("orders:credit-note-ubl", INVOICES, kwargs=lambda w: {"pk": w.credited_e_invoice.pk}),
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


# --- R-CON-11: a sign-in address is its owner's; rights are given only by who holds them ------


@pytest.mark.django_db
@pytest.mark.parametrize("editor", ["holder", "contact_manager"])
def test_no_contact_edit_moves_another_persons_sign_in(client, world, editor):
    from allauth.account.models import EmailAddress

    person = world.sub_account
    before = (person.user.email, list(EmailAddress.objects.filter(user=person.user).values()))
    actor = (
        world.organisation.account_holder
        if editor == "holder"
        else make_sub_account(world.organisation, Right.MANAGE_CONTACTS).user
    )
    client.force_login(actor)
    client.post(
        reverse("accounts:contact-edit", kwargs={"pk": person.pk}),
        _contact_data(world, person, email="taken.over@example.org"),
    )
    person.user.refresh_from_db()
    after = (person.user.email, list(EmailAddress.objects.filter(user=person.user).values()))
    assert after == before


GRANTABLE = [  # (the grantor's rights, or "holder") → what it may grant
    ("holder", set(Right.values)),
    ((C, CODES, INVOICES), {CODES, INVOICES}),
    ((C,), set()),
    ((), set()),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("grantor", "grantable"), GRANTABLE, ids=str)
def test_a_grantor_may_grant_only_rights_it_holds_and_never_manage_contacts(
    world, grantor, grantable
):
    from accounts.permissions import rights_grantable_by

    user = (
        world.organisation.account_holder
        if grantor == "holder"
        else make_sub_account(world.organisation, *grantor).user
    )
    assert rights_grantable_by(user) == grantable


# --- Staff: each admin door checks the model permission it acts under ------------------------
# Every admin URL × group is walked by tests/test_url_sweep.py; here the custom views and the
# screens that used to be open to any staff member, each with the groups that may pass.


def _pending_certificate(world):
    from catalog.models import DonorCertificate

    return CertificateFactory(
        organisation=world.organisation,
        donor=ProgrammeFactory().donor,
        status=DonorCertificate.Status.PENDING,
    )


@dataclass(frozen=True)
class AdminDoor:
    url_name: str
    groups: frozenset[str]  # the groups that may pass; every other staff member gets 403
    pk: Callable[[World], int] | None = None
    method: str = "get"
    data: dict = field(default_factory=dict)

    def __str__(self):
        return f"{self.method.upper()} {self.url_name}"


VALIDATION, DESK, BILLING, CATALOGUE = (
    "Validation staff",
    "Order desk",
    "Billing",
    "Catalogue managers",
)
ALL_GROUPS = frozenset({VALIDATION, DESK, BILLING, CATALOGUE})

ADMIN_DOORS = [
    AdminDoor("admin:orders_order_decide", frozenset({DESK}), lambda w: w.order.pk),
    AdminDoor(
        "admin:orders_order_decide",
        frozenset({DESK}),
        lambda w: w.order.pk,
        "post",
        {"refuse": "Refuse", "reason": "Budget closed."},
    ),
    AdminDoor("admin:orders_invoice_payment", frozenset({BILLING}), lambda w: w.invoice.pk),
    AdminDoor(
        "admin:orders_invoice_payment",
        frozenset({BILLING}),
        lambda w: w.invoice.pk,
        "post",
        {"amount": "1.00", "currency": "SEK", "received_on": "2026-01-05", "reference": "x"},
    ),
    AdminDoor("admin:orders_invoice_credit", frozenset({BILLING}), lambda w: w.invoice.pk),
    AdminDoor(
        "admin:orders_invoice_credit",
        frozenset({BILLING}),
        lambda w: w.invoice.pk,
        "post",
        {"reason": "Ordered by mistake.", "confirm": "on"},
    ),
    AdminDoor("admin:orders_invoice_pdf", frozenset({BILLING}), lambda w: w.invoice.pk),
    AdminDoor("admin:orders_invoice_export", frozenset({BILLING})),
    AdminDoor("admin:orders_creditnote_changelist", frozenset({BILLING})),
    AdminDoor("admin:orders_vatrate_changelist", frozenset({BILLING})),
    AdminDoor("admin:orders_vatrate_add", frozenset({BILLING})),
    AdminDoor("admin:orders_exchangerate_changelist", frozenset({BILLING})),
    AdminDoor("admin:orders_exchangerate_add", frozenset({BILLING})),
    AdminDoor(
        "admin:catalog_donorcertificate_decide",
        frozenset({CATALOGUE}),
        lambda w: _pending_certificate(w).pk,
    ),
    AdminDoor(
        "admin:catalog_donorcertificate_decide",
        frozenset({CATALOGUE}),
        lambda w: _pending_certificate(w).pk,
        "post",
        {"confirm": "Confirm"},
    ),
    AdminDoor(
        "admin:catalog_donorcertificate_file",
        frozenset({CATALOGUE}),
        lambda w: _pending_certificate(w).pk,
    ),
    AdminDoor("admin:orders_invoice_changelist", frozenset({BILLING})),
    AdminDoor("admin:orders_licenceusagereport_changelist", frozenset({DESK})),
    AdminDoor("admin:orders_licencecompliance_changelist", frozenset({DESK})),
    AdminDoor("admin:clearinghouse_auditevent_changelist", ALL_GROUPS),
    AdminDoor("admin:orders_order_changelist", frozenset({DESK})),
    AdminDoor("admin:validation_application_changelist", frozenset({VALIDATION})),
    AdminDoor(
        "admin:accounts_organisation_hand_over",
        frozenset({VALIDATION}),
        lambda w: w.organisation.pk,
    ),
    AdminDoor(
        "admin:accounts_organisation_hand_over",
        frozenset({VALIDATION}),
        lambda w: w.organisation.pk,
        "post",
        {"to_contact": "", "reason": ""},
    ),
    AdminDoor("admin:validation_sharedhost_changelist", frozenset({VALIDATION})),
    AdminDoor("admin:validation_legalform_changelist", frozenset({VALIDATION})),
    AdminDoor("admin:validation_evidencerequirement_changelist", frozenset({VALIDATION})),
    AdminDoor("admin:accounts_joinrequest_changelist", frozenset({VALIDATION})),
]


@pytest.mark.django_db
@pytest.mark.parametrize("group", [*sorted(ALL_GROUPS), None], ids=lambda g: g or "no-group")
@pytest.mark.parametrize("door", ADMIN_DOORS, ids=str)
def test_a_staff_member_passes_an_admin_door_only_with_its_groups_permission(
    client, world, make_staff_member, settings, tmp_path, door, group
):
    from tests.url_sweep_support import database_fingerprint

    settings.MEDIA_ROOT = tmp_path
    client.force_login(make_staff_member(group))
    pk = door.pk(world) if door.pk else None
    url = reverse(door.url_name, args=[pk] if pk is not None else None)
    before = database_fingerprint()
    response = getattr(client, door.method)(url, door.data)
    if group in door.groups:
        assert response.status_code in (200, 302), f"{door} as {group}: {response.status_code}"
        assert "/login/" not in response.get("Location", "")
    else:
        assert response.status_code == 403, f"{door} as {group}: {response.status_code}"
        assert database_fingerprint() == before
