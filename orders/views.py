from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import Right, organisation_required, user_has_right
from catalog.models import Programme
from catalog.selectors import products_with_terms
from clearinghouse.l10n import day
from clearinghouse.service_calls import confirm_page, form_submit
from orders import selectors, services
from orders.availability import quote_order
from orders.errors import OrderError
from orders.forms import CancelOrderForm, OrderForm, SubscriptionSeatsForm, UsageReportForm
from orders.invoice_documents import document_filename, payment_details
from orders.licence_usage import THRESHOLD_PERCENT

PAGE_SIZE = 25


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@organisation_required(Right.VIEW_PRODUCTS_ORDERS)
def order_list(request):
    orders = selectors.orders_for_user(request.user)
    return render(
        request,
        "orders/order_list.html",
        {
            "page_obj": _page(request, orders),
            "can_order": user_has_right(request.user, Right.PLACE_ORDERS),
            "can_see_invoices": user_has_right(request.user, Right.VIEW_PAY_INVOICES),
        },
    )


@organisation_required(Right.VIEW_PRODUCTS_ORDERS)
def catalogue(request):
    sections = selectors.catalogue_for(
        organisation=request.user.organisation, day=timezone.localdate()
    )
    return render(
        request,
        "catalog/product_list.html",
        {"sections": sections, "can_order": user_has_right(request.user, Right.PLACE_ORDERS)},
    )


@organisation_required(Right.PLACE_ORDERS)
@require_http_methods(["GET", "POST"])
def order_create(request, programme):
    """The order form, its review, and placement. The policy is asked at each step."""
    programme = get_object_or_404(
        Programme.objects.select_related("donor"), slug=programme, is_active=True
    )
    organisation = request.user.organisation
    day = timezone.localdate()
    products = list(products_with_terms(programme=programme))
    form = OrderForm(request.POST or None, products=products)
    context = {"programme": programme, "form": form}
    action = request.POST.get("action")
    if request.method == "POST" and action in ("review", "place") and form.is_valid():
        if action == "place":
            try:
                order = services.order_place(
                    organisation=organisation,
                    programme=programme,
                    quantities=form.quantities(),
                    placed_by=request.user,
                    idempotency_key=form.cleaned_data["idempotency_key"],
                    request_reason=form.reason(),
                )
            except OrderError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Your order is placed. The donor will review it."))
                return redirect("orders:order-detail", pk=order.pk)
        else:
            quote = quote_order(
                organisation=organisation,
                programme=programme,
                quantities=form.quantities(),
                day=day,
                request_reason=form.reason(),
            )
            if quote.ok:
                return render(request, "orders/order_review.html", {**context, "quote": quote})
            for reason in quote.reasons:
                form.add_error(None, reason)
    sections = selectors.catalogue_for(organisation=organisation, day=day, programme=programme)
    section = sections[0] if sections else None
    context["section"] = section
    context["rows"] = (
        [(row, form[form.field_name(row.product)]) for row in section.rows] if (section) else []
    )
    return render(request, "orders/order_form.html", context)


@organisation_required(Right.VIEW_PRODUCTS_ORDERS)
def order_detail(request, pk):
    order = selectors.order_for_user(user=request.user, pk=pk)
    return render(
        request,
        "orders/order_detail.html",
        {
            "order": order,
            "can_cancel": order.can_be_cancelled
            and user_has_right(request.user, Right.PLACE_ORDERS),
            "can_see_invoices": user_has_right(request.user, Right.VIEW_PAY_INVOICES),
        },
    )


@organisation_required(Right.PLACE_ORDERS)
@require_http_methods(["GET", "POST"])
def order_cancel(request, pk):
    order = selectors.order_for_user(user=request.user, pk=pk)
    return confirm_page(
        request,
        "orders/order_cancel.html",
        {"order": order, "form": CancelOrderForm()},
        services.order_cancel,
        order=order,
        cancelled_by=request.user,
        success=_("Order %(number)s is cancelled.") % {"number": order.number},
        done=reverse("orders:order-detail", args=[order.pk]),
    )


@organisation_required(Right.VIEW_PAY_INVOICES)
def invoice_list(request):
    invoices = selectors.invoices_for_user(request.user)
    return render(request, "orders/invoice_list.html", {"page_obj": _page(request, invoices)})


