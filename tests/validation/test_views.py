"""The organisation's side: "Apply for validation", the Validation tab, answering, attesting,
editing details."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Organisation
from clearinghouse.models import OutboundEmail
from tests.validation.conftest import ALL_STATEMENTS, DETAILS
from validation import services
from validation.models import Application, ApplicationDocument

S = Organisation.Status
APPLY_URL = reverse("validation:application-submit")
STATUS_URL = reverse("validation:application-detail")


def _form(**overrides):
    """The apply form as a Swedish ideell förening fills it in, with its annual-meeting
    minutes attached (R-VAL-3)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from validation.models import LegalForm

    evidence = {
        "legal_form": LegalForm.objects.get(country="SE", name="Ideell förening").pk,
        "evidence": SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes"),
    }
    data = {
        **DETAILS,
        **evidence,
        **{f"attest_{s}": "on" for s in ALL_STATEMENTS},
        **overrides,
    }
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def applicant_client(client, applicant):
    client.force_login(applicant)
    return client


def test_my_account_leads_a_user_without_an_organisation_to_apply(applicant_client):
    response = applicant_client.get(reverse("accounts:account-overview"))
    assert APPLY_URL in response.content.decode()
    assert "Apply for validation" in response.content.decode()


def test_the_apply_form_shows_every_field_and_attestation(applicant_client):
    page = applicant_client.get(APPLY_URL).content.decode()
    for label in [
        "Legal name",
        "Organisation type",
        "Country",
        "Registration number",
        "Address",
        "Website",
        "Mission",
        "Submit application",
        "anti-discrimination",
        "includes “Library” in its name",
    ]:
        assert label in page


def test_applying_creates_the_organisation_and_shows_the_status(applicant_client, applicant):
    response = applicant_client.post(APPLY_URL, _form(registration_number="8020024280"))
    assert response.status_code == 302
    assert response.url == STATUS_URL
    applicant.refresh_from_db()
    organisation = applicant.organisation
    assert organisation.registration_number == "802002-4280"  # formatted
    assert organisation.status == S.SUBMITTED
    assert OutboundEmail.objects.filter(
        to=applicant.email, template="validation-submitted"
    ).exists()
    page = applicant_client.get(STATUS_URL).content.decode()
    assert "Pending review" in page
    assert "within 10 business days" in page


@pytest.mark.parametrize("missing", ALL_STATEMENTS)
def test_a_missing_attestation_is_a_clear_error_and_creates_nothing(applicant_client, missing):
    response = applicant_client.post(APPLY_URL, _form(**{f"attest_{missing}": None}))
    assert response.status_code == 200
    assert "Tick this box to attest it." in response.content.decode()
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(("country", "number"), [("SE", "802002-4281"), ("NO", "974760674")])
def test_an_invalid_registration_number_for_a_known_country_is_refused(
    applicant_client, country, number
):
    response = applicant_client.post(APPLY_URL, _form(country=country, registration_number=number))
    assert "This is not a valid registration number" in response.content.decode()
    assert not Organisation.objects.exists()


def test_a_registration_number_is_free_text_where_its_format_is_unknown(applicant_client):
    response = applicant_client.post(
        APPLY_URL,
        _form(country="GB", registration_number="Charity 1234567", legal_form=None, evidence=None),
    )
    assert response.status_code == 302
    assert Organisation.objects.get().registration_number == "Charity 1234567"


def test_a_user_with_an_organisation_is_sent_to_the_status_page(holder_client):
    assert holder_client.get(APPLY_URL).url == STATUS_URL


def test_the_validation_tab_is_listed_for_the_account_holder(holder_client):
    page = holder_client.get(reverse("accounts:account-overview")).content.decode()
    assert f'href="{STATUS_URL}"' in page


@pytest.fixture
def waiting(application, reviewer):
    """The applicant's application, waiting for their answer."""
    return services.application_request_information(
        application=application, actor=reviewer, message="Please send your statutes."
    )


def test_the_status_page_shows_the_staff_message_and_an_answer_box(applicant_client, waiting):
    page = applicant_client.get(STATUS_URL).content.decode()
    assert "More information required" in page
    assert "Please send your statutes." in page
    assert "Your answer" in page


