"""Review of a decision (R-VAL-10): a denied or revoked organisation asks staff to reconsider
the same facts, once per decision, with its reasons and a file; staff see the earlier decision
beside it; the outcome is final; revoked organisations can be reinstated."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Organisation
from clearinghouse.audit import events_for
from validation import services
from validation.errors import ReviewNotAvailable, ValidationRefused
from validation.models import Application, ApplicationMessage

S = Organisation.Status
REVIEW_URL = reverse("validation:review-request")


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.REQUIRE_STAFF_MFA = False


@pytest.fixture
def denied(application, reviewer):
    return services.application_deny(
        application=application, actor=reviewer, reason="No proof of nonprofit status."
    )


@pytest.fixture
def revoked(approved_application, reviewer):
    organisation = approved_application.organisation
    services.organisation_revoke(
        organisation=organisation, actor=reviewer, reason="Licences resold to a company."
    )
    organisation.refresh_from_db()
    return organisation


@pytest.fixture
def applicant_client(client, applicant):
    client.force_login(applicant)
    return client


def _ask(organisation, applicant, reasons="The register shows we are a nonprofit."):
    return services.decision_review_request(
        organisation=organisation, user=applicant, reasons=reasons
    )


def test_a_denied_organisation_asks_for_a_review_with_reasons_and_a_file(
    denied, applicant, applicant_client
):
    response = applicant_client.post(
        REVIEW_URL,
        {
            "reasons": "Our statutes say we are a nonprofit.",
            "document": SimpleUploadedFile("statutes.pdf", b"%PDF-1.4 statutes"),
        },
    )
    assert response.status_code == 302
    review = Application.objects.get(kind=Application.Kind.DECISION_REVIEW)
    assert review.review_of == denied
    assert review.organisation.status == S.SUBMITTED
    message = review.messages.get()
    assert message.kind == ApplicationMessage.Kind.REVIEW_REASONS
    assert message.body == "Our statutes say we are a nonprofit."
    assert review.documents.get().original_name == "statutes.pdf"
    assert events_for(review).filter(verb="validation.review_requested").exists()


def test_a_review_can_be_asked_once_per_decision(denied, applicant, reviewer):
    review = _ask(denied.organisation, applicant)
    services.application_deny(application=review, actor=reviewer, reason="Still no proof.")
    with pytest.raises(ReviewNotAvailable):
        _ask(denied.organisation, applicant)
    assert Application.objects.filter(kind=Application.Kind.DECISION_REVIEW).count() == 1


def test_asking_twice_through_the_page_is_refused_with_a_message(
    denied, applicant, applicant_client, reviewer
):
    review = _ask(denied.organisation, applicant)
    services.application_deny(application=review, actor=reviewer, reason="Still no proof.")
    response = applicant_client.post(REVIEW_URL, {"reasons": "Again."}, follow=True)
    assert "reviewed once" in response.content.decode()
    assert Application.objects.filter(kind=Application.Kind.DECISION_REVIEW).count() == 1


def test_a_review_needs_reasons(denied, applicant, applicant_client):
    with pytest.raises(ValidationRefused):
        _ask(denied.organisation, applicant, reasons="  ")
    response = applicant_client.post(REVIEW_URL, {"reasons": ""})
    assert response.status_code == 400
    assert not Application.objects.filter(kind=Application.Kind.DECISION_REVIEW).exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [("statutes.exe", b"MZ\x90\x00"), ("statutes.pdf", b"not really a pdf")],
)
def test_a_review_file_that_is_not_pdf_png_or_jpeg_is_refused(
    denied, applicant_client, name, content
):
    response = applicant_client.post(
        REVIEW_URL, {"reasons": "See file.", "document": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 400
    assert "Upload a PDF, PNG or JPEG file." in response.content.decode()
    assert not Application.objects.filter(kind=Application.Kind.DECISION_REVIEW).exists()


def test_a_review_file_over_the_size_limit_is_refused(denied, applicant_client, settings):
    settings.VALIDATION_DOCUMENT_MAX_BYTES = 100
    response = applicant_client.post(
        REVIEW_URL,
        {"reasons": "x", "document": SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * 200)},
    )
    assert response.status_code == 400
    assert "too large" in response.content.decode()


def test_staff_see_the_earlier_decision_beside_the_review(denied, applicant, reviewer, client):
    review = _ask(denied.organisation, applicant)
    client.force_login(reviewer)
    page = client.get(
        reverse("admin:validation_application_change", args=[review.pk])
    ).content.decode()
    assert "The decision under review" in page
    assert "No proof of nonprofit status." in page
    assert "The register shows we are a nonprofit." in page


def test_a_review_approved_approves_the_organisation(denied, applicant, reviewer):
    review = _ask(denied.organisation, applicant)
    services.application_approve(application=review, actor=reviewer)
    denied.organisation.refresh_from_db()
    assert denied.organisation.status == S.APPROVED


def test_a_revoked_organisation_asks_for_a_review_and_an_upheld_revocation_is_final(
    revoked, applicant, reviewer
):
    review = _ask(revoked, applicant)
    assert review.review_of_revocation.data["reason"] == "Licences resold to a company."
    revoked.refresh_from_db()
    assert revoked.status == S.SUBMITTED
    services.application_deny(application=review, actor=reviewer, reason="The resale is proven.")
    revoked.refresh_from_db()
    assert revoked.status == S.REVOKED
    with pytest.raises(ReviewNotAvailable):
        _ask(revoked, applicant)


def test_a_review_of_a_revocation_approved_reinstates(revoked, applicant, reviewer):
    services.application_approve(application=_ask(revoked, applicant), actor=reviewer)
    revoked.refresh_from_db()
    assert revoked.status == S.APPROVED and revoked.is_eligible


def test_staff_reinstate_a_revoked_organisation_with_a_reason(revoked, reviewer, client):
    application = revoked.applications.get()
    client.force_login(reviewer)
    url = reverse("admin:validation_application_change", args=[application.pk])
    assert 'name="_reinstate"' in client.get(url).content.decode()
    client.post(url, {"_reinstate": "Reinstate", "reason": ""})
    revoked.refresh_from_db()
    assert revoked.status == S.REVOKED
    client.post(url, {"_reinstate": "Reinstate", "reason": "The licences were returned."})
    revoked.refresh_from_db()
    assert revoked.status == S.APPROVED
    event = events_for(revoked).filter(verb="validation.status_changed").first()
    assert event.data["reinstated"] is True
    assert event.data["reason"] == "The licences were returned."


def test_the_status_page_offers_a_review_only_while_one_can_be_asked(
    denied, applicant, applicant_client, reviewer
):
    status_url = reverse("validation:application-detail")
    assert REVIEW_URL in applicant_client.get(status_url).content.decode()
    review = _ask(denied.organisation, applicant)
    services.application_deny(application=review, actor=reviewer, reason="Final.")
    assert REVIEW_URL not in applicant_client.get(status_url).content.decode()


def test_an_approved_organisation_has_no_decision_to_review(approved_application, applicant):
    with pytest.raises(ReviewNotAvailable):
        _ask(approved_application.organisation, applicant)
