"""The donor's validation certificate (R-MS-4): sent by the organisation, confirmed by staff."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.errors import CatalogError
from catalog.models import DonorCertificate
from catalog.services import certificate_decide, certificate_upload
from tests.catalog.factories import CertificateFactory

pytestmark = pytest.mark.django_db


def pdf():
    return SimpleUploadedFile("cert.pdf", b"%PDF-1.4 x", content_type="application/pdf")


def test_an_uploaded_certificate_waits_for_confirmation(holder_client, programme):
    url = reverse("catalog:certificate-list")
    data = {"donor": programme.donor.pk, "file": pdf(), "issued_on": date.today().isoformat()}
    assert holder_client.post(url, data).status_code == 302
    certificate = DonorCertificate.objects.get()
    assert certificate.status == DonorCertificate.Status.PENDING
    assert "Waiting for confirmation" in holder_client.get(url).content.decode()


# Days from the test's today, not the collection's (and 2 × 366 days: no 29 February trap).
@pytest.mark.parametrize(
    ("days_from_today", "message"),
    [(1, "cannot be in the future"), (-2 * 366, "expired")],
)
def test_a_future_or_expired_issue_date_is_refused(
    organisation, programme, days_from_today, message
):
    issued_on = date.today() + timedelta(days=days_from_today)
    with pytest.raises(CatalogError, match=message):
        certificate_upload(
            organisation=organisation,
            donor=programme.donor,
            file=pdf(),
            issued_on=issued_on,
            uploaded_by=organisation.account_holder,
        )
    assert not DonorCertificate.objects.exists()


def test_a_file_that_is_not_a_pdf_or_image_is_refused(holder_client, programme):
    data = {
        "donor": programme.donor.pk,
        "file": SimpleUploadedFile("cert.exe", b"MZ"),
        "issued_on": date.today().isoformat(),
    }
    response = holder_client.post(reverse("catalog:certificate-list"), data)
    assert "Upload a PDF, PNG or JPEG file." in response.content.decode()
    assert not DonorCertificate.objects.exists()


def test_staff_confirm_and_the_certificate_is_valid_for_two_years(
    organisation, programme, staff_user
):
    issued = date(2026, 1, 15)
    certificate = CertificateFactory(
        organisation=organisation,
        donor=programme.donor,
        issued_on=issued,
        status=DonorCertificate.Status.PENDING,
    )
    certificate = certificate_decide(certificate=certificate, decided_by=staff_user, confirm=True)
    assert certificate.is_valid_on(date(2028, 1, 14))
    assert not certificate.is_valid_on(date(2028, 1, 15))
    assert DonorCertificate.objects.valid_on(date(2028, 1, 14)).count() == 1
    assert DonorCertificate.objects.valid_on(date(2028, 1, 15)).count() == 0


def test_rejecting_needs_a_reason(organisation, programme, staff_user):
    certificate = CertificateFactory(
        organisation=organisation, donor=programme.donor, status=DonorCertificate.Status.PENDING
    )
    with pytest.raises(CatalogError):
        certificate_decide(certificate=certificate, decided_by=staff_user, confirm=False)
    certificate_decide(
        certificate=certificate, decided_by=staff_user, confirm=False, reason="Wrong organisation."
    )
    certificate.refresh_from_db()
    assert certificate.status == DonorCertificate.Status.REJECTED


def test_staff_confirm_in_admin(staff_client, organisation, programme):
    certificate = CertificateFactory(
        organisation=organisation, donor=programme.donor, status=DonorCertificate.Status.PENDING
    )
    url = reverse("admin:catalog_donorcertificate_decide", args=[certificate.pk])
    assert staff_client.get(url).status_code == 200
    staff_client.post(url, {"confirm": "Confirm"})
    certificate.refresh_from_db()
    assert certificate.status == DonorCertificate.Status.CONFIRMED
    file_url = reverse("admin:catalog_donorcertificate_file", args=[certificate.pk])
    assert staff_client.get(file_url).status_code == 200


def test_staff_who_may_only_look_at_certificates_see_no_decision_button(
    client, make_staff_member, catalogue_manager, organisation, programme
):
    from django.contrib.auth.models import Permission

    certificate = CertificateFactory(
        organisation=organisation, donor=programme.donor, status=DonorCertificate.Status.PENDING
    )
    page = reverse("admin:catalog_donorcertificate_change", args=[certificate.pk])
    decide = reverse("admin:catalog_donorcertificate_decide", args=[certificate.pk])
    viewer = make_staff_member(None)
    viewer.user_permissions.add(Permission.objects.get(codename="view_donorcertificate"))
    client.force_login(viewer)
    assert decide not in client.get(page).content.decode()
    client.force_login(catalogue_manager)
    assert decide in client.get(page).content.decode()


def test_the_catalogue_admin_pages_open(staff_client, make_product):
    product = make_product()
    assert staff_client.get(reverse("admin:catalog_product_changelist")).status_code == 200
    url = reverse("admin:catalog_product_change", args=[product.pk])
    assert staff_client.get(url).status_code == 200
    assert staff_client.get(reverse("admin:catalog_programme_changelist")).status_code == 200
