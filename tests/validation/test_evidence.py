"""Evidence with the application (R-VAL-3): the legal form from the staff's list for the
country, and the documents that prove the status by country, legal form and type; files
checked by type and size, kept private, shown to staff beside the application."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Organisation
from validation import services
from validation.errors import ValidationRefused
from validation.models import Application, EvidenceRequirement, LegalForm

APPLY_URL = reverse("validation:application-submit")


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.REQUIRE_STAFF_MFA = False


@pytest.fixture
def applicant_client(client, applicant):
    client.force_login(applicant)
    return client


def _legal_form(country, name):
    return LegalForm.objects.get(country=country, name=name)


def _pdf(name="minutes.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 minutes")


def _form(**overrides):
    from tests.validation.conftest import ALL_STATEMENTS, DETAILS

    data = {
        **DETAILS,
        "legal_form": _legal_form("SE", "Ideell förening").pk,
        "evidence": _pdf(),
        **{f"attest_{s}": "on" for s in ALL_STATEMENTS},
        **overrides,
    }
    return {k: v for k, v in data.items() if v is not None}


def test_the_default_legal_forms_and_requirements_are_there(db):
    assert {f.name for f in LegalForm.objects.filter(country="SE")} >= {
        "Ideell förening",
        "Stiftelse",
        "Registrerat trossamfund",
    }
    assert {f.name for f in LegalForm.objects.filter(country="NO")} >= {"Forening", "Stiftelse"}
    minutes = EvidenceRequirement.objects.get(legal_form=_legal_form("SE", "Ideell förening"))
    assert "annual meeting" in minutes.description
    report = EvidenceRequirement.objects.get(legal_form=_legal_form("SE", "Stiftelse"))
    assert "annual report" in report.description
    assert EvidenceRequirement.objects.filter(organisation_type="public_library").exists()
    assert EvidenceRequirement.objects.filter(organisation_type="public_museum").exists()


def test_an_application_keeps_its_legal_form_and_documents_privately(
    applicant_client, applicant, settings
):
    response = applicant_client.post(
        APPLY_URL, _form(evidence=[_pdf("minutes.pdf"), _pdf("board.pdf")])
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.legal_form == _legal_form("SE", "Ideell förening")
    assert sorted(d.original_name for d in application.documents.all()) == [
        "board.pdf",
        "minutes.pdf",
    ]
    document = application.documents.first()
    assert str(settings.MEDIA_ROOT) in document.file.path
    assert not document.file.url.startswith(settings.STATIC_URL)


def test_a_swedish_association_without_its_minutes_is_refused_and_nothing_is_made(
    applicant_client,
):
    response = applicant_client.post(APPLY_URL, _form(evidence=None))
    page = response.content.decode()
    assert "Attach the documents that prove your status" in page
    assert "annual meeting" in page
    assert not Organisation.objects.exists()


def test_the_legal_form_is_required_where_the_country_has_a_list(applicant_client):
    response = applicant_client.post(APPLY_URL, _form(legal_form=None))
    assert "Choose your organisation" in response.content.decode()
    assert not Organisation.objects.exists()


def test_a_legal_form_of_another_country_is_refused(applicant_client):
    response = applicant_client.post(APPLY_URL, _form(legal_form=_legal_form("NO", "Forening").pk))
    assert "Choose a legal form of the country you chose." in response.content.decode()
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [("minutes.docx", b"PK\x03\x04"), ("minutes.pdf", b"<html>not a pdf</html>")],
)
def test_evidence_that_is_not_pdf_png_or_jpeg_is_refused(applicant_client, name, content):
    response = applicant_client.post(APPLY_URL, _form(evidence=SimpleUploadedFile(name, content)))
    assert "Upload a PDF, PNG or JPEG file." in response.content.decode()
    assert not Organisation.objects.exists()


def test_evidence_over_the_size_limit_is_refused(applicant_client, settings):
    settings.VALIDATION_DOCUMENT_MAX_BYTES = 100
    big = SimpleUploadedFile("minutes.pdf", b"%PDF-" + b"0" * 500)
    response = applicant_client.post(APPLY_URL, _form(evidence=big))
    assert "too large" in response.content.decode()
    assert not Organisation.objects.exists()


def test_a_public_library_anywhere_attaches_proof_of_its_public_status(applicant, db):
    with pytest.raises(ValidationRefused) as raised:
        services.application_submit(
            user=applicant,
            statements=services.Statement.values,
            legal_name="Springfield Public Library",
            type=Organisation.Type.PUBLIC_LIBRARY,
            country="GB",
            registration_number="L-1",
            address="Main Street 1",
        )
    assert "public" in str(raised.value.message)
    assert not Organisation.objects.exists()


def test_staff_change_a_requirement_in_admin_and_applicants_see_it(applicant_client, db):
    requirement = EvidenceRequirement.objects.get(legal_form=_legal_form("SE", "Ideell förening"))
    requirement.description = "Your statutes and the latest annual-meeting minutes"
    requirement.save()
    page = applicant_client.get(APPLY_URL).content.decode()
    assert "Your statutes and the latest annual-meeting minutes" in page


def test_the_requirement_text_follows_the_applicants_language(applicant_client, applicant):
    applicant.language = "sv"
    applicant.save()
    page = applicant_client.get(APPLY_URL).content.decode()
    assert "Protokoll från ert senaste årsmöte" in page


def test_staff_see_the_legal_form_and_the_documents_beside_the_application(
    applicant_client, reviewer, client
):
    applicant_client.post(APPLY_URL, _form())
    application = Application.objects.get()
    client.force_login(reviewer)
    page = client.get(
        reverse("admin:validation_application_change", args=[application.pk])
    ).content.decode()
    assert "Ideell förening" in page
    assert "minutes.pdf" in page
    document = application.documents.get()
    download = client.get(
        reverse("admin:validation_application_document", args=[application.pk, document.pk])
    )
    assert download.status_code == 200


def test_the_defaults_fill_only_an_empty_list_so_staff_edits_stay(db):
    from validation.defaults import defaults_ensure

    _legal_form("SE", "Stiftelse").delete()
    defaults_ensure()
    assert not LegalForm.objects.filter(country="SE", name="Stiftelse").exists()
    EvidenceRequirement.objects.all().delete()
    LegalForm.objects.all().delete()
    defaults_ensure()
    assert LegalForm.objects.filter(country="SE", name="Stiftelse").exists()
    assert EvidenceRequirement.objects.filter(organisation_type="public_museum").exists()
