"""Domain errors of orders (`clearinghouse.errors.DomainError`); views turn them into form
errors or messages. Each class's code is the one its name spells (`InvalidPayment` →
`invalid_payment`, see `DomainError`); `messages` say which rules stopped it."""

from django.db import models

from clearinghouse.errors import DomainError


class OrderErrorCode(models.TextChoices):
    ORDER_ERROR = "order_error"
    ORDER_NOT_AVAILABLE = "order_not_available"
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    REASON_REQUIRED = "reason_required"
    INVALID_PAYMENT = "invalid_payment"
    INVALID_USAGE_REPORT = "invalid_usage_report"
    SEAT_CHANGE_NOT_ALLOWED = "seat_change_not_allowed"
    INVOICE_NOT_ISSUABLE = "invoice_not_issuable"
    CREDIT_NOTE_NOT_ALLOWED = "credit_note_not_allowed"


class OrderError(DomainError):
    codes = OrderErrorCode
    code = OrderErrorCode.ORDER_ERROR


class OrderNotAvailable(OrderError): ...


class TransitionNotAllowed(OrderError): ...


class ReasonRequired(OrderError): ...


class InvalidPayment(OrderError): ...


class InvalidUsageReport(OrderError): ...


class InvoiceNotIssuable(OrderError):
    """A rate the invoice needs is missing or too old; nothing is issued (R-MS-8, R-INV-1)."""


class CreditNoteNotAllowed(OrderError): ...


class SeatChangeNotAllowed(OrderError): ...
