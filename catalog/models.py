"""The donors' catalogue: programmes (with their rules), products, dated terms, certificates."""

from datetime import date

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from clearinghouse.model_fields import by_user, organisation_field

CERTIFICATE_VALID_YEARS = 2  # R-MS-4: the donor's validation certificate is valid two years


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class Programme(models.Model):
    """A donor's programme and its rules (R-MS-2, R-MS-3, R-MS-4, R-MS-11)."""

    donor = models.ForeignKey(
        "approval_codes.Donor",
        verbose_name=_("donor"),
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    minimum_licences_per_order = models.PositiveIntegerField(
        _("minimum licences per order"),
        default=5,
        help_text=_(
            "Counted over the licences charged at the discounted price, of products that are "
            "not exempt; donated licences do not count. 0 for no minimum."
        ),
    )
    # R-MS-4: needed for an order with a discounted (paid) licence; donations need none.
    requires_certificate = models.BooleanField(
        _("discounted licences need the donor's validation certificate"),
        default=True,
        help_text=_("The organisation sends the certificate and staff confirm it."),
    )
    nonprofits_only = models.BooleanField(
        _("nonprofits only"),
        default=False,
        help_text=_("Public libraries and museums cannot order from this programme."),
    )
    allotment_cycle_years = models.PositiveSmallIntegerField(
        _("allotment cycle (years)"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_("Grants are counted per cycle, from the organisation's first request."),
    )
    is_active = models.BooleanField(_("open for orders"), default=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["donor__name", "name"]

    def __str__(self):
        return self.name


class ProductQuerySet(models.QuerySet):
    def orderable(self):
        return self.filter(is_active=True, programme__is_active=True)


class Product(models.Model):
    """One product of a programme. Prices and grants are in dated `ProductTerms` (R-MS-13)."""

    class Kind(models.TextChoices):
        """Each kind has its own grant rule (`orders.availability.RULES`, R-MS-11, R-MS-14):
        donated software is counted per allotment cycle, cloud subscriptions by the seats held
        at once, a credit is one at a time for 12 months; other products have no grant."""

        PERPETUAL_LICENCE = "perpetual_licence", _("Donated software (perpetual licences)")
        CLOUD_SUBSCRIPTION = "cloud_subscription", _("Cloud subscription, per user per month")
        CREDIT_PER_YEAR = "credit_per_year", _("Credit, one at a time for 12 months")
        COURSE = "course", _("Course or other paid product")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="products"
    )
    sku = models.CharField(_("SKU"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    hard_cap = models.PositiveIntegerField(
        _("hard cap per organisation"),
        null=True,
        blank=True,
        help_text=_(
            "Cloud subscriptions: most seats an organisation holds at once. Other products: "
            "most an organisation may order (granted and paid) in one allotment cycle. "
            "Empty for no cap."
        ),
    )
    on_request = models.BooleanField(
        _("grant on request"),
        default=False,
        help_text=_(
            "The organisation asks for a number of seats with a reason, and staff decide how "
            "many to grant (up to the cap), e.g. through an enterprise agreement."
        ),
    )
    exempt_from_minimum = models.BooleanField(
        _("exempt from the minimum per order"),
        default=False,
        # R-MS-2: exempt products (the Azure credit, courses) do not count towards the minimum.
        help_text=_("Orders of this product need not reach the programme's minimum per order."),
    )
    countries = CountryField(
        _("countries where available"),
        multiple=True,
        blank=True,
        help_text=_("Empty means available in every country."),
    )
    is_active = models.BooleanField(
        _("available"), default=True, help_text=_("Untick to withdraw the product.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["programme", "position", "name"]

    def __str__(self):
        return f"{self.name} ({self.sku})"

    def is_available_in(self, country) -> bool:
        return not self.countries or str(country) in {str(c) for c in self.countries}

    def terms_on(self, day: date) -> "ProductTerms | None":
        """The terms in force on `day`. Uses prefetched `terms` when present."""
        candidates = [t for t in self.terms.all() if t.effective_from <= day]
        return max(candidates, key=lambda t: t.effective_from, default=None)


class ProductTerms(models.Model):
    """Prices and grant of a product from a date on (R-MS-13). The latest entry on or before a
    day applies that day; staff schedule a change by adding an entry with a future date."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="terms"
    )
    effective_from = models.DateField(_("in force from"))
    nonprofit_price = models.DecimalField(
        _("nonprofit price (USD)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Per unit beyond the grant. Empty: not sold beyond the grant."),
    )
    commercial_price = models.DecimalField(
        _("commercial price (USD)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # R-MS-11: what the grant counts depends on the product's kind (see `Product.Kind`).
    grant_per_cycle = models.PositiveIntegerField(
        _("grant"),
        default=0,
        help_text=_(
            "Free units: per allotment cycle for donated software, seats held at once for "
            "cloud subscriptions, credits at a time for a credit."
        ),
    )
    admin_fee = models.DecimalField(
        _("admin fee per granted unit (USD)"),
        max_digits=10,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("The clearinghouse's nominal fee on software grants."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("dated terms")
        verbose_name_plural = _("dated terms (prices and grants)")
        ordering = ["product", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "effective_from"], name="product_terms_one_per_day"
            )
        ]

    def __str__(self):
        return f"{self.product.sku} from {self.effective_from}"

    @property
    def discount_percent(self) -> int | None:
        if not self.commercial_price or self.nonprofit_price is None:
            return None
        return round(100 * (1 - self.nonprofit_price / self.commercial_price))


class DonorCertificateQuerySet(models.QuerySet):
    def valid_on(self, day: date):
        return self.filter(
            status=DonorCertificate.Status.CONFIRMED,
            issued_on__lte=day,
            issued_on__gt=add_years(day, -CERTIFICATE_VALID_YEARS),
        )


def certificate_upload_to(instance, filename):
    return f"certificates/{instance.organisation_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class DonorCertificate(models.Model):
    """The donor's validation certificate an organisation sends us (R-MS-4); staff confirm it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    organisation = organisation_field("donor_certificates", on_delete=models.CASCADE)
    donor = models.ForeignKey(
        "approval_codes.Donor", verbose_name=_("donor"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("certificate"), upload_to=certificate_upload_to)
    issued_on = models.DateField(_("issue date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    uploaded_by = by_user()
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    decided_by = by_user(blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)

    objects = DonorCertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("donor's validation certificate")
        verbose_name_plural = _("donors' validation certificates")
        ordering = ["-uploaded_at"]
        permissions = [("decide_donorcertificate", "Can confirm or reject certificates")]

    def __str__(self):
        return f"{self.donor} certificate of {self.organisation} ({self.issued_on})"

    @property
    def valid_until(self) -> date:
        return add_years(self.issued_on, CERTIFICATE_VALID_YEARS)

    def is_valid_on(self, day: date) -> bool:
        return self.status == self.Status.CONFIRMED and self.issued_on <= day < self.valid_until
