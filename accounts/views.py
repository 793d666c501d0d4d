from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import services
from accounts.dashboard import dashboard_tasks, first_steps
from accounts.emails import email_stop_token_read
from accounts.errors import AccountsError
from accounts.forms import BillingForm, ContactForm, SubAccountForm
from accounts.models import Contact, MessageCategory
from accounts.permissions import Right, organisation_required
from accounts.selectors import (
    contacts_for_organisation,
    get_for_user_or_404,
    join_requests_open_for,
    open_invitation_of,
    organisation_for_user,
)
from clearinghouse.service_calls import (
    call_with_messages,
    confirm_page,
    form_error_add,
    form_submit,
)

CONTACTS_PER_PAGE = 25


@login_required
def my_account(request):
    """ "My account" opens on a dashboard: what needs doing, each with its link."""
    organisation = organisation_for_user(request.user)
    tasks = dashboard_tasks(
        user=request.user, organisation=organisation, today=timezone.localdate()
    )
    return render(
        request,
        "accounts/my_account.html",
        {
            "organisation": organisation,
            "tasks": tasks,
            "first_steps": first_steps(user=request.user, organisation=organisation),
        },
    )


def _contact_for_user(request, pk) -> Contact:
    return get_for_user_or_404(
        Contact.objects.select_related("user", "organisation"), user=request.user, pk=pk
    )


def _add_error(forms_by_field, default_form, error: AccountsError):
    form_error_add(forms_by_field.get(error.field, default_form), error)


@organisation_required(Right.MANAGE_CONTACTS)
def contact_list(request):
    organisation = request.user.organisation
    services.main_contact_ensure(organisation=organisation)
    page = Paginator(contacts_for_organisation(organisation), CONTACTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/contact_list.html",
        {
            "page": page,
            "join_request_count": join_requests_open_for(organisation=organisation).count(),
        },
    )


def _contact_form_page(request, contact: Contact | None):
    organisation = request.user.organisation
    data = request.POST if request.method == "POST" else None
    form = ContactForm(
        data, instance=contact or Contact(organisation=organisation), viewer=request.user
    )
    sub_form = _sub_account_form(request, contact, data)
    if data is not None and form.is_valid() and (sub_form is None or sub_form.is_valid()):
        try:
            contact = services.contact_save(
                organisation=organisation,
                actor=request.user,
                contact=contact,
                details={field: form.cleaned_data[field] for field in form.Meta.fields},
                email_categories=form.cleaned_data.get("email_categories"),
                sub_account=sub_form.choices() if sub_form is not None else None,
            )
        except AccountsError as error:
            # a new contact was rolled back with the error: `contact` is still None
            _add_error({"password": sub_form, "rights": sub_form}, form, error)
        else:
            messages.success(request, _("The contact “%(name)s” is saved.") % {"name": contact})
            return redirect("accounts:contact-list")
    return render(
        request,
        "accounts/contact_form.html",
        {
            "form": form,
            "sub_form": sub_form,
            "contact": contact,
            "invitation": open_invitation_of(contact) if contact and contact.pk else None,
            "now": timezone.now(),
        },
    )


def _sub_account_form(request, contact: Contact | None, data) -> SubAccountForm | None:
    """The sub-account part of the contact form: for the account holder, and not for the main
    contact (the holder's own row)."""
    if not request.user.is_account_holder or (contact and contact.is_main):
        return None
    initial = {}
    if contact is not None:
        initial = {"sub_account_active": contact.sub_account_active, "rights": contact.rights}
    return SubAccountForm(
        data,
        initial=initial,
        has_password=bool(contact and contact.user and contact.user.has_usable_password()),
        has_user=bool(contact and contact.user_id),
    )


@organisation_required(Right.MANAGE_CONTACTS)
def contact_create(request):
    return _contact_form_page(request, None)


@organisation_required(Right.MANAGE_CONTACTS)
def contact_edit(request, pk):
    return _contact_form_page(request, _contact_for_user(request, pk))


@organisation_required(Right.MANAGE_CONTACTS)
def contact_delete(request, pk):
    contact = _contact_for_user(request, pk)
    if contact.is_main:
        messages.error(request, _("The main contact cannot be removed: it is the account holder."))
        return redirect("accounts:contact-list")
    if contact.user_id is not None and not request.user.is_account_holder:
        raise PermissionDenied(
            _("Only the account holder can remove a contact with a sub-account.")
        )
    return confirm_page(
        request,
        "accounts/contact_confirm_delete.html",
        {"contact": contact},
        services.contact_remove,
        contact=contact,
        actor=request.user,
        success=_("The contact “%(name)s” is removed.") % {"name": contact},
        done=reverse("accounts:contact-list"),
    )


def _invitation_action(request, pk, service, success: str):
    """Send or cancel a contact's invitation, then back to the contact."""
    contact = _contact_for_user(request, pk)
    call_with_messages(
        request,
        service,
        contact=contact,
        actor=request.user,
        success=success % {"email": contact.email},
    )
    return redirect("accounts:contact-edit", pk=contact.pk)


@require_POST
@organisation_required(holder_only=True)
def contact_invitation_send(request, pk):
    return _invitation_action(
        request, pk, services.invitation_send, _("An invitation is on its way to %(email)s.")
    )


@require_POST
@organisation_required(holder_only=True)
def contact_invitation_cancel(request, pk):
    return _invitation_action(
        request,
        pk,
        services.invitation_cancel,
        _("The invitation is cancelled; its link no longer works."),
    )


@organisation_required(Right.MANAGE_ACCOUNT_DETAILS)
def organisation_details(request):
    organisation = request.user.organisation
    main = services.main_contact_ensure(organisation=organisation)
    contacts = contacts_for_organisation(organisation)
    initial = {
        "billing_contact": organisation.billing_contact or main,
        "peppol_id": organisation.peppol_id,
        "payment_confirmations_to_main_contact_only": (
            organisation.payment_confirmations_to_main_contact_only
        ),
        "invoice_language": organisation.invoice_language,
    }
    form = BillingForm(request.POST or None, initial=initial, contacts=contacts)
    if form_submit(
        request,
        form,
        services.organisation_billing_update,
        lambda data: {"organisation": organisation, "actor": request.user, **data},
        success=_("Your details are saved."),
    ):
        return redirect("accounts:organisation-details")
    return render(
        request, "accounts/details.html", {"form": form, "organisation": organisation, "main": main}
    )


def invitation_accept(request, token):
    """Public: the invited person chooses a password with the link from the mail."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    user = invitation.contact.user
    form = SetPasswordForm(user, request.POST or None)
    if form_submit(
        request,
        form,
        services.invitation_accept,
        lambda data: {"token": token, "password": data["new_password1"]},
        success=_("Your password is set. Sign in with your email address."),
    ):
        return redirect("account_login")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )


def email_stop(request, token):
    """Public: stop one category of mail from the link in a mail's footer. GET asks, POST
    acts, so that link scanners cannot unsubscribe anyone."""
    read = email_stop_token_read(token)
    contact = Contact.objects.filter(pk=read[0]).first() if read else None
    if contact is None or read[1] not in MessageCategory.values or contact.is_main:
        return render(request, "accounts/email_stop.html", {"invalid": True}, status=404)
    category = MessageCategory(read[1])
    if request.method == "POST":
        services.contact_email_category_stop(contact=contact, category=category)
        return render(
            request,
            "accounts/email_stop.html",
            {"contact": contact, "category": category, "done": True},
        )
    return render(request, "accounts/email_stop.html", {"contact": contact, "category": category})
