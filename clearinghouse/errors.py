"""The one shape of a domain error: a rule stops a service.

Every app's errors derive from `DomainError`: a stable `code` from the app's `ErrorCode`
(a `TextChoices`, so the codes are listed in one place per app and the API can publish them as
enums), one or more translated messages that say what to do, and the form `field` it belongs to
(None: the form as a whole). Views turn it into form errors or messages, the API into its JSON
error with `type`/`reason`.

A subclass that sets no `code` has the one its name spells when its app lists it
(`InvalidPayment` → `invalid_payment`), so that a code is written once, in the app's choices.
"""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """Raise `SomeError(message, code=..., field=...)` or, for several reasons at once,
    `SomeError(first, second)`; without a message the class's `default_message` is used."""

    # Set by each app's base error: the TextChoices its codes come from.
    codes: type[models.TextChoices] | None = None
    code: str = ""
    default_message = _("This cannot be done.")

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        spelt = re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()
        if "code" not in vars(cls) and cls.codes is not None and spelt in cls.codes.values:
            cls.code = cls.codes(spelt)

    def __init__(self, *messages, code: str | None = None, field: str | None = None):
        self.messages = [message for message in messages if message] or [self.default_message]
        if code is not None:
            self.code = code
        if self.codes is not None:
            self.code = self.codes(self.code)  # an unknown code is a programming error
        self.field = field
        super().__init__(*self.messages)

    @property
    def message(self):
        """The message (several are joined with spaces)."""
        if len(self.messages) == 1:
            return self.messages[0]
        return " ".join(str(message) for message in self.messages)

    def add_to(self, form) -> None:
        """Put the error on `form`: on its `field` when the form has one, else on the form as a
        whole (what a view does with a service's refusal)."""
        form.add_error(self.field if self.field in form.fields else None, self.message)

    def __str__(self):
        return str(self.message)
