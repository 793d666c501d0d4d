"""The staff queue stays as fast with 100,000 applications as with 1,000 (issue 14, item 6):
its count is bounded, its country filter steps from country to country, and the duplicate
flag costs nothing for an organisation without a website or comparable number."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Organisation
from tests.factories import OrganisationFactory, UserFactory
from validation import services
from validation.admin import QueuePaginator
from validation.models import Application, Statement
from validation.selectors import application_countries, application_queue

pytestmark = pytest.mark.django_db

QUEUE_URL = reverse("admin:validation_application_changelist")


@pytest.fixture
def reviewer_client(client, reviewer, settings):
    settings.REQUIRE_STAFF_MFA = False
    client.force_login(reviewer)
    return client


def apply(n, *, country="SE", registration_number="802002-4280", website=""):
    return services.application_submit(
        user=UserFactory(),
        statements=list(Statement.values),
        legal_name=f"Growth Org {n}",
        type=Organisation.Type.NONPROFIT,
        country=country,
        registration_number=registration_number,
        address="Gatan 1",
        website=website,
    )


def test_past_its_cap_the_queue_says_more_than_and_counts_no_further(reviewer_client, monkeypatch):
    monkeypatch.setattr(QueuePaginator, "CAP", 3)
    for n in range(5):
        apply(n)

    with CaptureQueriesContext(connection) as queries:
        page = reviewer_client.get(QUEUE_URL).content.decode()

    assert "More than 3 applications" in page
    (count,) = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert "LIMIT 4" in count.upper()
    assert page.count("Growth Org") == 5  # the first page is the page as always


def test_under_its_cap_the_queue_says_how_many(reviewer_client):
    for n in range(2):
        apply(n)
    page = reviewer_client.get(QUEUE_URL).content.decode()
    assert "2 applications" in page and "More than" not in page


def test_the_country_filter_lists_each_country_applications_come_from_once(reviewer_client):
    assert application_countries() == []
    apply(1, country="SE")
    apply(2, country="NO", registration_number="974760673")
    apply(3, country="SE", registration_number="556036-0793")

    assert application_countries() == ["NO", "SE"]
    page = reviewer_client.get(QUEUE_URL).content.decode()
    assert "?country=NO" in page and "?country=SE" in page


def test_organisations_without_a_website_or_number_are_never_duplicates_of_each_other():
    first, second = OrganisationFactory(), OrganisationFactory()
    Organisation.objects.filter(pk__in=[first.pk, second.pk]).update(
        registration_key="", website_domain=""
    )
    for organisation in (first, second):
        Application.objects.create(
            organisation=organisation,
            kind=Application.Kind.APPLICATION,
            legal_name=organisation.legal_name,
            type=organisation.type,
            country="SE",
            registration_number="x",
            address="Gatan 1",
            clock_started_on=date.today(),
        )
    flags = set(application_queue().values_list("possible_duplicate", flat=True))
    assert flags == {False}


def test_the_same_website_still_makes_a_duplicate():
    apply(1, website="https://same.example.org")
    apply(2, website="https://www.same.example.org/about", registration_number="556036-0793")
    assert set(application_queue().values_list("possible_duplicate", flat=True)) == {True}
