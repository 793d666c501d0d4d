from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from accounts.identity import registration_number_key, website_domain
from accounts.phones import phone_needs_fixing


class MessageCategory(models.TextChoices):
    """What a message to an organisation is about; contacts choose which categories they get."""

    GENERAL = "general", _("General messages")
    VALIDATION = "validation", _("Validation messages")
    APPROVAL_CODES = "approval_codes", _("Approval code messages")
    ORDERS = "orders", _("Order messages")
    INVOICES = "invoices", _("Invoice messages – invoices & reminders")


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


def email_setting_field(category: str) -> str:
    """The Contact field that says whether the contact receives `category` messages."""
    return f"email_{category}"


def right_field(right: str) -> str:
    """The Contact field that says whether the contact's sub-account has `right`."""
    return f"right_{right}"


class Contact(models.Model):
    """A person of an organisation: the main contact (the account holder, R-CON-1) or an extra
    contact. A new contact has no rights and gets no mail (R-CON-3); its email settings add
    message categories (R-CON-4), and "Activate sub-account" lets it sign in with the rights
    ticked here (R-CON-8)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    is_main = models.BooleanField(_("main contact"), default=False, editable=False)
    first_name = models.CharField(_("First name"), max_length=150)
    last_name = models.CharField(_("Last name"), max_length=150)
    organisation_name = models.CharField(_("Organisation name"), max_length=200, blank=True)
    email = models.EmailField(_("Email address"))
    address_1 = models.CharField(_("Address 1"), max_length=200, blank=True)
    address_2 = models.CharField(_("Address 2"), max_length=200, blank=True)
    city = models.CharField(_("City"), max_length=100, blank=True)
    postcode = models.CharField(_("Postcode"), max_length=20, blank=True)
    country = CountryField(_("Country"), blank=True)
    phone = models.CharField(_("Phone number"), max_length=40, blank=True)
    language = models.CharField(
        _("Language for email"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )

    email_general = models.BooleanField(MessageCategory.GENERAL.label, default=False)
    email_validation = models.BooleanField(MessageCategory.VALIDATION.label, default=False)
    email_approval_codes = models.BooleanField(MessageCategory.APPROVAL_CODES.label, default=False)
    email_orders = models.BooleanField(MessageCategory.ORDERS.label, default=False)
    email_invoices = models.BooleanField(MessageCategory.INVOICES.label, default=False)

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sign-in account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contact",
        help_text=_("Set once the contact has been made a sub-account (or is the main contact)."),
    )
    sub_account_active = models.BooleanField(_("Activate sub-account"), default=False)
    right_manage_approval_codes = models.BooleanField(_("Manage approval codes"), default=False)
    right_view_products_orders = models.BooleanField(_("View products & orders"), default=False)
    right_place_orders = models.BooleanField(_("Place orders"), default=False)
    right_view_pay_invoices = models.BooleanField(_("View & pay invoices"), default=False)
    right_manage_contacts = models.BooleanField(_("Manage contacts"), default=False)
    right_manage_account_details = models.BooleanField(_("Manage account details"), default=False)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_main", "last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                models.F("organisation"),
                Lower("email"),
                name="contact_email_unique_per_organisation_ci",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(is_main=True),
                name="contact_one_main_per_organisation",
            ),
            models.CheckConstraint(
                condition=models.Q(sub_account_active=False) | models.Q(user__isnull=False),
                name="contact_active_sub_account_has_user",
            ),
        ]

    def __str__(self):
        return self.full_name or self.email

    @property
    def phone_needs_fixing(self) -> bool:
        """A number kept as typed because it could not be read as E.164 (the contact list
        asks the account holder to fix it)."""
        return phone_needs_fixing(self.phone)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def rights(self) -> frozenset[str]:
        from accounts.permissions import Right

        return frozenset(right for right in Right.values if getattr(self, right_field(right)))

    @property
    def email_categories(self) -> frozenset[str]:
        if self.is_main:
            return frozenset(MessageCategory.values)
        return frozenset(
            category
            for category in MessageCategory.values
            if getattr(self, email_setting_field(category))
        )

    @property
    def email_category_labels(self) -> list[str]:
        categories = self.email_categories
        return [label for value, label in MessageCategory.choices if value in categories]

    @property
    def postal_address(self) -> str:
        city_line = " ".join(part for part in (self.postcode, self.city) if part)
        return "\n".join(line for line in (self.address_1, self.address_2, city_line) if line)


class ContactInvitation(models.Model):
    """A one-time link with which a sub-account sets its own password (valid 7 days).

    Only a hash of the token is stored; resending makes a new token and cancels the old one.
    """

    VALID_FOR_DAYS = 7

    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact"],
                condition=models.Q(accepted_at__isnull=True, cancelled_at__isnull=True),
                name="contact_invitation_one_open_per_contact",
            )
        ]

    def __str__(self):
        return f"{self.contact} ({self.created_at:%Y-%m-%d})"

    def is_pending(self, now) -> bool:
        return self.accepted_at is None and self.cancelled_at is None and self.expires_at > now


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
        Organisation,
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
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
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


class HandOver(models.Model):
    """The account holder names another sub-account as the new account holder (R-VAL-11); the
    named person confirms from a one-time mail link (valid 7 days). Only a hash of the token
    is stored. Staff hand an account over in admin without a link, with a reason."""

    VALID_FOR_DAYS = 7

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="hand_overs",
    )
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account holder"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    to_contact = models.ForeignKey(
        Contact,
        verbose_name=_("new account holder"),
        on_delete=models.CASCADE,
        related_name="hand_overs",
    )
    former_holder_rights = models.JSONField(_("rights kept by the former holder"), default=list)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(confirmed_at__isnull=True, cancelled_at__isnull=True),
                name="hand_over_one_open_per_organisation",
            )
        ]

    def __str__(self):
        return f"{self.organisation} → {self.to_contact}"

    def is_pending(self, now) -> bool:
        return self.confirmed_at is None and self.cancelled_at is None and self.expires_at > now
