"""Query count of each list page at 1 and 100 rows (DESIGN.md §8).

A page whose count grows with its rows makes one query per row somewhere; the counts printed
here must be equal in both columns. Runs on a throwaway in-memory SQLite database, so it needs
no server: `make bench` (or `python bench/pages.py`).
"""

import os
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = "sqlite://:memory:"
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
os.environ["EMAIL_URL"] = "memorymail://"
os.environ["CELERY_BROKER_URL"] = "memory://"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearinghouse.settings")

import logging  # noqa: E402

import django  # noqa: E402

django.setup()
logging.disable(logging.WARNING)

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import Organisation  # noqa: E402
from approval_codes.services import approval_code_issue  # noqa: E402
from orders.services import order_place  # noqa: E402
from tests.accounts.factories import ContactFactory  # noqa: E402
from tests.catalog.factories import (  # noqa: E402
    CertificateFactory,
    ProductFactory,
    ProgrammeFactory,
)
from tests.factories import OrganisationFactory, UserFactory  # noqa: E402
from validation.models import Statement  # noqa: E402
from validation.services import application_submit  # noqa: E402


def _codes(organisation, count):
    for n in range(count):
        approval_code_issue(
            organisation=organisation,
            issued_by=organisation.account_holder,
            first_name=f"Person {n}",
            last_name="Bench",
            email=f"person{n}@example.org",
            authorised=True,
        )


def _contacts(organisation, count):
    ContactFactory.create_batch(count, organisation=organisation)


def _products(organisation, count):
    programme = ProgrammeFactory()
    CertificateFactory(organisation=organisation, donor=programme.donor)
    for _ in range(count):
        ProductFactory(programme=programme, terms__grant=5)


def _orders(organisation, count):
    programme = ProgrammeFactory()
    CertificateFactory(organisation=organisation, donor=programme.donor)
    product = ProductFactory(programme=programme, terms__price="5.00")
    for _ in range(count):
        order_place(
            organisation=organisation,
            programme=programme,
            quantities={product.pk: 5},
            placed_by=organisation.account_holder,
            idempotency_key=uuid.uuid4().hex,
        )


def _applications(organisation, count):
    for n in range(count):
        application_submit(
            user=UserFactory(),
            statements=list(Statement.values),
            legal_name=f"Applicant {n}",
            type=Organisation.Type.NONPROFIT,
            country="SE",
            registration_number="802002-4280",
            address="Gatan 1",
        )


# (label, URL name, who looks at it, how to make `count` rows)
PAGES = [
    ("Approval codes", "approval_codes:code-list", "holder", _codes),
    ("Contacts", "accounts:contact-list", "holder", _contacts),
    ("Catalogue", "orders:catalogue-detail", "holder", _products),
    ("Orders", "orders:order-list", "holder", _orders),
    ("Validation queue (admin)", "admin:validation_application_changelist", "staff", _applications),
]


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def main() -> int:
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    staff = UserFactory(is_staff=True, is_superuser=True)
    growing = []
    print(f"{'Page':<28}{'1 row':>8}{'100 rows':>10}")
    for label, url_name, viewer, make_rows in PAGES:
        organisation = OrganisationFactory()
        client = Client()
        client.force_login(staff if viewer == "staff" else organisation.account_holder)
        url = reverse(url_name)
        make_rows(organisation, 1)
        client.get(url)  # first visit makes lazily created rows (the main contact)
        one = _count(client, url)
        make_rows(organisation, 99)
        hundred = _count(client, url)
        print(f"{label:<28}{one:>8}{hundred:>10}")
        if hundred != one:
            growing.append(label)
    if growing:
        print("Query count grows with rows on: " + ", ".join(growing))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
