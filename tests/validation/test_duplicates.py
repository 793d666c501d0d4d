"""One real organisation, one account (R-VAL-8): an application whose registration number or
website domain already belongs to another organisation is flagged to staff, who see both side
by side and deny it, or approve it as a separate branch with a note."""

import socket

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.identity import registration_number_key, website_domain
from accounts.models import Organisation
from clearinghouse.audit import events_for, record_event
from tests.factories import OrganisationFactory, UserFactory
from validation import services
from validation.errors import ReasonRequired
from validation.models import Application, LegalForm, SharedHost
from validation.selectors import application_queue

S = Organisation.Status


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.REQUIRE_STAFF_MFA = False


@pytest.fixture
def treasurers_account(db):
    """The association's account, run by its treasurer and approved."""
    return OrganisationFactory(
        legal_name="Malmö Läsecirkel",
        registration_number="802002-4280",
        website="https://www.lasecirkel.se/",
        status=S.APPROVED,
    )


def _flagged(application) -> bool:
    return application_queue().get(pk=application.pk).possible_duplicate


@pytest.mark.parametrize("written", ["802002-4280", "8020024280", "SE802002428001"])
def test_the_same_registration_number_written_differently_is_caught(
    treasurers_account, submit, written
):
    application = submit(registration_number=written, website="")
    assert _flagged(application)


def test_the_apply_form_takes_a_swedish_vat_number_as_the_organisation_number(
    treasurers_account, client, applicant
):
    client.force_login(applicant)
    response = client.post(
        reverse("validation:application-submit"),
        {
            "legal_name": "Malmö Läsecirkel",
            "type": "nonprofit",
            "country": "SE",
            "registration_number": "SE802002428001",
            "address": "Lilla torg 1",
            "website": "",
            "mission": "",
            "legal_form": LegalForm.objects.get(country="SE", name="Ideell förening").pk,
            "evidence": SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes"),
            **{f"attest_{value}": "on" for value in services.Statement.values},
        },
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(account_holder=applicant)
    assert organisation.registration_number == "802002-4280"
    assert _flagged(organisation.applications.get())


def test_numbers_compare_by_country_format_and_vat_number():
    assert registration_number_key("NO", "NO 974 760 673 MVA") == registration_number_key(
        "NO", "974760673"
    )
    assert registration_number_key("DK", "DK 13 58 56 28") == registration_number_key(
        "DK", "13585628"
    )
    assert registration_number_key("GB", "Charity 1234567") == "GB:CHARITY1234567"
    assert registration_number_key("SE", "802002-4280") != registration_number_key(
        "NO", "802002-4280"
    )


def test_another_number_and_website_is_not_flagged(treasurers_account, submit):
    application = submit(registration_number="556677-8899", website="https://other.example.se")
    assert not _flagged(application)


def test_the_same_website_domain_is_caught_whatever_its_subdomain_and_case(
    treasurers_account, submit
):
    application = submit(registration_number="556677-8899", website="http://Medlem.LASECIRKEL.se/x")
    assert _flagged(application)


def test_a_website_on_a_shared_host_is_no_sign_of_a_duplicate(db, submit):
    OrganisationFactory(website="https://chess-club.wixsite.com/home")
    application = submit(registration_number="556677-8899", website="https://readers.wixsite.com")
    assert website_domain("https://readers.wixsite.com") == "wixsite.com"
    assert not _flagged(application)


def test_staff_can_add_a_shared_host_to_the_list(db, submit):
    OrganisationFactory(website="https://club-a.minsida.se")
    application = submit(registration_number="556677-8899", website="https://club-b.minsida.se")
    assert _flagged(application)
    SharedHost.objects.create(domain="MinSida.SE")
    assert not _flagged(application)


def test_domains_come_from_the_bundled_suffix_list_without_the_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the suffix list must not be fetched")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    assert website_domain("https://www.foreningen.co.uk/om") == "foreningen.co.uk"
    assert website_domain("https://www.förening.se") == "förening.se"


def test_a_flagged_application_is_not_approved_without_a_branch_note(
    treasurers_account, submit, reviewer
):
    application = submit()
    with pytest.raises(ReasonRequired):
        services.application_approve(application=application, actor=reviewer)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.organisation.status == S.SUBMITTED


def test_staff_approve_a_separate_branch_with_a_note_in_the_audit_trail(
    treasurers_account, submit, reviewer
):
    application = submit()
    services.application_approve(
        application=application,
        actor=reviewer,
        branch_note="The Lund branch runs its own IT; confirmed by phone.",
    )
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    event = events_for(application).get(verb="validation.approved_as_separate_branch")
    assert event.data["note"] == "The Lund branch runs its own IT; confirmed by phone."
    assert event.data["other_organisations"] == [
        {"id": treasurers_account.pk, "handle": treasurers_account.handle}
    ]
    assert event.actor == reviewer


def test_staff_deny_a_duplicate_with_a_reason_and_the_other_account_is_recorded(
    treasurers_account, submit, reviewer
):
    application = submit()
    services.application_deny(
        application=application, actor=reviewer, reason="Your organisation already has an account."
    )
    event = events_for(application).get(verb="validation.application_denied")
    assert event.data["other_organisations"] == [treasurers_account.handle]


def test_the_queue_flags_and_filters_possible_duplicates(
    treasurers_account, submit, reviewer, client
):
    flagged = submit()
    clean = submit(
        user=UserFactory(),
        legal_name="Lund Chess",
        registration_number="556677-8899",
        website="https://chess.example.se",
    )
    client.force_login(reviewer)
    url = reverse("admin:validation_application_changelist")
    page = client.get(url, {"duplicate": "yes"}).content.decode()
    assert flagged.legal_name in page and clean.legal_name not in page
    page = client.get(url, {"duplicate": "no"}).content.decode()
    assert clean.legal_name in page and flagged.legal_name not in page


def test_staff_see_both_organisations_side_by_side_with_the_other_ones_history(
    treasurers_account, submit, reviewer, client
):
    record_event(
        actor=None,
        verb="validation.attested",
        target=treasurers_account,
        organisation=treasurers_account,
    )
    application = submit()
    client.force_login(reviewer)
    page = client.get(
        reverse("admin:validation_application_change", args=[application.pk])
    ).content.decode()
    assert "Possible duplicate: another account" in page
    assert "Same registration number." in page
    assert treasurers_account.handle in page
    assert treasurers_account.account_holder.email in page
    assert "validation.attested" in page
    assert 'name="branch_note"' in page


def test_the_applicant_is_told_an_account_may_exist_but_nothing_about_it(
    treasurers_account, submit, applicant, client
):
    submit()
    client.force_login(applicant)
    page = client.get(reverse("validation:application-detail")).content.decode()
    assert "An account may already exist for your organisation" in page
    assert treasurers_account.handle not in page
    assert treasurers_account.account_holder.email not in page
    assert "lasecirkel" not in page.lower()


def test_an_applicant_without_a_match_sees_no_such_notice(db, submit, applicant, client):
    submit()
    client.force_login(applicant)
    page = client.get(reverse("validation:application-detail")).content.decode()
    assert "An account may already exist" not in page
