"""Staff work on invoices: paid / due / overdue, payments, credit notes, the rates, the export.

Each custom screen checks the permission it acts under (`orders.add_payment`,
`orders.add_creditnote`, `orders.export_invoices`); reading needs `orders.view_invoice`.
"""

from datetime import date

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from clearinghouse.admin import AuditTrailInline, ReadOnlyAdminMixin, StaffPagesMixin
from clearinghouse.form_fields import text_field
from clearinghouse.l10n import money
from orders import invoicing
from orders.invoice_models import (
    CreditNote,
    ExchangeRate,
    Invoice,
    InvoiceLine,
    InvoiceReminder,
    InvoiceVatSubtotal,
    Payment,
    VatRate,
)


class InvoiceLineInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = InvoiceLine
    fields = [
        "charge",
        "description",
        "sku",
        "quantity",
        "unit_price",
        "amount",
        "amount_local",
        "vat_category",
        "vat_rate",
    ]
    readonly_fields = fields
    extra = 0


class InvoiceVatInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = InvoiceVatSubtotal
    fields = ["category", "rate", "taxable_amount", "tax_amount", "exemption_reason"]
    readonly_fields = fields
    extra = 0
    verbose_name_plural = _("VAT")


class PaymentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Payment
    fields = ["received_on", "amount", "currency", "reference", "recorded_by", "recorded_at"]
    readonly_fields = fields
    extra = 0


class ReminderInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = InvoiceReminder
    fields = ["days_overdue", "sent_at", "skipped"]
    readonly_fields = fields
    extra = 0


class InvoiceStatusFilter(admin.SimpleListFilter):
    title = _("payment")
    parameter_name = "payment"

    def lookups(self, request, model_admin):
        return Invoice.Status.choices

    def queryset(self, request, queryset):
        today = timezone.localdate()
        return {
            Invoice.Status.PAID: lambda: queryset.paid(),
            Invoice.Status.DUE: lambda: queryset.due(today=today),
            Invoice.Status.OVERDUE: lambda: queryset.overdue(today=today),
            Invoice.Status.CREDITED: lambda: queryset.credited(),
        }.get(self.value(), lambda: queryset)()


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), min_value=0.01, decimal_places=2)
    currency = forms.CharField(label=_("Currency"), max_length=3)
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reference = forms.CharField(label=_("Reference"), max_length=120, required=False)


