from django import forms
from django.utils.translation import gettext_lazy as _

from approval_codes.models import Donor

ALLOWED_EXTENSIONS = (".pdf", ".png", ".jpg", ".jpeg")
MAX_BYTES = 5 * 1024 * 1024


class CertificateForm(forms.Form):
    donor = forms.ModelChoiceField(
        label=_("Donor"),
        queryset=Donor.objects.filter(
            programmes__requires_certificate=True, programmes__is_active=True
        ).distinct(),
        empty_label=None,
    )
    file = forms.FileField(
        label=_("Certificate"),
        help_text=_("The validation certificate from the donor's nonprofit portal: PDF or image."),
    )
    issued_on = forms.DateField(
        label=_("Issue date"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(ALLOWED_EXTENSIONS):
            raise forms.ValidationError(_("Upload a PDF, PNG or JPEG file."))
        if file.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return file
