"""Domain errors of the catalogue (`clearinghouse.errors.DomainError`), with their codes; views
and admin show the message."""

from django.db import models

from clearinghouse.errors import DomainError


class CatalogErrorCode(models.TextChoices):
    ISSUE_DATE_IN_FUTURE = "issue_date_in_future"
    CERTIFICATE_EXPIRED = "certificate_expired"
    REASON_REQUIRED = "reason_required"
    ALREADY_DECIDED = "already_decided"


class CatalogError(DomainError):
    codes = CatalogErrorCode
