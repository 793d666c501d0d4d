"""Who is in the organisation (R-VAL-11): joining one that already has an account — the
person's side (ask, cancel) and the organisation's side (the open requests, accept with
rights, decline) — and handing the account over to another person."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import services
from accounts.forms import HandOverForm, JoinRequestAcceptForm, JoinRequestForm
from accounts.models import JoinRequest
from accounts.permissions import Right, organisation_required, rights_grantable_by
from accounts.selectors import (
    join_request_get_for_user,
    join_request_open_of,
    join_requests_open_for,
    open_hand_over_of,
)
from clearinghouse.service_calls import call_with_messages, form_submit


@login_required
def join_request_create(request):
    """ "Ask to join an existing organisation": for a signed-in person without one. The answer
    is the same whether or not anything matched."""
    if request.user.organisation_id is not None:
        return redirect("accounts:account-overview")
    open_request = join_request_open_of(user=request.user)
    form = JoinRequestForm(request.POST if request.method == "POST" else None)
    if open_request is None and form_submit(
        request,
        form,
        services.join_request_create,
        lambda data: {"requester": request.user, **data},
        success=_(
            "Thank you. If an account exists for what you entered, its account holder "
            "has been asked to add you. We email you when they answer."
        ),
    ):
        return redirect("accounts:join-request-create")
    return render(
        request,
        "accounts/join_request.html",
        {
            "form": form,
            "open_request": open_request,
            "valid_for_days": JoinRequest.VALID_FOR_DAYS,
        },
    )


@require_POST
@login_required
def join_request_cancel(request):
    open_request = join_request_open_of(user=request.user)
    if open_request is None:
        messages.error(request, _("You have no request waiting."))
    else:
        call_with_messages(
            request,
            services.join_request_cancel,
            join_request=open_request,
            requester=request.user,
            success=_("Your request is cancelled."),
        )
    return redirect("accounts:join-request-create")


@organisation_required(Right.MANAGE_CONTACTS)
def join_request_list(request):
    requests = join_requests_open_for(organisation=request.user.organisation)
    return render(request, "accounts/join_request_list.html", {"join_requests": requests})


@organisation_required(Right.MANAGE_CONTACTS)
def join_request_accept(request, pk):
    """The request with the person's name and email; accepting gives the rights ticked."""
    join_request = join_request_get_for_user(user=request.user, pk=pk)
    grantable = rights_grantable_by(request.user)
    form = JoinRequestAcceptForm(
        request.POST if request.method == "POST" else None, grantable=grantable
    )
    if form_submit(
        request,
        form,
        services.join_request_accept,
        lambda data: {
            "join_request": join_request,
            "actor": request.user,
            "rights": data["rights"],
        },
        success=lambda contact: (
            _("%(name)s is now a contact with a sub-account. We have emailed them.")
            % {"name": contact}
        ),
    ):
        return redirect("accounts:join-request-list")
    return render(
        request,
        "accounts/join_request_accept.html",
        {"join_request": join_request, "form": form},
    )


@require_POST
@organisation_required(Right.MANAGE_CONTACTS)
def join_request_decline(request, pk):
    call_with_messages(
        request,
        services.join_request_decline,
        join_request=join_request_get_for_user(user=request.user, pk=pk),
        actor=request.user,
        success=_("The request is declined. We have emailed the person."),
    )
    return redirect("accounts:join-request-list")


# --- Handing the account over (R-VAL-11) ------------------------------------------------------


@organisation_required(holder_only=True)
def hand_over_start(request):
    organisation = request.user.organisation
    pending = open_hand_over_of(organisation=organisation)
    form = HandOverForm(
        request.POST if request.method == "POST" else None, organisation=organisation
    )
    if form_submit(
        request,
        form,
        services.hand_over_start,
        lambda data: {"organisation": organisation, "actor": request.user, **data},
        success=lambda _hand_over: (
            _(
                "We have emailed %(name)s a link to confirm. Until they do, you stay the "
                "account holder."
            )
            % {"name": form.cleaned_data["to_contact"]}
        ),
    ):
        return redirect("accounts:hand-over-start")
    return render(request, "accounts/hand_over.html", {"form": form, "pending": pending})


@require_POST
@organisation_required(holder_only=True)
def hand_over_cancel(request):
    call_with_messages(
        request,
        services.hand_over_cancel,
        organisation=request.user.organisation,
        actor=request.user,
        success=_("The hand-over is cancelled; its link no longer works."),
    )
    return redirect("accounts:hand-over-start")


@login_required
def hand_over_confirm(request, token):
    """The named person, signed in as themselves, confirms from the mail link."""
    hand_over = services.hand_over_for_token(token)
    if hand_over is None or hand_over.to_contact.user_id != request.user.pk:
        return render(request, "accounts/hand_over_invalid.html", status=404)
    if request.method == "POST":
        call_with_messages(
            request,
            services.hand_over_confirm,
            token=token,
            user=request.user,
            success=_("You are now the account holder."),
        )
        return redirect("accounts:account-overview")
    return render(request, "accounts/hand_over_confirm.html", {"hand_over": hand_over})
