"""Approval codes in Django admin."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from approval_codes import webhooks
from approval_codes.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

# --- Webhooks: endpoints, and the delivery log read-only (issue 5, item 7) ---------------------


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["donor", "url", "is_active", "created_at"]
    list_filter = ["is_active", "donor"]
    search_fields = ["url", "donor__name"]
    fields = ["donor", "url", "secret", "is_active", "created_at"]
    readonly_fields = ["created_at"]


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ["attempted_at", "response_status", "error", "duration_ms"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "event_type",
        "endpoint",
        "status",
        "attempts",
        "last_response_status",
        "next_attempt_at",
        "created_at",
        "delivered_at",
    ]
    list_filter = ["status", "event_type", "endpoint__donor"]
    search_fields = ["=event_id", "endpoint__url", "endpoint__donor__name"]
    list_select_related = ["endpoint__donor"]
    date_hierarchy = "created_at"
    inlines = [WebhookAttemptInline]
    actions = ["redeliver"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # the log is read-only; viewing needs only the view permission

    def has_delete_permission(self, request, obj=None):
        return False

    def has_redeliver_permission(self, request):
        return request.user.has_perm("approval_codes.change_webhookdelivery")

    @admin.action(
        description=_("Redeliver the selected failed deliveries"), permissions=["redeliver"]
    )
    def redeliver(self, request, queryset):
        queued = webhooks.deliveries_redeliver(delivery_ids=queryset.values_list("pk", flat=True))
        skipped = queryset.count() - queued
        self.message_user(
            request,
            ngettext(
                "%(count)d delivery queued for one more attempt.",
                "%(count)d deliveries queued for one more attempt.",
                queued,
            )
            % {"count": queued},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                _("Only failed deliveries can be redelivered; %(count)d left as they were.")
                % {"count": skipped},
                messages.WARNING,
            )
