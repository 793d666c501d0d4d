"""Support for the URL sweep (tests/test_url_sweep.py) and the door tests: every URL pattern of
the resolver, the world of objects the sweep's URLs point at, and a cheap fingerprint of the
whole database to prove that a refused request changed nothing."""

import hashlib
import uuid
from datetime import timedelta

from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

# Written by signing in (force_login) and by the session machinery, never by the doors tested.
IGNORED_TABLES = frozenset({"django_session"})


def write_count() -> int | None:
    """Rows written on this connection so far (inserts, updates, deletes), if the database can
    say it cheaply: SQLite's `total_changes`, PostgreSQL's per-transaction table statistics.
    An unchanged count proves nothing was written; a changed one is checked with
    `database_fingerprint` (a session row may have been saved, which does not count)."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return connection.connection.total_changes
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)"
                " FROM pg_stat_xact_user_tables WHERE relname <> 'django_session'"
            )
            return int(cursor.fetchone()[0])
    return None


class DatabaseWatch:
    """`watch = DatabaseWatch()`, then `watch.changed()` after each request: whether anything
    but sessions was written since the watch started (or since the last change it reported)."""

    def __init__(self):
        self._reset()

    def _reset(self):
        self.count, self.fingerprint = write_count(), database_fingerprint()

    def changed(self) -> bool:
        count = write_count()
        if count is not None and count == self.count:
            return False
        changed = database_fingerprint() != self.fingerprint
        self._reset()
        return changed


def database_fingerprint() -> str:
    """A hash of every row of every table: one query per table, no ORM (cheap on the small
    databases tests build)."""
    digest = hashlib.blake2b(digest_size=16)
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            if table in IGNORED_TABLES:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
            digest.update(table.encode())
            for row in cursor.fetchall():
                digest.update(repr(row).encode())
    return digest.hexdigest()


def url_patterns(patterns=None, prefix: str = "", namespace: str | None = None):
    """Every URL pattern of the project as (key, route, pattern): the key is the URL name with
    its namespace (`accounts:contact-edit`), or the route for an unnamed pattern."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from url_patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield name or route, route, entry


class World:
    """This organisation's objects (whose ids the sweep uses), built once per test."""

    def __init__(self):
        from allauth.mfa.models import Authenticator

        from accounts.permissions import Right
        from accounts.services import join_request_create, main_contact_ensure
        from approval_codes.models import (
            DonorMembership,
            ExpirySweep,
            WebhookDelivery,
            WebhookEndpoint,
        )
        from catalog.models import DonorCertificate, Product
        from clearinghouse.models import SitePage
        from orders.invoicing import credit_note_issue
        from orders.models import LicenceUsageReport, Subscription
        from orders.services import order_grant, order_place
        from tests.accounts.factories import ContactFactory, make_sub_account
        from tests.approval_codes.api_support import donor_with_key
        from tests.approval_codes.factories import ApprovalCodeFactory, RedemptionFactory
        from tests.catalog.factories import CertificateFactory, ProductFactory, ProgrammeFactory
        from tests.factories import OrganisationFactory, UserFactory
        from tests.orders.rates import invoice_rates
        from validation.models import Application, AttestationDeadline, SharedHost
        from validation.services import _open_application

        self.organisation = OrganisationFactory(legal_name="This Organisation")
        self.holder = self.organisation.account_holder
        self.main_contact = main_contact_ensure(organisation=self.organisation)
        self.contact = ContactFactory(organisation=self.organisation)
        self.sub_account = make_sub_account(self.organisation, Right.VIEW_PAY_INVOICES)
        self.approval_code = ApprovalCodeFactory(organisation=self.organisation)
        self.expired_approval_code = ApprovalCodeFactory(
            organisation=self.organisation, expired=True
        )
        self.programme = ProgrammeFactory()
        CertificateFactory(organisation=self.organisation, donor=self.programme.donor)
        product = ProductFactory(programme=self.programme, terms__price="5.00", terms__grant=0)

        def place():
            return order_place(
                organisation=self.organisation,
                programme=self.programme,
                quantities={product.pk: 5},
                placed_by=self.holder,
                idempotency_key=uuid.uuid4().hex,
            )

        self.order = place()
        invoice_rates()  # R-MS-8: the invoice needs today's exchange rate and VAT rates
        self.invoice = order_grant(order=place(), decided_by=None).invoice
        credit_note_issue(
            invoice=order_grant(order=place(), decided_by=None).invoice,
            reason="Ordered twice.",
            issued_by=None,
        )
        self.pending_certificate = CertificateFactory(
            organisation=self.organisation,
            donor=ProgrammeFactory().donor,
            status=DonorCertificate.Status.PENDING,
        )
        self.application = _open_application(
            organisation=self.organisation,
            kind=Application.Kind.APPLICATION,
            submitted_by=self.holder,
        )
        AttestationDeadline.objects.create(
            organisation=self.organisation, due_on=timezone.localdate() + timedelta(days=300)
        )
        SharedHost.objects.get_or_create(domain="wixsite.com")
        LicenceUsageReport.objects.create(
            organisation=self.organisation,
            uploaded_by=self.holder,
            file_name="usage.csv",
            report_date=timezone.localdate(),
            active_users=5,
            licensed_users=5,
        )
        donor, self.donor_api_key, _key = donor_with_key()
        self.donor = donor
        RedemptionFactory(code=self.approval_code, donor=donor)
        SitePage.objects.create(slug="privacy", language="en", title="Privacy", body="Little.")
        ExpirySweep.objects.create(
            swept_until=timezone.now(), finished_at=timezone.now(), expired_count=0
        )
        endpoint = WebhookEndpoint.objects.create(
            donor=donor, url="https://donor.example/hook", secret="whsec_" + "a" * 32
        )
        self.webhook_endpoint = endpoint
        self.webhook_delivery = WebhookDelivery.objects.create(
            endpoint=endpoint,
            event_type="code.redeemed",
            payload={},
            status=WebhookDelivery.Status.FAILED,  # so that "Resend" would act on it
        )
        DonorMembership.objects.create(  # this donor's person (the donor area)
            donor=donor, user=UserFactory(email="person@donor.example")
        )
        Authenticator.objects.create(user=self.holder, type=Authenticator.Type.TOTP, data={})
        self.join_request = join_request_create(
            requester=UserFactory(email="asks.to.join@example.org"),
            asked_for=self.organisation.handle,
        )
        subscribed = ProductFactory(
            programme=ProgrammeFactory(), kind=Product.Kind.CLOUD_SUBSCRIPTION
        )
        self.subscription = Subscription.objects.create(
            organisation=self.organisation,
            product=subscribed,
            sku=subscribed.sku,
            name=subscribed.name,
            seats=10,
            granted_seats=10,
            term_starts_on=timezone.localdate(),
            renews_on=timezone.localdate() + timedelta(days=365),
        )
