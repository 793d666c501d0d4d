from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from catalog.models import DonorCertificate, Product, ProductTerms, Programme
from catalog.services import certificate_decide
from clearinghouse.admin import AuditTrailInline, StaffPagesMixin


class ProductInline(admin.TabularInline):
    model = Product
    fields = ["sku", "name", "kind", "hard_cap", "exempt_from_minimum", "is_active", "position"]
    extra = 0
    show_change_link = True


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "donor",
        "minimum_licences_per_order",
        "requires_certificate",
        "nonprofits_only",
        "allotment_cycle_years",
        "is_active",
    ]
    list_filter = ["donor", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ProductInline]


class ProductTermsInline(admin.TabularInline):
    """Dated prices and grants (R-MS-13): add a row with a future date to schedule a change."""

    model = ProductTerms
    extra = 1
    fields = [
        "effective_from",
        "nonprofit_price",
        "commercial_price",
        "grant_per_cycle",
        "admin_fee",
        "note",
    ]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "sku",
        "programme",
        "kind",
        "terms_today",
        "hard_cap",
        "exempt_from_minimum",
        "countries_display",
        "is_active",
    ]
    list_filter = ["programme", "kind", "is_active", "exempt_from_minimum"]
    search_fields = ["name", "sku"]
    list_select_related = ["programme"]
    inlines = [ProductTermsInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("terms")

    @admin.display(description=_("terms in force today"))
    def terms_today(self, product):
        terms = product.terms_on(timezone.localdate())
        if terms is None:
            return "—"
        price = terms.nonprofit_price if terms.nonprofit_price is not None else "—"
        return _("%(price)s USD, grant %(grant)s (from %(date)s)") % {
            "price": price,
            "grant": terms.grant_per_cycle,
            "date": terms.effective_from,
        }

    @admin.display(description=_("countries"))
    def countries_display(self, product):
        return ", ".join(str(c) for c in product.countries) or _("all")


@admin.register(DonorCertificate)
class DonorCertificateAdmin(StaffPagesMixin, admin.ModelAdmin):
    """R-MS-4: staff confirm (or reject, with a reason) the certificates organisations send."""

    list_display = ["organisation", "donor", "issued_on", "valid_until", "status", "uploaded_at"]
    list_filter = ["status", "donor"]
    search_fields = ["organisation__legal_name", "organisation__handle"]
    list_select_related = ["organisation", "donor"]
    ordering = ["status", "uploaded_at"]
    readonly_fields = [
        "organisation",
        "donor",
        "file_link",
        "issued_on",
        "status",
        "uploaded_by",
        "uploaded_at",
        "decided_by",
        "decided_at",
        "rejection_reason",
        "decision_buttons",
    ]
    fields = readonly_fields
    inlines = [AuditTrailInline]
    actions = ["confirm_selected"]
    staff_pages = (
        ("<int:pk>/decide/", "decide_view", "catalog_donorcertificate_decide"),
        ("<int:pk>/file/", "file_view", "catalog_donorcertificate_file"),
    )
    page_links = {"decision_buttons": "catalog.decide_donorcertificate"}

    def has_add_permission(self, request):
        return False

    def has_decide_permission(self, request, obj=None):
        return request.user.has_perm("catalog.decide_donorcertificate")

    @admin.display(description=_("certificate"))
    def file_link(self, certificate):
        url = reverse("admin:catalog_donorcertificate_file", args=[certificate.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))

    @admin.display(description=_("decision"))
    def decision_buttons(self, certificate):
        if certificate.status != DonorCertificate.Status.PENDING:
            return "—"
        url = reverse("admin:catalog_donorcertificate_decide", args=[certificate.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Confirm or reject"))

    @admin.action(description=_("Confirm the selected certificates"), permissions=["decide"])
    def confirm_selected(self, request, queryset):
        done = 0
        for certificate in queryset.filter(status=DonorCertificate.Status.PENDING):
            certificate_decide(certificate=certificate, decided_by=request.user, confirm=True)
            done += 1
        self.message_user(request, _("%(n)s certificates confirmed.") % {"n": done})

    def file_view(self, request, pk):
        """Uploads are private (never served by URL): staff download them through here."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        certificate = get_object_or_404(DonorCertificate, pk=pk)
        return FileResponse(
            certificate.file.open("rb"),
            as_attachment=True,
            filename=certificate.file.name.rsplit("/", 1)[-1],
        )

    def decide_view(self, request, pk):
        if not self.has_decide_permission(request):
            raise PermissionDenied
        certificate = get_object_or_404(DonorCertificate, pk=pk)
        return self.action_page(
            request,
            "admin/catalog/certificate_decide.html",
            _("Confirm or reject the certificate"),
            lambda: certificate_decide(
                certificate=certificate,
                decided_by=request.user,
                confirm="confirm" in request.POST,
                reason=request.POST.get("reason", ""),
            ),
            success=_("The decision is recorded."),
            done=reverse("admin:catalog_donorcertificate_change", args=[certificate.pk]),
            certificate=certificate,
        )
