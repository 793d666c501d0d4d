from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ValidationConfig(AppConfig):
    name = "validation"
    verbose_name = _("Validation")

    def ready(self):
        from django.db.models.signals import post_migrate

        from accounts.navigation import Tab, register_tab
        from validation.defaults import defaults_ensure

        post_migrate.connect(defaults_ensure, sender=self, dispatch_uid="validation-defaults")
        from accounts.permissions import Right

        # The account holder has every right; a sub-account given "Manage account details"
        # may keep the validation current too (answer staff, attest, edit the details).
        register_tab(
            Tab(
                label=_("Validation"),
                url_name="validation:application-detail",
                right=Right.MANAGE_ACCOUNT_DETAILS,
                order=50,
            )
        )
