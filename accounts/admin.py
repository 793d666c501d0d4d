from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Contact, ContactInvitation, Organisation, User
from clearinghouse.admin import AuditTrailInline


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "organisation", "is_staff", "is_active"]
    list_select_related = ["organisation"]
    search_fields = ["email", "first_name", "last_name"]
    raw_id_fields = ["organisation"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "language", "organisation"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "handle", "country", "type", "status", "created_at"]
    list_filter = ["status", "type", "country"]
    search_fields = ["legal_name", "handle", "registration_number", "account_holder__email"]
    list_select_related = ["account_holder"]
    raw_id_fields = ["account_holder", "billing_contact"]
    readonly_fields = ["status", "status_changed_at", "created_at"]
    inlines = [AuditTrailInline]


class ContactInvitationInline(admin.TabularInline):
    model = ContactInvitation
    fields = ["created_at", "sent_by", "expires_at", "accepted_at", "cancelled_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    """Contacts are managed by the organisations themselves; staff look, and fix in need."""

    list_display = ["__str__", "email", "organisation", "is_main", "sub_account_active"]
    list_filter = ["is_main", "sub_account_active"]
    search_fields = ["email", "first_name", "last_name", "organisation__legal_name"]
    list_select_related = ["organisation"]
    raw_id_fields = ["organisation", "user"]
    readonly_fields = ["is_main", "created_at", "updated_at"]
    inlines = [ContactInvitationInline, AuditTrailInline]
