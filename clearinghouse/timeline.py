"""The audit trail as staff read it: one translated sentence per event (issue 13, item 8).

"Anna Berg approved the application", the time in the staff member's own zone, links to the
actor and to the object only when this staff member may view them, and the raw details in a
collapsed <details>. Every verb passed to `record_event` has a sentence below; a verb without
one reads as the neutral `FALLBACK`.
"""

import json

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from clearinghouse.l10n import moment

FALLBACK = _("%(actor)s made a change")

SENTENCES = {
    # accounts: organisations, contacts, join requests
    "organisation.created": _("%(actor)s registered the organisation"),
    "organisation.account_holder_changed": _("%(actor)s changed the account holder"),
    "organisation.billing_details_changed": _("%(actor)s changed the billing details"),
    "organisation.hand_over_started": _("%(actor)s started handing over the account"),
    "organisation.hand_over_cancelled": _("%(actor)s cancelled the hand-over of the account"),
    "contact.created": _("%(actor)s added a contact"),
    "contact.updated": _("%(actor)s changed a contact"),
    "contact.removed": _("%(actor)s removed a contact"),
    "contact.rights_changed": _("%(actor)s changed a contact's rights"),
    "contact.email_category_stopped": _("%(actor)s stopped a kind of email to a contact"),
    "contact.invitation_sent": _("%(actor)s invited a contact"),
    "contact.invitation_accepted": _("%(actor)s accepted the invitation"),
    "contact.invitation_cancelled": _("%(actor)s cancelled an invitation"),
    "contact.password_set": _("%(actor)s set a password"),
    "contact.sub_account_activated": _("%(actor)s activated a sub-account"),
    "contact.sub_account_deactivated": _("%(actor)s deactivated a sub-account"),
    "join_request.created": _("%(actor)s asked to join the organisation"),
    "join_request.accepted": _("%(actor)s accepted a request to join"),
    "join_request.declined": _("%(actor)s declined a request to join"),
    "join_request.cancelled": _("%(actor)s cancelled a request to join"),
    # validation
    "validation.application_submitted": _("%(actor)s submitted the application"),
    "validation.application_approved": _("%(actor)s approved the application"),
    "validation.application_denied": _("%(actor)s denied the application"),
    "validation.approved_as_separate_branch": _(
        "%(actor)s approved the application as a separate branch"
    ),
    "validation.information_requested": _("%(actor)s asked for more information"),
    "validation.information_given": _("%(actor)s answered the request for information"),
    "validation.review_requested": _("%(actor)s asked for the decision to be reviewed"),
    "validation.status_changed": _("%(actor)s changed the organisation's status to “%(status)s”"),
    "validation.details_changed": _("%(actor)s changed the organisation's details"),
    "validation.attested": _("%(actor)s attested that the organisation still complies"),
    "validation.attestation_reminder_sent": _("%(actor)s sent the attestation reminder"),
    # approval codes and the donor side
    "approval_code.issued": _("%(actor)s created an approval code"),
    "approval_code.emailed": _("%(actor)s emailed an approval code"),
    "approval_code.renewed": _("%(actor)s renewed an approval code"),
    "approval_code.revoked": _("%(actor)s revoked an approval code"),
    "approval_code.redeemed": _("%(actor)s redeemed an approval code"),
    "approval_code.expired": _("%(actor)s marked approval codes as expired"),
    "approval_code.reminded": _("%(actor)s sent a reminder that an approval code expires"),
    "approval_code.expiry_notice": _("%(actor)s sent the notice that an approval code expired"),
    "api_key.issued": _("%(actor)s issued an API key"),
    "api_key.revoked": _("%(actor)s revoked an API key"),
    "donor_person.invited": _("%(actor)s invited a person to the donor's area"),
    "webhook_endpoint.created": _("%(actor)s added a webhook endpoint"),
    "webhook_endpoint.disabled": _("%(actor)s disabled a webhook endpoint"),
    "webhook_endpoint.secret_rotated": _("%(actor)s rotated a webhook endpoint's secret"),
    "webhook_delivery.resent": _("%(actor)s resent a webhook delivery"),
    # catalogue
    "catalog.certificate_uploaded": _("%(actor)s uploaded a donor certificate"),
    "catalog.certificate_confirmed": _("%(actor)s confirmed a donor certificate"),
    "catalog.certificate_rejected": _("%(actor)s rejected a donor certificate"),
    # orders, subscriptions, invoices
    "orders.order_placed": _("%(actor)s placed the order"),
    "orders.order_submitted": _("%(actor)s put the order back in the queue"),
    "orders.order_on_hold": _("%(actor)s put the order on hold"),
    "orders.order_granted": _("%(actor)s granted the order"),
    "orders.order_refused": _("%(actor)s refused the order"),
    "orders.order_cancelled": _("%(actor)s cancelled the order"),
    "orders.order_fulfilled": _("%(actor)s fulfilled the order"),
    "orders.subscription_started": _("%(actor)s started the subscription"),
    "orders.subscription_seats_added": _("%(actor)s added seats to the subscription"),
    "orders.subscription_seats_taken_back": _(
        "%(actor)s took the seats of a cancelled order out of the subscription"
    ),
    "orders.subscription_change_scheduled": _("%(actor)s scheduled a change of the subscription"),
    "orders.subscription_renewed": _("%(actor)s renewed the subscription"),
    "orders.subscription_lapsed": _("%(actor)s let the subscription lapse"),
    "orders.subscription_ended": _("%(actor)s ended the subscription"),
    "orders.credit_ended": _("%(actor)s ended the credit"),
    "orders.invoice_issued": _("%(actor)s issued the invoice"),
    "orders.invoice_reminded": _("%(actor)s sent a payment reminder"),
    "orders.payment_recorded": _("%(actor)s recorded a payment"),
    "orders.credit_note_issued": _("%(actor)s issued a credit note"),
    "orders.licence_usage_reported": _("%(actor)s reported licence use"),
    "orders.licence_usage_reminded": _("%(actor)s sent a reminder to report licence use"),
}


