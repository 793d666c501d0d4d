import base64
import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approval_codes.errors import CodeInvalidReason
from clearinghouse.model_fields import by_user, organisation_field


class Donor(models.Model):
    """A donor partner (Microsoft and others): accepts approval codes and offers products."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("donor partner")
        verbose_name_plural = _("donor partners")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ApprovalCode(models.Model):
    """A code that proves to donor partners that the organisation is validated (R-CODE-1).

    `code` holds the whole code as shown (`<random>@<Handle>`); `lookup` is its lowercase form,
    which is what a pasted code is matched against (the case of the handle is forgiven).
    Whether a code is valid is computed from `status`, `expires_at` and the organisation's
    eligibility when asked (`is_valid_at`); the expiry sweep only records and notifies.
    """

    LIFETIME_DAYS = 60  # R-CODE-3

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")
        REPLACED = "replaced", _("Replaced")
        REVOKED = "revoked", _("Revoked")

    # Unique through `lookup` (its lowercase form, by the check constraint below). Every index
    # here is paid again for each code the expiry sweep marks, so there are no redundant ones:
    # no second unique index on `code`, no LIKE (`_like`) indexes that equality lookups and
    # `icontains` searches never use, and the organisation is indexed by `code_org_created_id_idx`.
    code = models.CharField(_("code"), max_length=100, editable=False)
    lookup = models.CharField(max_length=100, editable=False)
    organisation = organisation_field("approval_codes", on_delete=models.PROTECT, db_index=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    expires_at = models.DateTimeField(_("expires"))
    first_name = models.CharField(_("First name"), max_length=150)
    last_name = models.CharField(_("Last name"), max_length=150)
    email = models.EmailField(_("Email address"))
    language = models.CharField(
        _("Language for email"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The representative's language for the code's mail; empty: the issuer's."),
    )
    issued_by = by_user(_("issued by"), blank=True)
    renewed_from = models.OneToOneField(
        "self",
        verbose_name=_("renewed from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        help_text=_("The expired code this one replaced."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    expiry_reminder_sent_at = models.DateTimeField(_("expiry reminder sent"), null=True, blank=True)
    expiry_notice_sent_at = models.DateTimeField(_("expiry notice sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("approval code")
        verbose_name_plural = _("approval codes")
        ordering = ["-created_at", "-pk"]
        # No index names `status`: the expiry sweep changes only unindexed columns, so that
        # PostgreSQL updates each row in place (a HOT update, with room left on each page by
        # the table's fillfactor, migration 0005) instead of writing every index again. The
        # sweep finds its codes on (expires_at, id) from where the last sweep stopped.
        indexes = [
            models.Index(fields=["expires_at", "id"], name="code_expires_idx"),
            # The codes list's order exactly (with the tie-break on id), so that its first page
            # is read from the index, not sorted from all the organisation's codes.
            models.Index(
                fields=["organisation", "-created_at", "-id"], name="code_org_created_id_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lookup=Lower("code")), name="approval_code_lookup_is_lower"
            ),
            models.UniqueConstraint(fields=["lookup"], name="approval_code_lookup_unique"),
        ]

    def __str__(self):
        return self.code

    def save(self, *args, **kwargs):
        self.lookup = self.code.lower()
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def invalid_reason(self, now=None) -> str | None:
        """None when the code is valid now; otherwise why not (the API's `reason`)."""
        now = now or timezone.now()
        if self.status in (self.Status.REPLACED, self.Status.REVOKED):
            return CodeInvalidReason(self.status)
        if self.status == self.Status.EXPIRED or self.expires_at <= now:
            return CodeInvalidReason.EXPIRED
        if not self.organisation.is_eligible:
            return CodeInvalidReason.ORGANISATION_NOT_ELIGIBLE
        return None

    def is_valid_at(self, now=None) -> bool:
        return self.invalid_reason(now) is None

    def effective_status(self, now=None) -> str:
        """The status as of now: an active code past its expiry is expired, sweep or not."""
        now = now or timezone.now()
        if self.status == self.Status.ACTIVE and self.expires_at <= now:
            return self.Status.EXPIRED
        return self.status


class ExpirySweep(models.Model):
    """How far the expiry sweep has got (one row): every code that expired before
    `swept_until` has been marked. Each sweep starts a little before it (`jobs.SWEEP_OVERLAP`)
    instead of at the first code ever made."""

    swept_until = models.DateTimeField(_("swept until"))
    finished_at = models.DateTimeField(_("finished"))
    expired_count = models.PositiveIntegerField(_("codes expired by the last sweep"))

    class Meta:
        verbose_name = _("expiry sweep")
        verbose_name_plural = _("expiry sweeps")

    def __str__(self):
        return f"{self.swept_until:%Y-%m-%d %H:%M}"


class Redemption(models.Model):
    """A donor partner's record that a code was used (R-CODE-5, R-CODE-6): kept, and shown,
    after the code expires. One per code, donor and non-empty reference, which makes redeem
    idempotent; a redemption without a reference is never merged with another."""

    code = models.ForeignKey(
        ApprovalCode,
        verbose_name=_("approval code"),
        on_delete=models.PROTECT,
        related_name="redemptions",
    )
    donor = models.ForeignKey(
        Donor, verbose_name=_("donor partner"), on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    offer = models.CharField(_("offer"), max_length=200, blank=True)
    api_key = models.ForeignKey(
        "approval_codes.ApiKey",
        verbose_name=_("API key"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    redeemed_at = models.DateTimeField(_("redeemed"), default=timezone.now)

    class Meta:
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        ordering = ["-redeemed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "donor", "reference"],
                condition=~models.Q(reference=""),
                name="redemption_once_per_reference",
            )
        ]

    def __str__(self):
        return f"{self.code} → {self.donor}"


class CodeSighting(models.Model):
    """That one of a donor's secret keys verified or redeemed a code: the donor "used a code
    with" the organisation, and hears about it and about that code from then on (webhooks).
    Written in batches from the request log (`api_log.api_requests_flush`), never on the API's
    hot path."""

    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="+")
    code = models.ForeignKey(ApprovalCode, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    first_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["donor", "code"], name="code_sighting_once"),
        ]
        indexes = [models.Index(fields=["organisation", "donor"], name="sighting_org_idx")]

    def __str__(self):
        return f"{self.donor_id} saw {self.code_id}"


class ApiRequest(models.Model):
    """One request a donor's key made to the API, as its donor sees it in the donor area: when,
    which operation, what it answered; never more of the code than its last four characters.
    Written in batches (`api_log.api_requests_flush`), never on the API's hot path."""

    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="+")
    api_key = models.ForeignKey(
        "approval_codes.ApiKey", on_delete=models.CASCADE, related_name="requests"
    )
    at = models.DateTimeField(_("time"))
    operation = models.CharField(_("operation"), max_length=20)
    status_code = models.PositiveSmallIntegerField(_("answer"))
    outcome = models.CharField(_("outcome"), max_length=40, blank=True)
    code_tail = models.CharField(_("code"), max_length=4, blank=True)

    class Meta:
        verbose_name = _("API request")
        verbose_name_plural = _("API requests")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["donor", "-at"], name="api_request_donor_idx")]

    def __str__(self):
        return f"{self.operation} {self.status_code} @ {self.at:%Y-%m-%d %H:%M:%S}"


class ApiKeyQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, donor__is_active=True)


class ApiKey(models.Model):
    """A donor partner's key for the API. Only a SHA-256 hash of a secret key is stored; the
    prefix, which is part of the key, lets staff and donors tell keys apart.

    A publishable key (`chp_…`) is public by design: a donor puts it in its own web form for
    the checker script. It is its prefix alone, may only check codes (never verify in full or
    redeem), and only from the origins listed for it."""

    class Kind(models.TextChoices):
        SECRET = "secret", _("Secret (server to server)")
        PUBLISHABLE = "publishable", _("Publishable (the checker in a web form)")

    donor = models.ForeignKey(
        Donor, verbose_name=_("donor partner"), on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SECRET)
    allowed_origins = models.JSONField(
        _("allowed origins"),
        default=list,
        blank=True,
        help_text=_("Publishable keys: the web origins (https://shop.example) that may use it."),
    )

    is_test = models.BooleanField(
        _("test key"),
        default=False,
        help_text=_(
            "A test key sees only the codes of test organisations; a live key never sees them."
        ),
    )

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.donor} · {self.prefix}…"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @staticmethod
    def hash_of(key: str) -> str:
        """Keys carry 256 random bits, so a plain SHA-256 is as strong as a slow hash here."""
        return hashlib.sha256(key.encode()).hexdigest()


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 24 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


