from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from clearinghouse.errors import DomainError
from clearinghouse.models import AuditEvent, OutboundEmail, SitePage
from clearinghouse.time_zones import time_zone_names, time_zone_of
from clearinghouse.timeline import TargetTypeFilter, Timeline, VerbFilter


class ReadOnlyAdminMixin:
    """Staff look and never add, change or delete here (the change goes through a service, or
    the record is a log); viewing needs only the view permission."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StaffPagesMixin:
    """For a ModelAdmin with pages of its own beside the changelist and the change form.

    `staff_pages` lists them as (route, method name, URL name): each is wrapped by
    `admin_site.admin_view` (signed-in staff only; the method checks its own permission) and
    comes before the admin's own URLs. `render_page` draws one in the admin's frame.
    `page_links` maps a column or field that links to such a page to the permission the page
    needs: staff without it do not see the link.
    """

    staff_pages: tuple[tuple[str, str, str], ...] = ()
    page_links: dict[str, str] = {}

    def _linked_pages_permitted(self, request, names):
        user = request.user
        return [
            name
            for name in names
            if name not in self.page_links or user.has_perm(self.page_links[name])
        ]

    def get_list_display(self, request):
        return self._linked_pages_permitted(request, super().get_list_display(request))

    def get_fields(self, request, obj=None):
        return self._linked_pages_permitted(request, super().get_fields(request, obj))

    def get_readonly_fields(self, request, obj=None):
        return self._linked_pages_permitted(request, super().get_readonly_fields(request, obj))

    def get_urls(self):
        view = self.admin_site.admin_view
        pages = [
            path(route, view(getattr(self, method)), name=name)
            for route, method, name in self.staff_pages
        ]
        return [*pages, *super().get_urls()]

    def action_page(self, request, template, title, act, /, *, success, done, form=None, **context):
        """A page that acts through one service. A POST (with `form`: a valid one) calls `act()`;
        when it works, `success` is shown (a string, or a function of what `act` returned) and
        the page redirects to `done`; when a rule stops it, the page is drawn again with the
        error on `form` or, without a form, as `error`."""
        error = ""
        if request.method == "POST" and (form is None or form.is_valid()):
            try:
                result = act()
            except DomainError as exc:
                if form is None:
                    error = exc.message
                else:
                    exc.add_to(form)
            else:
                messages.success(request, success(result) if callable(success) else success)
                return redirect(done)
        return self.render_page(request, template, title, form=form, error=error, **context)

    def render_page(self, request, template, title, **context):
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "title": title,
                "opts": self.model._meta,
                **context,
            },
        )


def fieldset_fields(fieldsets) -> list[str]:
    """Every field named in `fieldsets`, in order (for an admin that shows them all read-only)."""
    return [field for _name, options in fieldsets for field in options["fields"]]


class AuditTrailInline(ReadOnlyAdminMixin, GenericTabularInline):
    """Add to any ModelAdmin's `inlines` to show that object's audit trail, newest first, as
    sentences in the staff member's time zone (issue 13, item 8)."""

    model = AuditEvent
    ct_field = "target_type"
    ct_fk_field = "target_id"
    fields = ["when", "sentence", "details"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("audit trail")
    ordering = ["-created_at", "-id"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def get_formset(self, request, obj=None, **kwargs):
        # Inline instances are made per request, so the request may live on this one.
        self._timeline = Timeline(request)
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description=_("time"))
    def when(self, event):
        return self._timeline.when(event)

    @admin.display(description=_("what happened"))
    def sentence(self, event):
        return self._timeline.sentence(event)

    @admin.display(description=_("details"))
    def details(self, event):
        return self._timeline.details(event)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The whole trail as a timeline: columns per request, since links depend on who looks."""

    list_filter = [VerbFilter, ("target_type", TargetTypeFilter)]
    search_fields = ["verb", "actor_label", "organisation__legal_name"]
    list_select_related = ["actor", "target_type", "organisation"]
    date_hierarchy = "created_at"
    change_list_template = "admin/clearinghouse/auditevent/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("target")

    def get_list_display(self, request):
        # The organisation is left out: the object names it, and the columns fit beside the
        # filters at 1280 px.
        timeline = Timeline(request)
        return [timeline.when, timeline.sentence, timeline.target, timeline.details]

    def get_list_display_links(self, request, list_display):
        return [list_display[0]]

    def get_fields(self, request, obj=None):
        timeline = Timeline(request)
        return [timeline.when, timeline.sentence, timeline.target, "organisation", timeline.details]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def get_urls(self):
        return [
            path(
                "time-zone/",
                self.admin_site.admin_view(self.time_zone_view),
                name="clearinghouse_auditevent_time_zone",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "time_zone": time_zone_of(request.user)}
        return super().changelist_view(request, extra_context)

    def time_zone_view(self, request):
        """Any staff member picks the zone admin shows times in."""
        form = TimeZoneForm(request.POST or None, initial={"time_zone": request.user.time_zone})
        if request.method == "POST" and form.is_valid():
            request.user.time_zone = form.cleaned_data["time_zone"]
            request.user.save(update_fields=["time_zone"])
            messages.success(
                request,
                _("Times are now shown in %(zone)s.") % {"zone": time_zone_of(request.user)},
            )
            return redirect("admin:clearinghouse_auditevent_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Your time zone"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/clearinghouse/time_zone.html", context)


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_("Empty means the portal's own zone."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = _("The portal's zone (%(zone)s)") % {"zone": settings.TIME_ZONE}
        self.fields["time_zone"].choices = [("", default)] + [
            (name, name) for name in time_zone_names()
        ]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "sent_at", "attempts"]
    list_filter = ["template", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin):
    """The footer's contact, privacy and terms pages: one text per language."""

    list_display = ["slug", "language", "title", "updated_at"]
    list_filter = ["slug", "language"]
