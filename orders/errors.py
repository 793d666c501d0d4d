"""Domain errors of orders (`clearinghouse.errors.DomainError`); views turn them into form
errors or messages. Each class has its code; `messages` say which rules stopped it."""

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


class OrderNotAvailable(OrderError):
    code = OrderErrorCode.ORDER_NOT_AVAILABLE


class TransitionNotAllowed(OrderError):
    code = OrderErrorCode.TRANSITION_NOT_ALLOWED


class ReasonRequired(OrderError):
    code = OrderErrorCode.REASON_REQUIRED


class InvalidPayment(OrderError):
    code = OrderErrorCode.INVALID_PAYMENT


class InvalidUsageReport(OrderError):
    code = OrderErrorCode.INVALID_USAGE_REPORT


class InvoiceNotIssuable(OrderError):
    """A rate the invoice needs is missing or too old; nothing is issued (R-MS-8, R-INV-1)."""

    code = OrderErrorCode.INVOICE_NOT_ISSUABLE


class CreditNoteNotAllowed(OrderError):
    code = OrderErrorCode.CREDIT_NOTE_NOT_ALLOWED


class SeatChangeNotAllowed(OrderError):
    code = OrderErrorCode.SEAT_CHANGE_NOT_ALLOWED
