from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from clearinghouse.model_fields import by_user


class AuditEvent(models.Model):
    """One thing that happened: who did what to which object, when, and why.

    Append-only: rows are written by `clearinghouse.audit.record_event` and never changed.
    """

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = by_user(
        _("actor"),
        blank=True,
        help_text=_("Empty when the system acted (a scheduled job, a donor's API call)."),
    )
    actor_label = models.CharField(_("actor label"), max_length=200, blank=True)
    verb = models.CharField(_("what happened"), max_length=64)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "-created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only.")


class OutboundEmail(models.Model):
    """A message recorded in the same transaction as the change that caused it.

    Celery delivers it after commit; `undelivered_email_resend` picks up whatever a broker or
    SMTP outage left behind. `claimed_until` keeps two workers from sending the same row.
    """

    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    template = models.CharField(_("template"), max_length=100)
    to = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing email")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbound_email_unsent",
                condition=models.Q(sent_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.subject} → {self.to}"


class SitePage(models.Model):
    """The text of a footer page (contact, privacy, terms) in one language, written by staff."""

    class Slug(models.TextChoices):
        CONTACT = "contact", _("Contact")
        PRIVACY = "privacy", _("Privacy")
        TERMS = "terms", _("Terms of use")

    slug = models.CharField(_("page"), max_length=20, choices=Slug.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(
        _("text"), help_text=_("Plain text; an empty line starts a new paragraph.")
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("footer page")
        verbose_name_plural = _("footer pages")
        ordering = ["slug", "language"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "language"], name="site_page_once_per_language")
        ]

    def __str__(self):
        return f"{self.get_slug_display()} ({self.language})"


class OutboundEmailAttachment(models.Model):
    """A file sent with a recorded message (an invoice's PDF, R-CON-4), stored with it so that
    a later delivery or resend carries exactly what was recorded."""

    email = models.ForeignKey(OutboundEmail, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    content = models.BinaryField(_("content"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self):
        return self.filename
