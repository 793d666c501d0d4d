from django.db import models
from django.utils.translation import gettext_lazy as _


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
