"""Errors the validation services raise; views and admin turn them into messages."""

from django.utils.translation import gettext_lazy as _


class ValidationError(Exception):
    """A domain error with a stable `code` and a translated, user-facing message."""

    code = "validation_error"
    default_message = _("This cannot be done.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class TransitionNotAllowed(ValidationError):
    code = "transition_not_allowed"
    default_message = _("The organisation's validation status does not allow this.")


class ApplicationAlreadyOpen(ValidationError):
    code = "application_already_open"
    default_message = _(
        "Your organisation already has an application waiting for our decision; we decide "
        "that one first."
    )


class AlreadyDecided(ValidationError):
    code = "already_decided"
    default_message = _(
        "This application has already been decided or is not waiting for this action; "
        "reload the page to see its current state."
    )


class ReasonRequired(ValidationError):
    code = "reason_required"
    default_message = _("Write a reason or message: the organisation will read it.")


class AttestationMissing(ValidationError):
    code = "attestation_missing"
    default_message = _("Tick every attestation to continue.")


class ReviewNotAvailable(ValidationError):
    code = "review_not_available"
    default_message = _(
        "A review has already been asked for this decision, and its outcome is final. You can "
        "apply again with new facts."
    )
