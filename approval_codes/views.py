"""The "Approval codes" tab (R-CODE-2 … R-CODE-11) and the public "Check a code" page."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.permissions import Right, organisation_required
from accounts.selectors import get_for_user_or_404
from approval_codes import ratelimit, selectors, services
from approval_codes.errors import ApprovalCodeError
from approval_codes.forms import IssueCodeForm, RenewCodeForm, RevokeCodeForm, VerifyCodeForm
from approval_codes.models import ApprovalCode
from clearinghouse.client_ip import client_ip

CODES_PER_PAGE = 25


def _code_for_user(request, pk) -> ApprovalCode:
    """One of the user's organisation's codes; another organisation's is a 404."""
    queryset = selectors.codes_of_organisation(request.user.organisation).select_related(
        "organisation", "issued_by"
    )
    return get_for_user_or_404(queryset, user=request.user, pk=pk)


def _to_new_code(request, code: ApprovalCode, success: str, *, emailed: bool):
    """Where issuing and renewing lead: the new code's page, saying it is ready and, when it
    was sent to its representative, to whom."""
    messages.success(request, success)
    if emailed:
        messages.info(request, _("It is on its way to %(email)s.") % {"email": code.email})
    return redirect("approval_codes:code-detail", pk=code.pk)


@organisation_required(Right.MANAGE_APPROVAL_CODES)
def code_list(request):
    organisation = request.user.organisation
    search = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    status = status if status in selectors.STATUS_FILTERS else ""
    codes = selectors.codes_of_organisation(organisation, search=search, status=status)
    page = Paginator(codes, CODES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "approval_codes/code_list.html",
        {
            "page_obj": page,
            "search": search,
            "status": status,
            "statuses": [
                (value, ApprovalCode.Status(value).label) for value in selectors.STATUS_FILTERS
            ],
            "organisation": organisation,
        },
    )


@organisation_required(Right.MANAGE_APPROVAL_CODES)
def code_create(request):
    organisation = request.user.organisation
    form = IssueCodeForm(
        request.POST if request.method == "POST" else None, language=request.LANGUAGE_CODE
    )
    if request.method == "POST" and form.is_valid():
        try:
            code = services.approval_code_issue(
                organisation=organisation,
                issued_by=request.user,
                language=request.LANGUAGE_CODE,
                **form.cleaned_data,
            )
        except ApprovalCodeError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return _to_new_code(
                request,
                code,
                _("The new approval code is ready and expires in %(days)s days. Copy it now.")
                % {"days": ApprovalCode.LIFETIME_DAYS},
                emailed=form.cleaned_data["send_to_representative"],
            )
    return render(
        request, "approval_codes/code_form.html", {"form": form, "organisation": organisation}
    )


@organisation_required(Right.MANAGE_APPROVAL_CODES)
def code_detail(request, pk):
    """A code shown large with its "Copy" button: where issuing and renewing lead (R-CODE-4)."""
    code = _code_for_user(request, pk)
    return render(
        request,
        "approval_codes/code_detail.html",
        {"code": code, "organisation": code.organisation, "renew_form": RenewCodeForm()},
    )


@require_POST
@organisation_required(Right.MANAGE_APPROVAL_CODES)
def code_renew(request, pk):
    """ "Renew approval code" (R-CODE-7): a new code for the same person; the old one stops."""
    code = _code_for_user(request, pk)
    form = RenewCodeForm(request.POST)
    form.is_valid()  # one optional checkbox: always valid
    try:
        new = services.approval_code_renew(
            code=code,
            actor=request.user,
            send_to_representative=form.cleaned_data["send_to_representative"],
            language=request.LANGUAGE_CODE,
        )
    except ApprovalCodeError as error:
        messages.error(request, error.message)
        return redirect("approval_codes:code-list")
    return _to_new_code(
        request,
        new,
        _("The code %(old)s is renewed. This is the new code; the old one no longer works.")
        % {"old": code.code},
        emailed=form.cleaned_data["send_to_representative"],
    )


@require_POST
@organisation_required(Right.MANAGE_APPROVAL_CODES)
def code_email_again(request, pk):
    """ "Email again": the active code to its representative once more (R-CODE-4)."""
    code = _code_for_user(request, pk)
    try:
        services.approval_code_email_again(
            code=code, actor=request.user, language=request.LANGUAGE_CODE
        )
    except ApprovalCodeError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The code is on its way to %(email)s.") % {"email": code.email})
    return redirect("approval_codes:code-list")


@organisation_required(Right.MANAGE_APPROVAL_CODES)
def code_revoke(request, pk):
    """ "Revoke": asks first (GET), then stops the code at once (POST)."""
    code = _code_for_user(request, pk)
    form = RevokeCodeForm(request.POST if request.method == "POST" else None)
    if code.effective_status() != ApprovalCode.Status.ACTIVE:
        messages.error(request, _("Only an active code can be revoked."))
        return redirect("approval_codes:code-detail", pk=code.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.approval_code_revoke(
                code=code, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ApprovalCodeError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("The code %(code)s is revoked; donor partners no longer accept it.")
                % {"code": code.code},
            )
        return redirect("approval_codes:code-list")
    return render(request, "approval_codes/code_revoke.html", {"code": code, "form": form})


@never_cache
def verify(request):
    """Public "Check a code": anyone may see whether a code is valid and for which organisation,
    never for whom (the representative's name and email stay private). Limited per address."""
    # The code goes in a POST body, never in the URL (so not in logs or browser history).
    form = VerifyCodeForm(request.POST if request.method == "POST" else None)
    context = {"form": form}
    if form.is_bound:
        retry_after = ratelimit.hit(
            scope="verify-page",
            ident=client_ip(request),
            rate=settings.APPROVAL_CODES_VERIFY_PAGE_RATE,
        )
        if retry_after is not None:
            response = render(
                request,
                "approval_codes/verify_rate_limited.html",
                {"retry_after": retry_after},
                status=429,
            )
            response["Retry-After"] = str(retry_after)
            return response
        if form.is_valid():
            code = selectors.code_by_text(form.cleaned_data["code"])
            context["checked"] = True
            context["code"] = code
            context["reason"] = "unknown" if code is None else code.invalid_reason()
    return render(request, "approval_codes/verify.html", context)
