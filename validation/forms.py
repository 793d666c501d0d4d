from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from stdnum.exceptions import ValidationError as StdnumError

from accounts.models import Organisation
from clearinghouse.countries import country_choices, default_country
from clearinghouse.form_fields import text_field
from validation.models import Application, Statement
from validation.registration_numbers import registration_number_module
from validation.selectors import legal_forms_offered

ALLOWED_UPLOADS = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}


class AttestationsMixin:
    """One required checkbox per attestation, labelled with the policy text (R-VAL-2, R-VAL-7)."""

    def add_attestation_fields(self):
        for statement in Statement:
            self.fields[f"attest_{statement.value}"] = forms.BooleanField(
                label=statement.label,
                required=True,
                error_messages={"required": _("Tick this box to attest it.")},
            )

    def attestation_fields(self):
        return [self[f"attest_{statement.value}"] for statement in Statement]

    def statements(self) -> list[str]:
        return [s.value for s in Statement if self.cleaned_data.get(f"attest_{s.value}")]


class OrganisationDetailsForm(forms.Form):
    legal_name = forms.CharField(
        label=_("Legal name"),
        max_length=200,
        help_text=_(
            "As registered. A public library includes “Library” in its name, for example "
            "“Springfield Public Library”."
        ),
    )
    type = forms.ChoiceField(label=_("Organisation type"), choices=Organisation.Type.choices)
    country = forms.ChoiceField(label=_("Country"), choices=country_choices)
    registration_number = forms.CharField(
        label=_("Registration number"),
        max_length=50,
        help_text=_(
            "Your organisation number in your country's register, e.g. 802002-4280 in Sweden "
            "or 974 760 673 in Norway."
        ),
    )
    address = text_field(_("Address"))
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    mission = text_field(
        _("Mission"),
        rows=4,
        required=False,
        help_text=_("What your organisation does, and for whom."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].initial = default_country()

    def clean(self):
        cleaned = super().clean()
        country, number = cleaned.get("country"), cleaned.get("registration_number")
        module = registration_number_module(country) if country else None
        if module and number:
            try:
                cleaned["registration_number"] = module.format(module.validate(number))
            except StdnumError:
                self.add_error(
                    "registration_number",
                    _(
                        "This is not a valid registration number for %(country)s. Check the "
                        "digits (for example %(example)s)."
                    )
                    % {"country": dict(countries)[country], "example": module.example},
                )
        return cleaned


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); each checked alone."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


MAX_EVIDENCE_FILES = 5


def _legal_form_choices():
    """The legal forms staff offer, grouped by country."""
    grouped: dict[str, list] = {}
    for legal_form in legal_forms_offered():
        grouped.setdefault(legal_form.country.name, []).append((legal_form.pk, legal_form.name))
    return [("", _("Not listed / other")), *grouped.items()]


class ApplyForm(AttestationsMixin, OrganisationDetailsForm):
    """ "Apply for validation", with the legal form and the documents that prove the
    organisation's status (R-VAL-3)."""

    legal_form = forms.TypedChoiceField(
        label=_("Legal form"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Choose the form your organisation is registered as in its country."),
    )
    evidence = MultipleFileField(
        label=_("Documents that prove your status"),
        required=False,
    )
    field_order = [*Application.SUBMITTED_FIELDS, "evidence"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["legal_form"].choices = _legal_form_choices()
        self.fields["evidence"].help_text = _(
            "PDF, PNG or JPEG files, at most %(count)s, each of at most %(size)s. Only our "
            "staff can see them."
        ) % {
            "count": MAX_EVIDENCE_FILES,
            "size": filesizeformat(settings.VALIDATION_DOCUMENT_MAX_BYTES),
        }
        self.add_attestation_fields()

    def clean_evidence(self):
        files = self.cleaned_data.get("evidence") or []
        if len(files) > MAX_EVIDENCE_FILES:
            raise forms.ValidationError(
                _("Attach at most %(count)s files.") % {"count": MAX_EVIDENCE_FILES}
            )
        return [checked_upload(document) for document in files]

    def clean(self):
        cleaned = super().clean()
        country, legal_form_id = cleaned.get("country"), cleaned.get("legal_form")
        offered = {form.pk: form for form in legal_forms_offered()}
        legal_form = offered.get(legal_form_id)
        if legal_form_id is not None and (
            legal_form is None or str(legal_form.country) != str(country)
        ):
            self.add_error("legal_form", _("Choose a legal form of the country you chose."))
        elif (
            legal_form is None
            and country
            and any(str(form.country) == str(country) for form in offered.values())
        ):
            self.add_error("legal_form", _("Choose your organisation's legal form."))
        cleaned["legal_form"] = legal_form
        return cleaned


class AttestForm(AttestationsMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_attestation_fields()


class YearlyAttestForm(AttestForm):
    """The yearly attestation also confirms the main and billing contacts (R-VAL-6)."""

    contacts_confirmed = forms.BooleanField(
        label=_("The main contact and the billing contact shown above are right."),
        required=True,
        error_messages={
            "required": _("Confirm the contacts, or update them first with the links above.")
        },
    )


class DocumentForm(forms.Form):
    """One optional document: PDF, PNG or JPEG (checked by its first bytes), within the size
    limit. Stored privately; only staff see it."""

    document = forms.FileField(
        label=_("Document (optional)"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].help_text = _(
            "A PDF, PNG or JPEG file of at most %(size)s. Only our staff can see it."
        ) % {"size": filesizeformat(settings.VALIDATION_DOCUMENT_MAX_BYTES)}

    def clean_document(self):
        return checked_upload(self.cleaned_data.get("document"))


def checked_upload(document):
    """The upload if it is a PDF, PNG or JPEG within the size limit; None if there is none."""
    if not document:
        return None
    if document.size > settings.VALIDATION_DOCUMENT_MAX_BYTES:
        raise forms.ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s.")
            % {
                "size": filesizeformat(document.size),
                "limit": filesizeformat(settings.VALIDATION_DOCUMENT_MAX_BYTES),
            }
        )
    allowed = ALLOWED_UPLOADS.get(Path(document.name).suffix.lower())
    head = document.read(16)
    document.seek(0)
    if allowed is None or not head.startswith(allowed[1]):
        raise forms.ValidationError(_("Upload a PDF, PNG or JPEG file."))
    document.content_type = allowed[0]
    return document


class AnswerForm(DocumentForm):
    answer = text_field(
        _("Your answer"),
        rows=5,
        error_messages={"required": _("Write your answer to the question from our staff.")},
    )
    field_order = ["answer", "document"]


class ReviewRequestForm(DocumentForm):
    """A denied or revoked organisation asks for a review of the decision (R-VAL-10)."""

    reasons = text_field(
        _("Why should we reconsider?"),
        rows=6,
        help_text=_(
            "Explain what the decision got wrong about the facts you gave us. Staff review "
            "the decision once; their answer is final."
        ),
        error_messages={"required": _("Write why our staff should reconsider the decision.")},
    )
    field_order = ["reasons", "document"]
