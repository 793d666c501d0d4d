"""Every door, checked: each URL pattern of the resolver, with THIS organisation's ids, as every
role that is not this organisation's account holder; each staff group on the admin URLs.

GET for every URL × role; POST for every URL × each role the table says is refused, and the
database is unchanged after each refused POST. The expected answer of each pattern for each
role is written in the one table below, so no broad "302, 403 or 404" passes for a page that
should have said 404. A URL pattern without a row fails the sweep.

Adding a URL: add one row to URLS (or, for a model registered in admin, one entry to
ADMIN_MODELS; a custom admin view gets its own row in URLS). The helpers say the usual cases:
- `public()`               anyone may open it (home, /verify/, allauth's pages);
- `ours(right, kwargs=…)`  a page of the organisation about one of its objects: anonymous →
                           sign in, another organisation's people → 404, our sub-account
                           without `right` → 403;
- `ours_list(right)`       a page of the organisation with no object (a list, a form): other
                           organisations see their own (200); our sub-account without the
                           right → 403;
- `Row(get={…}, post={…})` anything else, spelled out per role (roles missing from `post`
                           are not posted).
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.permissions import Right
from clearinghouse.staff_groups import BILLING, CATALOGUE_MANAGERS, ORDER_DESK, VALIDATION_STAFF
from tests.accounts.factories import make_sub_account
from tests.factories import OrganisationFactory, UserFactory
from tests.url_sweep_support import DatabaseWatch, World, url_patterns

# --- Roles and answers ----------------------------------------------------------------------

ANONYMOUS = "anonymous"
OTHER_HOLDER = "other organisation's holder"
OTHER_SUB = "other organisation's sub-account (every right)"
OUR_SUB = "our sub-account without the right"
PORTAL_ROLES = (ANONYMOUS, OTHER_HOLDER, OTHER_SUB, OUR_SUB)
OTHER_DONOR = "another donor's person (with an authenticator app)"

VALIDATION, DESK, BILL, CATALOGUE, NO_GROUP = (
    VALIDATION_STAFF,
    ORDER_DESK,
    BILLING,
    CATALOGUE_MANAGERS,
    "staff in no group",
)
STAFF_ROLES = (VALIDATION, DESK, BILL, CATALOGUE, NO_GROUP)
ADMIN_ROLES = (ANONYMOUS, OTHER_HOLDER, *STAFF_ROLES)

LOGIN = "→ sign in"  # 302 to allauth's login page
ADMIN_LOGIN = "→ admin sign in"  # 302 to admin's login page
REDIRECT = "→ elsewhere"  # 302 to any other page
REFUSALS = {LOGIN, ADMIN_LOGIN, 400, 401, 403, 404, 405}

C, D = Right.MANAGE_CONTACTS, Right.MANAGE_ACCOUNT_DETAILS
CODES = Right.MANAGE_APPROVAL_CODES
ORDERS, PLACE, INVOICES = Right.VIEW_PRODUCTS_ORDERS, Right.PLACE_ORDERS, Right.VIEW_PAY_INVOICES


@dataclass(frozen=True)
class Row:
    get: dict[str, Any]  # role → expected answer
    post: dict[str, Any] = field(default_factory=dict)  # role → expected refusal
    kwargs: Callable[[World], dict] | None = None
    data: Callable[[World], dict] = field(default=lambda world: {})
    path: str | None = None  # for an unnamed pattern: the path to request


def _every(roles, answer) -> dict[str, Any]:
    return dict.fromkeys(roles, answer)


def public(answer=200, *, roles=PORTAL_ROLES, post=None, **fields) -> Row:
    return Row(get=_every(roles, answer), post=post or {}, **fields)


def ours(right, *, kwargs, post_only=False, data=lambda world: {}, other_sub=404) -> Row:
    refused = {ANONYMOUS: LOGIN, OTHER_HOLDER: 404, OTHER_SUB: other_sub, OUR_SUB: 403}
    get = _every(PORTAL_ROLES, 405) if post_only else refused
    return Row(get=get, post=refused, kwargs=kwargs, data=data)


def ours_list(right, *, data=lambda world: {}, other=200) -> Row:
    get = {ANONYMOUS: LOGIN, OTHER_HOLDER: other, OTHER_SUB: other, OUR_SUB: 403}
    return Row(get=get, post={ANONYMOUS: LOGIN, OUR_SUB: 403}, data=data)


def _contact_data(world) -> dict:
    contact = world.contact
    return {
        "first_name": "Taken",
        "last_name": "Over",
        "email": "taken.over@example.org",
        "address_1": contact.address_1,
        "city": contact.city,
        "postcode": contact.postcode,
        "country": str(contact.country),
        "phone": contact.phone,
        "language": contact.language,
    }


def _pk(name):
    return lambda world: {"pk": getattr(world, name).pk}


def checker_version() -> str:
    from approval_codes import checker

    return checker.script()[2]


def donor_page(*, post_only=False) -> Row:
    """A donor-area page with no object: another donor's person sees its own (GET 200, or 405
    for a form's POST-only door, not posted: it would act for that donor)."""
    get = {
        ANONYMOUS: LOGIN,
        OTHER_HOLDER: 404,
        OTHER_SUB: 404,
        OTHER_DONOR: 405 if post_only else 200,
    }
    return Row(get=get, post={ANONYMOUS: LOGIN, OTHER_HOLDER: 404, OTHER_SUB: 404})


