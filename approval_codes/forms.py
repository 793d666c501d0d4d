from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from approval_codes import codes
from clearinghouse.form_fields import text_field


class IssueCodeForm(forms.Form):
    """ "Create new approval code" (R-CODE-2, R-CODE-4). Field names are the service's arguments."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("Email address"), max_length=254)
    authorised = forms.BooleanField(
        label=_("This person is authorised to act for our organisation"),
        error_messages={
            "required": _(
                "Confirm that this person is authorised to act for your organisation. Approval "
                "codes are only for people who may act for it."
            )
        },
    )
    send_to_representative = forms.BooleanField(
        label=_("Email the code to this person"), required=False
    )
    representative_language = forms.ChoiceField(
        label=_("Language of the email"),
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("The language this person reads the code's messages in."),
    )

    def __init__(self, *args, language: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["representative_language"].initial = language or settings.LANGUAGE_CODE


class RenewCodeForm(forms.Form):
    send_to_representative = forms.BooleanField(
        label=_("Email the new code to this person"), required=False
    )


class RevokeCodeForm(forms.Form):
    reason = text_field(
        _("Reason"),
        required=False,
        max_length=500,
        help_text=_("Kept in your organisation's audit trail. Optional."),
    )


class VerifyCodeForm(forms.Form):
    """The public "Check a code" form: a code that cannot be one is refused before any query."""

    code = forms.CharField(
        label=_("Approval code"),
        # No max_length validator: anything too long gets the one clear message of clean_code.
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "off",
                "maxlength": codes.MAX_LENGTH * 2,
            }
        ),
        help_text=_("Paste the whole code, including the part after the @."),
    )

    def clean_code(self):
        code = self.cleaned_data["code"]
        if codes.normalise(code) is None:
            raise ValidationError(
                _(
                    "This is not an approval code. A code is letters and digits, an @, and the "
                    "organisation's handle, for example k7m2q9x4ab@HelpingHands."
                ),
                code="malformed",
            )
        return code
