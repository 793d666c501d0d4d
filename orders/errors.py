"""Domain errors of orders; views turn them into form errors or messages."""


class OrderError(Exception):
    """A rule stops the operation; `messages` say which, in the user's language."""

    code = "order_error"

    def __init__(self, *messages: str):
        super().__init__(*messages)
        self.messages = list(messages)

    def __str__(self):
        return " ".join(str(m) for m in self.messages)


class OrderNotAvailable(OrderError):
    code = "order_not_available"


class TransitionNotAllowed(OrderError):
    code = "transition_not_allowed"


class ReasonRequired(OrderError):
    code = "reason_required"


class InvalidPayment(OrderError):
    code = "invalid_payment"


class InvalidUsageReport(OrderError):
    code = "invalid_usage_report"


class InvoiceNotIssuable(OrderError):
    """A rate the invoice needs is missing or too old; nothing is issued (R-MS-8, R-INV-1)."""

    code = "invoice_not_issuable"


class CreditNoteNotAllowed(OrderError):
    code = "credit_note_not_allowed"


class SeatChangeNotAllowed(OrderError):
    code = "seat_change_not_allowed"
