"""Domain errors of validation (`clearinghouse.errors.DomainError`); views and admin turn them
into messages. Each class's code is the one its name spells (see `DomainError`), and each has a
default message."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from clearinghouse.errors import DomainError


class ValidationErrorCode(models.TextChoices):
    VALIDATION_REFUSED = "validation_error"
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    ALREADY_DECIDED = "already_decided"
    REASON_REQUIRED = "reason_required"
    ATTESTATION_MISSING = "attestation_missing"
    REVIEW_NOT_AVAILABLE = "review_not_available"
    APPLICATION_ALREADY_OPEN = "application_already_open"
    LOGIN_OF_A_DONOR = "login_of_a_donor"


class ValidationRefused(DomainError):
    """The base of validation's errors (not Django's or ninja's `ValidationError`)."""

    codes = ValidationErrorCode
    code = ValidationErrorCode.VALIDATION_REFUSED


class TransitionNotAllowed(ValidationRefused):
    default_message = _("The organisation's validation status does not allow this.")


class ApplicationAlreadyOpen(ValidationRefused):
    default_message = _(
        "Your organisation already has an application waiting for our decision; we decide "
        "that one first."
    )


class AlreadyDecided(ValidationRefused):
    default_message = _(
        "This application has already been decided or is not waiting for this action; "
        "reload the page to see its current state."
    )


class ReasonRequired(ValidationRefused):
    default_message = _("Write a reason or message: the organisation will read it.")


class AttestationMissing(ValidationRefused):
    default_message = _("Tick every attestation to continue.")


class ReviewNotAvailable(ValidationRefused):
    default_message = _(
        "A review has already been asked for this decision, and its outcome is final. You can "
        "apply again with new facts."
    )
