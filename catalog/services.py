"""Changes to the catalogue that users and staff make: the donor's certificate (R-MS-4)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.errors import CatalogError, CatalogErrorCode
from catalog.models import CERTIFICATE_VALID_YEARS, DonorCertificate, add_years
from clearinghouse.audit import record_event_about


def certificate_upload(*, organisation, donor, file, issued_on: date, uploaded_by):
    """Record the donor's validation certificate; it waits for staff confirmation."""
    today = timezone.localdate()
    if issued_on > today:
        raise CatalogError(
            _("The issue date cannot be in the future."),
            code=CatalogErrorCode.ISSUE_DATE_IN_FUTURE,
            field="issued_on",
        )
    if add_years(issued_on, CERTIFICATE_VALID_YEARS) <= today:
        raise CatalogError(
            _("This certificate expired on %(date)s (certificates are valid two years).")
            % {"date": add_years(issued_on, CERTIFICATE_VALID_YEARS)},
            code=CatalogErrorCode.CERTIFICATE_EXPIRED,
            field="issued_on",
        )
    with transaction.atomic():
        certificate = DonorCertificate.objects.create(
            organisation=organisation,
            donor=donor,
            file=file,
            issued_on=issued_on,
            uploaded_by=uploaded_by,
        )
        record_event_about(
            certificate,
            verb="catalog.certificate_uploaded",
            actor=uploaded_by,
            data={"donor": donor.name, "issued_on": issued_on.isoformat()},
        )
    return certificate


def certificate_decide(*, certificate, decided_by, confirm: bool, reason: str = ""):
    """Staff confirm or reject a certificate (a rejection needs a reason)."""
    if not confirm and not reason.strip():
        raise CatalogError(
            _("Give the reason for rejecting; the organisation will see it."),
            code=CatalogErrorCode.REASON_REQUIRED,
            field="reason",
        )
    with transaction.atomic():
        certificate = DonorCertificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.status != DonorCertificate.Status.PENDING:
            raise CatalogError(
                _("This certificate has already been decided."),
                code=CatalogErrorCode.ALREADY_DECIDED,
            )
        certificate.status = (
            DonorCertificate.Status.CONFIRMED if confirm else DonorCertificate.Status.REJECTED
        )
        certificate.rejection_reason = "" if confirm else reason.strip()
        certificate.decided_by, certificate.decided_at = decided_by, timezone.now()
        certificate.save()
        record_event_about(
            certificate,
            verb="catalog.certificate_confirmed" if confirm else "catalog.certificate_rejected",
            actor=decided_by,
            data={"reason": certificate.rejection_reason} if not confirm else {},
        )
    return certificate