@organisation_required(Right.VIEW_PAY_INVOICES)
def invoice_detail(request, pk):
    invoice = selectors.invoice_for_user(user=request.user, pk=pk)
    return render(
        request,
        "orders/invoice_detail.html",
        {
            "invoice": invoice,
            "credit_note": getattr(invoice, "credit_note", None),
            "status": invoice.status_on(timezone.localdate()),
            "payment_details": payment_details(invoice),
        },
    )


def _document(request, pk, *, credit: bool, extension: str):
    """The invoice's (or its credit note's) PDF or UBL e-invoice; 404 when there is none."""
    invoice = selectors.invoice_for_user(user=request.user, pk=pk)
    credit_note = getattr(invoice, "credit_note", None) if credit else None
    if credit and credit_note is None:
        raise Http404
    if extension == "xml":
        if not invoice.customer_peppol_id:
            raise Http404
        from orders.ubl import invoice_ubl

        content, content_type = invoice_ubl(invoice, credit_note=credit_note), "application/xml"
        disposition = "attachment"
    else:
        from orders.invoice_pdf import invoice_pdf as render_pdf

        content, content_type = render_pdf(invoice, credit_note=credit_note), "application/pdf"
        disposition = "inline"
    response = HttpResponse(content, content_type=content_type)
    filename = document_filename(invoice=invoice, credit_note=credit_note, extension=extension)
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@organisation_required(Right.VIEW_PAY_INVOICES)
def invoice_pdf(request, pk):
    return _document(request, pk, credit=False, extension="pdf")


@organisation_required(Right.VIEW_PAY_INVOICES)
def invoice_ubl(request, pk):
    return _document(request, pk, credit=False, extension="xml")


@organisation_required(Right.VIEW_PAY_INVOICES)
def credit_note_pdf(request, pk):
    return _document(request, pk, credit=True, extension="pdf")


@organisation_required(Right.VIEW_PAY_INVOICES)
def credit_note_ubl(request, pk):
    return _document(request, pk, credit=True, extension="xml")


@organisation_required(Right.VIEW_PRODUCTS_ORDERS, post_right=Right.PLACE_ORDERS)
@require_http_methods(["GET", "POST"])
def licence_usage(request):
    organisation = request.user.organisation
    form = UsageReportForm(request.POST or None, request.FILES or None)
    if form_submit(
        request,
        form,
        services.licence_usage_report_upload,
        lambda data: {
            "organisation": organisation,
            "file": data["report"],
            "uploaded_by": request.user,
        },
        field="report",
        success=_("The report is counted."),
    ):
        return redirect("orders:licence-usage-detail")
    return render(
        request,
        "orders/licence_usage.html",
        {
            "form": form,
            "can_upload": request.may_post,
            "report": selectors.latest_usage_report(organisation=organisation),
            "page_obj": _page(request, selectors.usage_reports_of(organisation=organisation)),
            "grants_held": selectors.cloud_grants_held(organisation=organisation),
            "threshold": THRESHOLD_PERCENT,
        },
    )


@organisation_required(Right.VIEW_PRODUCTS_ORDERS)
def subscription_list(request):
    """Subscriptions and credits (R-MS-14): seats granted and paid, price, term, renewal."""
    return render(
        request,
        "orders/subscription_list.html",
        {
            "page_obj": _page(request, selectors.subscriptions_for_user(request.user)),
            "can_order": user_has_right(request.user, Right.PLACE_ORDERS),
            "today": timezone.localdate(),
        },
    )


@organisation_required(Right.PLACE_ORDERS)
@require_http_methods(["GET", "POST"])
def subscription_seats_change(request, pk):
    """Lower the seats, or end the subscription, from its next renewal (never mid-term)."""
    from orders.services_subscriptions import subscription_seats_schedule

    subscription = selectors.subscription_for_user(user=request.user, pk=pk)
    current = subscription.seats_at_renewal
    form = SubscriptionSeatsForm(
        request.POST or None,
        initial={"seats": subscription.seats if current is None else current},
    )
    if form_submit(
        request,
        form,
        subscription_seats_schedule,
        lambda data: {
            "subscription": subscription,
            "seats": data["seats"],
            "changed_by": request.user,
        },
        field="seats",
        success=_("Saved. The change takes effect at the renewal on %(date)s.")
        % {"date": day(subscription.renews_on)},
    ):
        return redirect("orders:subscription-list")
    return render(
        request,
        "orders/subscription_seats.html",
        {"subscription": subscription, "form": form},
    )
