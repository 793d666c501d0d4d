"""Domain errors of approval codes: a stable `code` (the API's `type`/`reason`), a translated
message that says what to do, and the form `field` it belongs to (None: the form as a whole)."""


class ApprovalCodeError(Exception):
    def __init__(self, message, *, code: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
