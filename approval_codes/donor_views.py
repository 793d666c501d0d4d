"""The donor area, /donor/: a donor partner's people manage its API keys and webhook endpoints,
and read its recent requests, redemptions and webhook deliveries. Everything is scoped to the
person's donor (`_donor_object`: another donor's key, endpoint or delivery is a 404), and the
area is closed to a login without an authenticator app (MFA is required here)."""

import csv
from datetime import datetime, time
from functools import wraps

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from approval_codes import api_log, checker, donor_services, services
from approval_codes.errors import ApprovalCodeError
from approval_codes.models import (
    ApiKey,
    ApiRequest,
    DonorMembership,
    Redemption,
    WebhookDelivery,
    WebhookEndpoint,
)
from clearinghouse.service_calls import call_with_messages

PER_PAGE = 50


def donor_required(view):
    """Donor people only: anonymous → login; a login of no donor → 404 (the area does not
    exist for it); no authenticator app yet → set one up first. Sets `request.donor`."""

    @wraps(view)
    @never_cache
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        membership = DonorMembership.objects.select_related("donor").filter(user=user).first()
        if membership is None or not membership.donor.is_active or user.organisation_id:
            raise Http404  # a login of an organisation is never also a donor's
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            messages.warning(
                request,
                _("The donor area needs two-factor authentication. Set up an app first."),
            )
            return redirect("mfa_activate_totp")
        request.donor = membership.donor
        return view(request, *args, **kwargs)

    return wrapper


def _donor_object(request, queryset, pk):
    """One of the donor's own objects; another donor's is a 404."""
    return get_object_or_404(queryset, pk=pk)


def _test_mode(request) -> bool:
    """The lists show live data, or test data (`?mode=test`: what test keys did, about test
    organisations); never both at once."""
    return request.GET.get("mode") == "test"


def _keys(request):
    return ApiKey.objects.filter(donor=request.donor)


def _endpoints(request):
    return WebhookEndpoint.objects.filter(donor=request.donor)


def _deliveries(request):
    return WebhookDelivery.objects.filter(endpoint__donor=request.donor).select_related("endpoint")


def _create_from_home(request, service, /, **arguments):
    """A create form of the home page: `service` makes one of the donor's objects, live or
    test as the form's checkbox says; a rule that stops it is shown as an error message. Back
    to the home page, which shows what was made (so no success message, unlike
    `call_with_messages`)."""
    try:
        service(
            donor=request.donor,
            actor=request.user,
            is_test=bool(request.POST.get("is_test")),
            **arguments,
        )
    except ApprovalCodeError as error:
        messages.error(request, error.message)
    return redirect("donor:home")


@donor_required
def home(request):
    return render(
        request,
        "approval_codes/donor/home.html",
        {
            "donor": request.donor,
            "keys": [
                (key, checker.snippet(request, key) if key.kind == ApiKey.Kind.PUBLISHABLE else "")
                for key in _keys(request)
            ],
            "endpoints": _endpoints(request),
            "new_key": request.session.pop("donor_new_key", None),
        },
    )


@donor_required
@require_POST
def key_create(request):
    name = request.POST.get("name", "").strip()[:100]
    if not name:
        messages.error(request, _("Give the key a name, so you can tell your keys apart."))
        return redirect("donor:home")
    _api_key, key = services.api_key_issue(
        donor=request.donor,
        name=name,
        actor=request.user,
        is_test=bool(request.POST.get("is_test")),
    )
    request.session["donor_new_key"] = key  # shown once, on the next page
    return redirect("donor:home")


@donor_required
@require_POST
def publishable_key_create(request):
    origins = request.POST.get("origins", "").split()
    return _create_from_home(
        request,
        donor_services.publishable_key_issue,
        name=request.POST.get("name", "").strip()[:100] or _("Web form"),
        origins=origins[:20],
    )


