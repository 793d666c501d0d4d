from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from clearinghouse.apps import PortalApp


class AccountsConfig(PortalApp, AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def connect_receivers(self):
        from allauth.account.signals import email_changed

        from accounts import one_login

        email_changed.connect(_contact_follows_email, dispatch_uid="accounts.contact_email")
        one_login.connect_receivers()

    def account_tabs(self):
        from accounts.navigation import Tab
        from accounts.permissions import Right

        return [
            Tab(_("Contacts"), "accounts:contact-list", Right.MANAGE_CONTACTS, 30),
            Tab(_("My details"), "accounts:organisation-details", Right.MANAGE_ACCOUNT_DETAILS, 40),
        ]


def _contact_follows_email(sender, *, user, to_email_address, **kwargs):
    from accounts.services import contact_follow_user_email

    contact_follow_user_email(user=user, email=to_email_address.email)