def donor_object(*, kwargs, post_only=False) -> Row:
    """A donor-area page about one of this donor's objects: 404 for another donor's person."""
    refused = {ANONYMOUS: LOGIN, OTHER_HOLDER: 404, OTHER_SUB: 404, OTHER_DONOR: 404}
    get = {**refused, OTHER_DONOR: 405} if post_only else refused
    return Row(get=get, post=refused, kwargs=kwargs)


# --- The table: one row per URL pattern ------------------------------------------------------

SIGNED_IN = (OTHER_HOLDER, OTHER_SUB, OUR_SUB)


def own_page(answer=200, *, anonymous=LOGIN) -> Row:
    """The signed-in person's own page (allauth's): never anyone else's."""
    return Row(get={ANONYMOUS: anonymous, **_every(SIGNED_IN, answer)}, post={})


URLS: dict[str, Row] = {
    "home": public(),
    "healthz": public(),
    "help": public(),
    "help-area": public(kwargs=lambda world: {"area": "approval-codes"}),
    "site-page": public(kwargs=lambda world: {"slug": "privacy"}),
    "set_language": public(405),
    # allauth: public pages, and the signed-in person's own pages (never anyone else's)
    "account_login": own_page(REDIRECT, anonymous=200),
    "account_signup": own_page(REDIRECT, anonymous=200),
    "account_logout": own_page(200, anonymous=REDIRECT),
    "account_inactive": public(),
    "account_email_verification_sent": public(),
    "account_reset_password": public(),
    "account_reset_password_done": public(),
    "account_reset_password_from_key_done": public(),
    "account_reset_password_from_key": public(
        200, kwargs=lambda world: {"uidb36": "zz", "key": "not-a-key"}
    ),
    "account_confirm_email": public(kwargs=lambda world: {"key": "not-a-key"}),
    "account_email": own_page(),
    "account_change_password": own_page(),
    "account_set_password": own_page(REDIRECT),  # they have a password: change it instead
    "account_reauthenticate": own_page(),
    "account_request_reauthentication_code": own_page(),
    "account_confirm_reauthentication_code": own_page(REDIRECT),
    "account_confirm_login_code": own_page(REDIRECT),
    "mfa_authenticate": own_page(REDIRECT),
    "mfa_reauthenticate": own_page(REDIRECT),
    "mfa_index": own_page(),
    "mfa_activate_totp": own_page(REDIRECT),  # asks to sign in again first
    "mfa_deactivate_totp": own_page(404),  # none to deactivate
    "mfa_generate_recovery_codes": own_page(REDIRECT),
    "mfa_view_recovery_codes": own_page(404),
    "mfa_download_recovery_codes": own_page(404),
    # Accounts
    "accounts:account-overview": Row(
        get={ANONYMOUS: LOGIN, OTHER_HOLDER: 200, OTHER_SUB: 200, OUR_SUB: 200},
        post={ANONYMOUS: LOGIN},
    ),
    "accounts:contact-list": ours_list(C),
    "accounts:contact-create": ours_list(C, data=_contact_data),
    "accounts:contact-edit": ours(C, kwargs=_pk("contact"), data=_contact_data),
    "accounts:contact-delete": ours(C, kwargs=_pk("contact")),
    # holder only: every sub-account is refused before the contact is looked up
    "accounts:contact-invitation-send": ours(
        None, kwargs=_pk("sub_account"), post_only=True, other_sub=403
    ),
    "accounts:contact-invitation-cancel": ours(
        None, kwargs=_pk("sub_account"), post_only=True, other_sub=403
    ),
    "accounts:join-request-list": ours_list(C),
    "accounts:join-request-accept": ours(
        C, kwargs=_pk("join_request"), data=lambda world: {"rights": [CODES]}
    ),
    "accounts:join-request-decline": ours(C, kwargs=_pk("join_request"), post_only=True),
    "accounts:join-request-create": Row(
        get={ANONYMOUS: LOGIN, **_every(SIGNED_IN, REDIRECT)},
        post={ANONYMOUS: LOGIN, **_every(SIGNED_IN, REDIRECT)},
        data=lambda world: {"asked_for": world.organisation.handle},
    ),
    "accounts:join-request-cancel": Row(
        get=_every(PORTAL_ROLES, 405), post={ANONYMOUS: LOGIN, **_every(SIGNED_IN, REDIRECT)}
    ),
    "accounts:hand-over-start": Row(
        get={ANONYMOUS: LOGIN, OTHER_HOLDER: 200, OTHER_SUB: 403, OUR_SUB: 403},
        post={ANONYMOUS: LOGIN, OTHER_SUB: 403, OUR_SUB: 403},
    ),
    "accounts:hand-over-cancel": Row(
        get=_every(PORTAL_ROLES, 405), post={ANONYMOUS: LOGIN, OTHER_SUB: 403, OUR_SUB: 403}
    ),
    "accounts:hand-over-confirm": Row(
        get={ANONYMOUS: LOGIN, **_every(SIGNED_IN, 404)},
        post={ANONYMOUS: LOGIN, **_every(SIGNED_IN, 404)},
        kwargs=lambda world: {"token": "not-a-token"},
    ),
    "accounts:organisation-details": ours_list(
        D, data=lambda world: {"billing_contact": world.contact.pk, "peppol_id": ""}
    ),
    "accounts:invitation-accept": public(
        404, kwargs=lambda world: {"token": "not-a-token"}, post=_every(PORTAL_ROLES, 404)
    ),
    "accounts:email-stop": public(
        404, kwargs=lambda world: {"token": "not-a-token"}, post=_every(PORTAL_ROLES, 404)
    ),
    # Validation
    "validation:application-submit": Row(
        get={ANONYMOUS: LOGIN, OTHER_HOLDER: REDIRECT, OTHER_SUB: REDIRECT, OUR_SUB: REDIRECT},
        post={ANONYMOUS: LOGIN, OTHER_HOLDER: REDIRECT, OTHER_SUB: REDIRECT, OUR_SUB: REDIRECT},
    ),
    "validation:application-detail": ours_list(D),
    "validation:application-answer": Row(
        get=_every(PORTAL_ROLES, 405), post={ANONYMOUS: LOGIN, OUR_SUB: 403}
    ),
    "validation:organisation-attest": ours_list(D),
    "validation:application-reapply": ours_list(D),
    "validation:organisation-edit": ours_list(D),
    # nothing to review for an approved organisation: back to the status page
    "validation:review-request": ours_list(D, other=REDIRECT),
    # Approval codes
    "approval_codes:code-list": ours_list(CODES),
    "approval_codes:code-create": ours_list(
        CODES,
        data=lambda world: {
            "first_name": "Astrid",
            "last_name": "Lindgren",
            "email": "astrid@example.org",
            "authorised": "on",
        },
    ),
    "approval_codes:code-detail": ours(CODES, kwargs=_pk("approval_code")),
    "approval_codes:code-renew": ours(CODES, kwargs=_pk("expired_approval_code"), post_only=True),
    "approval_codes:code-revoke": ours(
        CODES, kwargs=_pk("approval_code"), data=lambda world: {"reason": "Left"}
    ),
    "approval_codes:code-email": ours(CODES, kwargs=_pk("approval_code"), post_only=True),
    "approval_codes:code-verify": public(),
    # Catalogue, orders, invoices
    "catalog:certificate-list": ours_list(ORDERS),
    "orders:order-list": ours_list(ORDERS),
    "orders:catalogue-detail": ours_list(ORDERS),
    "orders:order-create": Row(
        get={ANONYMOUS: LOGIN, OTHER_HOLDER: 200, OTHER_SUB: 200, OUR_SUB: 403},
        post={ANONYMOUS: LOGIN, OUR_SUB: 403},
        kwargs=lambda world: {"programme": world.programme.slug},
    ),
    "orders:order-detail": ours(ORDERS, kwargs=_pk("order")),
    "orders:order-cancel": ours(PLACE, kwargs=_pk("order")),
    "orders:invoice-list": ours_list(INVOICES),
    "orders:invoice-detail": ours(INVOICES, kwargs=_pk("invoice")),
    "orders:invoice-pdf": ours(INVOICES, kwargs=_pk("invoice")),
    "orders:invoice-ubl": ours(INVOICES, kwargs=_pk("invoice")),
    "orders:credit-note-pdf": ours(INVOICES, kwargs=_pk("invoice")),
    "orders:credit-note-ubl": ours(INVOICES, kwargs=_pk("invoice")),
    "orders:licence-usage-detail": ours_list(ORDERS),
    "orders:subscription-list": ours_list(ORDERS),
    "orders:subscription-seats-change": ours(
        PLACE, kwargs=_pk("subscription"), data=lambda world: {"seats": "20"}
    ),
    # The donor API (its own keys; no session): JSON errors
    "api-v1:openapi-json": public(),
    "api-v1:openapi-view": public(),
    "api-v1:verify": public(405, post=_every(PORTAL_ROLES, 401)),
    "api-v1:redeem": public(405, post=_every(PORTAL_ROLES, 401)),
    "api-v1:api-root": public(404),
    # The checker for donors' forms: its script, its endpoint (publishable key in the body)
    "checker-script": public(kwargs=lambda world: {"version": checker_version()}),
    "checker-check": public(405, post=_every(PORTAL_ROLES, 401)),
    "checker-demo": public(),
    # The donor area: a donor's people only (organisations' logins: 404), and another
    # donor's person gets 404 for this donor's key, endpoint and delivery
    "donor:home": donor_page(),
    "donor:request-list": donor_page(),
    "donor:redemption-list": donor_page(),
    "donor:key-create": donor_page(post_only=True),
    "donor:publishable-key-create": donor_page(post_only=True),
    "donor:endpoint-create": donor_page(post_only=True),
    "donor:key-revoke": donor_object(kwargs=lambda world: {"pk": world.donor_api_key.pk}),
    "donor:endpoint-detail": donor_object(kwargs=_pk("webhook_endpoint")),
    "donor:endpoint-rotate": donor_object(kwargs=_pk("webhook_endpoint"), post_only=True),
    "donor:delivery-resend": donor_object(kwargs=_pk("webhook_delivery"), post_only=True),
}

