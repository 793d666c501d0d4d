from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        from allauth.account.signals import email_changed

        from accounts.navigation import Tab, register_tab
        from accounts.permissions import Right

        email_changed.connect(_contact_follows_email, dispatch_uid="accounts.contact_email")

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
                url_name="accounts:organisation-details",
                right=Right.MANAGE_ACCOUNT_DETAILS,
                order=40,
            )
        )


def _contact_follows_email(sender, *, user, to_email_address, **kwargs):
    from accounts.services import contact_follow_user_email

    contact_follow_user_email(user=user, email=to_email_address.email)
