from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalCodesConfig(AppConfig):
    name = "approval_codes"
    verbose_name = _("Approval codes")

    def ready(self):
        from accounts.navigation import Tab, register_tab
        from accounts.permissions import Right
        from approval_codes import verify_cache, webhooks

        webhooks.connect_receivers()
        verify_cache.connect_receivers()
        register_tab(
            Tab(
                label=_("Approval codes"),
                url_name="approval_codes:code-list",
                right=Right.MANAGE_APPROVAL_CODES,
                order=10,
            )
        )
