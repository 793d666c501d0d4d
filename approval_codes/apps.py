from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from clearinghouse.apps import PortalApp


class ApprovalCodesConfig(PortalApp, AppConfig):
    name = "approval_codes"
    verbose_name = _("Approval codes")

    def connect_receivers(self):
        from approval_codes import verify_cache, webhooks

        webhooks.connect_receivers()
        verify_cache.connect_receivers()

    def account_tabs(self):
        from accounts.navigation import Tab
        from accounts.permissions import Right

        return [
            Tab(_("Approval codes"), "approval_codes:code-list", Right.MANAGE_APPROVAL_CODES, 10)
        ]
