"""Domain errors of the accounts app. Each has a stable `code`, a translated message that says
what to fix, and the form `field` it belongs to (None: the form as a whole)."""


class AccountsError(Exception):
    def __init__(self, message, *, code: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


class ContactError(AccountsError):
    pass


class InvitationError(AccountsError):
    pass


class JoinRequestError(AccountsError):
    pass


class HandOverError(AccountsError):
    pass