# --- Admin ------------------------------------------------------------------------------------
# Per model registered in admin: the staff groups that may view, add, change and delete.
# Staff in no group may open admin's index and nothing else; everyone else is sent to sign in.


@dataclass(frozen=True)
class Staff:
    view: frozenset = frozenset()
    add: frozenset = frozenset()
    change: frozenset = frozenset()
    delete: frozenset = frozenset()
    obj: Callable[[World], Any] | None = None  # default: the model's first row


EVERY_GROUP = frozenset({VALIDATION, DESK, BILL, CATALOGUE})
CATALOGUE_EDIT = frozenset({CATALOGUE})

ADMIN_MODELS: dict[str, Staff] = {
    "auth.group": Staff(),
    "account.emailaddress": Staff(),
    "mfa.authenticator": Staff(),
    "clearinghouse.auditevent": Staff(view=EVERY_GROUP),
    "clearinghouse.outboundemail": Staff(),
    "clearinghouse.sitepage": Staff(
        view=CATALOGUE_EDIT, add=CATALOGUE_EDIT, change=CATALOGUE_EDIT, delete=CATALOGUE_EDIT
    ),
    "accounts.user": Staff(),
    "accounts.organisation": Staff(view=EVERY_GROUP),
    "accounts.contact": Staff(),
    "accounts.joinrequest": Staff(view=frozenset({VALIDATION})),
    "validation.application": Staff(view=frozenset({VALIDATION})),
    "validation.attestationdeadline": Staff(),
    "validation.sharedhost": Staff(
        view=frozenset({VALIDATION}),
        add=frozenset({VALIDATION}),
        change=frozenset({VALIDATION}),
        delete=frozenset({VALIDATION}),
    ),
    "validation.legalform": Staff(
        view=frozenset({VALIDATION}),
        add=frozenset({VALIDATION}),
        change=frozenset({VALIDATION}),
        delete=frozenset({VALIDATION}),
    ),
    "validation.evidencerequirement": Staff(
        view=frozenset({VALIDATION}),
        add=frozenset({VALIDATION}),
        change=frozenset({VALIDATION}),
        delete=frozenset({VALIDATION}),
    ),
    "approval_codes.donor": Staff(view=CATALOGUE_EDIT),
    "approval_codes.apikey": Staff(),
    "approval_codes.approvalcode": Staff(),
    "approval_codes.redemption": Staff(),
    "approval_codes.expirysweep": Staff(),
    "approval_codes.webhookendpoint": Staff(),
    "approval_codes.webhookdelivery": Staff(),
    "approval_codes.donormembership": Staff(),
    "catalog.programme": Staff(view=CATALOGUE_EDIT, add=CATALOGUE_EDIT, change=CATALOGUE_EDIT),
    "catalog.product": Staff(view=CATALOGUE_EDIT, add=CATALOGUE_EDIT, change=CATALOGUE_EDIT),
    "catalog.donorcertificate": Staff(view=CATALOGUE_EDIT),
    "orders.order": Staff(view=frozenset({DESK})),
    "orders.invoice": Staff(view=frozenset({BILL})),
    "orders.creditnote": Staff(view=frozenset({BILL})),
    "orders.vatrate": Staff(
        view=frozenset({BILL}), add=frozenset({BILL}), change=frozenset({BILL})
    ),
    "orders.exchangerate": Staff(
        view=frozenset({BILL}), add=frozenset({BILL}), change=frozenset({BILL})
    ),
    "orders.subscription": Staff(view=frozenset({DESK})),
    "orders.licenceusagereport": Staff(view=frozenset({DESK})),
    "orders.licencecompliance": Staff(view=frozenset({DESK}), obj=lambda world: world.organisation),
}


