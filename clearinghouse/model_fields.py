"""Fields that many models declare alike, made in one place."""

from django.conf import settings
from django.db import models


def by_user(verbose_name=None, *, blank: bool = False, **kwargs) -> models.ForeignKey:
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
