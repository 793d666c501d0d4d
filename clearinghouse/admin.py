from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.utils.translation import gettext_lazy as _

from clearinghouse.models import AuditEvent, OutboundEmail, SitePage


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditTrailInline(ReadOnlyAdminMixin, GenericTabularInline):
    """Add to any ModelAdmin's `inlines` to show that object's audit trail, newest first."""

    model = AuditEvent
    ct_field = "target_type"
    ct_fk_field = "target_id"
    fields = ["created_at", "actor_label", "verb", "data"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("audit trail")
    ordering = ["-created_at"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "actor_label", "verb", "target_type", "target_id", "organisation"]
    list_filter = ["verb", "target_type"]
    search_fields = ["verb", "actor_label", "organisation__legal_name"]
    list_select_related = ["target_type", "organisation"]
    date_hierarchy = "created_at"


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "sent_at", "attempts"]
    list_filter = ["template", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin):
    """The footer's contact, privacy and terms pages: one text per language."""

    list_display = ["slug", "language", "title", "updated_at"]
    list_filter = ["slug", "language"]
