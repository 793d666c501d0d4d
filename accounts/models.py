"""The accounts app's models: users, organisations, join requests and hand-overs here;
contacts and their invitations in `accounts.contact_models`, importable from here too."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from accounts.contact_models import (
    Contact,
    ContactInvitation,
    MessageCategory,
    OneTimeLink,
    email_setting_field,
    one_open_link_per,
    right_field,
)
from accounts.identity import registration_number_key, website_domain
from clearinghouse.model_fields import by_user, organisation_field


def validate_time_zone(value: str) -> None:
    from clearinghouse.time_zones import is_time_zone

    if value and not is_time_zone(value):
        raise ValidationError(_("Choose a time zone from the list."))


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
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("Times in admin are shown in this zone. Empty means the portal's own zone."),
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


PEPPOL_ID_PATTERN = r"^[0-9]{4}:[A-Za-z0-9._-]{1,50}$"


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
    # Validated once and not revoked: may attest, may be revoked, edits go back to review.
    VALIDATED_STATUSES = frozenset({Status.APPROVED, Status.SUSPENDED})

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
    billing_contact = models.ForeignKey(
        "accounts.Contact",
        verbose_name=_("billing contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Whose details go on invoices. Empty means the main contact."),
    )
    peppol_id = models.CharField(
        _("Peppol ID"),
        max_length=60,
        blank=True,
        help_text=_("Scheme and identifier for e-invoicing, e.g. 0007:5567212047."),
    )
    payment_confirmations_to_main_contact_only = models.BooleanField(
        _("Send payment confirmations only to the main contact"), default=False
    )
    invoice_language = models.CharField(
        _("Invoice language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty means the account holder's language."),
    )
    is_test = models.BooleanField(
        _("test organisation"),
        default=False,
        help_text=_(
            "Only donors' test keys see this organisation's codes, and live keys never do."
        ),
    )
    # R-VAL-8: the registration number and website in comparable form, kept by save().
    registration_key = models.CharField(
        _("registration number, compared"), max_length=60, blank=True, editable=False
    )
    website_domain = models.CharField(
        _("website domain"), max_length=255, blank=True, editable=False
    )

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
            models.CheckConstraint(
                condition=models.Q(peppol_id="") | models.Q(peppol_id__regex=PEPPOL_ID_PATTERN),
                name="organisation_peppol_id_format",
            ),
        ]
        permissions = [
            ("hand_over_organisation", "Can hand an account over to another of its contacts"),
        ]
        indexes = [
            models.Index(fields=["registration_key"], name="organisation_registration_key"),
            models.Index(fields=["website_domain"], name="organisation_website_domain"),
        ]

    def __str__(self):
        return self.legal_name

    def save(self, *args, **kwargs):
        """Keep the comparable forms of the registration number and website in step."""
        self.registration_key = registration_number_key(self.country, self.registration_number)
        self.website_domain = website_domain(self.website)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"country", "registration_number", "website"} & set(
            update_fields
        ):
            kwargs["update_fields"] = {
                *update_fields,
                "registration_key",
                "website_domain",
            }
        super().save(*args, **kwargs)

    @property
    def invoice_language_code(self) -> str:
        """The language of its invoices: the one chosen on "My details", else the account
        holder's (R-INV-1)."""
        return self.invoice_language or self.account_holder.language or settings.LANGUAGE_CODE

    @property
    def is_eligible(self) -> bool:
        """Whether the organisation may issue codes and order now (R-VAL-9, R-VAL-10)."""
        return self.status in self.ELIGIBLE_STATUSES

    @property
    def is_validated(self) -> bool:
        """Validated once and not revoked (`VALIDATED_STATUSES`: approved or suspended)."""
        return self.status in self.VALIDATED_STATUSES


class JoinRequestQuerySet(models.QuerySet):
    def open(self, now):
        return self.filter(status=JoinRequest.Status.PENDING, expires_at__gt=now)


class JoinRequest(models.Model):
    """A signed-in person without an organisation asks to join one that already has an account
    (R-VAL-11). `organisation` is empty when nothing matched what the person typed: the request
    is kept all the same, so that the answer never tells whether an account exists."""

    VALID_FOR_DAYS = 14

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the account holder")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="join_requests",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="join_requests",
    )
    asked_for = models.CharField(_("handle or registration number"), max_length=200)
    country = CountryField(_("country"), blank=True)
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = by_user(_("decided by"), blank=True)
    rights = models.JSONField(_("rights given"), default=list, blank=True)

    objects = JoinRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["requester"],
                condition=models.Q(status="pending"),
                name="join_request_one_pending_per_person",
            )
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self):
        return f"{self.requester} → {self.asked_for}"

    def is_open(self, now) -> bool:
        return self.status == self.Status.PENDING and self.expires_at > now


class HandOver(OneTimeLink):
    """The account holder names another sub-account as the new account holder (R-VAL-11); the
    named person confirms from a one-time mail link (valid 7 days). Only a hash of the token
    is stored. Staff hand an account over in admin without a link, with a reason."""

    USED_AT_FIELD = "confirmed_at"

    organisation = organisation_field("hand_overs", on_delete=models.CASCADE)
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account holder"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    to_contact = models.ForeignKey(
        "accounts.Contact",
        verbose_name=_("new account holder"),
        on_delete=models.CASCADE,
        related_name="hand_overs",
    )
    former_holder_rights = models.JSONField(_("rights kept by the former holder"), default=list)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta(OneTimeLink.Meta):
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        constraints = [
            one_open_link_per(
                "organisation", used_at="confirmed_at", name="hand_over_one_open_per_organisation"
            )
        ]

    def __str__(self):
        return f"{self.organisation} → {self.to_contact}"


__all__ = [
    "PEPPOL_ID_PATTERN",
    "Contact",
    "ContactInvitation",
    "MessageCategory",
    "OneTimeLink",
    "Organisation",
    "OrganisationQuerySet",
    "User",
    "UserManager",
    "email_setting_field",
    "right_field",
]
