from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClearinghouseConfig(AppConfig):
    """The project package doubles as the home of cross-cutting pieces: audit trail and outbox."""

    name = "clearinghouse"
    verbose_name = _("Clearinghouse")