def staff_only(allowed, *, post=None, **fields) -> Row:
    """An admin URL: `allowed` maps staff roles to their answer; other staff get 403."""
    get = {ANONYMOUS: ADMIN_LOGIN, OTHER_HOLDER: ADMIN_LOGIN}
    for role in STAFF_ROLES:
        get[role] = allowed.get(role, 403)
    refused = {role: answer for role, answer in get.items() if answer in REFUSALS}
    return Row(get=get, post=refused if post is None else post, **fields)


def _groups(groups, answer=200) -> dict:
    return dict.fromkeys(groups, answer)


ADMIN_URLS: dict[str, Row] = {
    "admin:index": staff_only(_every(STAFF_ROLES, 200)),
    # allauth's secure_admin_login: sign in through allauth; a signed-in non-staff user: 403
    "admin:login": Row(
        get={ANONYMOUS: LOGIN, OTHER_HOLDER: 403, **_every(STAFF_ROLES, REDIRECT)}, post={}
    ),
    "admin:logout": Row(
        get={ANONYMOUS: REDIRECT, OTHER_HOLDER: REDIRECT, **_every(STAFF_ROLES, 405)}, post={}
    ),
    "admin:password_change": staff_only(_every(STAFF_ROLES, 200)),
    "admin:password_change_done": staff_only(_every(STAFF_ROLES, 200)),
    "admin:autocomplete": staff_only(
        _every(STAFF_ROLES, 403), post={ANONYMOUS: ADMIN_LOGIN, **_every(STAFF_ROLES, 405)}
    ),
    "admin:jsi18n": staff_only(_every(STAFF_ROLES, 200)),
    "admin:view_on_site": staff_only(
        _every(STAFF_ROLES, 404),
        kwargs=lambda world: {"content_type_id": 999999, "object_id": 1},
    ),
    "admin:app_list": staff_only(
        {DESK: 200, BILL: 200, VALIDATION: 404, CATALOGUE: 404, NO_GROUP: 404},
        kwargs=lambda world: {"app_label": "orders"},
    ),
    "admin/(?P<url>.*)$": staff_only(_every(STAFF_ROLES, 404), path="/admin/no/such/page/"),
    "admin:auth_user_password_change": staff_only({}, kwargs=lambda world: {"id": world.holder.pk}),
    # Custom admin views: each checks the permission it acts under
    "admin:orders_order_decide": staff_only(
        {DESK: 200},
        kwargs=_pk("order"),
        data=lambda world: {"refuse": "Refuse", "reason": "Budget closed."},
    ),
    "admin:orders_invoice_payment": staff_only(
        {BILL: 200},
        kwargs=_pk("invoice"),
        data=lambda world: {"amount": "1.00", "currency": "SEK", "received_on": "2026-01-05"},
    ),
    "admin:orders_invoice_credit": staff_only(
        {BILL: 200},
        kwargs=_pk("invoice"),
        data=lambda world: {"reason": "Ordered twice.", "confirm": "on"},
    ),
    "admin:orders_invoice_pdf": staff_only({BILL: 200}, kwargs=_pk("invoice")),
    "admin:orders_invoice_export": staff_only({BILL: 200}),
    "admin:clearinghouse_auditevent_time_zone": staff_only(_every(STAFF_ROLES, 200)),
    "admin:catalog_donorcertificate_decide": staff_only(
        {CATALOGUE: 200}, kwargs=_pk("pending_certificate"), data=lambda world: {"confirm": "1"}
    ),
    "admin:catalog_donorcertificate_file": staff_only(
        {CATALOGUE: 200}, kwargs=_pk("pending_certificate")
    ),
    "admin:accounts_organisation_hand_over": staff_only(
        {VALIDATION: 200},
        kwargs=lambda world: {"organisation_id": world.organisation.pk},
        data=lambda world: {"email": "new.holder@example.org"},
    ),
    "admin:validation_application_document": staff_only(
        {VALIDATION: 404},
        kwargs=lambda world: {"application_id": world.application.pk, "document_id": 999999},
    ),
}


