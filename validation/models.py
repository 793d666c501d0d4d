"""Applications for validation, staff's messages and the organisation's answers, documents,
attestations and the yearly attestation deadline (R-VAL-1 … R-VAL-6).

The organisation's validation status itself is `accounts.Organisation.status`; only
`validation.status.organisation_move` changes it.
"""

import uuid
from pathlib import Path

from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from accounts.models import Organisation
from clearinghouse.model_fields import by_user, organisation_field
from validation.business_days import business_days_between


class Statement(models.TextChoices):
    """The attestations an organisation makes, each its own required checkbox (R-VAL-2, R-VAL-7)."""

    BENEFIT_OF_SOCIETY = (
        "benefit_of_society",
        _("Our organisation works for the benefit of society."),
    )
    # R-VAL-7 in full: every area and every ground the policy names.
    ANTI_DISCRIMINATION = (
        "anti_discrimination",
        _(
            "We accept the anti-discrimination policy: our organisation does not discriminate "
            "in hiring, pay and compensation, promotion, termination, retirement, training, "
            "programmes, activities and/or services on the basis of race, colour, sex, "
            "nationality, religion, age, disability, gender identity or expression, marital "
            "status, pregnancy, sexual orientation, political affiliation, union membership or "
            "veteran status. We understand that an organisation that does is not eligible."
        ),
    )
    ELIGIBLE_STAFF_ONLY = (
        "eligible_staff_only",
        _("We will assign donated licences only to eligible staff of our organisation."),
    )
    OWN_USE_ONLY = (
        "own_use_only",
        _(
            "We will use licences only inside our organisation, not for partners, affiliates or "
            "sister organisations, and never share, transfer, rent or resell them."
        ),
    )


# MEDIA_ROOT is private: nothing serves it by URL (settings.py); staff download through admin.
_PRIVATE_STORAGE = FileSystemStorage()


def _private_storage():
    return _PRIVATE_STORAGE


def _document_path(instance, filename):
    suffix = Path(filename).suffix.lower()
    return f"validation/{instance.application.organisation_id}/{uuid.uuid4().hex}{suffix}"


class ApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=Application.OPEN_STATUSES)


