"""The people of an organisation: its contacts, what mail each receives, and the invitation
with which a contact's sub-account sets its password. Re-exported by `accounts.models`."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from accounts.phones import phone_needs_fixing
from clearinghouse.model_fields import by_user, organisation_field


class MessageCategory(models.TextChoices):
    """What a message to an organisation is about; contacts choose which categories they get."""

    GENERAL = "general", _("General messages")
    VALIDATION = "validation", _("Validation messages")
    APPROVAL_CODES = "approval_codes", _("Approval code messages")
    ORDERS = "orders", _("Order messages")
    INVOICES = "invoices", _("Invoice messages – invoices & reminders")


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

    organisation = organisation_field("contacts", on_delete=models.CASCADE)
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

    @classmethod
    def of_person(cls, person, *, organisation, **fields) -> "Contact":
        """An unsaved contact for `person` (a user) in `organisation`: their name, address and
        language, in the organisation's country."""
        return cls(
            organisation=organisation,
            email=person.email,
            first_name=person.first_name,
            last_name=person.last_name,
            country=organisation.country,
            language=person.language,
            **fields,
        )

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


class OneTimeLink(models.Model):
    """A link mailed to one person that works once, for `VALID_FOR_DAYS` days, until it is used
    (its `USED_AT_FIELD` is set) or cancelled. Only a hash of the link's token is stored."""

    VALID_FOR_DAYS = 7
    USED_AT_FIELD: str

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def is_pending(self, now) -> bool:
        used_at = getattr(self, self.USED_AT_FIELD)
        return used_at is None and self.cancelled_at is None and self.expires_at > now


def one_open_link_per(field: str, *, used_at: str, name: str) -> models.UniqueConstraint:
    """At most one link per `field` that is neither used nor cancelled (one may expire)."""
    return models.UniqueConstraint(
        fields=[field],
        condition=models.Q(**{f"{used_at}__isnull": True, "cancelled_at__isnull": True}),
        name=name,
    )


class ContactInvitation(OneTimeLink):
    """A one-time link with which a sub-account sets its own password (valid 7 days).

    Only a hash of the token is stored; resending makes a new token and cancels the old one.
    """

    USED_AT_FIELD = "accepted_at"

    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    sent_by = by_user(_("sent by"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta(OneTimeLink.Meta):
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            one_open_link_per(
                "contact", used_at="accepted_at", name="contact_invitation_one_open_per_contact"
            )
        ]

    def __str__(self):
        return f"{self.contact} ({self.created_at:%Y-%m-%d})"