def _admin_model_rows(label: str, staff: Staff) -> dict[str, Row]:
    model = apps.get_model(label)
    app_label, model_name = model._meta.app_label, model._meta.model_name
    name = f"admin:{app_label}_{model_name}"
    viewers = staff.view | staff.change

    def object_id(world):
        obj = staff.obj(world) if staff.obj else model._default_manager.order_by("pk").first()
        assert obj is not None, f"The sweep's World has no {label} to open in admin."
        return obj.pk

    with_object = {"kwargs": lambda world: {"object_id": object_id(world)}}
    return {
        f"{name}_changelist": staff_only(_groups(viewers)),
        f"{name}_add": staff_only(_groups(staff.add)),
        f"{name}_history": staff_only(_groups(viewers), **with_object),
        f"{name}_delete": staff_only(_groups(staff.delete), **with_object),
        f"{name}_change": staff_only(
            _groups(viewers),
            post={
                **{ANONYMOUS: ADMIN_LOGIN, OTHER_HOLDER: ADMIN_LOGIN},
                **_every(set(STAFF_ROLES) - staff.change, 403),
            },
            **with_object,
        ),
        f"admin/{app_label}/{model_name}/<path:object_id>/": staff_only(
            _every(STAFF_ROLES, REDIRECT),
            post={},
            path=f"/admin/{app_label}/{model_name}/{{}}/",
            **with_object,
        ),
    }


