from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.errors import ContactError
from accounts.models import (
    Contact,
    ContactInvitation,
    JoinRequest,
    Organisation,
    User,
    right_field,
)
from accounts.one_login import donor_login_refusal
from accounts.peppol import normalise_peppol_id
from accounts.permissions import Right
from accounts.services.contacts import contact_staff_edit_check
from accounts.services.rights import rights_together_messages
from accounts.services.sub_accounts import sub_account_changes_record
from clearinghouse.admin import AuditTrailInline, ReadOnlyAdminMixin, StaffPagesMixin
from clearinghouse.audit import record_event_about
from clearinghouse.form_fields import text_field
from validation import services as validation_services


class OneLoginAdminForm(forms.ModelForm):
    """Staff cannot make a donor partner's person a member of an organisation (`one_login`):
    the field in `login_fields` that would (the user it names, or `None`: this form's own
    user when it gets an organisation) is refused with the reason."""

    login_fields: dict[str, str | None] = {}

    def clean(self):
        cleaned = super().clean()
        for field, user_of in self.login_fields.items():
            value = cleaned.get(field)
            if value is None:
                continue
            message = donor_login_refusal(user=self.instance if user_of is None else value)
            if message:
                self.add_error(field, message)
        return cleaned


class UserChangeForm(OneLoginAdminForm, DjangoUserChangeForm):
    login_fields = {"organisation": None}


class OrganisationAdminForm(OneLoginAdminForm):
    login_fields = {"account_holder": "user"}

    def clean_peppol_id(self):
        """Checked and stored as "My details" does (R-INV-3): e-invoices go to it."""
        return normalise_peppol_id(self.cleaned_data.get("peppol_id", ""))


class ContactAdminForm(OneLoginAdminForm):
    login_fields = {"user": "user"}

    def clean(self):
        """Held to the rules the account's own pages keep (R-CON-9, R-CON-11)."""
        cleaned = super().clean()
        try:
            contact_staff_edit_check(
                contact=self.instance, email=cleaned.get("email") or "", user=cleaned.get("user")
            )
        except ContactError as error:
            if error.field not in self.errors:
                self.add_error(error.field, error.message)
        rights = {right for right in Right.values if cleaned.get(right_field(right))}
        for message in rights_together_messages(rights):  # R-CON-10
            self.add_error(None, message)
        return cleaned


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "organisation", "is_staff", "is_active"]
    list_select_related = ["organisation"]
    search_fields = ["email", "first_name", "last_name"]
    raw_id_fields = ["organisation"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Personal info"),
            {"fields": ["first_name", "last_name", "language", "time_zone", "organisation"]},
        ),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


HAND_OVER_PERMISSION = "accounts.hand_over_organisation"


class StaffHandOverForm(forms.Form):
    to_contact = forms.ModelChoiceField(
        label=_("New account holder"),
        queryset=Contact.objects.none(),
        help_text=_("A contact of this organisation with an active sub-account."),
    )
    reason = text_field(
        _("Reason"),
        help_text=_("Kept in the history, e.g. how the new holder proved they act for it."),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_contact"].queryset = organisation.contacts.filter(
            is_main=False, sub_account_active=True, user__isnull=False
        )


