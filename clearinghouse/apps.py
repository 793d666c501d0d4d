from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClearinghouseConfig(AppConfig):
    """The project package doubles as the home of cross-cutting pieces: audit trail and outbox."""

    name = "clearinghouse"
    verbose_name = _("Clearinghouse")

    def ready(self):
        from django.db.models.signals import post_migrate

        from clearinghouse.staff_groups import staff_groups_ensure

        # After every app's migrate: the last call finds every permission and sets the groups.
        post_migrate.connect(staff_groups_ensure, dispatch_uid="clearinghouse.staff_groups")
