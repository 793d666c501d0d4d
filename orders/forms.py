import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from clearinghouse.form_fields import text_field
from orders.availability import MAX_QUANTITY

ORDER_TOKEN_FIELD = "idempotency_key"


class OrderForm(forms.Form):
    """One "Quantity" per product, and a token so a double submit places one order."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=16)

    request_reason = text_field(
        _("Why you ask for this grant"),
        required=False,
        max_length=2000,
        help_text=_(
            "Needed for products granted on request: staff decide such grants on the donor's "
            "behalf (for example how many seats an enterprise agreement should cover)."
        ),
    )

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.products = list(products)
        if not self.is_bound:
            self.initial.setdefault(ORDER_TOKEN_FIELD, uuid.uuid4().hex)
        if not any(product.on_request for product in self.products):
            del self.fields["request_reason"]
        for product in self.products:
            self.fields[self.field_name(product)] = forms.IntegerField(
                label=_("Quantity of %(product)s") % {"product": product.name},
                required=False,
                min_value=0,
                max_value=MAX_QUANTITY,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1, "min": 0}),
                error_messages={
                    "invalid": _("Enter a whole number."),
                    "min_value": _("Enter 0 or more."),
                    "max_value": _("Enter at most %(limit_value)s."),
                },
            )

    @staticmethod
    def field_name(product) -> str:
        return f"quantity_{product.pk}"

    def reason(self) -> str:
        return self.cleaned_data.get("request_reason", "") or ""

    def quantities(self) -> dict[int, int]:
        return {
            product.pk: self.cleaned_data[self.field_name(product)]
            for product in self.products
            if self.cleaned_data.get(self.field_name(product))
        }

    def clean(self):
        cleaned = super().clean()
        stale = [
            name
            for name, value in self.data.items()
            if name.startswith("quantity_")
            and name not in self.fields
            and str(value).strip() not in ("", "0")
        ]
        if stale:
            raise forms.ValidationError(
                _("One of the products is unknown or no longer available; reload the page.")
            )
        if not self.errors and not self.quantities():
            raise forms.ValidationError(_("Enter a quantity for at least one product."))
        return cleaned


class CancelOrderForm(forms.Form):
    """Confirmation only; the POST itself is the act."""


class UsageReportForm(forms.Form):
    report = forms.FileField(
        label=_("Active-users report (CSV)"),
        help_text=_(
            "Microsoft 365 admin centre → Reports → Usage → Active users → Export. At most 5 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_report(self):
        report = self.cleaned_data["report"]
        if not report.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("Upload the report as a .csv file."))
        if report.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return report


class SubscriptionSeatsForm(forms.Form):
    """The seats a subscription renews with: fewer, or 0 to end it at renewal."""

    seats = forms.IntegerField(
        label=_("Seats from the next renewal"),
        min_value=0,
        max_value=MAX_QUANTITY,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1, "min": 0}),
        help_text=_("Enter 0 to end the subscription at its renewal."),
        error_messages={
            "invalid": _("Enter a whole number."),
            "min_value": _("Enter 0 or more."),
            "max_value": _("Enter at most %(limit_value)s."),
        },
    )