@admin.register(Organisation)
class OrganisationAdmin(StaffPagesMixin, admin.ModelAdmin):
    form = OrganisationAdminForm
    change_form_template = "accounts/admin/organisation_change_form.html"
    list_display = ["legal_name", "handle", "country", "type", "status", "is_test", "created_at"]
    list_filter = ["status", "type", "is_test", "country"]
    search_fields = ["legal_name", "handle", "registration_number", "account_holder__email"]
    list_select_related = ["account_holder"]
    raw_id_fields = ["account_holder", "billing_contact"]
    readonly_fields = ["status", "status_changed_at", "created_at"]
    inlines = [AuditTrailInline]
    staff_pages = (
        ("<int:organisation_id>/hand-over/", "hand_over_view", "accounts_organisation_hand_over"),
    )

    def get_readonly_fields(self, request, obj=None):
        # Changing hands goes through the audited hand-over, never a raw field edit.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "account_holder"] if obj is not None else fields

    def save_model(self, request, obj, form, change):
        """A change of the organisation's details goes through the validation service, as the
        organisation's own edit does: it is kept in the audit trail, and a new legal name,
        country or type sends an approved organisation back to review. A change of anything
        else (its handle, test mark, Peppol ID, billing contact) is kept in the trail too."""
        if not change:
            return super().save_model(request, obj, form, change)
        details = [name for name in form.changed_data if name in validation_services.DETAIL_FIELDS]
        others = [name for name in form.changed_data if name not in details]
        if others:
            obj.save(update_fields=others)
            record_event_about(
                obj,
                verb="validation.details_changed",
                actor=request.user,
                data={"changes": {name: _change_of(form, name) for name in others}},
            )
        if details and validation_services.organisation_details_update(
            organisation=obj, user=request.user, **{name: getattr(obj, name) for name in details}
        ):
            self.message_user(
                request,
                _(
                    "Its legal name, country or type changed: the organisation is back in the "
                    "validation queue and not eligible until it is approved again."
                ),
                messages.WARNING,
            )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            "can_hand_over": request.user.has_perm(HAND_OVER_PERMISSION),
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def hand_over_view(self, request, organisation_id):
        """Staff hand over an account whose holder is gone, with a reason (R-VAL-11)."""
        if not request.user.has_perm(HAND_OVER_PERMISSION):
            raise PermissionDenied
        organisation = Organisation.objects.filter(pk=organisation_id).first()
        if organisation is None:
            raise Http404
        form = StaffHandOverForm(
            request.POST if request.method == "POST" else None, organisation=organisation
        )
        return self.action_page(
            request,
            "accounts/admin/organisation_hand_over.html",
            _("Hand over the account"),
            lambda: services.hand_over_force(
                organisation=organisation, actor=request.user, **form.cleaned_data
            ),
            success=lambda _result: (
                _("The account is handed over to %(name)s.")
                % {"name": form.cleaned_data["to_contact"]}
            ),
            done=reverse("admin:accounts_organisation_change", args=[organisation.pk]),
            form=form,
            original=organisation,
            organisation=organisation,
        )


def _change_of(form, name: str) -> list[str]:
    """[before, after] of a field the admin form changed, as text (a related row by its id)."""
    before = form.initial.get(name)
    after = form.cleaned_data.get(name)
    return [str(before), str(getattr(after, "pk", after))]


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

    form = ContactAdminForm

    list_display = ["__str__", "email", "organisation", "is_main", "sub_account_active"]
    list_filter = ["is_main", "sub_account_active"]
    search_fields = ["email", "first_name", "last_name", "organisation__legal_name"]
    list_select_related = ["organisation"]
    raw_id_fields = ["organisation", "user"]
    readonly_fields = ["is_main", "created_at", "updated_at"]
    inlines = [ContactInvitationInline, AuditTrailInline]

    def get_actions(self, request):
        """No bulk delete: it would not ask `has_delete_permission` contact by contact."""
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        """Not the main contact (R-CON-1), nor a contact with a sign-in: that leaves through
        the organisation's "remove", which switches the sign-in off (R-CON-8)."""
        if obj is not None and (obj.is_main or obj.user_id is not None):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        """A change of rights or activation made here is in the audit trail like any other."""
        before = Contact.objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        sub_account_changes_record(
            contact=obj,
            actor=request.user,
            was_active=before.sub_account_active if before else False,
            before_rights=before.rights if before else frozenset(),
            password_set=False,
        )


@admin.register(JoinRequest)
class JoinRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Staff look at join requests; the organisations answer them."""

    list_display = ["requester", "asked_for", "organisation", "status", "created_at", "expires_at"]
    list_filter = ["status"]
    search_fields = ["requester__email", "asked_for", "organisation__legal_name"]
    list_select_related = ["requester", "organisation"]