for _label, _staff in ADMIN_MODELS.items():
    ADMIN_URLS.update(_admin_model_rows(_label, _staff))


# --- The sweep ------------------------------------------------------------------------------


def _answer(response):
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
        if location.startswith(reverse("account_login")):
            return LOGIN
        return REDIRECT
    return response.status_code


def _url(key: str, row: Row, world: World, pattern_has_args: bool) -> str:
    if row.path is not None:
        if "{}" in row.path:
            return row.path.format(row.kwargs(world)["object_id"])
        return row.path
    return reverse(key, kwargs=row.kwargs(world) if row.kwargs else None)


def _sign_in(client, role: str, world: World):
    other = OrganisationFactory(legal_name="Other Organisation")
    if role == ANONYMOUS:
        return
    if role == OTHER_HOLDER:
        user = other.account_holder
    elif role == OTHER_SUB:
        user = make_sub_account(other, *Right.values).user
    elif role == OUR_SUB:
        user = make_sub_account(world.organisation).user
    elif role == OTHER_DONOR:
        from allauth.mfa.models import Authenticator

        from approval_codes.models import Donor, DonorMembership

        donor = Donor.objects.create(name="Another donor", slug="another-donor")
        user = UserFactory(email="person@another-donor.example")
        DonorMembership.objects.create(donor=donor, user=user)
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    else:
        from django.contrib.auth.models import Group

        user = UserFactory(email="sweeper@clearinghouse.test", is_staff=True)
        if role != NO_GROUP:
            user.groups.add(Group.objects.get(name=role))
    client.force_login(user)


