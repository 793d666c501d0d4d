from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalCodesConfig(AppConfig):
    name = "approval_codes"
    verbose_name = _("Approval codes")

    def ready(self):
        from approval_codes import webhooks

        webhooks.connect_receivers()
