from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from clearinghouse.apps import PortalApp


class ValidationConfig(PortalApp, AppConfig):
    name = "validation"
    verbose_name = _("Validation")

    def connect_receivers(self):
        from django.db.models.signals import post_migrate

        from validation.defaults import defaults_ensure

        post_migrate.connect(defaults_ensure, sender=self, dispatch_uid="validation-defaults")

    def account_tabs(self):
        from accounts.navigation import Tab
        from accounts.permissions import Right

        # The account holder has every right; a sub-account given "Manage account details"
        # may keep the validation current too (answer staff, attest, edit the details).
        return [
            Tab(_("Validation"), "validation:application-detail", Right.MANAGE_ACCOUNT_DETAILS, 50)
        ]
