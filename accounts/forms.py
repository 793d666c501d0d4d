from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import Contact, MessageCategory
from accounts.permissions import RIGHT_REQUIRES, Right
from accounts.phones import phone_needs_fixing, phone_to_e164
from accounts.services.contacts import CONTACT_DETAIL_FIELDS
from accounts.services.rights import rights_together_messages
from clearinghouse.countries import country_choices, default_country
from clearinghouse.form_fields import text_field

REQUIRED_CONTACT_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "address_1",
    "city",
    "postcode",
    "country",
    "phone",
)


def _rights_help_text() -> str:
    return " ".join(
        str(
            _("“%(right)s” needs “%(needed)s”.")
            % {
                "right": Right(right).label,
                "needed": "”, “".join(str(Right(n).label) for n in sorted(needed)),
            }
        )
        for right, needed in RIGHT_REQUIRES.items()
    )


class ContactForm(forms.ModelForm):
    """The contact's details and email settings (R-CON-2, R-CON-4). Every field is required
    except "Organisation name" and "Address 2"."""

    mark_optional = True  # the template says "(optional)" beside fields not required

    email_categories = forms.MultipleChoiceField(
        label=_("Email settings"),
        choices=MessageCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The messages this contact receives a copy of. A new contact gets none."),
    )

    class Meta:
        model = Contact
        fields = list(CONTACT_DETAIL_FIELDS)
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})}

    country = forms.ChoiceField(label=_("Country"), choices=country_choices)

    def __init__(self, *args, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in REQUIRED_CONTACT_FIELDS:
            self.fields[name].required = True
        self.fields["country"].initial = default_country()
        self.fields["phone"].help_text = _(
            "With the country code, e.g. +46 8 123 456 78; without it, we read it in the "
            "contact's country."
        )
        if self.instance.pk and phone_needs_fixing(self.instance.phone):
            self.initial.setdefault("phone", self.instance.phone)
        if self.instance.pk:
            self.initial["email_categories"] = sorted(self.instance.email_categories)
        if self.instance.pk and (self.instance.is_main or self.instance.user_id is not None):
            # R-CON-11: a sign-in address is its owner's; nobody moves it from this form.
            self.fields["email"].disabled = True
            self.fields["email"].help_text = self._sign_in_address_help(viewer)
        if self.instance.is_main:
            del self.fields["email_categories"]

    def clean(self):
        cleaned = super().clean()
        phone = cleaned.get("phone")
        if phone:
            e164 = phone_to_e164(phone, country=cleaned.get("country") or "")
            if e164 is None:
                self.add_error(
                    "phone",
                    _(
                        "This is not a phone number we can call. Write it with the country "
                        "code, for example +46 8 123 456 78."
                    ),
                )
            else:
                cleaned["phone"] = e164
        return cleaned

    def _sign_in_address_help(self, viewer) -> str:
        contact = self.instance
        if viewer is not None and contact.user_id is not None and viewer.pk == contact.user_id:
            return format_html(
                '{} <a href="{}">{}</a>',
                _(
                    "This is your sign-in address. You change it yourself on your email "
                    "page; the change counts once you confirm it from the new address."
                ),
                reverse("account_email"),
                _("Change your email address"),
            )
        if contact.is_main:
            return _(
                "This is the account holder's sign-in address. Only the account holder can "
                "change it, on their own email page, confirmed from the new address."
            )
        return _(
            "This is %(name)s's sign-in address. Only %(name)s can change it, on their own "
            "email page, confirmed from the new address."
        ) % {"name": contact.full_name or contact.email}


class SubAccountForm(forms.Form):
    """Shown to the account holder only (R-CON-8 … R-CON-10)."""

    sub_account_active = forms.BooleanField(label=_("Activate sub-account"), required=False)
    rights = forms.MultipleChoiceField(
        label=_("Rights"),
        choices=Right.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=False),
    )
    send_invitation = forms.BooleanField(
        label=_("Send an invitation instead: the person chooses a password with a link"),
        required=False,
        help_text=_("The link works once and for 7 days."),
    )

    def __init__(self, *args, has_password: bool = False, has_user: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_user = has_user
        self.fields["rights"].help_text = _rights_help_text()
        self.fields["password"].help_text = password_validators_help_text_html()
        if has_password:
            self.fields["password"].help_text = format_html(
                "{} {}",
                _("Leave empty to keep the current password."),
                password_validators_help_text_html(),
            )

    def clean(self):
        data = super().clean()
        for problem in rights_together_messages(data.get("rights") or []):
            self.add_error("rights", problem)
        if not data.get("sub_account_active"):
            asked = [
                name
                for name in ("password", "send_invitation", *([] if self.has_user else ["rights"]))
                if data.get(name)
            ]
            for name in asked:
                self.add_error(
                    name,
                    _("Tick “Activate sub-account” first: only a sub-account has this."),
                )
        if data.get("password") and data.get("send_invitation"):
            self.add_error(
                "send_invitation",
                _("Either set a password or send an invitation, not both."),
            )
        return data

    def choices(self) -> dict:
        """What the account holder chose, as `sub_account_update` takes it."""
        return {
            "active": self.cleaned_data["sub_account_active"],
            "rights": self.cleaned_data["rights"],
            "password": self.cleaned_data["password"],
            "invite": self.cleaned_data["send_invitation"],
        }


class BillingForm(forms.Form):
    """The editable part of "My details" (R-CON-5 … R-CON-7)."""

    mark_optional = True

    billing_contact = forms.ModelChoiceField(
        label=_("Billing contact"),
        queryset=Contact.objects.none(),
        empty_label=None,
        help_text=_("Whose details are printed on your invoices."),
    )
    peppol_id = forms.CharField(
        label=_("Peppol ID"),
        required=False,
        max_length=60,
        help_text=_(
            "For e-invoicing: the scheme, a colon and your identifier, e.g. 0007:5567212047 "
            "(0007 = Swedish organisation number, 0192 = Norwegian organisation number). With a "
            "Peppol ID, invoices always carry the main contact's details."
        ),
    )
    payment_confirmations_to_main_contact_only = forms.BooleanField(
        label=_("Send payment confirmations only to the main contact"), required=False
    )
    invoice_language = forms.ChoiceField(
        label=_("Invoice language"),
        required=False,
        choices=[("", _("The account holder's language")), *settings.LANGUAGES],
        help_text=_("The language of your invoices, their PDF and their dates and amounts."),
    )

    def __init__(self, *args, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["billing_contact"]
        field.queryset = contacts
        field.label_from_instance = lambda contact: (
            _("%(name)s (main contact)") % {"name": contact}
            if contact.is_main
            else f"{contact} <{contact.email}>"
        )


class SignupNamesForm(forms.Form):
    """Sign-up asks for the person's name first: greetings and the main contact use it.
    allauth's adapter stores `first_name` and `last_name` on the user (save_user)."""

    field_order = ["first_name", "last_name", "email", "password1", "password2"]

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput({"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput({"autocomplete": "family-name"}),
    )

    def signup(self, request, user):
        """Nothing more to store: allauth's save_user has set both names."""


class JoinRequestForm(forms.Form):
    """Ask to join an organisation that already has an account (R-VAL-11)."""

    asked_for = forms.CharField(
        label=_("Handle or registration number"),
        max_length=200,
        help_text=_(
            "The handle is the part after the @ in your organisation's approval codes, for "
            "example DemoNonprofit."
        ),
        error_messages={"required": _("Enter the organisation's handle or registration number.")},
    )
    country = forms.ChoiceField(
        label=_("Country"),
        choices=lambda: [("", "—"), *country_choices()],
        required=False,
        help_text=_("Needed only for a registration number."),
    )
    message = text_field(
        _("Message to the account holder"),
        required=False,
        max_length=1000,
        help_text=_("Optional: who you are in the organisation, and what you need to do."),
    )


class JoinRequestAcceptForm(forms.Form):
    """The rights the new sub-account gets: only those the accepting person may give."""

    rights = forms.MultipleChoiceField(
        label=_("Rights"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, grantable=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rights"].choices = [
            (value, label) for value, label in Right.choices if value in grantable
        ]
        self.fields["rights"].help_text = _rights_help_text()

    def clean(self):
        data = super().clean()
        for problem in rights_together_messages(data.get("rights") or []):
            self.add_error("rights", problem)
        return data


class HandOverForm(forms.Form):
    """The account holder names the new account holder (R-VAL-11)."""

    to_contact = forms.ModelChoiceField(
        label=_("New account holder"),
        queryset=Contact.objects.none(),
        empty_label=_("Choose a contact"),
        help_text=_("Only contacts with an active sub-account can take over the account."),
        error_messages={"required": _("Choose the new account holder.")},
    )
    former_holder_rights = forms.MultipleChoiceField(
        label=_("Your rights afterwards"),
        choices=Right.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("You stay a contact of the organisation with a sub-account with these rights."),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_contact"].queryset = organisation.contacts.filter(
            is_main=False, sub_account_active=True, user__isnull=False
        )