def test_answering_with_a_document_returns_the_application_to_the_queue(applicant_client, waiting):
    document = SimpleUploadedFile("statutes.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    response = applicant_client.post(
        reverse("validation:application-answer"), {"answer": "Attached.", "document": document}
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Application.Status.SUBMITTED
    assert ApplicationDocument.objects.get().content_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("virus.exe", b"MZ....", "Upload a PDF, PNG or JPEG file."),
        ("fake.pdf", b"<html>", "Upload a PDF, PNG or JPEG file."),
        ("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "The file is too large"),
    ],
)
def test_a_wrong_or_oversized_upload_is_refused_and_changes_nothing(
    applicant_client, waiting, name, content, error
):
    response = applicant_client.post(
        reverse("validation:application-answer"),
        {"answer": "Attached.", "document": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert error in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Application.Status.MORE_INFORMATION
    assert not ApplicationDocument.objects.exists()
    assert not waiting.messages.filter(kind="answer").exists()


def test_the_denial_reason_is_shown_with_a_way_to_apply_again(
    applicant_client, application, reviewer
):
    services.application_deny(application=application, actor=reviewer, reason="No registration.")
    page = applicant_client.get(STATUS_URL).content.decode()
    assert "No registration." in page
    assert reverse("validation:application-reapply") in page
    response = applicant_client.post(
        reverse("validation:application-reapply"), {f"attest_{s}": "on" for s in ALL_STATEMENTS}
    )
    assert response.status_code == 302
    assert Organisation.objects.get().status == S.SUBMITTED


def test_an_organisation_never_sees_another_organisations_application(
    holder_client, waiting, other_organisation
):
    page = holder_client.get(STATUS_URL).content.decode()
    assert "Please send your statutes." not in page
    response = holder_client.post(reverse("validation:application-answer"), {"answer": "Mine now"})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Application.Status.MORE_INFORMATION
    assert not waiting.messages.filter(kind="answer").exists()


def test_the_attest_action_repeats_the_attestations(applicant_client, approved_application):
    page = applicant_client.get(reverse("validation:organisation-attest")).content.decode()
    assert "anti-discrimination" in page
    response = applicant_client.post(reverse("validation:organisation-attest"), {})
    assert "Tick this box to attest it." in response.content.decode()
    response = applicant_client.post(
        reverse("validation:organisation-attest"),
        {"contacts_confirmed": "on", **{f"attest_{s}": "on" for s in ALL_STATEMENTS}},
    )
    assert response.status_code == 302
    assert approved_application.organisation.attestations.count() == 2


def _edit_form(organisation, **overrides):
    data = {name: str(getattr(organisation, name)) for name in DETAILS}
    return {**data, **overrides}


def test_changing_the_legal_name_asks_for_confirmation_then_sends_to_review(
    applicant_client, approved_application
):
    organisation = approved_application.organisation
    url = reverse("validation:organisation-edit")
    response = applicant_client.post(url, _edit_form(organisation, legal_name="New Name"))
    assert response.status_code == 200
    assert "Are you sure?" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.legal_name == DETAILS["legal_name"]
    response = applicant_client.post(
        url, _edit_form(organisation, legal_name="New Name", confirm="1")
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.legal_name, organisation.status) == ("New Name", S.SUBMITTED)


def test_changing_the_mission_saves_without_review(applicant_client, approved_application):
    organisation = approved_application.organisation
    response = applicant_client.post(
        reverse("validation:organisation-edit"), _edit_form(organisation, mission="New mission")
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.mission, organisation.status) == ("New mission", S.APPROVED)


def test_anonymous_users_are_sent_to_sign_in(client):
    for url in [APPLY_URL, STATUS_URL, reverse("validation:organisation-attest")]:
        assert "/accounts/login/" in client.get(url).url


def test_a_revoked_organisation_sees_the_reason(applicant_client, approved_application, reviewer):
    services.organisation_revoke(
        organisation=approved_application.organisation, actor=reviewer, reason="Licences resold."
    )
    page = applicant_client.get(STATUS_URL).content.decode()
    assert "Revoked" in page
    assert "Licences resold." in page


@pytest.mark.parametrize("status", [S.SUBMITTED, S.SUSPENDED, S.REVOKED])
def test_the_not_eligible_notice_links_to_the_validation_tab(make_organisation, status):
    from django.template.loader import render_to_string

    html = render_to_string(
        "validation/_not_eligible.html", {"organisation": make_organisation(status=status)}
    )
    assert STATUS_URL in html
    assert "not validated" in html or "suspended" in html


def test_the_yearly_attestation_shows_the_contacts_and_needs_them_confirmed(
    applicant_client, approved_application, applicant
):
    from accounts.models import Contact

    organisation = approved_application.organisation
    billing = Contact.objects.create(
        organisation=organisation,
        first_name="Berit",
        last_name="Billing",
        email="berit@reading.example.org",
    )
    organisation.billing_contact = billing
    organisation.save()
    url = reverse("validation:organisation-attest")
    page = applicant_client.get(url).content.decode()
    assert applicant.email in page
    assert "Berit Billing" in page and "berit@reading.example.org" in page
    assert reverse("accounts:organisation-details") in page

    statements = {f"attest_{s}": "on" for s in ALL_STATEMENTS}
    response = applicant_client.post(url, statements)
    assert "Confirm the contacts" in response.content.decode()
    assert organisation.attestations.count() == 1

    applicant_client.post(url, {**statements, "contacts_confirmed": "on"})
    attestation = organisation.attestations.first()
    assert organisation.attestations.count() == 2
    assert attestation.contacts_confirmed["billing"]["email"] == "berit@reading.example.org"
    assert attestation.contacts_confirmed["main"]["email"] == applicant.email


def test_the_attestation_carries_the_whole_anti_discrimination_policy(
    applicant_client, approved_application
):
    page = applicant_client.get(reverse("validation:organisation-attest")).content.decode()
    for words in [
        "hiring, pay and compensation, promotion, termination, retirement, training",
        "programmes, activities and/or services",
        "race, colour, sex",
        "union membership or veteran status",
    ]:
        assert words in page
