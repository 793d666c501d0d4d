from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from accounts.navigation import Tab, register_tab
        from accounts.permissions import Right

        register_tab(
            Tab(
                label=_("Contacts"),
                url_name="accounts:contact-list",
                right=Right.MANAGE_CONTACTS,
                order=30,
            )
        )
        register_tab(
            Tab(
                label=_("My details"),
                url_name="accounts:details",
                right=Right.MANAGE_ACCOUNT_DETAILS,
                order=40,
            )
        )