ALL_URLS = {**URLS, **ADMIN_URLS}


def test_every_url_pattern_has_a_row_in_the_sweep():
    patterns = {key for key, _route, _pattern in url_patterns()}
    missing = sorted(patterns - ALL_URLS.keys())
    stale = sorted(ALL_URLS.keys() - patterns)
    assert not missing, f"Add a row to tests/test_url_sweep.py for: {missing}"
    assert not stale, f"Rows for URLs that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*PORTAL_ROLES, OTHER_DONOR, *STAFF_ROLES])
def test_every_door_answers_each_role_as_the_table_says(
    client, settings, tmp_path, monkeypatch, role
):
    settings.MEDIA_ROOT = tmp_path
    # Each refusal logs a warning with its traceback; only 5xx (logged as errors) matter here.
    monkeypatch.setattr(logging.getLogger("django.request"), "level", logging.ERROR)
    started = time.monotonic()
    world = World()
    _sign_in(client, role, world)
    table = {key: row for key, row in ALL_URLS.items() if role in row.get}
    wrong, refused_posts = [], []
    for key, row in table.items():
        url = _url(key, row, world, bool(row.kwargs))
        answer = _answer(client.get(url))
        if answer != row.get[role]:
            wrong.append(f"GET {url} ({key}): {answer}, expected {row.get[role]}")
        if role in row.post:
            refused_posts.append((key, url, row))
    watch = DatabaseWatch()
    for key, url, row in refused_posts:
        answer = _answer(client.post(url, row.data(world)))
        if answer != row.post[role]:
            wrong.append(f"POST {url} ({key}): {answer}, expected {row.post[role]}")
        if watch.changed():
            wrong.append(f"POST {url} ({key}) changed the database")
    print(
        f"{role}: {len(table)} GET, {len(refused_posts)} refused POST, "
        f"{time.monotonic() - started:.1f} s"
    )
    assert not wrong, f"{len(wrong)} doors answered {role} otherwise:\n" + "\n".join(wrong)
