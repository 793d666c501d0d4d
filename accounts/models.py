from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class MessageCategory(models.TextChoices):
    """What a message to an organisation is about; contacts choose which categories they get."""

    GENERAL = "general", _("General messages")
    VALIDATION = "validation", _("Validation messages")
    APPROVAL_CODES = "approval_codes", _("Approval code messages")
    ORDERS = "orders", _("Order messages")
    INVOICES = "invoices", _("Invoice messages – invoices & reminders")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractUser):
    """A person who signs in. The email address is the identifier."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        help_text=_("A user belongs to at most one organisation."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self):
        return self.email

    @property
    def is_account_holder(self) -> bool:
        return self.organisation_id is not None and self.organisation.account_holder_id == self.pk


class OrganisationQuerySet(models.QuerySet):
    def eligible(self):
        return self.filter(status__in=Organisation.ELIGIBLE_STATUSES)


class Organisation(models.Model):
    """The customer account: a validated (or applying) organisation and its account holder."""

    class Type(models.TextChoices):
        NONPROFIT = "nonprofit", _("Nonprofit")
        PUBLIC_LIBRARY = "public_library", _("Public library")
        PUBLIC_MUSEUM = "public_museum", _("Public museum")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Pending review")
        MORE_INFORMATION = "more_information", _("More information required")
        APPROVED = "approved", _("Approved")
        DENIED = "denied", _("Denied")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")

    ELIGIBLE_STATUSES = frozenset({Status.APPROVED})

    legal_name = models.CharField(_("legal name"), max_length=200)
    handle = models.CharField(
        _("handle"),
        max_length=60,
        unique=True,
        help_text=_("The part of an approval code after the @, e.g. RodaKorsetUngdom."),
    )
    country = CountryField(_("country"))
    type = models.CharField(_("organisation type"), max_length=20, choices=Type.choices)
    registration_number = models.CharField(_("registration number"), max_length=50)
    address = models.TextField(_("address"))
    website = models.URLField(_("website"), blank=True)
    mission = models.TextField(_("mission"), blank=True)
    account_holder = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account holder"),
        on_delete=models.PROTECT,
        related_name="held_organisation",
    )
    status = models.CharField(
        _("validation status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    status_changed_at = models.DateTimeField(_("status changed"), auto_now_add=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["legal_name"]
        constraints = [
            models.UniqueConstraint(Lower("handle"), name="organisation_handle_unique_ci"),
            models.CheckConstraint(
                condition=models.Q(handle__regex=r"^[A-Za-z0-9]+$"),
                name="organisation_handle_ascii",
            ),
        ]

    def __str__(self):
        return self.legal_name

    @property
    def is_eligible(self) -> bool:
        """Whether the organisation may issue codes and order now (R-VAL-9, R-VAL-10)."""
        return self.status in self.ELIGIBLE_STATUSES