@donor_required
def key_revoke(request, pk):
    api_key = _donor_object(request, _keys(request), pk)
    if request.method == "POST":
        services.api_key_revoke(api_key=api_key, actor=request.user)
        messages.success(
            request, _("The key is revoked; requests with it are refused from now on.")
        )
        return redirect("donor:home")
    return render(request, "approval_codes/donor/key_revoke.html", {"api_key": api_key})


@donor_required
@require_POST
def endpoint_create(request):
    return _create_from_home(
        request,
        donor_services.webhook_endpoint_create,
        url=request.POST.get("url", "").strip()[:500],
    )


@donor_required
def endpoint_detail(request, pk):
    endpoint = _donor_object(request, _endpoints(request), pk)
    deliveries = Paginator(_deliveries(request).filter(endpoint=endpoint), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "approval_codes/donor/endpoint_detail.html",
        {"endpoint": endpoint, "page_obj": deliveries},
    )


@donor_required
@require_POST
def endpoint_rotate(request, pk):
    endpoint = _donor_object(request, _endpoints(request), pk)
    call_with_messages(
        request,
        donor_services.webhook_endpoint_rotate_secret,
        success=_("New secret made. The previous one also signs deliveries for 24 hours."),
        endpoint=endpoint,
        actor=request.user,
    )
    return redirect("donor:endpoint-detail", pk=endpoint.pk)


@donor_required
@require_POST
def delivery_resend(request, pk):
    delivery = _donor_object(request, _deliveries(request), pk)
    if donor_services.webhook_delivery_resend(delivery=delivery, actor=request.user):
        messages.success(request, _("The event will be sent again in a moment."))
    else:
        messages.error(request, _("This event is still being sent, or its endpoint is off."))
    return redirect("donor:endpoint-detail", pk=delivery.endpoint_id)


@donor_required
def request_list(request):
    api_log.api_requests_flush()  # what is still waiting, so the list is up to date
    test = _test_mode(request)
    requests = ApiRequest.objects.filter(donor=request.donor, api_key__is_test=test)
    page = Paginator(requests.select_related("api_key"), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "approval_codes/donor/request_list.html", {"page_obj": page, "test_mode": test}
    )


def _date(value):
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except (TypeError, ValueError):
        return None


@donor_required
def redemption_list(request):
    search = request.GET.get("q", "").strip()[:100]
    since, until = _date(request.GET.get("from")), _date(request.GET.get("to"))
    test = _test_mode(request)
    redemptions = Redemption.objects.filter(
        donor=request.donor, code__organisation__is_test=test
    ).select_related("code__organisation")
    if search:
        redemptions = (
            redemptions.filter(reference__icontains=search)
            | redemptions.filter(offer__icontains=search)
            | redemptions.filter(code__organisation__legal_name__icontains=search)
        )
    zone = timezone.get_current_timezone()
    if since:
        redemptions = redemptions.filter(redeemed_at__gte=datetime.combine(since, time(), zone))
    if until:
        redemptions = redemptions.filter(redeemed_at__lt=datetime.combine(until, time.max, zone))
    if request.GET.get("format") == "csv":
        return _redemptions_csv(redemptions)
    page = Paginator(redemptions, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "approval_codes/donor/redemption_list.html",
        {"page_obj": page, "search": search, "since": since, "until": until, "test_mode": test},
    )


def _redemptions_csv(redemptions) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="redemptions.csv"'
    writer = csv.writer(response)
    writer.writerow(["redeemed_at", "code", "organisation", "handle", "reference", "offer"])
    for redemption in redemptions.iterator():
        organisation = redemption.code.organisation
        writer.writerow(
            [
                redemption.redeemed_at.isoformat(timespec="seconds"),
                redemption.code.code,
                _csv_safe(organisation.legal_name),
                organisation.handle,
                _csv_safe(redemption.reference),
                _csv_safe(redemption.offer),
            ]
        )
    return response


def _csv_safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
