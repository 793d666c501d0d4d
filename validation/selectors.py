"""Reads of the validation app."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Organisation
from clearinghouse.audit import events_for
from validation.business_days import add_business_days
from validation.duplicates import has_duplicate, organisation_duplicates
from validation.models import (
    Application,
    ApplicationMessage,
    AttestationDeadline,
    EvidenceRequirement,
    LegalForm,
)
from validation.reviews import reviewable_decision


def application_queue() -> QuerySet:
    """The staff queue, oldest first, with what a row shows in one query; `possible_duplicate`
    says whether another organisation shares its registration number or website (R-VAL-8)."""
    return Application.objects.select_related(
        "organisation", "organisation__account_holder"
    ).annotate(possible_duplicate=has_duplicate("organisation"))


def application_countries() -> list[str]:
    """The countries applications come from, for the queue's country filter: a loose index
    scan (the next country after the last one, from `application_country_idx`), one step per
    country, however many applications there are."""
    table = Application._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH RECURSIVE countries(country) AS (
                SELECT MIN(country) FROM {table}
                UNION ALL
                SELECT (SELECT MIN(country) FROM {table} WHERE country > countries.country)
                FROM countries WHERE countries.country IS NOT NULL
            )
            SELECT country FROM countries WHERE country IS NOT NULL
            """
        )
        return [country for (country,) in cursor.fetchall()]


def applications_near_deadline(*, today=None) -> QuerySet:
    """Applications waiting for staff that are past, or within two business days of, the
    10-business-day deadline (R-VAL-4)."""
    today = today or timezone.localdate()
    horizon = add_business_days(today, settings.VALIDATION_DIGEST_WARNING_BUSINESS_DAYS)
    return (
        Application.objects.filter(status=Application.Status.SUBMITTED, due_on__lte=horizon)
        .select_related("organisation")
        .order_by("due_on", "submitted_at")
    )


def validation_staff():
    """Active staff in the "Validation staff" group: who gets the daily digest."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, groups__name=settings.VALIDATION_STAFF_GROUP)
        .distinct()
        .order_by("email")
    )


@dataclass(frozen=True)
class ValidationOverview:
    organisation: Organisation
    application: Application | None
    request: ApplicationMessage | None
    deadline: AttestationDeadline | None
    revocation_reason: str = ""
    possible_duplicate: bool = False
    thread: tuple = ()  # staff's messages and the organisation's answers, oldest first
    review_available: bool = False


def validation_overview(*, organisation: Organisation) -> ValidationOverview:
    """What the organisation's Validation tab shows: its latest application, staff's open
    question and the attestation deadline. Never staff's internal notes or documents."""
    application = organisation.applications.order_by("-submitted_at", "-id").first()
    request = None
    if application is not None and application.status == Application.Status.MORE_INFORMATION:
        request = (
            application.messages.filter(kind=ApplicationMessage.Kind.REQUEST)
            .order_by("-created_at", "-id")
            .first()
        )
    deadline = AttestationDeadline.objects.filter(organisation=organisation).first()
    thread = ()
    if application is not None:
        # R-VAL-3: the applicant sees the whole conversation, with the files it sent.
        thread = tuple(
            application.messages.select_related("author")
            .prefetch_related("documents")
            .order_by("created_at", "id")
        )
    revocation_reason = ""
    if organisation.status == Organisation.Status.REVOKED:
        event = (
            events_for(organisation)
            .filter(verb="validation.status_changed", data__to=Organisation.Status.REVOKED)
            .first()
        )
        revocation_reason = event.data.get("reason", "") if event else ""
    # R-VAL-8: the applicant learns only that an account may exist, nothing about it.
    possible_duplicate = organisation.status in (
        Organisation.Status.SUBMITTED,
        Organisation.Status.MORE_INFORMATION,
        Organisation.Status.DENIED,
    ) and bool(organisation_duplicates(organisation=organisation))
    return ValidationOverview(
        organisation=organisation,
        application=application,
        request=request,
        deadline=deadline,
        revocation_reason=revocation_reason,
        possible_duplicate=possible_duplicate,
        review_available=reviewable_decision(organisation=organisation) is not None,
        thread=thread,
    )


def attestation_contacts(*, organisation: Organisation) -> dict:
    """The contacts the yearly attestation asks to confirm (R-VAL-6): the main contact, and
    the billing contact (the main contact's details when none is chosen, R-CON-5)."""
    from accounts.services import main_contact_ensure

    main = main_contact_ensure(organisation=organisation)
    billing = organisation.billing_contact or main
    return {"main": main, "billing": billing}


def legal_forms_offered() -> QuerySet:
    return LegalForm.objects.filter(is_active=True).order_by("country", "position", "name")


def evidence_requirements_for(*, country, legal_form, organisation_type) -> list:
    """The documents an applicant of this country, legal form and type attaches (R-VAL-3):
    every active requirement whose country, legal form and type are empty or these."""
    return list(
        EvidenceRequirement.objects.filter(is_active=True)
        .filter(Q(country="") | Q(country=str(country or "")))
        .filter(Q(legal_form__isnull=True) | Q(legal_form=legal_form))
        .filter(Q(organisation_type="") | Q(organisation_type=organisation_type or ""))
        .select_related("legal_form")
    )


def evidence_requirements_all() -> list:
    """Every active requirement, for the list on the application form."""
    return list(
        EvidenceRequirement.objects.filter(is_active=True)
        .select_related("legal_form")
        .order_by("country", "legal_form__position", "organisation_type", "id")
    )
