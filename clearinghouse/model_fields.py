"""Fields that many models declare alike, made in one place."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from accounts.models import Organisation, User


def by_user(
    verbose_name=None, *, blank: bool = False, **kwargs
) -> "models.ForeignKey[User | None, User | None]":
    """Who did something to the row (issued, decided, uploaded it): a user, left empty when the
    system acted or the user is deleted, and with no reverse accessor on User."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=blank,
        on_delete=models.SET_NULL,
        related_name="+",
        **kwargs,
    )


def organisation_field(
    related_name: str, *, on_delete, **kwargs
) -> "models.ForeignKey[Organisation, Organisation]":
    """The organisation a row belongs to (its orders, codes, applications, …): never empty."""
    return models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=on_delete,
        related_name=related_name,
        **kwargs,
    )
