from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import Right, organisation_required
from clearinghouse.service_calls import call_with_messages, form_error_add
from validation import services
from validation.errors import ValidationRefused
from validation.forms import (
    AnswerForm,
    ApplyForm,
    AttestForm,
    OrganisationDetailsForm,
    ReviewRequestForm,
    YearlyAttestForm,
)
from validation.models import Application
from validation.reviews import reviewable_decision
from validation.selectors import (
    attestation_contacts,
    evidence_requirements_all,
    validation_overview,
)
from validation.services import DETAIL_FIELDS, REVIEWED_FIELDS


@login_required
def apply(request):
    """ "Apply for validation": for a signed-in user without an organisation."""
    if request.user.organisation_id is not None:
        return redirect("validation:application-detail")
    posted = request.method == "POST"
    form = ApplyForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            services.application_submit(
                user=request.user,
                statements=form.statements(),
                legal_form=form.cleaned_data["legal_form"],
                evidence=form.cleaned_data["evidence"],
                **{name: form.cleaned_data[name] for name in DETAIL_FIELDS},
            )
        except ValidationRefused as error:
            form_error_add(form, error)
        else:
            messages.success(
                request, _("Thank you. Your application is submitted; we have emailed a receipt.")
            )
            return redirect("validation:application-detail")
    language = translation.get_language() or "en"
    requirements = evidence_requirements_all()
    for requirement in requirements:
        requirement.text_in_language = requirement.text(language[:2])
    return render(
        request,
        "validation/apply.html",
        {"form": form, "evidence_requirements": requirements},
    )


@organisation_required(Right.MANAGE_ACCOUNT_DETAILS)
def status(request):
    organisation = request.user.organisation
    overview = validation_overview(organisation=organisation)
    return render(
        request,
        "validation/status.html",
        {
            "overview": overview,
            "organisation": organisation,
            "answer_form": AnswerForm() if overview.request else None,
        },
    )


@require_POST
@organisation_required(Right.MANAGE_ACCOUNT_DETAILS)
def answer(request):
    organisation = request.user.organisation
    overview = validation_overview(organisation=organisation)
    application = overview.application
    form = AnswerForm(request.POST, request.FILES)
    if application is None or application.status != Application.Status.MORE_INFORMATION:
        messages.error(request, _("Your application is not waiting for an answer."))
        return redirect("validation:application-detail")
    if form.is_valid():
        call_with_messages(
            request,
            services.application_answer,
            application=application,
            user=request.user,
            answer=form.cleaned_data["answer"],
            document=form.cleaned_data["document"],
            success=_("Thank you. Your answer is sent to our staff."),
        )
        return redirect("validation:application-detail")
    return render(
        request,
        "validation/status.html",
        {"overview": overview, "organisation": organisation, "answer_form": form},
        status=400,
    )


def _attestation_view(request, *, service, template, success, form_class=AttestForm, extra=None):
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        arguments = {"statements": form.statements()}
        if "contacts_confirmed" in form.fields:
            arguments["contacts_confirmed"] = form.cleaned_data["contacts_confirmed"]
        call_with_messages(
            request,
            service,
            organisation=request.user.organisation,
            user=request.user,
            success=success,
            **arguments,
        )
        return redirect("validation:application-detail")
    return render(
        request,
        template,
        {"form": form, "organisation": request.user.organisation, **(extra or {})},
    )


@organisation_required(Right.MANAGE_ACCOUNT_DETAILS)
def attest(request):
    """The yearly "Attest" action (R-VAL-6)."""
    return _attestation_view(
        request,
        service=services.organisation_attest,
        template="validation/attest.html",
        success=_("Thank you. Your attestation is recorded."),
        form_class=YearlyAttestForm,
        extra={"contacts": attestation_contacts(organisation=request.user.organisation)},
    )


@organisation_required(Right.MANAGE_ACCOUNT_DETAILS)
def reapply(request):
    """A denied organisation applies again."""
    return _attestation_view(
        request,
        service=services.application_reapply,
        template="validation/reapply.html",
        success=_("Thank you. Your new application is submitted."),
    )


@organisation_required(Right.MANAGE_ACCOUNT_DETAILS)
def organisation_edit(request):
    """ "Edit organisation details". Changing an approved organisation's legal name, country
    or type needs a confirmation: it sends the organisation back to review."""
    organisation = request.user.organisation
    initial = {name: getattr(organisation, name) for name in DETAIL_FIELDS}
    form = OrganisationDetailsForm(
        request.POST if request.method == "POST" else None, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        reviewed = [
            form.fields[name].label
            for name in REVIEWED_FIELDS & set(form.changed_data)
            if str(form.cleaned_data[name]) != str(initial[name])
        ]
        if reviewed and organisation.is_validated and "confirm" not in request.POST:
            return render(
                request,
                "validation/organisation_edit_confirm.html",
                {"form": form, "reviewed": reviewed, "organisation": organisation},
            )
        sent_to_review = services.organisation_details_update(
            organisation=organisation,
            user=request.user,
            **{name: form.cleaned_data[name] for name in DETAIL_FIELDS},
        )
        if sent_to_review:
            messages.warning(
                request,
                _(
                    "Your details are saved. Our staff will review your organisation again; "
                    "until they approve it, approval codes do not verify and you cannot order."
                ),
            )
        else:
            messages.success(request, _("Your organisation details are saved."))
        return redirect("validation:application-detail")
    return render(
        request, "validation/organisation_edit.html", {"form": form, "organisation": organisation}
    )


@organisation_required(Right.MANAGE_ACCOUNT_DETAILS)
def review_request(request):
    """A denied or revoked organisation asks for a review of the decision, once (R-VAL-10)."""
    organisation = request.user.organisation
    decision = reviewable_decision(organisation=organisation)
    if decision is None:
        messages.error(
            request,
            _(
                "There is no decision you can ask us to review: a decision is reviewed once, "
                "and the outcome of a review is final."
            ),
        )
        return redirect("validation:application-detail")
    form = ReviewRequestForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        call_with_messages(
            request,
            services.decision_review_request,
            organisation=organisation,
            user=request.user,
            reasons=form.cleaned_data["reasons"],
            document=form.cleaned_data["document"],
            success=_("Thank you. Our staff will review the decision and email you their answer."),
        )
        return redirect("validation:application-detail")
    return render(
        request,
        "validation/review_request.html",
        {"form": form, "decision": decision, "organisation": organisation},
        status=400 if form.is_bound else 200,
    )