class CreditNoteForm(forms.Form):
    reason = text_field(
        _("Reason"),
        help_text=_("Printed on the credit note the organisation receives."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that this cancels the invoice in full and cannot be undone.")
    )


class ExportForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The period must end on or after its first day."))
        return data


def _require(request, permission: str):
    if not request.user.has_perm(f"orders.{permission}"):
        raise PermissionDenied


def _actions_display(user):
    """The list's "actions" column for `user`: the PDF, and the payment and credit pages only
    for staff who may use them."""
    may_record_payment = user.has_perm("orders.add_payment")
    may_credit = user.has_perm("orders.add_creditnote")

    @admin.display(description=_("actions"))
    def actions_display(invoice):
        links = [(reverse("admin:orders_invoice_pdf", args=[invoice.pk]), _("PDF"))]
        if not invoice.is_credited:
            if may_record_payment and not invoice.is_paid:
                links.append(
                    (
                        reverse("admin:orders_invoice_payment", args=[invoice.pk]),
                        _("Record payment"),
                    )
                )
            if may_credit:
                links.append(
                    (reverse("admin:orders_invoice_credit", args=[invoice.pk]), _("Credit"))
                )
        return format_html_join(" ", '<a class="button" href="{}">{}</a>', links)

    return actions_display


@admin.register(Invoice)
class InvoiceAdmin(StaffPagesMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "display_number",
        "organisation",
        "issued_on",
        "due_on",
        "total_display",
        "balance_display",
        "status_display",
    ]
    list_filter = [InvoiceStatusFilter, "currency", "issued_on"]
    search_fields = [
        "number",
        "payment_reference",
        "organisation__legal_name",
        "addressee_name",
        "addressee_email",
    ]
    list_select_related = ["organisation", "credit_note"]
    date_hierarchy = "issued_on"
    inlines = [InvoiceLineInline, InvoiceVatInline, PaymentInline, ReminderInline, AuditTrailInline]
    exclude = ["seller"]
    staff_pages = (
        ("<int:pk>/payment/", "payment_view", "orders_invoice_payment"),
        ("<int:pk>/credit/", "credit_view", "orders_invoice_credit"),
        ("<int:pk>/pdf/", "pdf_view", "orders_invoice_pdf"),
        ("export/", "export_view", "orders_invoice_export"),
    )

    @admin.display(description=_("total"), ordering="total")
    def total_display(self, invoice):
        return money(invoice.total, invoice.currency)

    @admin.display(description=_("balance"))
    def balance_display(self, invoice):
        return money(invoice.amount_due, invoice.currency)

    @admin.display(description=_("payment"))
    def status_display(self, invoice):
        return Invoice.Status(invoice.status_on(timezone.localdate())).label

    def get_list_display(self, request):
        """The list's columns, then the actions this staff member may take."""
        return [*super().get_list_display(request), _actions_display(request.user)]

    def _invoice(self, request, pk) -> Invoice:
        _require(request, "view_invoice")
        return get_object_or_404(
            Invoice.objects.select_related("organisation", "order", "credit_note"), pk=pk
        )

    def payment_view(self, request, pk):
        invoice = self._invoice(request, pk)
        _require(request, "add_payment")
        form = PaymentForm(
            request.POST or None,
            initial={
                "amount": invoice.amount_due,
                "currency": invoice.currency,
                "received_on": timezone.localdate(),
            },
        )
        return self.action_page(
            request,
            "admin/orders/payment_record.html",
            _("Record payment"),
            lambda: invoicing.payment_record(
                invoice=invoice, recorded_by=request.user, **form.cleaned_data
            ),
            success=_("The payment is recorded and confirmed by mail."),
            done=reverse("admin:orders_invoice_changelist"),
            form=form,
            invoice=invoice,
        )

    def credit_view(self, request, pk):
        invoice = self._invoice(request, pk)
        _require(request, "add_creditnote")
        form = CreditNoteForm(request.POST or None)
        return self.action_page(
            request,
            "admin/orders/credit_note_issue.html",
            _("Credit the invoice"),
            lambda: invoicing.credit_note_issue(
                invoice=invoice, reason=form.cleaned_data["reason"], issued_by=request.user
            ),
            success=lambda credit_note: (
                _("%(credit_note)s cancels %(invoice)s and is mailed to the organisation.")
                % {"credit_note": credit_note, "invoice": invoice}
            ),
            done=reverse("admin:orders_invoice_change", args=[invoice.pk]),
            form=form,
            invoice=invoice,
        )

    def pdf_view(self, request, pk):
        from orders.invoice_pdf import invoice_pdf

        invoice = self._invoice(request, pk)
        credit_note = getattr(invoice, "credit_note", None) if "credit" in request.GET else None
        response = HttpResponse(
            invoice_pdf(invoice, credit_note=credit_note), content_type="application/pdf"
        )
        name = credit_note.display_number if credit_note else invoice.display_number
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response

    def export_view(self, request):
        from orders.bookkeeping import bookkeeping_csv

        _require(request, "export_invoices")
        today = timezone.localdate()
        form = ExportForm(
            request.GET if "date_from" in request.GET else None,
            initial={"date_from": date(today.year, today.month, 1), "date_to": today},
        )
        if form.is_bound and form.is_valid():
            start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
            response = HttpResponse(
                bookkeeping_csv(date_from=start, date_to=end), content_type="text/csv"
            )
            response["Content-Disposition"] = f'attachment; filename="invoices-{start}-{end}.csv"'
            return response
        return self.render_page(
            request, "admin/orders/invoice_export.html", _("Export for bookkeeping"), form=form
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_export": request.user.has_perm("orders.export_invoices"),
        }
        return super().changelist_view(request, extra_context=extra_context)


@admin.register(CreditNote)
class CreditNoteAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["display_number", "invoice", "issued_on", "total", "currency", "pdf_link"]
    search_fields = ["number", "invoice__number", "invoice__organisation__legal_name"]
    list_select_related = ["invoice"]
    date_hierarchy = "issued_on"

    @admin.display(description=_("credit note"), ordering="number")
    def display_number(self, credit_note):
        return credit_note.display_number

    @admin.display(description=_("PDF"))
    def pdf_link(self, credit_note):
        url = reverse("admin:orders_invoice_pdf", args=[credit_note.invoice_id]) + "?credit=1"
        return format_html('<a href="{}">{}</a>', url, _("PDF"))


@admin.register(VatRate)
class VatRateAdmin(admin.ModelAdmin):
    """Dated VAT rates per customer country and kind of charge; invoices copy the one in force."""

    list_display = ["country", "charge", "valid_from", "category", "rate", "exemption_reason"]
    list_filter = ["country", "charge", "category"]
    ordering = ["country", "charge", "-valid_from"]


class ExchangeRateForm(forms.ModelForm):
    def clean_currency(self):
        """The code as invoices look it up (SEK), before the one-rate-a-day check compares it:
        "sek" for a day SEK has is a form error, not a failed save."""
        return self.cleaned_data["currency"].strip().upper()


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    """Dated USD rates; an invoice takes the latest on or before its date (R-MS-8)."""

    form = ExchangeRateForm
    list_display = ["currency", "valid_on", "rate", "entered_by", "entered_at"]
    list_filter = ["currency"]
    date_hierarchy = "valid_on"
    fields = ["currency", "valid_on", "rate"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.entered_by = request.user
        super().save_model(request, obj, form, change)
