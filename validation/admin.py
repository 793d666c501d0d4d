"""Staff review applications in Django admin (R-VAL-3, R-VAL-4, R-VAL-10).

The queue is the Application changelist: open applications oldest first, with business days
waiting. The application page shows everything submitted, the correspondence, the documents,
the history, and the decision controls. Every decision calls a service in validation.services.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.models import Organisation
from clearinghouse.admin import (
    AuditTrailInline,
    ReadOnlyAdminMixin,
    StaffPagesMixin,
    fieldset_fields,
)
from clearinghouse.audit import events_for
from validation import services
from validation.business_days import add_business_days
from validation.duplicates import organisation_duplicates
from validation.errors import ValidationRefused
from validation.models import (
    Application,
    ApplicationDocument,
    AttestationDeadline,
    EvidenceRequirement,
    LegalForm,
    SharedHost,
)
from validation.selectors import application_countries, application_queue

DECIDE_PERMISSION = "validation.decide_application"


class QueueStatusFilter(admin.SimpleListFilter):
    """By default the queue shows open applications (waiting for staff or the organisation)."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("all", _("All")), *Application.Status.choices]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("Open"),
        }
        for value, label in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset.open()
        if value == "all":
            return queryset
        return queryset.filter(status=value)


class CountryFilter(admin.SimpleListFilter):
    """Only the countries that applications come from, not the world's list."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = application_countries()
        return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])

    def queryset(self, request, queryset):
        return queryset.filter(country=self.value()) if self.value() else queryset


class OverdueFilter(admin.SimpleListFilter):
    title = _("decision deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("Overdue")),
            ("soon", _("Overdue or due within 2 business days")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        waiting = queryset.filter(status=Application.Status.SUBMITTED)
        if self.value() == "overdue":
            return waiting.filter(due_on__lt=today)
        if self.value() == "soon":
            return waiting.filter(due_on__lte=add_business_days(today, 2))
        return queryset


class DuplicateFilter(admin.SimpleListFilter):
    """R-VAL-8: applications of which another organisation has the number or the website."""

    title = _("possible duplicate")
    parameter_name = "duplicate"

    def lookups(self, request, model_admin):
        return [("yes", _("Possible duplicate")), ("no", _("No other account found"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(possible_duplicate=True)
        if self.value() == "no":
            return queryset.filter(possible_duplicate=False)
        return queryset


class QueuePaginator(Paginator):
    """The queue counts at most `CAP` + 1 rows: a full count reads every open application on
    each visit, the one cost of the page that would grow with the table. Past the cap the page
    says "more than" and offers the first `CAP` rows' pages; the filters narrow it."""

    CAP = 1000

    @cached_property
    def count(self) -> int:
        return self.object_list.values("pk")[: self.CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.CAP


@admin.register(Application)
class ApplicationAdmin(StaffPagesMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    change_form_template = "validation/admin/application_change_form.html"
    list_display = [
        "applicant",
        "type",
        "country",
        "status",
        "submitted_on",
        "days_waiting",
        "due_on",
        "overdue",
        "duplicate",
    ]
    list_filter = [
        QueueStatusFilter,
        CountryFilter,
        "type",
        OverdueFilter,
        DuplicateFilter,
        "kind",
    ]
    search_fields = [
        "legal_name",
        "organisation__legal_name",
        "organisation__handle",
        "registration_number",
        "organisation__account_holder__email",
    ]
    ordering = ["submitted_at", "id"]
    list_per_page = 50
    show_full_result_count = False
    paginator = QueuePaginator
    fieldsets = [
        (
            _("Submitted"),
            {
                "fields": [
                    "organisation_link",
                    "kind",
                    "status",
                    *Application.SUBMITTED_FIELDS,
                    "changed_fields",
                    "submitted_by",
                    "submitted_at",
                ]
            },
        ),
        (
            _("Deadline"),
            {"fields": ["days_waiting", "due_on", "clock_started_on", "business_days_banked"]},
        ),
        (_("Decision"), {"fields": ["decided_at", "decided_by", "decision_reason"]}),
    ]
    readonly_fields = fieldset_fields(fieldsets)
    inlines = [AuditTrailInline]
    staff_pages = (
        (
            "<int:application_id>/documents/<int:document_id>/",
            "document_view",
            "validation_application_document",
        ),
    )

    def get_queryset(self, request):
        return application_queue()

    @admin.display(description=_("organisation"), ordering="legal_name")
    def applicant(self, application):
        return format_html(
            "{}<br><small>@{}</small>", application.legal_name, application.organisation.handle
        )

    @admin.display(description=_("submitted"), ordering="submitted_at")
    def submitted_on(self, application):
        return date_format(timezone.localtime(application.submitted_at), "SHORT_DATE_FORMAT")

    @admin.display(description=_("business days waiting"))
    def days_waiting(self, application):
        return application.business_days_waiting()

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, application):
        return application.is_overdue()

    @admin.display(description=_("possible duplicate"), boolean=True)
    def duplicate(self, application):
        return application.possible_duplicate

    @admin.display(description=_("organisation"))
    def organisation_link(self, application):
        organisation = application.organisation
        return format_html(
            '<a href="{}">{}</a> · @{} · {}',
            reverse("admin:accounts_organisation_change", args=[organisation.pk]),
            organisation.legal_name,
            organisation.handle,
            organisation.get_status_display(),
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": _("Validation queue"), **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra_context)

    def document_view(self, request, application_id, document_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        document = get_object_or_404(
            ApplicationDocument, pk=document_id, application_id=application_id
        )
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        return FileResponse(
            handle,
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type or "application/octet-stream",
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST" and any(
            name in request.POST
            for name in ("_approve", "_deny", "_request_information", "_revoke", "_reinstate")
        ):
            return self._decide(request, object_id)
        application = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if application is not None:
            organisation = application.organisation
            extra_context.update(
                {
                    "can_decide": request.user.has_perm(DECIDE_PERMISSION),
                    "application_obj": application,
                    "correspondence": application.messages.select_related(
                        "author"
                    ).prefetch_related("documents"),
                    "documents": application.documents.all(),
                    "attestations": application.attestations.select_related("attested_by"),
                    "organisation_history": events_for(organisation)[:50],
                    "deadline": AttestationDeadline.objects.filter(
                        organisation=organisation
                    ).first(),
                    "can_revoke": organisation.status in Organisation.VALIDATED_STATUSES,
                    "can_reinstate": organisation.status == Organisation.Status.REVOKED,
                    "review_of": application.review_of,
                    "review_of_revocation": application.review_of_revocation,
                    "other_applications": organisation.applications.exclude(pk=application.pk),
                    "duplicates": [
                        {
                            "duplicate": duplicate,
                            "history": events_for(duplicate.organisation)[:20],
                            "applications": duplicate.organisation.applications.all(),
                        }
                        for duplicate in organisation_duplicates(organisation=organisation)
                    ],
                }
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def _decide(self, request, object_id):
        if not request.user.has_perm(DECIDE_PERMISSION):
            raise PermissionDenied
        application = self.get_object(request, object_id)
        if application is None:
            raise Http404
        reason = request.POST.get("reason", "")
        try:
            if "_approve" in request.POST:
                services.application_approve(
                    application=application,
                    actor=request.user,
                    reason=reason,
                    branch_note=request.POST.get("branch_note", ""),
                )
                done = _("Approved. The organisation is told by email.")
            elif "_deny" in request.POST:
                services.application_deny(
                    application=application, actor=request.user, reason=reason
                )
                done = _("Denied. The organisation is told the reason by email.")
            elif "_request_information" in request.POST:
                services.application_request_information(
                    application=application, actor=request.user, message=reason
                )
                done = _("More information requested. The organisation is told by email.")
            elif "_reinstate" in request.POST:
                services.organisation_reinstate(
                    organisation=application.organisation, actor=request.user, reason=reason
                )
                done = _("Reinstated. The organisation is told by email.")
            else:
                services.organisation_revoke(
                    organisation=application.organisation, actor=request.user, reason=reason
                )
                done = _("Validation revoked. The organisation is told the reason by email.")
        except ValidationRefused as error:
            self.message_user(request, error.message, level=messages.ERROR)
        else:
            self.message_user(request, done, level=messages.SUCCESS)
        return HttpResponseRedirect(request.path)


@admin.register(AttestationDeadline)
class AttestationDeadlineAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "organisation",
        "due_on",
        "first_reminder_sent_at",
        "second_reminder_sent_at",
        "lapsed_at",
    ]
    list_select_related = ["organisation"]
    search_fields = ["organisation__legal_name", "organisation__handle"]
    date_hierarchy = "due_on"


@admin.register(SharedHost)
class SharedHostAdmin(admin.ModelAdmin):
    """Website hosts many organisations share: a website there is no sign of a duplicate."""

    list_display = ["domain", "note"]
    search_fields = ["domain", "note"]


@admin.register(LegalForm)
class LegalFormAdmin(admin.ModelAdmin):
    """The legal forms an applicant chooses from, per country."""

    list_display = ["name", "country", "is_active", "position"]
    list_filter = ["country", "is_active"]
    list_editable = ["is_active", "position"]
    search_fields = ["name"]


@admin.register(EvidenceRequirement)
class EvidenceRequirementAdmin(admin.ModelAdmin):
    """The documents an applicant attaches, by country, legal form and organisation type."""

    list_display = ["description", "country", "legal_form", "organisation_type", "is_active"]
    list_filter = ["country", "organisation_type", "is_active"]
    list_select_related = ["legal_form"]
    search_fields = ["description", "description_sv", "description_nb"]
