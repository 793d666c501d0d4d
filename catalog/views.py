from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import Right, organisation_required
from catalog.forms import CertificateForm
from catalog.selectors import certificates_of
from catalog.services import certificate_upload
from clearinghouse.service_calls import form_submit


@organisation_required(Right.VIEW_PRODUCTS_ORDERS, post_right=Right.PLACE_ORDERS)
@require_http_methods(["GET", "POST"])
def certificate_list(request):
    """The donor's validation certificates (R-MS-4): the list, and the form to send one."""
    organisation = request.user.organisation
    form = CertificateForm(request.POST or None, request.FILES or None)

    def arguments(data):
        details = {name: data[name] for name in ("donor", "file", "issued_on")}
        return {"organisation": organisation, "uploaded_by": request.user, **details}

    if form_submit(
        request,
        form,
        certificate_upload,
        arguments,
        field="issued_on",
        success=_("Thank you. We will check the certificate shortly."),
    ):
        return redirect("catalog:certificate-list")
    return render(
        request,
        "catalog/certificate_list.html",
        {
            "certificates": certificates_of(organisation=organisation),
            "form": form,
            "can_upload": request.may_post,
            "today": timezone.localdate(),
        },
    )