class WebhookEndpoint(models.Model):
    """Where a donor partner wants code and eligibility events posted, signed the Standard
    Webhooks way with `secret` (and, while a rotation overlaps, with `previous_secret` too)."""

    donor = models.ForeignKey(
        Donor,
        verbose_name=_("donor partner"),
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
    )
    url = models.URLField(_("endpoint URL"), max_length=500)
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        default=new_webhook_secret,
        help_text=_("Shared with the donor; signs every delivery (Standard Webhooks)."),
    )
    previous_secret = models.CharField(
        _("previous signing secret"), max_length=200, blank=True, editable=False
    )
    previous_secret_until = models.DateTimeField(
        _("previous secret accepted until"), null=True, blank=True, editable=False
    )
    is_test = models.BooleanField(
        _("test endpoint"),
        default=False,
        help_text=_("Receives the events about test organisations only (and a live one never)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    disabled_reason = models.CharField(_("why it was turned off"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["donor__name", "url"]

    def __str__(self):
        return f"{self.donor}: {self.url}"

    def signing_secrets(self, now=None) -> list[str]:
        """The secrets a delivery is signed with now: the current one, and the previous one
        while the rotation's overlap lasts."""
        now = now or timezone.now()
        if self.previous_secret and self.previous_secret_until and now < self.previous_secret_until:
            return [self.secret, self.previous_secret]
        return [self.secret]


class DonorMembership(models.Model):
    """A person of a donor partner, who works in the donor area (/donor/). A login belongs to
    one donor (one membership per user) and never also to an organisation."""

    donor = models.ForeignKey(
        Donor, verbose_name=_("donor partner"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="donor_membership",
    )
    invited_by = by_user(_("invited by"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("donor person")
        verbose_name_plural = _("donor people")
        ordering = ["donor__name", "user__email"]

    def __str__(self):
        return f"{self.user} · {self.donor}"


class WebhookDelivery(models.Model):
    """One event for one endpoint, recorded in the transaction of the change that caused it
    and posted by Celery, retried with back-off for up to a day."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    event_id = models.UUIDField(_("event id"), default=uuid.uuid4, unique=True, editable=False)
    event_type = models.CharField(_("event"), max_length=60)
    payload = models.JSONField(_("payload"))
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("webhook endpoint"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_response_status = models.PositiveIntegerField(_("last response"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_due_idx"),
        ]

    def __str__(self):
        return f"{self.event_type} → {self.endpoint.url}"


class WebhookAttempt(models.Model):
    """One POST of a delivery: when, what came back, how long it took. Append-only."""

    delivery = models.ForeignKey(
        WebhookDelivery,
        verbose_name=_("webhook delivery"),
        on_delete=models.CASCADE,
        related_name="attempt_log",
    )
    attempted_at = models.DateTimeField(_("time"), default=timezone.now)
    response_status = models.PositiveIntegerField(_("response status"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["-attempted_at", "-pk"]

    def __str__(self):
        return f"{self.delivery_id} @ {self.attempted_at:%Y-%m-%d %H:%M:%S}"