class Application(models.Model):
    """One review of an organisation by staff: a first application, a new one after a
    denial, or a review after the organisation changed its name, country or type."""

    class Kind(models.TextChoices):
        APPLICATION = "application", _("Application")
        REAPPLICATION = "reapplication", _("New application after denial")
        RE_REVIEW = "re_review", _("Review after changed details")
        DECISION_REVIEW = "decision_review", _("Review of a decision")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for staff")
        MORE_INFORMATION = "more_information", _("Waiting for the organisation")
        APPROVED = "approved", _("Approved")
        DENIED = "denied", _("Denied")

    OPEN_STATUSES = (Status.SUBMITTED, Status.MORE_INFORMATION)
    # What the organisation submits, in the order the form asks and staff read it.
    SUBMITTED_FIELDS = (
        "legal_name",
        "type",
        "country",
        "legal_form",
        "registration_number",
        "address",
        "website",
        "mission",
    )

    organisation = organisation_field("applications", on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    # What the organisation submitted (kept as it was, for the history).
    legal_name = models.CharField(_("legal name"), max_length=200)
    type = models.CharField(
        _("organisation type"), max_length=20, choices=Organisation.Type.choices
    )
    country = CountryField(_("country"))
    registration_number = models.CharField(_("registration number"), max_length=50)
    address = models.TextField(_("address"))
    website = models.URLField(_("website"), blank=True)
    mission = models.TextField(_("mission"), blank=True)
    legal_form = models.ForeignKey(
        "validation.LegalForm",
        verbose_name=_("legal form"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_fields = models.JSONField(
        _("changed details"),
        default=dict,
        blank=True,
        help_text=_("For a review after changed details: each changed field, old and new."),
    )
    submitted_by = by_user(_("submitted by"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now, db_index=True)
    # The business-day clock (R-VAL-4): days banked before the last pause, the date the clock
    # last (re)started, and the due date while it runs (empty while waiting for the organisation).
    business_days_banked = models.PositiveIntegerField(_("business days banked"), default=0)
    clock_started_on = models.DateField(_("clock started"))
    due_on = models.DateField(_("decision due"), null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = by_user(_("decided by"), blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    # R-VAL-10: a review of a decision names the decision: a denied application, or the
    # revocation (its audit event). Each decision is reviewed at most once.
    review_of = models.OneToOneField(
        "self",
        verbose_name=_("denial under review"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="review",
    )
    review_of_revocation = models.OneToOneField(
        "clearinghouse.AuditEvent",
        verbose_name=_("revocation under review"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="review",
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["submitted_at", "id"]
        permissions = [
            (
                "decide_application",
                "Can decide applications (approve, deny, request information, revoke)",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(status__in=["submitted", "more_information"]),
                name="validation_one_open_application_per_organisation",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="denied") | ~models.Q(decision_reason=""),
                name="validation_denial_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="decision_review")
                | models.Q(review_of__isnull=False)
                | models.Q(review_of_revocation__isnull=False),
                name="validation_review_names_its_decision",
            ),
        ]
        # The staff queue's orders (admin): oldest first within the open applications (the
        # default), within one status, or over all; each walks an index to its first page
        # instead of sorting every row. `country` lets the country filter list the countries
        # without reading every application (`selectors.application_countries`).
        indexes = [
            models.Index(
                fields=["submitted_at", "id"],
                condition=models.Q(status__in=["submitted", "more_information"]),
                name="application_open_queue_idx",
            ),
            models.Index(fields=["status", "submitted_at", "id"], name="application_status_idx"),
            models.Index(fields=["submitted_at", "id"], name="application_queue_idx"),
            models.Index(fields=["country"], name="application_country_idx"),
        ]

    def __str__(self):
        return f"{self.legal_name} ({self.get_kind_display()})"

    def business_days_waiting(self, *, today=None) -> int:
        """Business days the application has waited for staff; time spent waiting for the
        organisation's answer does not count (R-VAL-4)."""
        if self.status == self.Status.SUBMITTED:
            end = today or timezone.localdate()
        elif self.status == self.Status.MORE_INFORMATION:
            return self.business_days_banked
        else:
            end = timezone.localdate(self.decided_at) if self.decided_at else self.clock_started_on
        return self.business_days_banked + business_days_between(self.clock_started_on, end)

    def is_overdue(self, *, today=None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status == self.Status.SUBMITTED and self.due_on is not None and self.due_on < today
        )


class ApplicationMessage(models.Model):
    """Staff's request for more information, or the organisation's answer."""

    class Kind(models.TextChoices):
        REQUEST = "request", _("Request from staff")
        ANSWER = "answer", _("Answer from the organisation")
        REVIEW_REASONS = "review_reasons", _("Reasons for a review")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    body = models.TextField(_("message"))
    author = by_user(_("author"))
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"


class ApplicationDocument(models.Model):
    """A document the organisation uploaded with an answer. Stored privately (never served by
    URL); staff download it through admin."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    message = models.ForeignKey(
        ApplicationMessage,
        verbose_name=_("message"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    file = models.FileField(_("file"), storage=_private_storage, upload_to=_document_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = by_user(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class Attestation(models.Model):
    """The organisation's attestations, made when it applies and then once a year (R-VAL-6)."""

    organisation = organisation_field("attestations", on_delete=models.CASCADE)
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attestations",
    )
    statements = models.JSONField(_("statements"), default=list)
    # R-VAL-6: the main and billing contacts as the organisation confirmed them, yearly.
    contacts_confirmed = models.JSONField(_("contacts confirmed"), default=dict, blank=True)
    attested_by = by_user(_("attested by"))
    attested_at = models.DateTimeField(_("attested"), default=timezone.now)

    class Meta:
        verbose_name = _("attestation")
        verbose_name_plural = _("attestations")
        ordering = ["-attested_at", "-id"]

    def __str__(self):
        return f"{self.organisation} {self.attested_at:%Y-%m-%d}"

    def statement_labels(self) -> list[str]:
        labels = dict(Statement.choices)
        return [str(labels.get(statement, statement)) for statement in self.statements]


class AttestationDeadline(models.Model):
    """When an approved organisation must attest next, and which reminders were sent for this
    deadline (each once: the jobs claim the row before sending)."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="attestation_deadline",
    )
    due_on = models.DateField(_("attest by"), db_index=True)
    first_reminder_sent_at = models.DateTimeField(_("30-day reminder sent"), null=True, blank=True)
    second_reminder_sent_at = models.DateTimeField(_("7-day reminder sent"), null=True, blank=True)
    lapsed_at = models.DateTimeField(_("lapsed"), null=True, blank=True)

    class Meta:
        verbose_name = _("attestation deadline")
        verbose_name_plural = _("attestation deadlines")

    def __str__(self):
        return f"{self.organisation}: {self.due_on}"


class StaffDigest(models.Model):
    """One row per day the overdue digest was sent to validation staff (sent once a day)."""

    sent_on = models.DateField(_("sent on"), unique=True)
    application_count = models.PositiveIntegerField(_("applications"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("staff digest")
        verbose_name_plural = _("staff digests")

    def __str__(self):
        return str(self.sent_on)


class SharedHost(models.Model):
    """A website host many unrelated organisations use (wixsite.com, wordpress.com, …): a
    website there is compared by its full host, never by the shared domain (R-VAL-8).
    Staff keep the list in admin."""

    domain = models.CharField(
        _("domain"),
        max_length=255,
        unique=True,
        help_text=_("The registrable domain, in lower case, e.g. wixsite.com."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("shared website host")
        verbose_name_plural = _("shared website hosts")
        ordering = ["domain"]

    def __str__(self):
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower().removeprefix("www.")
        super().save(*args, **kwargs)


class LegalForm(models.Model):
    """A legal form an applicant may choose for its country (ideell förening, stiftelse, …).
    Staff keep the list in admin (R-VAL-3)."""

    country = CountryField(_("country"))
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("offered"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("legal form")
        verbose_name_plural = _("legal forms")
        ordering = ["country", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "name"], name="legal_form_unique_per_country"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.country.code})"


class EvidenceRequirement(models.Model):
    """A document an applicant attaches to prove its status (R-VAL-3), by country, legal form
    and organisation type; an empty country, legal form or type means any. Staff edit the
    defaults in admin; the text is shown in the applicant's language where given."""

    country = CountryField(_("country"), blank=True)
    legal_form = models.ForeignKey(
        LegalForm,
        verbose_name=_("legal form"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence_requirements",
    )
    organisation_type = models.CharField(
        _("organisation type"), max_length=20, choices=Organisation.Type.choices, blank=True
    )
    description = models.CharField(_("what to attach (English)"), max_length=300)
    description_sv = models.CharField(_("what to attach (Swedish)"), max_length=300, blank=True)
    description_nb = models.CharField(
        _("what to attach (Norwegian Bokmål)"), max_length=300, blank=True
    )
    is_active = models.BooleanField(_("asked for"), default=True)

    class Meta:
        verbose_name = _("evidence requirement")
        verbose_name_plural = _("evidence requirements")
        ordering = ["country", "legal_form__name", "organisation_type", "id"]

    def __str__(self):
        return self.description

    def text(self, language: str) -> str:
        language = (language or "en").split("-")[0].lower()
        return getattr(self, f"description_{language}", "") or self.description