def verb_label(verb: str) -> str:
    """What a verb means, for the filter: its sentence with "Someone" as the actor."""
    return str(SENTENCES.get(verb, FALLBACK)) % {
        "actor": _("Someone"),
        "status": "…",
        "verb": verb,
    }


class VerbFilter(admin.SimpleListFilter):
    """Filter by what happened, in words, for the verbs the trail holds."""

    title = _("what happened")
    parameter_name = "verb"

    def lookups(self, request, model_admin):
        verbs = model_admin.get_queryset(request).order_by().values_list("verb", flat=True)
        choices = [(verb, verb_label(verb)) for verb in set(verbs)]
        return sorted(choices, key=lambda choice: choice[1])

    def queryset(self, request, queryset):
        return queryset.filter(verb=self.value()) if self.value() else queryset


class TargetTypeFilter(admin.RelatedOnlyFieldListFilter):
    """Only the kinds of object the trail is about, with a title in words."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = _("kind of object")


def _status_label(event) -> str:
    from accounts.models import Organisation

    value = (event.data or {}).get("to", "")
    try:
        return str(Organisation.Status(value).label)
    except ValueError:
        return str(value)


def _admin_url(request, obj) -> str | None:
    """The admin page of `obj`, when this staff member may view it; else None."""
    if obj is None:
        return None
    model_admin = admin.site._registry.get(type(obj))
    if model_admin is None or not model_admin.has_view_permission(request, obj):
        return None
    opts = obj._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return None


def _link_or_text(url: str | None, text: str) -> SafeString:
    return format_html('<a href="{}">{}</a>', url, text) if url else conditional_escape(text)


def actor_name(event) -> str:
    user = event.actor
    if user is not None:
        return user.get_full_name() or user.email
    if event.actor_label and event.actor_label != "system":
        # A scheduled job or a donor's API call names itself ("expiry reminders").
        return str(_("The portal (%(job)s)") % {"job": event.actor_label})
    return str(_("The portal"))


def sentence(event, request) -> SafeString:
    """The event in words, the actor linked to their user page if this staff member may see it."""
    template = SENTENCES.get(event.verb, FALLBACK)
    actor_url = _admin_url(request, event.actor) if event.actor_id else None
    values = {
        "actor": _link_or_text(actor_url, actor_name(event)),
        "verb": conditional_escape(event.verb),
        "status": conditional_escape(_status_label(event)),
    }
    return mark_safe(conditional_escape(str(template)) % values)


def when(event) -> SafeString:
    """The time in the active zone (the staff member's), in the language's format."""
    return format_html(
        '<time datetime="{}">{}</time>', event.created_at.isoformat(), moment(event.created_at)
    )


def target_link(event, request) -> SafeString:
    target = event.target
    if target is None:
        return conditional_escape(f"{event.target_type.name} #{event.target_id}")
    return _link_or_text(_admin_url(request, target), str(target))


def details(event) -> SafeString:
    """The raw record (verb and data), collapsed: staff open it when the sentence is not enough."""
    data = json.dumps(event.data or {}, indent=2, ensure_ascii=False, sort_keys=True)
    return format_html(
        "<details><summary>{}</summary><code>{}</code><pre>{}</pre></details>",
        _("Details"),
        event.verb,
        data,
    )


class Timeline:
    """The columns of the audit trail for one request (permissions and zone are per person)."""

    def __init__(self, request):
        self.request = request

    @admin.display(description=_("time"))
    def when(self, event):
        return when(event)

    @admin.display(description=_("what happened"))
    def sentence(self, event):
        return sentence(event, self.request)

    @admin.display(description=_("object"))
    def target(self, event):
        return target_link(event, self.request)

    @admin.display(description=_("details"))
    def details(self, event):
        return details(event)
