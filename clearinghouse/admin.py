from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from clearinghouse.models import AuditEvent, OutboundEmail, SitePage


class ReadOnlyAdminMixin:
    """Staff look and never add, change or delete here (the change goes through a service, or
    the record is a log); viewing needs only the view permission."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StaffPagesMixin:
    """For a ModelAdmin with pages of its own beside the changelist and the change form.

    `staff_pages` lists them as (route, method name, URL name): each is wrapped by
    `admin_site.admin_view` (signed-in staff only; the method checks its own permission) and
    comes before the admin's own URLs. `render_page` draws one in the admin's frame.
    """

    staff_pages: tuple[tuple[str, str, str], ...] = ()

    def get_urls(self):
        view = self.admin_site.admin_view
        pages = [
            path(route, view(getattr(self, method)), name=name)
            for route, method, name in self.staff_pages
        ]
        return [*pages, *super().get_urls()]

    def render_page(self, request, template, title, **context):
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "title": title,
                "opts": self.model._meta,
                **context,
            },
        )


def fieldset_fields(fieldsets) -> list[str]:
    """Every field named in `fieldsets`, in order (for an admin that shows them all read-only)."""
    return [field for _name, options in fieldsets for field in options["fields"]]


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
