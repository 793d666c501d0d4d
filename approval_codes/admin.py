"""Staff work with donor partners, their API keys and webhook endpoints, approval codes and
redemptions. Codes, redemptions and the webhook delivery log are read-only here: every change
goes through `approval_codes.services` (or `approval_codes.webhooks`).
An API key is created by picking a donor and a name; the key is shown once, in a message.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from approval_codes import services, webhooks
from approval_codes.donor_services import (
    donor_person_invite,
    donor_person_refusal,
    webhook_endpoint_rotate_secret,
)
from approval_codes.errors import ApprovalCodeError
from approval_codes.models import (
    ApiKey,
    ApprovalCode,
    Donor,
    DonorMembership,
    ExpirySweep,
    Redemption,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from approval_codes.webhook_targets import validate_webhook_url
from clearinghouse.admin import AuditTrailInline, ReadOnlyAdminMixin

# --- Donor partners and API keys ------------------------------------------------------------


class ApiKeyInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ApiKey
    fields = ["prefix", "name", "is_test", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    extra = 0
    show_change_link = True


@admin.register(Donor)
class DonorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "website", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ApiKeyInline, AuditTrailInline]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["prefix", "donor", "name", "is_test", "created_at", "last_used_at", "revoked"]
    list_filter = ["donor", "is_test", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["prefix", "name", "donor__name"]
    list_select_related = ["donor"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke_selected"]
    inlines = [AuditTrailInline]

    def get_inlines(self, request, obj):
        return self.inlines if obj else []  # the add form asks only for donor and name

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["donor", "name", "is_test"]
        return ["donor", "name", "is_test", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "donor", "is_test"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: redemptions keep pointing at the key

    @admin.display(description=_("revoked"), boolean=True)
    def revoked(self, api_key):
        return api_key.is_revoked

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name"])
            return
        api_key, key = services.api_key_issue(
            donor=obj.donor, name=obj.name, actor=request.user, is_test=obj.is_test
        )
        obj.pk = api_key.pk
        obj.prefix, obj.key_hash, obj.created_at = (
            api_key.prefix,
            api_key.key_hash,
            api_key.created_at,
        )
        self.message_user(
            request,
            format_html(
                "{} <code>{}</code>",
                _("The new key for %(donor)s, shown only this once; give it to the donor now:")
                % {"donor": obj.donor},
                key,
            ),
            messages.WARNING,
        )

    @admin.action(description=_("Revoke selected keys"), permissions=["change"])
    def revoke_selected(self, request, queryset):
        revoked = 0
        for api_key in queryset.filter(revoked_at__isnull=True):
            services.api_key_revoke(api_key=api_key, actor=request.user)
            revoked += 1
        self.message_user(
            request,
            ngettext("%(count)d key revoked.", "%(count)d keys revoked.", revoked)
            % {"count": revoked},
        )


# --- Approval codes and redemptions (read-only) ---------------------------------------------


class RedemptionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Redemption
    fields = ["redeemed_at", "donor", "reference", "offer", "api_key"]
    readonly_fields = fields
    extra = 0


@admin.register(ApprovalCode)
class ApprovalCodeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "organisation", "full_name", "email", "status", "expires_at"]
    list_filter = ["status", "organisation__country", "organisation__type"]
    search_fields = ["code", "email", "last_name", "organisation__legal_name"]
    list_select_related = ["organisation"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    readonly_fields = [
        "code",
        "organisation",
        "status",
        "expires_at",
        "first_name",
        "last_name",
        "email",
        "issued_by",
        "created_at",
        "renewed_from",
        "status_changed_at",
        "expiry_reminder_sent_at",
        "expiry_notice_sent_at",
    ]
    fields = readonly_fields
    inlines = [RedemptionInline, AuditTrailInline]

    @admin.display(description=_("person"))
    def full_name(self, code):
        return code.full_name


@admin.register(Redemption)
class RedemptionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["redeemed_at", "code", "donor", "reference", "offer"]
    list_filter = ["donor"]
    search_fields = ["code__code", "reference", "offer"]
    list_select_related = ["code", "donor"]
    date_hierarchy = "redeemed_at"
    readonly_fields = ["code", "donor", "reference", "offer", "api_key", "redeemed_at"]
    fields = readonly_fields


@admin.register(ExpirySweep)
class ExpirySweepAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """When the expiry sweep last ran and how far it got (it moves the mark forward)."""

    list_display = ["swept_until", "finished_at", "expired_count"]


# --- Webhooks: endpoints, and the delivery log read-only (issue 5, item 7) ---------------------


class DonorPersonInviteForm(forms.ModelForm):
    email = forms.EmailField(label=_("Email address"))

    class Meta:
        model = DonorMembership
        fields = ["donor"]

    def clean_email(self):
        email = self.cleaned_data["email"]
        refusal = donor_person_refusal(email)
        if refusal:
            raise forms.ValidationError(refusal)
        return email


@admin.register(DonorMembership)
class DonorMembershipAdmin(admin.ModelAdmin):
    """Staff invite a donor partner's people: a login of their own, which sets its password
    through allauth and must set up an authenticator app before the donor area opens."""

    list_display = ["user", "donor", "invited_by", "created_at"]
    list_filter = ["donor"]
    search_fields = ["user__email", "donor__name"]
    readonly_fields = ["user", "invited_by", "created_at"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = DonorPersonInviteForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["donor", "email"] if obj is None else ["donor", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["donor", *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        membership = donor_person_invite(
            donor=form.cleaned_data["donor"],
            email=form.cleaned_data["email"],
            invited_by=request.user,
        )
        obj.pk, obj.user, obj.donor = membership.pk, membership.user, membership.donor


class WebhookEndpointForm(forms.ModelForm):
    class Meta:
        model = WebhookEndpoint
        fields = ["donor", "url", "is_test", "is_active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        validate_webhook_url(url)
        return url


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    """The signing secret is made here (`whsec_…`, Standard Webhooks) and only rotated, with an
    overlap during which both secrets sign every delivery."""

    form = WebhookEndpointForm
    list_display = ["donor", "url", "is_test", "is_active", "created_at"]
    list_filter = ["is_active", "is_test", "donor"]
    search_fields = ["url", "donor__name"]
    fields = [
        "donor",
        "url",
        "is_test",
        "secret",
        "previous_secret_until",
        "is_active",
        "disabled_reason",
        "created_at",
    ]
    readonly_fields = ["secret", "previous_secret_until", "disabled_reason", "created_at"]
    actions = ["rotate_secret"]

    @admin.action(description=_("Rotate the signing secret"), permissions=["change"])
    def rotate_secret(self, request, queryset):
        for endpoint in queryset:
            try:
                webhook_endpoint_rotate_secret(endpoint=endpoint, actor=request.user)
            except ApprovalCodeError as error:
                self.message_user(request, f"{endpoint.url}: {error.message}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(url)s: new secret made; the previous one signs too for 24 hours.")
                    % {"url": endpoint.url},
                    messages.SUCCESS,
                )


class WebhookAttemptInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = WebhookAttempt
    fields = ["attempted_at", "response_status", "error", "duration_ms"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The delivery log is read-only; viewing needs only the view permission."""

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
